"""The plan's net effect (#19, item 6): the comparison-group estimate and the
difference-in-differences on hand-built numbers whose answer is known, the people and
matches they count from the records, what is left out and said, what is too small to show,
and the dashboard and the quarterly report saying it in Dutch."""

import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from perspectief.candidates.models import CandidateTargetGroup
from perspectief.catalogue.models import Offer
from perspectief.monitoring.reports.quarterly import render_pdf
from perspectief.monitoring.selectors import net_effect as ne
from perspectief.monitoring.selectors.net_effect import Group
from perspectief.monitoring.selectors.quarterly import quarterly
from perspectief.monitoring.services.activities import ActivityInput, activity_save
from perspectief.monitoring.services.plans import plan_save, plan_set_status
from perspectief.routes.models import Route, RouteStep

from .. import pdf
from ..conftest import sign_in
from ..factories import CandidateFactory, OrganisationFactory, RegionFactory
from .helpers import plan_input, transition

START = date(2026, 1, 1)
TODAY = date(2026, 10, 15)  # the plan's last completed quarter ends 30-9-2026
UNTIL = date(2026, 9, 30)


# --- The estimators, without a database ---------------------------------------------------


def test_identical_rates_give_no_effect_and_an_interval_around_zero():
    strata = {
        "a": (Group(40, 10), Group(400, 100)),
        "b": (Group(60, 30), Group(300, 150)),
    }
    m = ne.stratified_estimate(strata)
    assert (m.reached, m.observed, m.unmatched) == (100, 40, 0)
    assert m.expected == pytest.approx(40.0)
    assert m.effect == pytest.approx(0.0)
    assert m.low < 0 < m.high

    # The variance by hand: n p(1-p) + n² p(1-p)/n_c with p = (placed + ½)/(people + 1).
    def pq(placed, people):
        p = (placed + 0.5) / (people + 1)
        return p * (1 - p)

    var = 40 * pq(10, 40) + 40**2 * pq(100, 400) / 400
    var += 60 * pq(30, 60) + 60**2 * pq(150, 300) / 300
    assert m.high - m.effect == pytest.approx(1.96 * math.sqrt(var))


def test_the_reached_placed_more_than_comparable_people_gives_a_positive_effect():
    # Same target group and age: the comparison's 20% would give the reached 20 of 100.
    m = ne.stratified_estimate({"a": (Group(100, 50), Group(500, 100))})
    assert m.expected == pytest.approx(20.0) and m.effect == pytest.approx(30.0)
    assert 0 < m.low < 30 < m.high


def test_matching_removes_a_difference_in_who_was_reached():
    """The reached are mostly in the stratum that is placed anyway: the crude difference is
    large, the matched one nothing."""
    strata = {
        "close to work": (Group(90, 45), Group(10, 5)),
        "far from work": (Group(10, 1), Group(90, 9)),
    }
    m = ne.stratified_estimate(strata)
    crude = 46 / 100 - 14 / 100
    assert crude > 0.3 and m.effect == pytest.approx(0.0)


def test_strata_without_comparable_people_are_left_out_and_counted():
    m = ne.stratified_estimate(
        {
            "a": (Group(50, 20), Group(100, 40)),
            "nobody to compare": (Group(7, 7), Group(0, 0)),
            "nobody reached": (Group(0, 0), Group(30, 3)),
        }
    )
    assert (m.reached, m.unmatched, m.observed, m.comparison) == (50, 7, 20, 100)
    assert m.effect == pytest.approx(0.0)


def test_small_groups_give_no_number(settings):
    settings.DISCLOSURE_MIN_CELL = 5
    small = ne.show_matched(ne.stratified_estimate({"a": (Group(4, 2), Group(100, 20))}))
    assert small.state == "too_small" and small.effect is None
    assert small.counts == {"reached": None, "unmatched": 0}  # 4 reached: x
    # Enough people reached, but 3 of them placed: the estimate would narrow 3 down.
    few_placed = ne.show_matched(ne.stratified_estimate({"a": (Group(40, 3), Group(100, 20))}))
    assert few_placed.state == "too_small"
    # So would a comparison of three.
    few_compared = ne.show_matched(ne.stratified_estimate({"a": (Group(40, 20), Group(3, 1))}))
    assert few_compared.state == "too_small"
    shown = ne.show_matched(
        ne.stratified_estimate(
            {"a": (Group(40, 20), Group(100, 20)), "b": (Group(2, 1), Group(0, 0))}
        )
    )
    assert shown.state == "shown" and shown.effect == 12
    assert shown.low <= 12 <= shown.high and shown.counts == {"reached": 40, "unmatched": None}
    assert ne.show_matched(None).state == "no_evidence"


