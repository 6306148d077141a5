"""Numbers below region level (issue #7, "never a leak"): no narrowed number a region's
staff can get — card, breakdown, drill-down, export, API, ambition per group, matches per
activity — can be subtracted from another to reveal a group under the threshold."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from itertools import product

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from perspectief.accounts.actor import actor_for
from perspectief.candidates.constants import TargetGroup
from perspectief.candidates.models import JourneyTransition
from perspectief.catalogue.models import Offer
from perspectief.core import disclosure
from perspectief.monitoring.models import PublishedTable
from perspectief.monitoring.periods import completed_quarters, quarter_bounds
from perspectief.monitoring.selectors import breakdowns, indicators
from perspectief.monitoring.selectors.national import national_table
from perspectief.monitoring.services.activities import ActivityInput, activity_save
from perspectief.monitoring.services.plans import PlanInput, plan_save, plan_set_status
from perspectief.routes.models import Route, RouteStep

from ..conftest import sign_in
from ..factories import (
    CandidateFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PostcodeFactory,
    TOTPDeviceFactory,
    UserFactory,
)

MIN = 5  # settings.DISCLOSURE_MIN_CELL


def _quarters():
    """The last two completed quarters: [(first, last, a day in it)], oldest first."""
    out = []
    for year, quarter in reversed(completed_quarters(2)):
        first, last = quarter_bounds(year, quarter)
        out.append((first, last, first + timedelta(days=10)))
    return out


def _placed(person, on):
    JourneyTransition.objects.create(
        candidate=person,
        from_status="bemiddelbaar",
        to_status="geplaatst",
        occurred_on=on,
        cause="hire",  # only a placement with a recorded hire counts
    )


@pytest.fixture
def zaandam(world):
    town = MunicipalityFactory(code="GM0479", name="Zaanstad", region=world.am18)
    return PostcodeFactory(code="1501", municipality=town, place_names="Zaandam")


@pytest.fixture
def fourteen(world, zaandam):
    """The issue's example: 14 matches in the last quarter, 12 in Amsterdam, 2 in Zaanstad."""
    _first, _last, day = _quarters()[-1]
    uwv = OrganisationFactory(kind="uwv", region=world.am18)
    for i in range(14):
        postcode = zaandam if i < 2 else None
        person = CandidateFactory(served_by=uwv, **({"postcode": postcode} if postcode else {}))
        _placed(person, day)
    return uwv


def _published(column, total_published):
    rows = {f"R{i}": {"m": v} for i, v in enumerate(column)}
    shown, totals = disclosure.suppress_columns(rows, ["m"], total_published=total_published)
    return [shown[r]["m"] for r in rows], totals["m"]


def _compositions(total, parts):
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


def _what_an_attacker_learns(column, total_published=True):
    """For each hidden cell, the values still possible to someone who knows the published
    cells, the total and the rule itself: every column that the rule would publish exactly
    the same way."""
    cells, total_shown = _published(column, total_published)
    total = sum(column) if total_published else total_shown
    hidden = [i for i, c in enumerate(cells) if c is None]
    if not hidden:
        return cells, {}
    if total is None:  # no sum to go by: any values, up to the largest the test uses
        candidates = product(range(max(9, *column) + 1), repeat=len(hidden))
    else:
        candidates = _compositions(total - sum(c for c in cells if c is not None), len(hidden))
    possible = {i: set() for i in hidden}
    for values in candidates:
        candidate = list(column)
        for i, v in zip(hidden, values, strict=True):
            candidate[i] = v
        if _published(candidate, total_published) == (cells, total_shown):
            for i, v in zip(hidden, values, strict=True):
                possible[i].add(v)
    return cells, possible


def _assert_nothing_pinned(column, total_published):
    cells, possible = _what_an_attacker_learns(column, total_published)
    assert all(c is None or c == 0 or c >= MIN for c in cells)  # primary
    for i, values in possible.items():
        if 0 < column[i] < MIN:
            assert len(values) > 1, (column, cells, i, values)


def test_no_small_cell_can_be_worked_out_by_someone_who_knows_the_rule():
    """Every column of three cells from 0 to 9, below a published total (the region's) and
    with its own total (the ministry's): no hidden small cell has only one possible value."""
    for column in product(range(10), repeat=3):
        _assert_nothing_pinned(column, True)
        _assert_nothing_pinned(column, False)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=4, max_size=5))
def test_nor_in_wider_columns(column):
    _assert_nothing_pinned(column, True)
    if max(column) >= MIN:  # a table of its own with a large cell (a column of small ones
        _assert_nothing_pinned(column, False)  # only: the three-cell test covers it)


