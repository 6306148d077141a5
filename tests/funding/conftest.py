from datetime import date
from decimal import Decimal

import pytest

from perspectief.catalogue.models import Offer
from perspectief.monitoring.models import ActionPlan, PlanActivity
from perspectief.organisations.models import Organisation
from perspectief.routes.models import Route, RouteStep

from ..factories import CandidateFactory, OrganisationFactory


def gemeente_of(municipality):
    return Organisation.objects.filter(kind="gemeente", municipality=municipality).first() or (
        OrganisationFactory(kind="gemeente", municipality=municipality, region=municipality.region)
    )


@pytest.fixture
def offer(world):
    school = OrganisationFactory(kind="school", municipality=world.amsterdam, region=world.am18)
    return Offer.objects.create(
        provider=school,
        region=world.am18,
        kind="mbo",
        title="Logistiek medewerker",
        funding="participatiewet",
        cost=Decimal("1800"),
        online=True,
    )


@pytest.fixture
def paying(world, offer):
    """``paying(pot, amount, status="planned", region=world.am18)`` → a route step of a
    person of the region that says ``pot`` pays ``amount``."""
    serial = iter(range(100))

    def make(pot, amount, *, status="planned", municipality=None):
        municipality = municipality or world.amsterdam
        gemeente = gemeente_of(municipality)
        person = CandidateFactory(
            served_by=gemeente, postcode=municipality.postcodes.first(), region=municipality.region
        )
        route = Route.objects.create(candidate=person, organisation=gemeente)
        n = next(serial)
        return RouteStep.objects.create(
            route=route,
            kind="mbo",
            title="Opleiding",
            owner=gemeente,
            offer=offer,
            planned_start=date(2027, 1, 4 + n % 20),
            planned_end=date(2027, 3, 1),
            status=status,
            funding_pot=pot,
            funding_amount=Decimal(amount),
        )

    return make


@pytest.fixture
def plan(world):
    lead = gemeente_of(world.amsterdam)
    return ActionPlan.objects.create(
        region=world.am18,
        title="Doe-agenda",
        period_start=date(2026, 1, 1),
        period_end=date(2027, 12, 31),
        lead=lead,
        employer_lead="Werkgevers",
        ambition=100,
        budget=Decimal("1000000"),
    )


@pytest.fixture
def activity(plan):
    """``activity(pot, amount, status="running")`` → an activity of the plan paid by pot."""

    def make(pot, amount, *, status="running"):
        return PlanActivity.objects.create(
            plan=plan,
            name=f"Activiteit {PlanActivity.objects.count() + 1}",
            kind="scholing",
            owner=plan.lead,
            status=status,
            budget=Decimal(amount),
            funding_pot=pot,
            funding_amount=Decimal(amount),
        )

    return make
