"""The instruments catalogue for staff: the region's instruments in the version valid today,
the "not confirmed" status shown (never hidden), sources as links, and the history."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from perspectief.instruments.selectors.catalogue import formula_words
from perspectief.instruments.services import authoring as services
from perspectief.instruments.services.authoring import VariationInput

from .test_authoring import load_national, version_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(db):
    return load_national()


@pytest.fixture
def english(client_as):
    def make(role="klantmanager", region="AM18"):
        client, _membership = client_as(role, region)
        client.cookies.load({"django_language": "en"})
        return client

    return make


def test_the_list_shows_national_instruments_with_status_and_sources(english, national):
    page = english().get(reverse("instruments:catalogue")).content.decode()
    for name in ("Loonkostenvoordeel (LKV)", "No-riskpolis", "Proefplaatsing (UWV)"):
        assert name in page
    assert "not confirmed in a primary source" in page
    assert "controleer actuele bedragen" in page  # LKV's verify note
    assert '<a href="https://www.fermwerk.nl/' in page
    assert "Belastingdienst (via loonaangifte)" in page


def test_only_the_actors_region_instruments_are_listed(english, actor_as, national):
    rotterdam = actor_as("programmamanager", "AM22")
    other = services.instrument_create(actor=rotterdam, code="rpb", data=version_input())
    services.version_publish(actor=rotterdam, version=other)
    client = english()
    assert "AM22-RPB" not in client.get(reverse("instruments:catalogue")).content.decode()
    url = reverse("instruments:instrument", kwargs={"uuid": other.instrument.uuid})
    assert client.get(url).status_code == 404
    assert english("klantmanager", "AM22").get(url).status_code == 200


def test_the_detail_page_shows_the_version_in_words_and_its_history(english, actor_as, national):
    manager = actor_as("programmamanager")
    variation = services.variation_create(
        actor=manager,
        instrument=national,
        data=VariationInput(scope="GM0363", valid_from=datetime.date(2026, 1, 1), offered=False),
    )
    services.variation_publish(actor=manager, variation=variation)
    page = english().get(reverse("instruments:instrument", kwargs={"uuid": national.uuid}))
    text = page.content.decode()
    assert "56 or older at the start" in text  # a condition's own text
    assert "older employee" in text and "only the highest category" in text.lower()
    assert "the lowest of(hours per week × 52 × perHour (3,05), maxPerYear (6.000))" in text
    assert "months after the start of work" in text  # the doelgroepverklaring deadline
    assert "Wet tegemoetkomingen loondomein" in text
    assert "GM0363" in text and "not offered" in text
    assert manager.user.username in text  # who changed what
    assert "published (variation GM0363)" in text


def test_a_version_page_and_the_draft_only_for_its_region(english, actor_as):
    manager = actor_as("programmamanager")
    draft = services.instrument_create(actor=manager, code="dpb", data=version_input())
    url = reverse("instruments:version", kwargs={"uuid": draft.uuid})
    page = english("programmamanager").get(url).content.decode()
    assert "Publish" in page and "Edit the draft" in page
    page = english("klantmanager").get(url).content.decode()
    assert "Publish" not in page and "Contract van 6 maanden" in page


def test_the_employer_and_the_ministry_see_no_instruments_here(client_as):
    for role in ("werkgever", "analist_szw"):
        client, _m = client_as(role)
        assert client.get(reverse("instruments:catalogue")).status_code == 403


def test_the_navigation_offers_the_instruments_to_staff_who_see_them(english):
    page = english("jobcoach").get(reverse("home")).content.decode()
    assert reverse("instruments:catalogue") in page


def test_formula_words_name_facts_and_parameters():
    with translation.override("nl"):
        words = formula_words("min(job.hoursPerWeek * params.x, 10) / 2", {"x": 1.5})
    assert "uren per week" in words and "x (1,5)" in words and "÷" in words
    assert formula_words(36, {}) == "36"
