"""An employer's request becomes an employer account and a draft place in one step (issue
#16 item 5): prefilled from the request, a known employer of the region offered instead of
a duplicate, all in one transaction (a failure half-way leaves nothing), audited; the
request stays open until the first contact."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.organisations.models import (
    EmployerAccount,
    EmployerContact,
    EmployerLocation,
    Organisation,
)
from perspectief.organisations.services import employers
from perspectief.taxonomy.models import Sector
from perspectief.vacancies.forms.conversion import NEW, title_from
from perspectief.vacancies.models import Vacancy
from perspectief.vacancies.services import conversion

from ..conftest import sign_in
from ..factories import OrganisationFactory
from .wsp_helpers import file_request

pytestmark = pytest.mark.django_db


def _form(**extra):
    return {
        "employer": NEW,
        "name": "Bakkerij Jansen",
        "kvk_number": "8765 4321",
        "postcode": "1011 AB",
        "address": "Damstraat 1, Amsterdam",
        "sector": "",
        "size": "10-49",
        "contact_name": "Marja Smit",
        "contact_email": "marja@bakkerij-jansen.example",
        "contact_phone": "020 123 4567",
        "title": "Leerling-bakker",
        "description": "Wij zoeken twee leerling-bakkers",
        "place_type": "leerwerkplek",
        "places": "2",
        "hours_per_week": "32",
        "contract": "tijdelijk",
        "place_postcode": "1011",
        **extra,
    }


def _known(world, name="Bakkerij Jansen B.V.", kvk="11223344", municipality=None):
    return EmployerAccount.objects.create(
        organisation=OrganisationFactory(
            kind="employer", name=name, municipality=municipality or world.amsterdam
        ),
        kvk_number=kvk,
    )


@pytest.fixture
def am(make_member):
    return make_member("accountmanager")


def test_the_form_is_prefilled_from_the_request(
    client, am, world, django_capture_on_commit_callbacks
):
    item = file_request(world, django_capture_on_commit_callbacks, kvk_number="87654321")
    sign_in(client, am.user)
    response = client.get(reverse("vacancies:request-convert", args=[item.uuid]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["name"].value() == "Bakkerij Jansen"
    assert form["kvk_number"].value() == "87654321"
    assert form["postcode"].value() == form["place_postcode"].value() == "1011"
    assert form["contact_name"].value() == "Marja Smit"
    assert form["contact_email"].value() == "marja@bakkerij-jansen.example"
    assert form["contact_phone"].value() == "020 123 4567"
    assert form["title"].value() == "Wij zoeken twee leerling-bakkers"  # the first line
    assert form["description"].value() == item.message
    assert form["employer"].value() == NEW  # nobody like it in the region


def test_a_long_question_gives_a_short_title():
    assert len(title_from("x" * 300)) <= 80
    assert title_from("\n\n  Twee lassers  \nper direct") == "Twee lassers"


def test_a_new_employer_and_a_draft_place_in_one_step(
    client, am, world, django_capture_on_commit_callbacks
):
    item = file_request(world, django_capture_on_commit_callbacks)
    sector = Sector.objects.create(code="I", name="Horeca", division_from="55", division_to="56")
    sign_in(client, am.user)
    response = client.post(
        reverse("vacancies:request-convert", args=[item.uuid]), _form(sector=sector.pk)
    )
    account = EmployerAccount.objects.get(kvk_number="87654321")
    vacancy = Vacancy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("vacancies:detail", args=[vacancy.uuid])
    assert account.organisation.name == "Bakkerij Jansen"
    assert account.organisation.region == world.am18
    assert (account.sector, account.size, account.address) == (
        sector,
        "10-49",
        "Damstraat 1, Amsterdam",
    )
    assert account.postcode.code == "1011"
    [contact] = account.contacts.all()
    assert (contact.name, contact.email, contact.phone) == (
        "Marja Smit",
        "marja@bakkerij-jansen.example",
        "020 123 4567",
    )
    assert account.locations.count() == 1
    assert vacancy.employer == account and vacancy.status == "draft"
    assert (vacancy.title, vacancy.places, vacancy.place_type) == (
        "Leerling-bakker",
        2,
        "leerwerkplek",
    )
    item.refresh_from_db()
    assert (item.employer, item.vacancy, item.status) == (account, vacancy, "in_progress")
    assert item.assigned_to == am
    assert item.first_contact_at is None  # nobody called the employer: not handled yet
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"employer.registered", "vacancy.created", "employer_request.converted"} <= events
    converted = AuditEvent.objects.get(event="employer_request.converted")
    assert converted.changes["vacancy"] == [None, str(vacancy.uuid)]
    assert converted.changes["employer_registered"] == [None, True]
    # Done once: the page says so instead of making a second place.
    again = client.get(reverse("vacancies:request-convert", args=[item.uuid]))
    assert again.status_code == 302 and Vacancy.objects.count() == 1
    page = client.get(reverse("vacancies:request-detail", args=[item.uuid])).content.decode()
    assert reverse("vacancies:detail", args=[vacancy.uuid]) in page
    assert reverse("organisations:employer", args=[account.uuid]) in page


def test_a_known_employer_is_offered_and_used_instead_of_a_duplicate(
    client, am, world, django_capture_on_commit_callbacks
):
    known = _known(world)  # "Bakkerij Jansen B.V."; the request says "Bakkerij Jansen"
    _known(world, name="Bakkerij Jansen", kvk="55667788", municipality=world.rotterdam)
    EmployerContact.objects.create(account=known, name="Piet", email="piet@example.invalid")
    item = file_request(world, django_capture_on_commit_callbacks)
    sign_in(client, am.user)
    page = client.get(reverse("vacancies:request-convert", args=[item.uuid]))
    assert [a.pk for a in page.context["known"]] == [known.pk]  # not the one in Rotterdam
    assert page.context["form"]["employer"].value() == str(known.uuid)  # chosen by default
    response = client.post(
        reverse("vacancies:request-convert", args=[item.uuid]),
        _form(employer=str(known.uuid), kvk_number="", name="", postcode=""),
    )
    assert response.status_code == 302
    assert (
        EmployerAccount.objects.count() == 2
        and Organisation.objects.filter(name="Bakkerij Jansen", region=world.am18).count() == 0
    )
    vacancy = Vacancy.objects.get()
    assert vacancy.employer == known
    # The requester became a contact person of the known employer, once.
    assert sorted(known.contacts.values_list("name", flat=True)) == ["Marja Smit", "Piet"]
    item.refresh_from_db()
    assert item.employer == known and item.vacancy == vacancy
    converted = AuditEvent.objects.get(event="employer_request.converted")
    assert converted.changes["employer_registered"] == [None, False]


def test_the_same_kvk_number_is_offered_and_a_new_one_with_it_refused(
    client, am, world, django_capture_on_commit_callbacks
):
    known = _known(world, name="Heel Andere Naam", kvk="87654321")
    item = file_request(world, django_capture_on_commit_callbacks, kvk_number="87654321")
    item.employer = None  # as if the public form had not recognised it
    item.save()
    sign_in(client, am.user)
    page = client.get(reverse("vacancies:request-convert", args=[item.uuid]))
    assert [a.pk for a in page.context["known"]] == [known.pk]
    refused = client.post(reverse("vacancies:request-convert", args=[item.uuid]), _form())
    assert refused.status_code == 200
    assert "kvk_number" in refused.context["form"].errors
    assert EmployerAccount.objects.count() == 1 and not Vacancy.objects.exists()
    item.refresh_from_db()
    assert item.vacancy is None and item.status == "new"


def test_a_failure_half_way_leaves_nothing(
    am, world, monkeypatch, django_capture_on_commit_callbacks
):
    item = file_request(world, django_capture_on_commit_callbacks)
    before = AuditEvent.objects.count()

    def broken(**kwargs):
        assert EmployerAccount.objects.filter(kvk_number="87654321").exists()  # made already
        raise RuntimeError("the database went away")

    monkeypatch.setattr(conversion.places, "vacancy_save", broken)
    new_employer = {
        "name": "Bakkerij Jansen",
        "kvk_number": "87654321",
        "postcode": world.amsterdam.postcodes.first(),
        "contact_name": "Marja Smit",
    }
    place = {
        "title": "Leerling-bakker",
        "place_type": "job",
        "places": 1,
        "hours_per_week": 32,
        "contract": "vast",
        "postcode": world.amsterdam.postcodes.first(),
    }
    with pytest.raises(RuntimeError):
        conversion.request_convert(
            actor=actor_for(am), request=item, place=place, new_employer=new_employer
        )
    monkeypatch.undo()
    # A place the rules refuse (too many hours) rolls the new employer back as well.
    with pytest.raises(ValidationError) as refused:
        conversion.request_convert(
            actor=actor_for(am),
            request=item,
            place={**place, "hours_per_week": 61},
            new_employer=new_employer,
        )
    assert refused.value.messages  # the place's own rule, in words
    assert not EmployerAccount.objects.exists()
    assert not Organisation.objects.filter(kind="employer").exists()
    assert not EmployerContact.objects.exists() and not EmployerLocation.objects.exists()
    assert not Vacancy.objects.exists()
    item.refresh_from_db()
    assert (item.employer, item.vacancy, item.status, item.assigned_to) == (None, None, "new", None)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kvk_number": "1234"}, "kvk_number"),
        ({"kvk_number": "abcdefgh"}, "kvk_number"),
        ({"kvk_number": ""}, "kvk_number"),
        ({"name": ""}, "name"),
        ({"postcode": "12"}, "postcode"),
        ({"postcode": "9999"}, "postcode"),  # well-formed, but no such area
        ({"postcode": "3011"}, "postcode"),  # Rotterdam: another region's WSP
        ({"place_postcode": "abc"}, "place_postcode"),
        ({"contact_email": "geen-adres"}, "contact_email"),
        ({"contact_phone": "bel maar"}, "contact_phone"),
        ({"contract": ""}, "contract"),
        ({"hours_per_week": "70"}, "hours_per_week"),
        ({"employer": "a-made-up-choice"}, "employer"),
    ],
)
def test_bad_input_is_named_and_nothing_is_made(
    client, am, world, django_capture_on_commit_callbacks, changes, field
):
    item = file_request(world, django_capture_on_commit_callbacks)
    sign_in(client, am.user)
    response = client.post(reverse("vacancies:request-convert", args=[item.uuid]), _form(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and all(errors[field])
    assert not EmployerAccount.objects.exists() and not Vacancy.objects.exists()
    item.refresh_from_db()
    assert item.vacancy is None


def test_only_the_regions_wsp_converts(
    client, make_member, world, django_capture_on_commit_callbacks
):
    item = file_request(world, django_capture_on_commit_callbacks)
    url = reverse("vacancies:request-convert", args=[item.uuid])
    sign_in(client, make_member("klantmanager").user)
    assert client.post(url, _form()).status_code == 403
    sign_in(client, make_member("accountmanager", "AM22").user)
    assert client.post(url, _form()).status_code == 404
    sign_in(client, make_member("werkgever").user)
    assert client.post(url, _form()).status_code == 403
    assert not EmployerAccount.objects.exists()
    sign_in(client, make_member("intermediair").user)
    assert client.post(url, _form()).status_code == 302
    assert Vacancy.objects.count() == 1


def test_registering_an_employer_outside_the_region_is_refused(am, world):
    with pytest.raises(ValidationError) as refused:
        employers.employer_register(
            actor=actor_for(am),
            name="Haven BV",
            kvk_number="12312312",
            postcode=world.rotterdam.postcodes.first(),
        )
    assert "postcode" in refused.value.message_dict
    assert not EmployerAccount.objects.exists()