def test_the_issue_example_and_two_ones():
    shown, _t = disclosure.suppress_columns(
        {"A": {"m": 12}, "B": {"m": 2}}, ["m"], total_published=True
    )
    assert (shown["A"]["m"], shown["B"]["m"]) == (None, None)  # 14 - 12 would give B away
    # Two hidden ones add up to 2: only (1, 1) — so a cell of MIN or more goes with them.
    shown, totals = disclosure.suppress_columns(
        {"A": {"m": 1}, "B": {"m": 1}, "C": {"m": 20}, "D": {"m": 30}}, ["m"]
    )
    assert [shown[r]["m"] for r in "ABCD"] == [None, None, None, 30] and totals["m"] == 52
    # Nothing of MIN or more to hide with them: the whole column, zeros included.
    shown, _t = disclosure.suppress_columns(
        {"A": {"m": 3}, "B": {"m": 0}}, ["m"], total_published=True
    )
    assert (shown["A"]["m"], shown["B"]["m"]) == (None, None)


@pytest.mark.django_db
def test_a_municipality_cannot_be_subtracted_from_the_region(
    client, world, zaandam, fourteen, make_member
):
    first, last, _day = _quarters()[-1]
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    quarter = {"start": first, "end": last}
    region = client.get(reverse("monitoring:dashboard"), quarter).context
    assert dict((k, n) for k, _l, n in region["cards"])["matches"] == 14  # the region: exact
    amsterdam = client.get(
        reverse("monitoring:dashboard"), {**quarter, "municipality": world.amsterdam.pk}
    ).context
    assert dict((k, n) for k, _l, n in amsterdam["cards"])["matches"] is None  # not 12
    assert amsterdam["funnel"][4]["value"] is None and amsterdam["lead_time"] is None
    # The breakdown on the page shows the same cells: both hidden.
    assert [n for _v, _l, n in region["breakdowns"]["municipality"][0]] == [None, None]
    # The export and the API give the same cells, never 12.
    export = client.get(
        reverse("monitoring:export", kwargs={"fmt": "csv"}),
        {"municipality": world.amsterdam.pk},
    )
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    amsterdam_rows = [r for r in rows if r[3] == "Gemeente: Amsterdam"]
    assert amsterdam_rows and "12" not in [r[5] for r in amsterdam_rows]
    assert all(r[5] in ("x", "0") for r in amsterdam_rows)
    api = client.get(
        "/api/v1/indicators",
        {"municipality": "GM0363", "from": str(first), "until": str(last)},
    ).json()
    assert api["counts"]["matches"] is None and api["suppressed"]
    table = client.get(
        "/api/v1/indicators", {"by": "municipality", "from": str(first), "until": str(last)}
    ).json()
    assert {r["value"]: r["counts"]["matches"] for r in table["rows"]} == {
        "GM0363": None,
        "GM0479": None,
        None: 0,  # unknown or outside the region: listed always, as every municipality is
    }
    # A record that arrives later for the quarter does not change what was published:
    # two versions of a hidden cell would give it away by subtraction.
    for _i in range(6):
        _placed(CandidateFactory(served_by=fourteen, postcode=zaandam), _quarters()[-1][2])
    table = client.get(
        "/api/v1/indicators", {"by": "municipality", "from": str(first), "until": str(last)}
    ).json()
    assert {r["value"]: r["counts"]["matches"] for r in table["rows"]} == {
        "GM0363": None,
        "GM0479": None,
        None: 0,  # unknown or outside the region: listed always, as every municipality is
    }
    assert PublishedTable.objects.filter(scope="AM18", dimension="municipality").count() == 1
    # The quarter before, first asked for now, with 12 and 8: both shown.
    earlier_first, earlier_last, earlier_day = _quarters()[0]
    amsterdam = world.amsterdam.postcodes.first()
    for i in range(20):
        person = CandidateFactory(served_by=fourteen, postcode=zaandam if i < 8 else amsterdam)
        _placed(person, earlier_day)
    earlier = client.get(
        "/api/v1/indicators",
        {"by": "municipality", "from": str(earlier_first), "until": str(earlier_last)},
    ).json()
    assert {r["value"]: r["counts"]["matches"] for r in earlier["rows"]} == {
        "GM0363": 12,
        "GM0479": 8,
        None: 0,
    }


