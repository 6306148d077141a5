"""Employer accounts: one owner as single point of contact, claims, hand-overs, contact
moments; the region sees who owns whom; employers see only themselves."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.organisations.models import EmployerAccount
from perspectief.organisations.services import employers

from ..conftest import sign_in


@pytest.fixture
def account(make_member, world):
    am = make_member("accountmanager")
    account = employers.employer_register(
        actor=actor_for(am),
        name="Distributiecentrum Noord",
        kvk_number="1234 5678",
        postcode=world.amsterdam.postcodes.first(),
        contact_name="Els Bos",
    )
    return am, account


@pytest.mark.django_db
def test_register_validates_kvk_and_refuses_a_known_employer(account, make_member, world):
    am, acc = account
    assert acc.kvk_number == "12345678" and acc.organisation.region == world.am18
    for bad in ("1234", "abcdefgh", "00000000"):
        with pytest.raises(ValidationError) as info:
            employers.employer_register(
                actor=actor_for(am),
                name="X",
                kvk_number=bad,
                postcode=world.amsterdam.postcodes.first(),
            )
        assert "kvk_number" in info.value.message_dict
    with pytest.raises(ValidationError, match=r"al bekend|already known"):
        employers.employer_register(
            actor=actor_for(am),
            name="Y",
            kvk_number="12345678",
            postcode=world.amsterdam.postcodes.first(),
        )
    assert EmployerAccount.objects.count() == 1


@pytest.mark.django_db
def test_one_owner_others_see_who_and_go_through_them(account, make_member, client):
    am, acc = account
    employers.employer_claim(actor=actor_for(am), account=acc)
    jobhunter = make_member("intermediair")
    with pytest.raises(ValidationError) as info:
        employers.employer_claim(actor=actor_for(jobhunter), account=acc)
    assert am.user.get_full_name() in " ".join(info.value.messages)
    sign_in(client, jobhunter.user)
    page = client.get(reverse("organisations:employer", args=[acc.uuid])).content.decode()
    assert escape(am.organisation.name) in page
    api = client.get(reverse("api:employer-detail", args=[acc.uuid])).json()
    assert api["owner"]["organisation"] == am.organisation.name


@pytest.mark.django_db
def test_handover_release_and_contact_moments_are_recorded(account, make_member):
    am, acc = account
    actor = actor_for(am)
    employers.employer_claim(actor=actor, account=acc)
    jobhunter = make_member("intermediair")
    employers.contact_record(actor=actor, account=acc, note="Gebeld over 3 lassers")
    employers.employer_handover(actor=actor, account=acc, to=jobhunter)
    acc.refresh_from_db()
    assert acc.owner == jobhunter
    with pytest.raises(ValidationError):
        employers.employer_release(actor=actor, account=acc)  # no longer the owner
    employers.employer_release(actor=actor_for(jobhunter), account=acc)
    kinds = list(acc.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["registered", "claimed", "contact", "handed_over", "released"]
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {
        "employer.registered",
        "employer.claimed",
        "employer.handed_over",
        "employer.released",
        "employer.contact_recorded",
    } <= events


@pytest.mark.django_db
def test_other_regions_and_other_employers_see_nothing(account, make_member, client):
    _am, acc = account
    elsewhere = make_member("accountmanager", "AM22")
    assert not EmployerAccount.objects.visible_to(actor_for(elsewhere)).exists()
    employer_user = make_member("werkgever")
    sign_in(client, employer_user.user)
    assert client.get(reverse("organisations:employer", args=[acc.uuid])).status_code == 404
    listing = client.get(reverse("api:employer-list")).json()
    assert listing["count"] == 0  # their own organisation has no account yet


@pytest.mark.django_db
def test_web_register_and_claim(make_member, world, client):
    am = make_member("accountmanager")
    sign_in(client, am.user)
    response = client.post(
        reverse("organisations:employer-create"),
        {"name": "Bouwbedrijf Test", "kvk_number": "87654321", "postcode": "1011 AB"},
    )
    assert response.status_code == 302
    acc = EmployerAccount.objects.get()
    client.post(reverse("organisations:employer-claim", args=[acc.uuid]))
    acc.refresh_from_db()
    assert acc.owner == am
    bad = client.post(
        reverse("organisations:employer-create"),
        {"name": "X", "kvk_number": "123", "postcode": "9999"},
    )
    assert bad.status_code == 200
    assert {"kvk_number", "postcode"} <= set(bad.context["form"].errors)
