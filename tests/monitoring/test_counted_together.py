"""Issue #20 item 2: the dashboard counts every period it shows in one read of the region's
transitions (:func:`indicators.prefetch`) and reads its matches once (:func:`match_rows`).
Each number must be what counting that period on its own gives: the same people, the
same events, the same matches in the same order."""

from datetime import date, timedelta

import pytest
from django.db.models import Count

from perspectief.candidates.models import CandidateTargetGroup
from perspectief.core.dates import add_months
from perspectief.monitoring.selectors import indicators
from perspectief.monitoring.selectors.indicators import Filters
from perspectief.routes.constants import DURABLE_MONTHS
from perspectief.routes.models import SupportPlan

from ..factories import CandidateFactory, OrganisationFactory
from .helpers import transition

DAY = date(2025, 3, 10)
STATUSES = ["in_beeld", "werkfit", "in_scholing", "bemiddelbaar", "geplaatst", "duurzaam"]

#: Periods that overlap, nest, touch and lie apart (a day, a quarter, years).
PERIODS = [
    (date(2025, 1, 1), date(2025, 12, 31)),
    (date(2024, 1, 1), date(2024, 12, 31)),
    (date(2025, 4, 1), date(2025, 6, 30)),
    (date(2025, 3, 10), date(2025, 3, 10)),
    (date(2024, 7, 1), date(2026, 6, 30)),
    (date(2026, 1, 1), date(2026, 12, 31)),
]


def _population(world) -> None:
    """People of both regions, with a target group or none, moving through the journey on
    scattered days: several transitions a person, in and across the periods; placements
    without a hire and durable work without a confirmation (which never count)."""
    employer = OrganisationFactory()
    for i in range(36):
        region_postcode = "1011" if i % 3 else "3011"
        person = CandidateFactory(postcode=_postcode(region_postcode))
        if i % 4 == 0:
            CandidateTargetGroup.objects.create(candidate=person, group="statushouder")
        for j in range(1 + i % 4):
            status = STATUSES[(i + j) % len(STATUSES)]
            on = DAY + timedelta(days=(i * 37 + j * 91) % 700 - 350)
            cause = "route" if (i + j) % 7 == 0 else None  # not a hire: not counted
            transition(person, status, on, cause=cause, reference=f"ref-{i}-{j}")
        transition(person, "in_beeld", DAY)  # the same day for everyone
        if i % 5 == 0:  # placed on a period's first and last day
            transition(person, "geplaatst", DAY, reference=f"ref-{i}")
        if i % 3 == 1:  # support after a hire, nobody confirmed: some six months full on DAY
            days = 0 if i == 1 else (i * 53) % 500 - 250
            started = add_months(DAY, -DURABLE_MONTHS) + timedelta(days=days)
            SupportPlan.objects.create(
                candidate=person, job_title="x", organisation=employer, started_on=started
            )


def _counted_alone(f: Filters) -> dict:
    """The counts of one period as the dashboard made them before #20 (one query each)."""
    rows = (
        indicators.transitions(f)
        .order_by()
        .values("to_status")
        .annotate(events=Count("id", distinct=True), people=Count("candidate", distinct=True))
    )
    by_status = {r["to_status"]: r for r in rows}
    out = {}
    for key, status, _label, people in indicators.INDICATORS:
        row = by_status.get(status)
        out[key] = 0 if row is None else row["people" if people else "events"]
    out["not_confirmed"] = _not_confirmed_alone(f)
    return out


def _not_confirmed_alone(f: Filters) -> int:
    """Placements not confirmed after six months, as counted before #20 (one query)."""
    until = min(f.end, date.today())
    if until < f.start:
        return 0
    plans = SupportPlan.objects.filter(
        status="active",
        started_on__gte=add_months(f.start, -DURABLE_MONTHS) - timedelta(days=4),
        started_on__lte=add_months(until, -DURABLE_MONTHS) + timedelta(days=4),
    )
    rows = indicators._of_people(plans, f).distinct().values_list("pk", "started_on")
    return sum(1 for _pk, on in rows if f.start <= add_months(on, DURABLE_MONTHS) <= until)


def _matches_alone(f: Filters) -> list:
    """The matches of one period as the chart, lead time and instruments read them before."""
    return list(
        indicators.transitions(f, "matches").values_list(
            "occurred_on", "reference", "candidate__created_at"
        )
    )


def _postcode(code):
    from perspectief.regions.models import Postcode

    return Postcode.objects.get(code=code)


def _narrowings(world):
    yield {}
    yield {"municipality_id": world.amsterdam.pk}
    yield {"target_group": "statushouder"}


@pytest.mark.django_db
def test_periods_counted_together_are_counted_as_each_alone(world):
    _population(world)
    for narrowing in _narrowings(world):
        for region in (world.am18, world.am22):
            wanted = [Filters(s, e, region_id=region.pk, **narrowing) for s, e in PERIODS]
            alone = [_counted_alone(f) for f in wanted]
            with indicators.one_page():
                indicators.prefetch(wanted)
                together = [indicators.counts(f) for f in wanted]
            assert together == alone, (region.code, narrowing)
    # The population is not empty where it matters: the test would pass on zeros.
    whole = _counted_alone(Filters(*PERIODS[4], region_id=world.am18.pk))
    assert whole["in_view"] > 5 and whole["matches"] > 2 and whole["durable"] > 0
    assert whole["not_confirmed"] > 2


@pytest.mark.django_db
def test_matches_read_once_are_the_matches_of_each_period(world):
    _population(world)
    for narrowing in _narrowings(world):
        wide = Filters(date(2023, 1, 1), date(2027, 12, 31), region_id=world.am18.pk, **narrowing)
        alone = {period: _matches_alone(wide.shifted(*period)) for period in PERIODS}
        with indicators.one_page():
            indicators.prefetch_matches(wide)
            for period in PERIODS:
                f = wide.shifted(*period)
                assert indicators.match_rows(f) == alone[period], (narrowing, period)
                assert indicators.by_month(f) == _by_month_alone(f)
    assert len(indicators.match_rows(Filters(*PERIODS[4], region_id=world.am18.pk))) > 2


def _by_month_alone(f: Filters) -> list:
    days = list(indicators.transitions(f, "matches").values_list("occurred_on", flat=True))
    return [
        (month, sum(1 for d in days if d.replace(day=1) == month))
        for month, _n in indicators.by_month(f)
    ]


@pytest.mark.django_db
def test_the_planner_setting_is_back_after_the_region_reads(world):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")

    def cost():
        with connection.cursor() as cursor:
            cursor.execute("SHOW random_page_cost")
            return cursor.fetchone()[0]

    before = cost()
    with indicators.through_the_people():
        assert cost() == "1.1"
    assert cost() == before
