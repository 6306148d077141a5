"""The public form of the Werkgeversservicepunt: a request lands in the region's queue with
a first-contact deadline, goes to the account owner of a known employer, and is protected
against bots and floods."""

import datetime
import re

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.forms.requests import SALT
from perspectief.vacancies.models import EmployerRequest
from perspectief.vacancies.selectors.requests import queue_for
from perspectief.vacancies.services import requests as wsp

from ..conftest import sign_in
from ..factories import OrganisationFactory


def _form(**extra):
    return {
        "company_name": "Lasbedrijf De Vonk",
        "contact_name": "Marja Smit",
        "email": "marja@example.invalid",
        "postcode": "1011 AB",
        "message": "Wij zoeken 3 lassers",
        "website": "",
        "shown": signing.TimestampSigner(salt=SALT).sign("form"),
        **extra,
    }


@pytest.mark.django_db
def test_request_lands_in_the_regions_queue_and_is_taken(client, make_member, world):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)):
        data = _form()  # a Friday
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 1, tzinfo=datetime.UTC)):
        response = client.post(reverse("wsp-request"), data)
    assert response.status_code == 200
    item = EmployerRequest.objects.get()
    assert item.region == world.am18
    assert item.due_at.date() == datetime.date(2026, 11, 24)  # two working days: Tue
    am = make_member("accountmanager")
    sign_in(client, am.user)
    queue = client.get(reverse("vacancies:requests")).context["requests"]
    assert list(queue) == [item]
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)):
        assert item.overdue  # no first contact by Tuesday
    client.post(reverse("vacancies:request-action", args=[item.uuid]), {"action": "take"})
    client.post(reverse("vacancies:request-action", args=[item.uuid]), {"action": "contacted"})
    item.refresh_from_db()
    assert item.assigned_to == am and item.first_contact_at and not item.overdue
    other_region = make_member("accountmanager", "AM22")
    assert not queue_for(actor_for(other_region)).exists()


@pytest.mark.django_db
def test_a_known_employer_goes_to_its_account_owner(client, make_member, world):
    owner = make_member("accountmanager")
    EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        kvk_number="12345678",
        owner=owner,
    )
    with time_machine.travel(datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)):
        data = _form(kvk_number="12345678")
    client.post(reverse("wsp-request"), data)
    assert EmployerRequest.objects.get().assigned_to == owner


@pytest.mark.django_db
def test_bots_too_fast_forms_and_floods_store_nothing(client, world):
    old = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)
    with time_machine.travel(old):
        bot = _form(website="http://spam.example")
    assert client.post(reverse("wsp-request"), bot).status_code == 200  # answered alike
    fast = client.post(reverse("wsp-request"), _form())  # sent the moment it was shown
    assert fast.status_code == 200 and fast.context["form"].errors
    assert not EmployerRequest.objects.exists()
    with time_machine.travel(old):
        good = _form()
    for _ in range(wsp.FLOOD_LIMIT - 2):
        client.post(reverse("wsp-request"), good)
    assert EmployerRequest.objects.count() == wsp.FLOOD_LIMIT - 2
    flood = client.post(reverse("wsp-request"), good)
    assert flood.status_code == 429
    assert EmployerRequest.objects.count() == wsp.FLOOD_LIMIT - 2


@pytest.mark.django_db
def test_bad_input_is_named(client, world):
    with time_machine.travel(datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)):
        data = _form(kvk_number="12", postcode="9999", email="geen-adres")
    response = client.post(reverse("wsp-request"), data)
    assert {"kvk_number", "postcode", "email"} <= set(response.context["form"].errors)
    assert not EmployerRequest.objects.exists()


@pytest.mark.django_db
def test_a_form_sent_too_fast_or_too_late_says_why_and_keeps_what_was_typed(client, world):
    """The timing check was attached to a hidden field: the form came back without a word.
    Now the page says the request was not sent and why, with every typed value still there."""
    fast = client.post(reverse("wsp-request"), _form())  # sent the moment it was shown
    page = fast.content.decode()
    assert "niet verstuurd" in page and "binnen enkele seconden" in page
    assert 'value="Lasbedrijf De Vonk"' in page and "Wij zoeken 3 lassers" in page
    assert not EmployerRequest.objects.exists()
    with time_machine.travel(datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=2)):
        stale = _form()
    late = client.post(reverse("wsp-request"), stale)
    page = late.content.decode()
    assert "niet verstuurd" in page and "verlopen" in page
    assert 'value="marja@example.invalid"' in page
    tampered = client.post(reverse("wsp-request"), _form(shown="made-up"))
    assert "niet verstuurd" in tampered.content.decode()
    missing = {k: v for k, v in _form().items() if k != "shown"}
    assert "niet verstuurd" in client.post(reverse("wsp-request"), missing).content.decode()
    assert not EmployerRequest.objects.exists()


@pytest.mark.django_db
def test_the_public_form_names_the_purpose_of_each_personal_field(client, world):
    """WCAG 1.3.5: a browser or assistive tool can fill in the employer's own details."""
    html = client.get(reverse("wsp-request")).content.decode()
    for name, purpose in [
        ("company_name", "organization"),
        ("contact_name", "name"),
        ("email", "email"),
        ("phone", "tel"),
        ("postcode", "postal-code"),
    ]:
        tag = re.search(rf'<input [^>]*name="{name}"[^>]*>', html)
        assert tag, name
        assert f'autocomplete="{purpose}"' in tag[0], tag[0]
