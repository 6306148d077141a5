"""Indicators counted from the platform's own records (issue #7): every number is a
count of the records behind it; the Werkgeversservicepunt, the labour-market picture and
matches per sector, occupation and activity."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from perspectief.catalogue.models import Offer
from perspectief.core import disclosure
from perspectief.matching.models import Proposal
from perspectief.monitoring.selectors import indicators
from perspectief.monitoring.selectors.market import labour_market
from perspectief.monitoring.selectors.progress import progress as plan_progress
from perspectief.monitoring.selectors.wsp import wsp
from perspectief.monitoring.services.activities import ActivityInput, activity_save
from perspectief.monitoring.services.plans import plan_save
from perspectief.routes.models import Route, RouteStep
from perspectief.taxonomy.models import Sector
from perspectief.vacancies.models import IntakePhase, OutsideFill, Vacancy

from ..conftest import sign_in
from ..factories import CandidateFactory, OrganisationFactory
from .helpers import last_quarter, plan_input, transition


@pytest.mark.django_db
def test_every_number_is_a_count_of_the_records_behind_it(world, manager, gemeente):
    people = [CandidateFactory(served_by=gemeente) for _ in range(8)]
    for person in people[:6]:
        transition(person, "geplaatst", date(2026, 3, 10))
    transition(people[6], "geplaatst", date(2025, 6, 1))  # before the period
    transition(people[7], "in_beeld", date(2026, 2, 1))
    transition(people[7], "uitgevallen", date(2026, 4, 1))
    f = indicators.Filters(date(2026, 1, 1), date(2026, 12, 31), region_id=world.am18.pk)
    counts = indicators.counts(f)
    assert (counts["matches"], counts["in_view"], counts["dropped_out"]) == (6, 1, 1)
    assert counts["matches"] == indicators.transitions(f, "matches").count()
    assert dict((m.month, n) for m, n in indicators.by_month(f))[3] == 6
    # Another region counts nothing of these.
    assert (
        indicators.counts(indicators.Filters(f.start, f.end, region_id=world.am22.pk))["matches"]
        == 0
    )
    # The plan: baseline counted from the year before (1), additional against the ambition.
    plan = plan_save(
        actor=manager, data=plan_input(gemeente, ambition=10, period_end=date(2026, 12, 31))
    )
    progress = plan_progress(plan, today=date(2026, 12, 31))
    assert (progress.matches, progress.baseline_per_year, progress.baseline_counted) == (6, 1, True)
    # A whole plan year gone: its whole baseline and ambition, in whole matches.
    assert (progress.expected_baseline, progress.additional) == (1, 5)
    assert (progress.ambition_to_date, progress.ambition_total) == (10, 10)


def test_small_cells_are_suppressed_and_cannot_be_worked_out():
    rows = {
        "AM01": {"matches": 3, "durable": 0},
        "AM02": {"matches": 7, "durable": 0},
        "AM03": {"matches": 12, "durable": 0},
    }
    shown, totals = disclosure.suppress_columns(rows, ["matches", "durable"])
    assert shown["AM01"]["matches"] is None  # primary
    assert shown["AM02"]["matches"] is None  # secondary: the total would give AM01 away
    assert shown["AM03"]["matches"] == 12 and totals["matches"] == 22
    assert [shown[r]["durable"] for r in rows] == [0, 0, 0] and totals["durable"] == 0
    # No other cell to hide: the total goes instead.
    shown, totals = disclosure.suppress_columns({"A": {"m": 2}, "B": {"m": 0}}, ["m"])
    assert (shown["A"]["m"], totals["m"]) == (None, None)


@pytest.mark.django_db
def test_the_bulk_fill_rate_as_it_stood_at_the_end_of_the_period(client, world, place, make_member):
    """The fill of the region's bulk requests at a period's end, from the records: hires by
    their start of work and, shown apart with their reasons, places filled outside."""
    _year, _quarter, day, first, last = last_quarter()

    def at(on):
        return timezone.make_aware(datetime.combine(on, time(12)))

    Vacancy.objects.filter(pk=place.pk).update(places=10, created_at=at(first))
    IntakePhase.objects.create(vacancy=place, starts_on=day, places=10)
    for start in (day, day, last + timedelta(days=1)):  # two started in the quarter
        Proposal.objects.create(
            vacancy=place,
            candidate=CandidateFactory(),
            proposed_for=place.employer.organisation,
            status="hired",
            start_date=start,
            outcome_at=timezone.now(),
        )
    OutsideFill.objects.create(vacancy=place, places=1, filled_on=day, reason="werkgever")
    OutsideFill.objects.create(
        vacancy=place, places=2, filled_on=last + timedelta(days=1), reason="uitzendbureau"
    )
    quarter = wsp(world.am18.pk, first, last)
    assert (
        quarter["bulk_filled"],
        quarter["bulk_via_platform"],
        quarter["bulk_outside"],
        quarter["bulk_places"],
        quarter["bulk_fill_rate"],
    ) == (3, 2, 1, 10, 30)
    assert [(str(label), n) for label, n in quarter["bulk_outside_reasons"]] == [
        ("de werkgever wierf de persoon zelf", 1)
    ]
    today = wsp(world.am18.pk, first, date.today())
    assert (today["bulk_via_platform"], today["bulk_outside"], today["bulk_fill_rate"]) == (
        3,
        3,
        60,
    )
    # The dashboard shows them apart, with the reasons.
    sign_in(client, make_member("programmamanager").user)
    page = client.get(
        reverse("monitoring:dashboard"), {"start": str(first), "end": str(date.today())}
    ).content.decode()
    assert "6 van 10 plekken vervuld (60%): 3 via het platform, 3 buiten het platform" in page
    assert "via een uitzendbureau of andere bemiddelaar: 2" in page
    # A bulk request made after the quarter is not in it.
    Vacancy.objects.filter(pk=place.pk).update(created_at=at(last + timedelta(days=1)))
    assert wsp(world.am18.pk, first, last)["bulk_places"] == 0


@pytest.mark.django_db
def test_the_labour_market_picture(client, world, make_member, place, esco):
    occupation, _skills = esco
    person = CandidateFactory(
        served_by=make_member("klantmanager").organisation,
        status="werkfit",
        availability_confirmed_at=timezone.now(),
    )
    person.occupations.add(occupation)
    picture = labour_market(world.am18.pk)
    row = next(r for r in picture["occupations"] if r["uri"] == occupation.uri)
    # One person, hidden; and with 2 places "tight" would say fewer than 2: not told either.
    assert (row["places"], row["people"], row["tight"], row["ratio"]) == (2, None, None, None)
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    body = client.get(reverse("monitoring:market")).content.decode()
    assert "testberoep" in body and ">x</abbr>" in body and "badge--alert" not in body
    for _i in range(5):
        other = CandidateFactory(
            served_by=person.servings.first().organisation,
            status="werkfit",
            availability_confirmed_at=timezone.now(),
        )
        other.occupations.add(occupation)
    row = next(r for r in labour_market(world.am18.pk)["occupations"] if r["uri"] == occupation.uri)
    assert (row["places"], row["people"], row["tight"], row["ratio"]) == (2, 6, False, 0.3)


@pytest.mark.django_db
def test_matches_by_sector_occupation_and_activity(world, manager, gemeente, place, esco):
    transport = Sector.objects.create(
        code="H", name="Vervoer en opslag", division_from="49", division_to="53"
    )
    place.employer.sector = transport
    place.employer.save()
    hired, other = (CandidateFactory(served_by=gemeente) for _ in range(2))
    proposal = Proposal.objects.create(
        vacancy=place, candidate=hired, proposed_for=gemeente, status="hired"
    )
    transition(hired, "geplaatst", date.today(), cause="hire", reference=str(proposal.uuid))
    transition(other, "geplaatst", date.today())
    transition(CandidateFactory(served_by=gemeente), "geplaatst", date.today())
    year = indicators.Filters(date.today().replace(month=1, day=1), date.today(), world.am18.pk)
    assert indicators.counts(year)["matches"] == 3
    # Per sector and occupation of the place hired into, without overlap: the placement set
    # by hand has none.
    sectors = indicators.by_dimension(year, "sector")
    assert {v: (label, n["matches"]) for v, (label, n) in sectors.items()} == {
        "H": ("Vervoer en opslag", 1),
        None: ("onbekend", 2),
    }
    occupations = indicators.by_dimension(year, "occupation")
    assert {v: n["matches"] for v, (_label, n) in occupations.items()} == {esco[0].pk: 1, None: 2}
    year.sector = "H"
    assert indicators.counts(year)["matches"] == sectors["H"][1]["matches"]
    year.sector, year.occupation_id = "", esco[0].pk
    assert indicators.counts(year)["matches"] == occupations[esco[0].pk][1]["matches"]
    # An activity counts the people whose route used its services.
    school = OrganisationFactory(kind="school", municipality=world.amsterdam)
    offer = Offer.objects.create(
        provider=school, region=world.am18, kind="nt2", title="NT2", funding="regio", online=True
    )
    plan = plan_save(actor=manager, data=plan_input(gemeente))
    activity = activity_save(
        actor=manager,
        plan=plan,
        data=ActivityInput("Taal", "statushouders", school, Decimal("1000"), offers=[offer]),
    )
    route = Route.objects.create(candidate=other, organisation=gemeente)
    RouteStep.objects.create(
        route=route,
        kind="nt2",
        title="NT2",
        owner=school,
        offer=offer,
        planned_start=date(2026, 1, 5),
        planned_end=date(2026, 3, 1),
    )
    year.occupation_id, year.activity = None, activity
    assert indicators.counts(year)["matches"] == 1
