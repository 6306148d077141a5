"""The fairness report: exposure in the latest run and outcomes of proposals per target
group and age band, aggregates only, small cells suppressed so none can be worked out."""

import json
import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.matching.models import MatchRun, MatchSuggestion, Proposal, RunScore
from perspectief.matching.selectors import fairness
from perspectief.matching.services.fairness import run_checked
from perspectief.notifications.inbox import inbox_for
from perspectief.notifications.models import Message
from tests.conftest import matchable_person, sign_in


def _rows(rows):
    return {r.key: r for r in rows}


def test_exposure_ratio_and_flag_for_a_group_the_run_passes_over():
    members = {p: {"statushouder"} for p in range(1, 7)} | {p: {"none"} for p in range(7, 13)}
    rows, _totals = fairness.tabulate(
        members,
        {"statushouder": "statushouder", "none": "geen"},
        population=set(range(1, 13)),
        exposure={p: 1.0 for p in range(7, 13)},
        assigned=set(range(7, 13)),
        proposals=[],
    )
    by = _rows(rows)
    assert by["statushouder"].exposure_ratio == 0.0 and by["statushouder"].flagged
    # Over 1.25 is flagged too: a group seen far more than its share.
    assert by["none"].exposure_ratio == 2.0 and by["none"].flags == ["exposure_ratio"]
    assert by["none"].counts["suggested"] == 6 and by["statushouder"].counts["suggested"] == 0


def test_small_cells_are_suppressed_and_cannot_be_worked_out():
    members = (
        {p: {"a"} for p in range(0, 3)}  # 3 people: under the threshold
        | {p: {"b"} for p in range(3, 10)}  # 7
        | {p: {"c"} for p in range(10, 30)}  # 20
    )
    rows, _totals = fairness.tabulate(
        members,
        {"a": "A", "b": "B", "c": "C"},
        population=set(range(30)),
        exposure={},
        assigned=set(),
        proposals=[],
    )
    by = _rows(rows)
    assert by["a"].counts["population"] is None  # primary
    assert by["b"].counts["population"] is None  # secondary: else 30 - 20 - b gives a away
    assert by["c"].counts["population"] == 20
    assert by["a"].exposure_ratio is None and by["b"].exposure_ratio is None


def test_a_lone_small_cell_beside_zeros_hides_the_whole_column():
    """One hire, of a 50-plus person: 0 / 0 / '< 5' would still say who it was."""
    members = {p: {"a"} for p in range(10)} | {p: {"b"} for p in range(10, 20)}
    rows, _totals = fairness.tabulate(
        members,
        {"a": "A", "b": "B"},
        population=set(range(20)),
        exposure={},
        assigned=set(),
        proposals=[(3, "hired")],
    )
    assert [r.counts["hired"] for r in rows] == [None, None]
    assert [r.counts["population"] for r in rows] == [10, 10]


def test_no_exposure_ratio_beside_a_hidden_number_suggested():
    """Three of B's people suggested and none of A's: the column is hidden whole (3 beside a
    0 would say who), so A's exposure ratio of 0.0 would give its 0 away — and the total
    (the run's suggestions) B's 3. Neither ratio is shown; the people counts still are."""
    members = {p: {"a"} for p in range(10)} | {p: {"b"} for p in range(10, 20)}
    rows, _totals = fairness.tabulate(
        members,
        {"a": "A", "b": "B"},
        population=set(range(20)),
        exposure={10: 1.0, 11: 0.63, 12: 0.5},
        assigned=set(),
        proposals=[],
    )
    by = _rows(rows)
    assert [by[k].counts["suggested"] for k in "ab"] == [None, None]
    assert [by[k].counts["population"] for k in "ab"] == [10, 10]
    assert by["a"].exposure_ratio is None and by["b"].exposure_ratio is None
    assert not by["a"].flagged  # no flag either: "attention" would say the ratio is off


def test_hire_rates_per_group_compared_with_everyone():
    members = {p: {"x"} for p in range(10)} | {p: {"y"} for p in range(10, 20)}
    proposals = [(p, "hired") for p in range(5)] + [(p, "rejected") for p in range(5, 10)]
    proposals += [(p, "hired") for p in range(10, 20)]
    rows, totals = fairness.tabulate(
        members,
        {"x": "X", "y": "Y"},
        population=set(range(20)),
        exposure={},
        assigned=set(),
        proposals=proposals,
    )
    by = _rows(rows)
    assert totals["hired"] == 15 and totals["decided"] == 20
    assert by["x"].hire_rate == 0.5 and by["x"].hire_ratio == pytest.approx(0.667, abs=1e-3)
    assert by["x"].flagged  # 0.5 against 0.75 overall: under four fifths
    assert by["y"].hire_rate == 1.0 and by["y"].hire_ratio == pytest.approx(1.333, abs=1e-3)
    assert by["y"].flags == ["hire_ratio"]  # over 1.25: flagged both ways


def test_age_bands():
    today = date(2026, 11, 23)
    assert fairness.age_band(date(2000, 11, 24), today) == "15-26"  # 25
    assert fairness.age_band(date(1999, 11, 23), today) == "27-49"  # 27 today
    assert fairness.age_band(date(1976, 11, 23), today) == "50+"
    assert fairness.age_band(None, today) == "unknown"


