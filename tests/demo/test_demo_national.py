"""``perspectief demo --scale national`` (#20, item 2) at a test's size: people over all 35
regions with valid, encrypted BSNs, places, two years of history; the demo accounts still
sign in and km.amsterdam's person list and a person's page open on it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Max, Min
from django.urls import reverse

from perspectief.accounts.models import User
from perspectief.audit.models import AuditEvent
from perspectief.candidates.models import Candidate, Consent, JourneyTransition
from perspectief.core import bsn as bsn_lib
from perspectief.demo.national import apportion, create_national_population
from perspectief.demo.national_work import national_mark
from perspectief.demo.population import (
    ACCOUNTS,
    ORGANISATIONS,
    create_demo_population,
    demo_password,
)
from perspectief.matching.models import Proposal
from perspectief.organisations.models import Organisation
from perspectief.regions.models import Municipality, Region
from perspectief.routes.models import SupportPlan
from perspectief.taxonomy.classifications import load_sectors
from perspectief.vacancies.models import Vacancy

from ..conftest import DEMO_REGION_NAMES, sign_in
from ..factories import MunicipalityFactory, PostcodeFactory, RegionFactory

TODAY = date(2026, 12, 7)
PEOPLE, PLACES = 1500, 150


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker):
    """35 regions (one or two municipalities each), the demo population, and a national
    population of 1,500 people and 150 places — made once for the module inside a
    transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo = {spec.municipality: spec.region for spec in ORGANISATIONS if spec.municipality}
        demo["GM0014"] = "AM01"
        for number in range(1, 36):
            code = f"AM{number:02d}"
            region = RegionFactory(code=code, name=DEMO_REGION_NAMES.get(code, f"Regio {code}"))
            MunicipalityFactory(code=f"GM9{number:03d}", region=region)
        for gm, am in demo.items():
            MunicipalityFactory(code=gm, region=Region.objects.get(code=am))
        for number, municipality in enumerate(Municipality.objects.order_by("code")):
            for i in range(2):
                PostcodeFactory(code=str(1000 + 2 * number + i), municipality=municipality)
        load_sectors()
        create_demo_population()
        yield create_national_population(people=PEOPLE, places=PLACES, today=TODAY)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_people_places_and_history_over_all_35_regions(national):
    assert national["people"] == PEOPLE
    assert Candidate.objects.count() >= PEOPLE
    assert Candidate.objects.values("region").distinct().count() == 35
    national_places = Vacancy.objects.filter(employer__organisation__name__endswith=national_mark())
    assert national_places.count() == PLACES == national["places"]
    assert national_places.filter(status="open").exists()
    # Two years of history: journeys dated over them, hires through proposals with a plan.
    span = JourneyTransition.objects.aggregate(first=Min("occurred_on"), last=Max("occurred_on"))
    assert span["last"] <= TODAY
    assert span["last"] - span["first"] > timedelta(days=365)
    assert Proposal.objects.filter(status="hired").count() == national["proposals"] > 100
    assert SupportPlan.objects.count() == national["support_plans"] > national["proposals"]
    assert (
        Consent.objects.filter(scope="regional_profile").count()
        == national["consents"] - (national["proposals"])
    )
    assert AuditEvent.objects.filter(event="demo.national_created").count() == 35
    # Resumable: a second run finds every region made.
    assert create_national_population(people=PEOPLE, places=PLACES, today=TODAY) == {}


@pytest.mark.django_db
def test_every_bsn_is_valid_decryptable_and_unique(national):
    with_bsn = Candidate.objects.exclude(bsn_index=None)
    assert with_bsn.count() > PEOPLE * 0.8
    seen = set()
    for encrypted, index, label in with_bsn.values_list("bsn_encrypted", "bsn_index", "label"):
        bsn = bsn_lib.decrypt(encrypted)
        assert bsn_lib.is_valid(bsn)
        assert bsn_lib.blind_index(bsn) == index
        assert label.startswith("K-")
        seen.add(bsn)
    assert len(seen) == with_bsn.count()


@pytest.mark.django_db
def test_demo_accounts_sign_in_and_pages_open_for_km_amsterdam(national, client):
    password = demo_password()
    for spec in ACCOUNTS:
        assert User.objects.get(username=spec.username).check_password(password)
    km = User.objects.get(username="km.amsterdam")
    assert client.login(username="km.amsterdam", password=password)
    sign_in(client, km)
    gemeente = Organisation.objects.get(name="Gemeente Amsterdam")
    person = Candidate.objects.filter(servings__organisation=gemeente).order_by("pk").last()
    assert person is not None and person.klantmanager == km
    listed = client.get(reverse("candidates:list"))
    assert listed.status_code == 200
    page = client.get(reverse("candidates:detail", args=[person.uuid]))
    assert page.status_code == 200
    assert person.last_name in page.content.decode()


def test_shares_add_up_in_proportion():
    parts = apportion(1000, {1: 1, 2: 2, 3: 7})
    assert parts == {1: 100, 2: 200, 3: 700}
    assert sum(apportion(1001, {1: 1, 2: 1, 3: 1}).values()) == 1001


@pytest.mark.django_db
def test_national_scale_on_sqlite_refused_in_dutch_and_english():
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL takes the national scale")
    with pytest.raises(CommandError) as refused:
        call_command("demo", "--no-serve", "--scale", "national", "--people", "1000000")
    message = str(refused.value)
    assert "vraagt PostgreSQL" in message and "needs PostgreSQL" in message