def test_did_with_known_trends():
    # Every other region grew by exactly 10% (and by 5% to 15%): the region grew 50%.
    same = [(100, 110)] * 6
    d = ne.did_estimate(200, 300, same)
    assert d.change == pytest.approx(1.1) and d.expected == pytest.approx(220)
    assert d.effect == pytest.approx(80) and d.low == pytest.approx(80) == d.high
    spread = [(100, 105), (100, 110), (100, 115), (200, 210), (200, 230), (50, 55)]
    d = ne.did_estimate(200, 300, spread)
    assert d.low < d.effect < d.high and d.low > 0
    # Grew as the others did: no effect, and an interval around zero.
    d = ne.did_estimate(200, 220, spread)
    assert d.low < 0 < d.high and abs(d.effect) < 3


def test_did_needs_enough_other_regions(settings):
    settings.DISCLOSURE_MIN_CELL = 5
    d = ne.did_estimate(200, 300, [(100, 110)] * 4 + [(0, 12), (8, 0)])
    assert d.regions == 4 and d.effect is None
    assert ne.show_did(d).state == "too_few_regions"
    assert ne.show_did(ne.did_estimate(3, 30, [(100, 110)] * 6)).state == "too_small"


def test_t_quantiles():
    assert ne.t95(1) == 12.706 and ne.t95(30) == 2.042
    assert ne.t95(31) == pytest.approx(2.0395, abs=0.001)
    assert ne.t95(120) == pytest.approx(1.9799, abs=0.001)


@pytest.mark.parametrize(
    ("today", "cap", "until"),
    [
        (date(2026, 10, 15), None, date(2026, 9, 30)),
        (date(2026, 10, 1), None, date(2026, 9, 30)),
        (date(2026, 3, 31), None, None),  # the first quarter still runs
        (date(2026, 12, 7), date(2026, 6, 30), date(2026, 6, 30)),
        (date(2028, 2, 1), None, date(2027, 12, 31)),  # the plan is over
    ],
)
def test_counted_to_the_end_of_the_last_completed_quarter(today, cap, until):
    class Plan:
        period_start, period_end = START, date(2027, 12, 31)

    assert ne.counted_until(Plan, today, cap) == until


# --- From the records ------------------------------------------------------------------------


def _plan_with_course(world, manager, gemeente):
    school = OrganisationFactory(kind="school", municipality=world.amsterdam)
    course = Offer.objects.create(
        provider=school, region=world.am18, kind="nt2", title="Taal", funding="regio"
    )
    plan = plan_save(actor=manager, data=plan_input(gemeente, period_start=START))
    activity_save(
        actor=manager,
        plan=plan,
        data=ActivityInput("Taal", "statushouders", school, Decimal("0"), offers=[course]),
    )
    plan_set_status(actor=manager, plan=plan, status="active")
    return plan, course, school


def _person(org, *, born=date(1990, 5, 1), ready="ready", groups=()):
    person = CandidateFactory(served_by=org, date_of_birth=born, work_readiness=ready)
    for group in groups:
        CandidateTargetGroup.objects.create(candidate=person, group=group)
    transition(person, "in_beeld", date(2025, 3, 1))
    return person


def _took_part(person, org, course, school, *, status="started", start=date(2026, 2, 1)):
    route = Route.objects.create(candidate=person, organisation=org)
    RouteStep.objects.create(
        route=route,
        kind="nt2",
        title="Taal",
        owner=school,
        offer=course,
        status=status,
        planned_start=start,
        planned_end=start + timedelta(days=60),
    )


@pytest.fixture
def filled(world, manager, gemeente):
    """Ten reached, six of them placed in the plan; twenty comparable people not reached,
    four of them placed; and people who must not count."""
    plan, course, school = _plan_with_course(world, manager, gemeente)
    for i in range(10):
        person = _person(gemeente, groups=["statushouder"])
        _took_part(person, gemeente, course, school)
        if i < 6:
            transition(person, "geplaatst", date(2026, 5, 1))
    for i in range(20):
        person = _person(gemeente, groups=["statushouder"])
        if i < 4:
            transition(person, "geplaatst", date(2026, 6, 1))
    # Not counted: placed after the last completed quarter, a stopped step (not reached but
    # comparable, not placed), at work before the plan, never in view, another region.
    late = _person(gemeente, groups=["statushouder"])
    _took_part(late, gemeente, course, school)
    transition(late, "geplaatst", date(2026, 10, 5))
    stopped = _person(gemeente, groups=["statushouder"])
    _took_part(stopped, gemeente, course, school, status="stopped")
    working = _person(gemeente, groups=["statushouder"])
    transition(working, "geplaatst", date(2025, 6, 1))
    CandidateFactory(served_by=gemeente, work_readiness="ready")
    # Reached, but in a stratum nobody else is in (50 plus, not yet work-ready).
    alone = _person(gemeente, born=date(1960, 1, 1), ready="not_yet", groups=["50plus"])
    _took_part(alone, gemeente, course, school)
    return plan