@pytest.mark.django_db
def test_report_page_and_command_for_the_region(client, world, place, esco, make_member):
    _occupation, skills = esco
    km = make_member("klantmanager")
    people = [matchable_person(km, skills, date_of_birth=date(1990, 1, 1)) for _ in range(12)]
    for person in people[:6]:
        person.target_group_rows.create(group="statushouder")
    run = MatchRun.objects.create(
        region=world.am18, started_for=km.organisation, status="done", places_total=1
    )
    for rank, person in enumerate(people[6:], start=1):
        MatchSuggestion.objects.create(
            run=run, vacancy=place, candidate=person, rank=rank, score=0.5, assigned=rank <= 2
        )
    for person in people[6:]:
        Proposal.objects.create(
            vacancy=place, candidate=person, proposed_for=km.organisation, status="hired"
        )
    report = fairness.report(world.am18)
    by = _rows(report.dimensions["target_group"])
    assert by["statushouder"].flagged and by["statushouder"].exposure_ratio == 0.0
    assert by["none"].counts["hired"] == 6
    assert _rows(report.dimensions["age_band"])["27-49"].counts["population"] == 12
    sign_in(client, make_member("programmamanager").user)
    html = client.get(reverse("matching:fairness")).content.decode()
    assert "statushouder" in html and "aandacht" in html
    # Ratios in two decimals (1,931 read as a thousand and more), the wide table scrolls.
    shown = f"{by['none'].exposure_ratio:.2f}".replace(".", ",")
    assert f"<td>{shown}</td>" in html
    assert not re.search(r"<td>\d+,\d{3}</td>", html)
    assert 'class="table-scroll" role="region" aria-labelledby="exposure-target_group"' in html
    out = StringIO()
    call_command("match", "fairness", "--region", "am18", stdout=out)
    data = json.loads(out.getvalue())
    assert data["run"] == str(run.uuid) and "totals" not in data
    flagged = [r["group"] for r in data["dimensions"]["target_group"] if r["flagged"]]
    assert flagged == ["statushouder", "none"]


# --- at similar scores (#18 part 6) -----------------------------------------------------


def _two_groups(high_seen_a, high_seen_b, *, per=20, low_a=20, low_b=20):
    """Group "a" and group "b": ``per`` people each in the score band 60-80 (of whom the
    given numbers were seen), and ``low_*`` people in the band 20-40, none seen."""
    members, scores, seen = {}, {}, set()
    person = 0
    for group, high, low, seen_high in (
        ("a", per, low_a, high_seen_a),
        ("b", per, low_b, high_seen_b),
    ):
        for i in range(high + low):
            members[person] = {group}
            scores[person] = 0.7 if i < high else 0.3
            if i < seen_high:
                seen.add(person)
            person += 1
    return members, fairness.Scored(scores=scores, seen=seen)


def _tabulate(members, scored):
    rows, _totals = fairness.tabulate(
        members,
        {"a": "A", "b": "B"},
        population=set(members),
        exposure={},
        assigned=set(),
        proposals=[],
        scored=scored,
    )
    return _rows(rows)


def test_a_group_seen_less_only_because_it_scores_lower_is_not_flagged_at_similar_scores():
    # "a": 10 high (8 seen) and 30 low; "b": 30 high (24 seen) and 10 low. In each band
    # both are seen equally often (80% and 0%); "a" just has fewer high scores.
    members, person = {}, 0
    scores, seen = {}, set()
    for group, high, low, seen_high in (("a", 10, 30, 8), ("b", 30, 10, 24)):
        for i in range(high + low):
            members[person] = {group}
            scores[person] = 0.7 if i < high else 0.3
            if i < seen_high:
                seen.add(person)
            person += 1
    by = _tabulate(members, fairness.Scored(scores=scores, seen=seen))
    assert by["a"].counts["scored"] == 40 and by["a"].counts["seen"] == 8
    assert by["a"].seen_ratio == 0.5 and "seen_ratio" in by["a"].flags  # raw: flagged
    assert by["a"].adjusted_ratio == 1.0 and not by["a"].flagged_at_similar_scores
    assert by["b"].seen_ratio == 1.5 and by["b"].adjusted_ratio == 1.0


def test_a_group_seen_less_at_equal_scores_is_flagged():
    # Same scores for both (20 high, 20 low each), but of the high ones "a" is seen 5
    # times and "b" 15: expected 10 each.
    members, scored = _two_groups(5, 15)
    by = _tabulate(members, scored)
    assert by["a"].expected == pytest.approx(10.0)
    assert by["a"].seen_ratio == 0.5 and by["a"].adjusted_ratio == 0.5
    assert by["a"].flagged_at_similar_scores and by["b"].flagged_at_similar_scores
    assert by["b"].adjusted_ratio == 1.5  # seen more than others like them: flagged too


