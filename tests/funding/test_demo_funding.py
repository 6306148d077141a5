"""The demo's funding: Groot Amsterdam's four pots with amounts and periods, paid route
steps and plan activities, built through the services; idempotent, never in production."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.demo.candidates import create_demo_candidates, link_demo_job_seekers
from perspectief.demo.catalogue import create_demo_offers
from perspectief.demo.funding import create_demo_funding
from perspectief.demo.monitoring import create_demo_plan
from perspectief.demo.placements import create_demo_placements
from perspectief.demo.population import create_demo_population
from perspectief.demo.routes import create_demo_routes
from perspectief.funding import selectors
from perspectief.funding.models import FundingPot
from perspectief.regions.models import Municipality
from perspectief.taxonomy.classifications import load_sectors

from ..factories import PostcodeFactory


@pytest.mark.django_db
def test_demo_funding(world, demo_geography):
    load_sectors()
    for number, municipality in enumerate(Municipality.objects.filter(postcodes=None)):
        PostcodeFactory(code=str(5000 + number), municipality=municipality)
    create_demo_population()
    create_demo_candidates(per_region=20)
    link_demo_job_seekers()
    create_demo_placements()
    create_demo_offers()
    create_demo_routes()
    create_demo_plan()
    assert create_demo_funding() == 4
    assert create_demo_funding() == 0
    pots = FundingPot.objects.filter(region__code="AM18")
    assert set(pots.values_list("kind", flat=True)) == {
        "pow",
        "reintegratie",
        "uwv_scholing",
        "mobiliteit",
    }
    assert all(p.amount_available and p.periods.exists() for p in pots)
    manager = actor_for(Membership.objects.get(user__username="pm.amsterdam"))
    rows = {
        r.pot.kind: r
        for _label, group in selectors.overview(manager, on=timezone.localdate())
        for r in group
    }
    assert rows["pow"].money.committed >= 750000  # two plan activities
    assert rows["reintegratie"].money.committed + rows["pow"].money.committed > 750000
    assert not any(r.money.over for r in rows.values())


@pytest.mark.django_db
def test_demo_funding_refuses_production_settings(settings, demo_geography):
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="productie-instellingen"):
        create_demo_funding()