@pytest.mark.django_db
def test_one_narrowing_at_a_time(client, world, make_member):
    first, last, _day = _quarters()[-1]
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    response = client.get(
        reverse("monitoring:dashboard"),
        {"municipality": world.amsterdam.pk, "target_group": "statushouder"},
    )
    assert "Kies één van gemeente, doelgroep, sector of activiteit tegelijk" in (
        response.content.decode()
    )
    # Refused with why (400), and no numbers at all: not the combination, nor other numbers
    # than were asked for.
    assert response.status_code == 400 and "narrowed" not in response.context
    api = client.get(
        "/api/v1/indicators",
        {
            "municipality": "GM0363",
            "targetGroup": "statushouder",
            "from": str(first),
            "until": str(last),
        },
    )
    assert api.status_code == 400 and "Eén uitsplitsing tegelijk" in str(api.json())
    by_and_value = client.get(
        "/api/v1/indicators",
        {"by": "targetGroup", "municipality": "GM0363", "from": str(first), "until": str(last)},
    )
    assert by_and_value.status_code == 400
    assert client.get("/api/v1/indicators", {"by": "municipality"}).status_code == 400  # a year
    assert client.get("/api/v1/indicators", {"by": "postcode"}).status_code == 400


@pytest.mark.django_db
def test_the_drill_down_adds_no_number_the_card_hides(
    client, world, zaandam, fourteen, make_member
):
    first, last, _day = _quarters()[-1]
    km = make_member("klantmanager")  # of a gemeente: UWV serves the fourteen
    sign_in(client, km.user)
    response = client.get(
        reverse("monitoring:drill", kwargs={"key": "matches"}),
        {"municipality": zaandam.municipality.pk},
    )
    assert response.context["rows"] == [] and response.context["hidden"] is None
    assert "hoeveel anderen er nog bedienen" in response.content.decode()
    # The region: exact, the people of others counted.
    region = client.get(
        reverse("monitoring:drill", kwargs={"key": "matches"}), {"start": first, "end": last}
    )
    assert region.context["hidden"] == 14


@pytest.mark.django_db
def test_totals_since_the_plan_are_sums_of_shown_quarters(world, make_member):
    """Two running totals a quarter apart would give the quarter away: a total since the
    plan's start is shown only when every quarter in it is."""
    (q1_first, q1_last, q1_day), (_q2_first, q2_last, q2_day) = _quarters()
    manager = actor_for(make_member("programmamanager"))
    gemeente = OrganisationFactory(kind="gemeente", municipality=world.amsterdam, region=world.am18)
    plan = plan_save(
        actor=manager,
        data=PlanInput(
            title="Doe-agenda",
            period_start=q1_first,
            period_end=q1_first + timedelta(days=730),
            lead=gemeente,
            employer_lead="Werkgevers",
            ambition=100,
            budget=Decimal("1000"),
            ambitions=[("target_group", "statushouder", 40), ("target_group", "50plus", 20)],
        ),
    )

    def placed(group, day, n):
        for _i in range(n):
            person = CandidateFactory(served_by=gemeente)
            person.target_group_rows.create(group=group)
            _placed(person, day)

    placed("statushouder", q1_day, 6)
    placed("50plus", q1_day, 6)
    placed("50plus", q2_day, 2)  # hidden in the second quarter, with the 6 others
    placed("statushouder", q2_day, 7)
    for i in range(9):  # people without a target group
        _placed(CandidateFactory(served_by=gemeente), q1_day)
        if i < 6:
            _placed(CandidateFactory(served_by=gemeente), q2_day)
    statushouders, youth = breakdowns.ambition_parts(
        plan, breakdowns.Tables(world.am18.pk), today=q2_last
    )
    assert (statushouders["matches"], statushouders["since"].start) == (13, q1_first)
    assert statushouders["since"].end == q2_last
    assert youth["matches"] is None  # 6 + x: the sum would give the x away
    _first, youth_q1 = breakdowns.ambition_parts(
        plan, breakdowns.Tables(world.am18.pk), today=q1_last
    )
    assert youth_q1["matches"] == 6  # the first quarter alone is shown
    # Late records for a published quarter change nothing: 6 + 3 would now be shown.
    placed("50plus", q2_day, 3)
    _s, youth = breakdowns.ambition_parts(plan, breakdowns.Tables(world.am18.pk), today=q2_last)
    assert youth["matches"] is None


@pytest.mark.django_db
def test_a_funnel_share_never_gives_a_hidden_number_away():
    rows = indicators.funnel(
        {"in_view": None, "work_ready": 8, "in_training": 0, "placeable": 6, "matches": 5}
        | {"durable": None}
    )
    assert [r["share"] for r in rows] == [None] * 6
    rows = indicators.funnel(
        {"in_view": 10, "work_ready": None, "in_training": 0, "placeable": 6, "matches": 5}
        | {"durable": 0}
    )
    assert [r["share"] for r in rows] == [100, None, 0, 60, 50, 0]