@pytest.mark.django_db
def test_the_estimate_counts_the_people_from_the_records(filled, settings):
    settings.DISCLOSURE_MIN_CELL = 5
    strata = ne.strata(filled, UNTIL, ne.plan_offers(filled))
    reached = sum(t.people for t, _c in strata.values())
    assert reached == 12  # ten, the one placed too late, and the one alone
    m = ne.stratified_estimate(strata)
    # The late one is reached, comparable, not placed by 30-9: 6 of 11 against 4 of 21.
    assert (m.reached, m.observed, m.comparison, m.comparison_placed) == (11, 6, 21, 4)
    assert m.unmatched == 1
    assert m.effect == pytest.approx(6 - 11 * 4 / 21)
    result = ne.net_effect(filled, today=TODAY)
    assert result.until == UNTIL
    assert result.matched.state == "too_small"  # four placed among the comparison
    settings.DISCLOSURE_MIN_CELL = 3
    result = ne.net_effect(filled, today=TODAY)
    assert result.matched.state == "shown" and result.matched.effect == 4
    assert result.matched.counts == {"reached": 11, "unmatched": None}


@pytest.mark.django_db
def test_the_strata_are_counted_in_a_few_queries(filled):
    with CaptureQueriesContext(connection) as queries:
        ne.net_effect(filled, today=TODAY)
    assert len(queries) <= 4


@pytest.mark.django_db
def test_no_activities_with_people_is_said_plainly(world, manager, gemeente):
    plan = plan_save(actor=manager, data=plan_input(gemeente, period_start=START))
    found = ne.net_effect(plan, today=TODAY)
    assert found.matched.state == "no_evidence"
    assert found.unmatched == ""  # no "x reached people had nobody comparable" beside it


@pytest.mark.django_db
def test_did_from_the_records(world, manager, gemeente, settings):
    """Nine months before the plan, nine months of it: the region doubled, the other
    regions (five, made here) stayed as they were."""
    settings.DISCLOSURE_MIN_CELL = 5
    plan = plan_save(actor=manager, data=plan_input(gemeente, period_start=START))
    for n, day in ((10, date(2025, 6, 1)), (20, date(2026, 6, 1))):
        for _i in range(n):
            transition(CandidateFactory(region=world.am18), "geplaatst", day)
    result = ne.net_effect(plan, today=TODAY)
    assert result.before == (START - timedelta(days=273), date(2025, 12, 31))
    assert result.did.state == "too_few_regions" and result.did.counts["regions"] == 0
    for code in ("AM22", "AM60", "AM61", "AM62", "AM63"):
        region = world.am22 if code == "AM22" else RegionFactory(code=code, name=code)
        for day in (date(2025, 6, 1), date(2026, 6, 1)):
            for _i in range(6 if code == "AM63" else 5):
                transition(CandidateFactory(region=region, postcode=None), "geplaatst", day)
    result = ne.net_effect(plan, today=TODAY)
    assert result.did.state == "shown" and result.did.effect == 10
    assert (result.did.low, result.did.high) == (10, 10)


@pytest.mark.django_db
def test_the_dashboard_and_the_report_say_it_in_dutch(client, filled, make_member, settings):
    """The number with its interval and the method, in the page's language (Dutch: the texts
    are compared through the catalogue, so that they read "+4 (95%: 1 tot 7)" once the
    translations are merged)."""
    settings.DISCLOSURE_MIN_CELL = 3
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    with translation.override("nl"):
        title, method = gettext("Net effect"), ne.matched_method()
        unit = gettext("people placed")
    with time_machine.travel(datetime(2026, 10, 15, 12, 0), tick=False):
        response = client.get(reverse("monitoring:dashboard"))
        shown = response.context["net_effect"].matched
        with translation.override("nl"):
            number = shown.text()
            data = quarterly(filled.region, 2026, 3, suppressed=False)
            text = " ".join(" ".join(page) for page in pdf.pages(render_pdf(data)))
    body = response.content.decode()
    assert shown.effect == 4 and shown.low < 4 < shown.high
    assert number.startswith(f"+4 (95%: {shown.low} ")
    assert title in body and f"<strong>{escape(number)}</strong> {unit}" in body
    assert escape(method) in body
    assert "<details>" in body
    # The report's section 3 says the same.
    flat = " ".join(text.split())
    assert title in flat and number in flat


@pytest.mark.django_db
def test_the_dashboard_keeps_the_estimate_a_while_and_says_when(client, filled, make_member):
    """Computing reads every person in view, so the dashboard keeps the result per plan
    version and day for a quarter of an hour and says when it was computed; a new version of
    the plan is computed afresh."""
    sign_in(client, make_member("programmamanager").user)
    with time_machine.travel(datetime(2026, 10, 15, 12, 0, tzinfo=UTC), tick=False):
        first = client.get(reverse("monitoring:dashboard")).context["net_effect"]
    with time_machine.travel(datetime(2026, 10, 15, 12, 10, tzinfo=UTC), tick=False):
        again = client.get(reverse("monitoring:dashboard"))
        assert again.context["net_effect"].computed_at == first.computed_at
        assert f"{timezone.localtime(first.computed_at):%H:%M}" in again.content.decode()
        type(filled).objects.filter(pk=filled.pk).update(version=F("version") + 1)
        fresh = client.get(reverse("monitoring:dashboard")).context["net_effect"]
    assert fresh.computed_at > first.computed_at
    assert fresh.matched.effect == first.matched.effect
