"""The demo population: one account per role, several regions, idempotent."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from perspectief.accounts.constants import Role
from perspectief.accounts.models import Membership, User
from perspectief.audit.models import AuditEvent
from perspectief.demo.population import create_demo_population
from perspectief.organisations.models import Organisation


def test_list_accounts_json_covers_every_role_in_several_regions():
    out = StringIO()
    call_command("demo", "--list-accounts", "--json", stdout=out)
    accounts = json.loads(out.getvalue())
    assert {a["role"] for a in accounts} == set(Role.values)
    assert {"username", "password", "role", "organisation", "region"} <= set(accounts[0])
    assert len({a["region"] for a in accounts if a["region"]}) >= 3
    for role in (Role.KLANTMANAGER, Role.FUNCTIONAL_ADMIN, Role.PROGRAMME_MANAGER):
        assert len({a["region"] for a in accounts if a["role"] == role}) >= 2, role


@pytest.mark.django_db
def test_demo_population_is_idempotent(demo_geography):
    first = create_demo_population()
    assert first["users"] > 0
    snapshot = (
        list(User.objects.order_by("pk").values_list("username", "password", "email")),
        Membership.objects.count(),
        Organisation.objects.count(),
        AuditEvent.objects.count(),
    )
    second = create_demo_population()
    assert set(second.values()) == {0}
    again = (
        list(User.objects.order_by("pk").values_list("username", "password", "email")),
        Membership.objects.count(),
        Organisation.objects.count(),
        AuditEvent.objects.count(),
    )
    assert again == snapshot


@pytest.mark.django_db
def test_every_demo_membership_is_valid_for_its_organisation(demo_geography):
    create_demo_population()
    for membership in Membership.objects.select_related("organisation"):
        membership.full_clean()


@pytest.mark.django_db
def test_demo_job_seekers_in_every_region_idempotent(world, demo_geography):
    from perspectief.candidates.models import Candidate
    from perspectief.demo.candidates import create_demo_candidates

    create_demo_population()
    first = create_demo_candidates(per_region=10)
    assert first > 0
    regions = set(Candidate.objects.values_list("region__code", flat=True))
    assert {"AM18", "AM22"} <= regions
    assert Candidate.objects.exclude(bsn_index=None).exists()
    assert Candidate.objects.filter(consents__approved_at__isnull=False).exists()
    count = Candidate.objects.count()
    assert create_demo_candidates(per_region=10) == 0
    assert Candidate.objects.count() == count