def test_similar_scores_follow_the_disclosure_rules():
    # "a": 3 people with a score (under 5) → "x", and no ratio from it.
    members, scored = _two_groups(2, 15, per=3, low_a=0, low_b=20)
    by = _tabulate(members, scored)
    assert by["a"].counts["scored"] is None and by["a"].counts["seen"] is None
    assert by["a"].seen_ratio is None and by["a"].adjusted_ratio is None
    # 10 with a score, 8 seen: the 2 not seen would follow from a rate, so none is given.
    members, scored = _two_groups(8, 10, per=10, low_a=0, low_b=10)
    by = _tabulate(members, scored)
    assert by["a"].counts["scored"] == 10 and by["a"].counts["seen"] == 8
    assert by["a"].seen_ratio is None and by["a"].adjusted_ratio is None
    # Fewer than 5 expected: no band-adjusted ratio (too few to compare).
    members, scored = _two_groups(0, 5, per=6, low_a=20, low_b=20)
    by = _tabulate(members, scored)
    assert by["a"].expected < 5 and by["a"].adjusted_ratio is None
    assert by["a"].seen_ratio == 0.0  # the raw one is given: 0 of 26 seen reveals nobody
    # The score bands of everyone: small cells hidden there too.
    bands = {b["band"]: b for b in fairness.band_rows(scored)}
    assert bands["60–80"]["scored"] == 12 and bands["60–80"]["seen"] == 5
    assert bands["0–20"]["scored"] == 0


def _flagged_run(world, place, km, *, seen_a, seen_b):
    """A finished run of region AM18 with 80 people: "statushouder" (a) and no target group
    (b), 20 high and 20 low scores each; of the high ones ``seen_a`` and ``seen_b`` were in
    the top 10 at a place."""
    run = MatchRun.objects.create(
        region=world.am18, started_for=km.organisation, status="done", places_total=1
    )
    for group, seen in (("statushouder", seen_a), (None, seen_b)):
        for i in range(40):
            person = matchable_person(km, [], date_of_birth=date(1990, 1, 1))
            if group:
                person.target_group_rows.create(group=group)
            RunScore.objects.create(
                run=run,
                candidate=person,
                score=0.7 if i < 20 else 0.3,
                best_rank=5 if i < seen else 30,
            )
    return run


@pytest.mark.django_db
def test_unequal_exposure_at_equal_scores_reaches_the_programme_managers_inbox_once(
    client, world, place, make_member
):
    km = make_member("klantmanager")
    manager = make_member("programmamanager")
    other_region = make_member("programmamanager", "AM22")
    run = _flagged_run(world, place, km, seen_a=5, seen_b=15)

    flags = run_checked(run)

    assert flags == [
        {"dimension": "target_group", "group": "statushouder"},
        {"dimension": "target_group", "group": "none"},
    ]
    run.refresh_from_db()
    assert run.fairness_flags == flags
    items = [i for i in inbox_for(actor_for(manager)) if i.kind == "fairness"]
    assert len(items) == 1 and items[0].url == reverse("matching:fairness")
    assert not [i for i in inbox_for(actor_for(other_region)) if i.kind == "fairness"]
    assert not [i for i in inbox_for(actor_for(km)) if i.kind == "fairness"]
    assert Message.objects.filter(kind="fairness", recipient=manager.user).count() == 1
    # Checked again (or another look at it): still one item, one message.
    run_checked(run)
    assert len([i for i in inbox_for(actor_for(manager)) if i.kind == "fairness"]) == 1
    assert Message.objects.filter(kind="fairness").count() == 1
    # The report says so, next to the raw comparison.
    sign_in(client, manager.user)
    page = client.get(reverse("matching:fairness"))
    by = _rows(page.context["report"].dimensions["target_group"])
    assert by["statushouder"].adjusted_ratio == 0.5 and by["statushouder"].seen_ratio == 0.5
    assert page.context["report"].flags == flags
    # A later run that flags nobody takes the item away.
    fair = _flagged_run(world, place, km, seen_a=10, seen_b=10)
    assert run_checked(fair) == []
    assert not [i for i in inbox_for(actor_for(manager)) if i.kind == "fairness"]


@pytest.mark.django_db
def test_lower_scores_alone_flag_the_raw_comparison_but_reach_no_inbox(world, place, make_member):
    km = make_member("klantmanager")
    manager = make_member("programmamanager")
    run = MatchRun.objects.create(
        region=world.am18, started_for=km.organisation, status="done", places_total=1
    )
    for group, high, low, seen in (("statushouder", 10, 30, 8), (None, 30, 10, 24)):
        for i in range(high + low):
            person = matchable_person(km, [], date_of_birth=date(1990, 1, 1))
            if group:
                person.target_group_rows.create(group=group)
            RunScore.objects.create(
                run=run,
                candidate=person,
                score=0.7 if i < high else 0.3,
                best_rank=3 if i < seen else 40,
            )
    assert run_checked(run) == []
    by = _rows(fairness.report(world.am18).dimensions["target_group"])
    assert "seen_ratio" in by["statushouder"].flags and by["statushouder"].adjusted_ratio == 1.0
    assert not [i for i in inbox_for(actor_for(manager)) if i.kind == "fairness"]
    assert not Message.objects.filter(kind="fairness").exists()
