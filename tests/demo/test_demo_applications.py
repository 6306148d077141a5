"""The demo's instrument applications: several statuses with payments and open deadlines,
and an LKV target group statement due within weeks in the WSP account manager's inbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.demo.applications import create_demo_applications
from perspectief.demo.candidates import create_demo_candidates, link_demo_job_seekers
from perspectief.demo.catalogue import create_demo_offers
from perspectief.demo.placements import create_demo_placements
from perspectief.demo.population import create_demo_population
from perspectief.demo.routes import create_demo_routes
from perspectief.instruments.inbox import deadlines
from perspectief.instruments.models import Application, Deadline, Payment
from tests.instruments.applications_world import load_shipped


@pytest.mark.django_db
def test_demo_applications_reach_the_account_managers_inbox_idempotent(world, demo_geography):
    load_shipped()
    create_demo_population()
    create_demo_candidates(per_region=40)
    link_demo_job_seekers()
    create_demo_placements()
    create_demo_offers()
    create_demo_routes()
    assert create_demo_applications() == 5
    assert create_demo_applications() == 0
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert statuses == ["aangevraagd", "aangevraagd", "lopend", "lopend", "toegekend"]
    assert Payment.objects.count() == 8
    assert Deadline.objects.filter(done_on__isnull=True).exists()
    am = actor_for(Membership.objects.get(user__username="am.amsterdam"))
    (item,) = deadlines(am)
    today = timezone.localdate()
    assert today < item.due <= today + timedelta(days=30)
    lkv = Application.objects.get(responsible__user__username="am.amsterdam")
    assert lkv.version.instrument.code == "LKV" and lkv.category == "oudere_werknemer"
