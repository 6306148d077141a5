"""Instruments per match on the PoW-dashboard: counted over the dashboard's matches of a
completed quarter, euros granted and paid (payments recorded), small numbers hidden."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.candidates.models import JourneyTransition
from perspectief.instruments.selectors.applications import instrument_use
from perspectief.instruments.services import applications as services
from perspectief.monitoring.periods import completed_quarters, quarter_bounds
from perspectief.monitoring.selectors.indicators import Filters, counts, match_rows
from perspectief.monitoring.selectors.instruments import instrument_summary, instrument_table
from tests.conftest import sign_in
from tests.factories import CandidateFactory
from tests.instruments.applications_world import hired, load_shipped, outside, record


@pytest.fixture
def instruments(db):
    load_shipped()


@pytest.fixture
def quarter():
    return quarter_bounds(*completed_quarters(1)[0])


def _match(person, hire, on):
    JourneyTransition.objects.create(
        candidate=person,
        from_status="bemiddelbaar",
        to_status="geplaatst",
        occurred_on=on,
        cause="hire",
        reference=str(hire.uuid),
    )


def _granted(km, application, amount, paid=()):
    actor = actor_for(km)
    services.application_status(
        actor=actor,
        application=application,
        status="toegekend",
        decided_on=application.applied_on,
        amount_granted=Decimal(amount),
    )
    for value in paid:
        services.payment_record(
            actor=actor,
            application=application,
            paid_on=application.applied_on,
            amount=Decimal(value),
        )


@pytest.fixture
def known_set(world, instruments, make_member, quarter, settings):
    """Seven matches in the quarter: five with LKV granted (two also a no-riskpolis), one
    with LKS only applied for, one without; and an LKV outside the quarter."""
    settings.DISCLOSURE_MIN_CELL = 5
    km = make_member("klantmanager")
    start = quarter[0] + timedelta(days=10)
    for n in range(7):
        person = CandidateFactory(served_by=km.organisation)
        hire = (
            hired(world, person, km.organisation, start)
            if n % 2
            else outside(person, km.organisation, start)
        )
        _match(person, hire, start)
        if n < 5:
            lkv = record(km, hire, "LKV", category="oudere_werknemer")
            _granted(km, lkv, "6000.00", paid=("400.00", "100.00"))
        if n < 2:
            _granted(km, record(km, hire, "NO_RISK"), "0")
        if n == 5:
            record(km, hire, "LKS")  # applied for, not granted: not counted
    earlier = CandidateFactory(served_by=km.organisation)
    before = outside(earlier, km.organisation, quarter[0] - timedelta(days=40))
    _match(earlier, before, before.start_date)
    _granted(km, record(km, before, "LKV", category="oudere_werknemer"), "6000", paid=("999",))
    return km


def test_numbers_per_instrument_for_a_known_set(world, known_set, quarter):
    table = instrument_table(world.am18.pk, *quarter)
    assert table.matches == 7
    rows = {row.code: row for row in table.rows}
    assert set(rows) == {"LKV", "NO_RISK"}  # LKS was only applied for
    lkv = rows["LKV"]
    assert (lkv.matches, lkv.granted, lkv.paid) == (5, Decimal("30000.00"), Decimal("2500.00"))
    assert lkv.paid_per_match == Decimal("357.14")  # 2500 over all 7 matches
    # Two matches with a no-riskpolis: under the minimum, hidden with its euros.
    no_risk = rows["NO_RISK"]
    assert (no_risk.matches, no_risk.granted, no_risk.paid, no_risk.paid_per_match) == (
        None,
        None,
        None,
        None,
    )


def test_a_lower_minimum_shows_the_small_row(world, known_set, quarter, settings):
    settings.DISCLOSURE_MIN_CELL = 2
    rows = {row.code: row for row in instrument_table(world.am18.pk, *quarter).rows}
    assert rows["NO_RISK"].matches == 2 and rows["NO_RISK"].paid == Decimal("0")


def test_the_dashboard_shows_the_table(client, world, known_set, make_member):
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    client.cookies.load({"django_language": "en"})
    page = client.get(reverse("monitoring:dashboard"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Employer instruments per match" in text
    assert "30,000.00" in text and "2,500.00" in text and "357.14" in text


def test_the_regions_summary_over_a_period_counts_every_instrument_once_per_match(
    world, known_set, quarter
):
    f = Filters(quarter[0] - timedelta(days=60), quarter[1], region_id=world.am18.pk)
    summary = instrument_summary(f, matches=counts(f)["matches"])
    assert (summary.matches, summary.with_instrument) == (8, 6)
    assert (summary.granted, summary.paid) == (Decimal("36000.00"), Decimal("3499.00"))
    assert summary.paid_per_match == Decimal("437.38")


def test_the_summary_is_left_out_below_the_region(client, world, known_set, make_member):
    sign_in(client, make_member("programmamanager").user)
    whole = client.get(reverse("monitoring:dashboard"))
    assert whole.context["instrument_summary"] is not None
    narrowed = client.get(reverse("monitoring:dashboard") + "?target_group=50plus")
    assert narrowed.status_code == 200
    assert narrowed.context["instrument_summary"] is None
    assert narrowed.context["instruments"].rows  # per quarter for the region, as before


def test_the_regions_applications_give_what_the_named_hires_give(
    world, known_set, make_member, quarter
):
    """The dashboard reads the region's granted applications and keeps the hires its matches
    name, instead of sending thousands of hires to the database: the same uses and hires as
    asking by the hires themselves. A hire of another region is not read for this one."""
    km22 = make_member("klantmanager", "AM22")
    elsewhere = CandidateFactory(served_by=km22.organisation, region=world.am22)
    hire = outside(elsewhere, km22.organisation, quarter[0] + timedelta(days=3))
    _match(elsewhere, hire, quarter[0] + timedelta(days=3))
    _granted(km22, record(km22, hire, "LKV", category="oudere_werknemer"), "6000")
    # The quarter: the LKV granted on the match before it is the region's, but not named.
    f = Filters(*quarter, region_id=world.am18.pk)
    refs = list(dict.fromkeys(r for _on, r, _c in match_rows(f)))
    by_hire = instrument_use(refs)
    with CaptureQueriesContext(connection) as queries:
        spelled = [r.upper() if n % 2 else r.replace("-", "") for n, r in enumerate(refs)]
        by_region = instrument_use(spelled, region_id=world.am18.pk)
    assert by_region == by_hire and by_region[1] == 5
    assert not any(refs[0] in q["sql"] for q in queries)  # no hire sent
    # The other region's hire, named, counts when asked by hire, never for AM18's people.
    assert instrument_use([*refs, str(hire.uuid)])[1] == 6
    assert instrument_use([*refs, str(hire.uuid)], region_id=world.am18.pk)[1] == 5
