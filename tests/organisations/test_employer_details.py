"""Keeping an employer up to date (issue #16 item 5): its name, KvK number, sector, size and
address by the region's WSP; its locations and contact persons also by its own users;
bad input named per field with nothing saved; every change audited; its places on its
page (a panel that vacancies adds)."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.organisations.models import EmployerAccount, EmployerContact, EmployerLocation
from perspectief.organisations.selectors.employers import core_name, duplicates
from perspectief.organisations.services import employers
from perspectief.taxonomy.models import Sector
from perspectief.vacancies.models import Vacancy

from ..conftest import sign_in
from ..factories import OrganisationFactory, PostcodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(make_member, world):
    am = make_member("accountmanager")
    return employers.employer_register(
        actor=actor_for(am),
        name="Distributiecentrum Noord",
        kvk_number="12345678",
        postcode=world.amsterdam.postcodes.first(),
        address="Havenweg 1, Amsterdam",
        contact_name="Els Bos",
        contact_email="els@dc-noord.example",
    )


def _edit(**extra):
    return {
        "name": "DC Noord",
        "kvk_number": "8765 4321",
        "sector": "",
        "size": "50-249",
        "address": "Kade 5, Amsterdam",
        "postcode": "1012 AB",
        **extra,
    }


def test_the_wsp_of_the_region_edits_the_employer(client, make_member, world, account):
    second = PostcodeFactory(code="1012", municipality=world.amsterdam)
    sector = Sector.objects.create(code="H", name="Vervoer", division_from="49", division_to="53")
    assert account.postcode.code == "1011" and account.address == "Havenweg 1, Amsterdam"
    jobhunter = make_member("intermediair")  # not the owner; the region's WSP
    sign_in(client, jobhunter.user)
    url = reverse("organisations:employer-edit", args=[account.uuid])
    assert client.get(url).context["form"]["name"].value() == "Distributiecentrum Noord"
    response = client.post(url, _edit(sector=sector.pk))
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.organisation.name == "DC Noord"
    assert (account.kvk_number, account.sector, account.size) == ("87654321", sector, "50-249")
    assert (account.address, account.postcode) == ("Kade 5, Amsterdam", second)
    event = AuditEvent.objects.get(event="employer.updated")
    assert event.changes["name"] == ["Distributiecentrum Noord", "DC Noord"]
    assert event.changes["kvk_number"] == ["12345678", "87654321"]
    assert event.actor_user == jobhunter.user


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kvk_number": "1234567"}, "kvk_number"),
        ({"kvk_number": "1234567a"}, "kvk_number"),
        ({"kvk_number": "11112222"}, "kvk_number"),  # another employer's
        ({"name": ""}, "name"),
        ({"postcode": "AB 1234"}, "postcode"),
        ({"postcode": "9999"}, "postcode"),
        ({"postcode": "3011"}, "postcode"),  # another region
        ({"size": "huge"}, "size"),
    ],
)
def test_bad_input_is_named_and_nothing_changes(
    client, make_member, world, account, changes, field
):
    EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        kvk_number="11112222",
    )
    PostcodeFactory(code="1012", municipality=world.amsterdam)
    sign_in(client, make_member("accountmanager").user)
    response = client.post(
        reverse("organisations:employer-edit", args=[account.uuid]), _edit(**changes)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    account.refresh_from_db()
    assert (account.organisation.name, account.kvk_number) == (
        "Distributiecentrum Noord",
        "12345678",
    )
    assert not AuditEvent.objects.filter(event="employer.updated").exists()


def test_locations_are_added_changed_and_removed(client, make_member, world, account):
    sign_in(client, make_member("accountmanager").user)
    response = client.post(
        reverse("organisations:employer-location-new", args=[account.uuid]),
        {"name": "Magazijn West", "address": "Westpoort 3", "postcode": "1011AB"},
    )
    assert response.status_code == 302
    location = account.locations.get(name="Magazijn West")
    assert (location.address, location.postcode.code) == ("Westpoort 3", "1011")
    # A branch may lie outside the region.
    edit = reverse("organisations:employer-location", args=[account.uuid, location.pk])
    assert client.post(edit, {"name": "Magazijn Zuid", "postcode": "3011"}).status_code == 302
    location.refresh_from_db()
    assert (location.name, location.postcode.code) == ("Magazijn Zuid", "3011")
    refused = client.post(edit, {"name": "X", "postcode": "12"})
    assert refused.status_code == 200 and "postcode" in refused.context["form"].errors
    remove = reverse("organisations:employer-location-remove", args=[account.uuid, location.pk])
    assert client.post(remove).status_code == 302
    assert not EmployerLocation.objects.filter(pk=location.pk).exists()
    events = list(
        AuditEvent.objects.filter(event__startswith="employer.location").values_list(
            "event", flat=True
        )
    )
    assert sorted(events) == [
        "employer.location_added",
        "employer.location_changed",
        "employer.location_removed",
    ]


def test_contact_persons_are_checked_and_their_details_stay_out_of_the_audit(
    client, make_member, account
):
    sign_in(client, make_member("accountmanager").user)
    new = reverse("organisations:employer-person-new", args=[account.uuid])
    for bad, field in (
        ({"name": "", "email": "a@b.nl"}, "name"),
        ({"name": "Ali", "email": "geen-adres"}, "email"),
        ({"name": "Ali", "email": "a@" + "b" * 260 + ".nl"}, "email"),
        ({"name": "Ali", "phone": "bel maar"}, "phone"),
    ):
        response = client.post(new, bad)
        assert response.status_code == 200 and field in response.context["form"].errors, bad
    assert account.contacts.count() == 1
    data = {"name": "Ali Yilmaz", "function": "HR", "email": "ali@dc.example", "phone": "+31 6 1"}
    assert client.post(new, {**data, "phone": "+31 6 12345678"}).status_code == 302
    contact = account.contacts.get(name="Ali Yilmaz")
    assert (contact.function, contact.email, contact.phone) == (
        "HR",
        "ali@dc.example",
        "+31 6 12345678",
    )
    edit = reverse("organisations:employer-person", args=[account.uuid, contact.pk])
    assert client.post(edit, {"name": "Ali Yilmaz", "function": "P&O"}).status_code == 302
    contact.refresh_from_db()
    assert (contact.function, contact.email) == ("P&O", "")
    remove = reverse("organisations:employer-person-remove", args=[account.uuid, contact.pk])
    assert client.post(remove).status_code == 302
    assert not EmployerContact.objects.filter(pk=contact.pk).exists()
    events = AuditEvent.objects.filter(event__startswith="employer.contact_")
    assert events.count() == 3
    assert "Ali" not in str(list(events.values_list("changes", flat=True)))
    assert "ali@dc.example" not in str(list(events.values_list("changes", flat=True)))


def test_who_may_edit_what(client, make_member, world, account):
    """The WSP of the region edits everything; the employer's own users their locations and
    contact persons; other roles and regions, and other employers, nothing."""
    location = account.locations.get()
    own = make_member("werkgever")
    own.organisation = account.organisation
    own.save()
    urls = {
        "edit": reverse("organisations:employer-edit", args=[account.uuid]),
        "location": reverse("organisations:employer-location", args=[account.uuid, location.pk]),
        "person": reverse("organisations:employer-person-new", args=[account.uuid]),
    }
    expected = {
        ("accountmanager", "AM18"): {"edit": 200, "location": 200, "person": 200},
        ("intermediair", "AM18"): {"edit": 200, "location": 200, "person": 200},
        ("klantmanager", "AM18"): {"edit": 403, "location": 403, "person": 403},
        ("programmamanager", "AM18"): {"edit": 403, "location": 403, "person": 403},
        ("accountmanager", "AM22"): {"edit": 404, "location": 404, "person": 404},
        ("werkgever", "AM18"): {"edit": 403, "location": 404, "person": 404},  # another one
        ("jobcoach", "AM18"): {"edit": 403, "location": 403, "person": 403},
    }
    for key, answers in expected.items():
        sign_in(client, make_member(*key).user)
        for name, status in answers.items():
            assert client.get(urls[name]).status_code == status, (key, name)
    sign_in(client, own.user)
    assert client.get(urls["edit"]).status_code == 403
    assert client.post(urls["edit"], _edit()).status_code == 403
    assert client.get(urls["location"]).status_code == 200
    response = client.post(urls["person"], {"name": "Eigen Contact", "email": "e@dc.example"})
    assert response.status_code == 302
    assert account.contacts.filter(name="Eigen Contact").exists()
    page = client.get(reverse("organisations:employer", args=[account.uuid])).content.decode()
    assert urls["edit"] not in page and urls["location"] in page
    account.refresh_from_db()
    assert account.organisation.name == "Distributiecentrum Noord"


def test_the_employer_page_shows_its_places_to_who_sees_them(client, make_member, world, account):
    Vacancy.objects.create(
        employer=account,
        title="Orderpicker nachtdienst",
        place_type="job",
        hours_per_week=32,
        contract="vast",
        postcode=world.amsterdam.postcodes.first(),
        places=3,
    )
    page_url = reverse("organisations:employer", args=[account.uuid])
    for role in ("accountmanager", "klantmanager", "programmamanager"):
        sign_in(client, make_member(role).user)
        page = client.get(page_url).content.decode()
        assert "Orderpicker nachtdienst" in page, role
        # Only those who handle requests see the employer's requests.
        assert ('id="employer-requests"' in page) == (role == "accountmanager"), role
    own = make_member("werkgever")
    own.organisation = account.organisation
    own.save()
    sign_in(client, own.user)
    page = client.get(page_url).content.decode()
    assert "Orderpicker nachtdienst" in page and 'id="employer-requests"' not in page
    assert escape("Havenweg 1, Amsterdam") in page


def test_duplicates_compare_kvk_and_names_without_legal_form(make_member, world, account):
    am = actor_for(make_member("accountmanager"))
    assert core_name("Distributiecentrum Noord B.V.") == "Distributiecentrum Noord"
    assert core_name(" Bakkerij  Jansen, vof ") == "Bakkerij Jansen"
    assert duplicates(am, name="distributiecentrum noord bv") == [account]
    assert duplicates(am, name="Andere Naam", kvk_number="12345678") == [account]
    assert duplicates(am, name="Distributiecentrum") == []
    assert duplicates(actor_for(make_member("accountmanager", "AM22")), kvk_number="12345678") == []
