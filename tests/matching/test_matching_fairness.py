"""The fairness report: exposure in the latest run and outcomes of proposals per target
group and age band, aggregates only, small cells suppressed so none can be worked out."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from perspectief.matching.models import MatchRun, MatchSuggestion, Proposal
from perspectief.matching.selectors import fairness
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
    assert by["none"].exposure_ratio == 2.0 and not by["none"].flagged
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
    assert by["y"].hire_rate == 1.0 and not by["y"].flagged


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
    out = StringIO()
    call_command("match", "fairness", "--region", "am18", stdout=out)
    data = json.loads(out.getvalue())
    assert data["run"] == str(run.uuid) and "totals" not in data
    flagged = [r["group"] for r in data["dimensions"]["target_group"] if r["flagged"]]
    assert flagged == ["statushouder"]