def test_a_table_lists_shown_cells_before_hidden_ones_whatever_they_hide():
    table = breakdowns.Table(
        dimension="municipality",
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
        labels={1: "Aalsmeer", 2: "Zaanstad", 3: "Amstelveen", 4: "Diemen"},
        cells={1: {"m": None}, 2: {"m": 30}, 3: {"m": None}, 4: {"m": 0}},
    )
    # Sorting by what is hidden would tell the larger hidden cell from the smaller one.
    assert table.column("m") == [
        (2, "Zaanstad", 30),
        (1, "Aalsmeer", None),
        (3, "Amstelveen", None),
    ]
    assert table.values(99) == {"m": 0}


@pytest.mark.django_db
def test_the_ministry_table_of_a_quarter_stays_as_published(world):
    """A hire recorded late for an ended quarter would turn a hidden cell into a shown one;
    the two versions side by side would give the hidden one away."""
    first, last, day = _quarters()[-1]
    for _i in range(4):
        _placed(CandidateFactory(region=world.am18), day)
    for _i in range(6):
        _placed(CandidateFactory(region=world.am22, postcode=None), day)
    _regions, before, totals = national_table(first, last)
    assert (before["AM18"]["matches"], before["AM22"]["matches"], totals["matches"]) == (
        None,
        None,
        10,
    )
    _placed(CandidateFactory(region=world.am18), day)  # late, dated back into the quarter
    _regions, after, totals_after = national_table(first, last)
    assert (after, totals_after) == (before, totals)
    # The running quarter is not published yet: it is counted anew.
    today = date.today()
    running = quarter_bounds(today.year, (today.month - 1) // 3 + 1)
    _r, now, _t = national_table(running[0], today)
    assert not PublishedTable.objects.filter(scope="NL", start=running[0]).exists()
    assert now["AM18"]["matches"] == 0


@pytest.mark.django_db
def test_activities_cannot_be_subtracted_from_each_other_or_from_the_region(world, make_member):
    """The programme manager decides what an activity holds: two sharing services, or one
    covering all but a few people, would single those few out."""
    first, last, day = _quarters()[-1]
    manager = actor_for(make_member("programmamanager"))
    gemeente = OrganisationFactory(kind="gemeente", municipality=world.amsterdam, region=world.am18)
    school = OrganisationFactory(kind="school", municipality=world.amsterdam)

    def offer(title):
        return Offer.objects.create(
            provider=school, region=world.am18, kind="nt2", title=title, funding="regio"
        )

    taal, rekenen = offer("Taal"), offer("Rekenen")

    def plan_for(period_start, period_end):
        return plan_save(
            actor=manager,
            data=PlanInput(
                title="Doe-agenda",
                period_start=period_start,
                period_end=period_end,
                lead=gemeente,
                employer_lead="Werkgevers",
                ambition=100,
                budget=Decimal("1000"),
            ),
        )

    def activity(plan, name, offers):
        return activity_save(
            actor=manager,
            plan=plan,
            data=ActivityInput(name, "statushouders", school, Decimal("0"), offers=offers),
        )

    plan = plan_for(first, first + timedelta(days=700))
    with_taal = activity(plan, "Taal", [taal])
    with pytest.raises(ValidationError) as refused:  # a service is with one activity only
        activity(plan, "Taal en rekenen", [taal, rekenen])
    assert "Taal (Taal)" in str(refused.value.message_dict["offers"])
    # Ten placed in the quarter: eight used the language course, two did not.
    for i in range(10):
        person = CandidateFactory(served_by=gemeente)
        _placed(person, day)
        if i < 8:
            route = Route.objects.create(candidate=person, organisation=gemeente)
            RouteStep.objects.create(
                route=route,
                kind="nt2",
                title="Taal",
                owner=school,
                offer=taal,
                planned_start=first,
                planned_end=day,
            )
    plan_set_status(actor=manager, plan=plan, status="active")
    # A plan for a later period may share the service, but counts only in its own quarters.
    later = plan_for(first + timedelta(days=701), first + timedelta(days=1000))
    activity(later, "Taal en rekenen", [taal, rekenen])
    table = breakdowns.Tables(world.am18.pk).get("activity", first, last)
    assert list(table.labels.values()) == ["Taal"]
    # 8 of the region's 10: the two beside it would be known, so the 8 is hidden.
    assert table.values(with_taal.pk)["matches"] is None
    # Nor can the quarter be handed to another plan afterwards, with an activity sharing the
    # service: the quarter's table was published with the activities it had.
    plan_save(
        actor=manager,
        data=PlanInput(
            title="Doe-agenda",
            period_start=first,
            period_end=day,
            lead=gemeente,
            employer_lead="Werkgevers",
            ambition=100,
            budget=Decimal("1000"),
        ),
        plan=plan,
        reason="Korter",
    )
    switched = plan_for(day + timedelta(days=1), first + timedelta(days=700))
    both = activity(switched, "Taal en rekenen", [taal, rekenen])
    plan_set_status(actor=manager, plan=switched, status="active")
    again = breakdowns.Tables(world.am18.pk).get("activity", first, last)
    assert list(again.labels.values()) == ["Taal"]
    assert again.values(both.pk)["matches"] is None  # not counted: not a number


@pytest.mark.django_db
def test_a_user_without_a_region_gets_no_regions_numbers(client, world):
    """An SW-bedrijf may serve several regions and have none: "no region" must not read as
    "every region", exactly, on the dashboard, in its lists and exports."""
    _first, _last, day = _quarters()[-1]
    _placed(CandidateFactory(), day)
    sw = OrganisationFactory(kind="sw_bedrijf", municipality=None, region=None)
    member = MembershipFactory(user=UserFactory(), organisation=sw, role="klantmanager")
    TOTPDeviceFactory(user=member.user)
    assert actor_for(member).region_id is None
    sign_in(client, member.user)
    for name, kwargs in (
        ("monitoring:dashboard", {}),
        ("monitoring:drill", {"key": "matches"}),
        ("monitoring:export", {"fmt": "csv"}),
        ("monitoring:plan", {}),
        ("monitoring:market", {}),
        ("monitoring:report", {"year": day.year, "quarter": (day.month - 1) // 3 + 1}),
    ):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403, name


@pytest.mark.django_db
def test_a_plan_ending_within_a_quarter_counts_that_quarter_once_it_has_ended(world, make_member):
    (q1_first, _q1_last, q1_day), (q2_first, q2_last, q2_day) = _quarters()
    manager = actor_for(make_member("programmamanager"))
    gemeente = OrganisationFactory(kind="gemeente", municipality=world.amsterdam, region=world.am18)
    plan = plan_save(
        actor=manager,
        data=PlanInput(
            title="Doe-agenda",
            period_start=q1_first,
            period_end=q2_first + timedelta(days=40),  # ends in the middle of the quarter
            lead=gemeente,
            employer_lead="Werkgevers",
            ambition=100,
            budget=Decimal("1000"),
            ambitions=[("target_group", "statushouder", 40)],
        ),
    )
    for day in (q1_day, q2_day):
        for _i in range(6):
            person = CandidateFactory(served_by=gemeente)
            person.target_group_rows.create(group="statushouder")
            _placed(person, day)
    (part,) = breakdowns.ambition_parts(plan, breakdowns.Tables(world.am18.pk), today=date.today())
    assert (part["matches"], part["since"].end) == (12, q2_last)
    # Up to the plan's end, not beyond; in whole matches (one short plan year).
    days = (plan.period_end - q1_first).days + 1
    year = (date(q1_first.year + 1, q1_first.month, 1) - q1_first).days
    assert part["ambition_to_date"] == round(40 * days / year)


@pytest.mark.django_db
def test_which_values_have_people_does_not_show_where_a_column_is_hidden(
    client, world, zaandam, make_member
):
    """Three matches, all in Zaanstad: a list naming only Zaanstad would say it has all 3."""
    first, last, day = _quarters()[-1]
    for _i in range(3):
        _placed(CandidateFactory(postcode=zaandam), day)
    sign_in(client, make_member("programmamanager").user)
    quarter = {"from": str(first), "until": str(last)}
    rows = client.get("/api/v1/indicators", {"by": "municipality", **quarter}).json()["rows"]
    assert {r["value"]: r["counts"]["matches"] for r in rows} == {
        "GM0363": None,
        "GM0479": None,
        None: None,  # every municipality of the region and the rest, all hidden alike
    }
    groups = client.get("/api/v1/indicators", {"by": "targetGroup", **quarter}).json()["rows"]
    # Every target group of the profile and "none": all hidden alike.
    assert len(groups) == len(TargetGroup) + 1
    assert {r["counts"]["matches"] for r in groups} == {None}
    page = client.get(reverse("monitoring:dashboard"), {"start": first, "end": last})
    assert page.context["breakdowns"]["municipality"] == ([], True)
    assert "Niet getoond: te weinig dit kwartaal" in page.content.decode()
    # Occupations are too many to list: one at a time.
    assert client.get("/api/v1/indicators", {"by": "occupation", **quarter}).status_code == 400
