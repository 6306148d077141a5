"""The region's catalogue of services and training (issue #6, part 1): providers keep their
own offers; advisers of the region search by text, kind, skill, occupation, place and date;
bad input is refused with a reason and nothing half-stored."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.catalogue import selectors, services
from perspectief.catalogue.forms import OfferForm
from perspectief.catalogue.models import Offer
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.taxonomy.models import OccupationSkill

from ..conftest import matchable_person, sign_in

SOON = datetime.date(2027, 2, 1)


@pytest.fixture
def course(world, esco, make_member):
    """An MBO course of a school in Amsterdam teaching two skills of the test occupation."""
    _occupation, skills = esco
    school = actor_for(make_member("opleidingsadviseur"))
    offer = services.offer_save(
        actor=school,
        data={
            "kind": "mbo",
            "title": "Logistiek medewerker",
            "funding": "regio",
            "postcode": world.amsterdam.postcodes.first(),
            "skills": skills[:2],
            "target_groups": ["statushouder"],
            "duration_weeks": 16,
        },
    )
    services.edition_add(actor=school, offer=offer, starts_on=SOON, seats=12)
    return school, offer


@pytest.mark.django_db
def test_advisers_find_the_course_by_skill_occupation_place_and_date(
    course, esco, world, make_member
):
    occupation, skills = esco
    km = actor_for(make_member("klantmanager"))

    def found(**filters):
        return [
            o.title for o in selectors.offer_search(actor=km, filters=selectors.Filters(**filters))
        ]

    assert found() == ["Logistiek medewerker"]
    assert found(skill="vaardigheid 1") == ["Logistiek medewerker"]
    assert found(skill=skills[0].uri) == ["Logistiek medewerker"]
    assert found(skill="vaardigheid 2") == []  # not taught

    assert found(occupation=occupation) == []  # the occupation asks none of its skills yet
    OccupationSkill.objects.create(occupation=occupation, skill=skills[1], relation="essential")
    assert found(occupation=occupation) == ["Logistiek medewerker"]
    assert found(kind="nt2") == []
    assert found(starts_from=SOON) == ["Logistiek medewerker"]
    assert found(starts_from=SOON + datetime.timedelta(days=1)) == []
    rotterdam = world.rotterdam.postcodes.first()
    assert found(near=world.amsterdam.postcodes.first(), km=10) == ["Logistiek medewerker"]
    assert found(near=rotterdam, km=10) == []
    # Another region's adviser does not see it.
    other = actor_for(make_member("klantmanager", region_code="AM22"))
    assert selectors.offer_search(actor=other, filters=selectors.Filters()) == []


@pytest.mark.django_db
def test_only_the_provider_changes_its_offer_and_archiving_hides_it(course, make_member):
    school, offer = course
    other_school = actor_for(make_member("opleidingsadviseur"))
    other_school.membership.organisation = type(offer.provider).objects.create(
        name="Andere school", kind="school", region=offer.region
    )
    with pytest.raises(NotFoundError):
        services.offer_archive(actor=other_school, offer=offer)
    with pytest.raises(PermissionDeniedError):  # sees the catalogue, offers nothing
        services.offer_archive(actor=actor_for(make_member("jobcoach")), offer=offer)
    services.offer_archive(actor=school, offer=offer)
    km = actor_for(make_member("klantmanager"))
    assert not Offer.objects.visible_to(km).exists()
    assert Offer.objects.visible_to(school).get() == offer  # the provider still sees it
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"offer.created", "offer.edition_added", "offer.archived"} <= events


@pytest.mark.django_db
def test_bad_offers_are_refused_with_a_reason(world, make_member):
    school = actor_for(make_member("opleidingsadviseur"))
    with pytest.raises(ValidationError) as exc:
        services.offer_save(
            actor=school, data={"kind": "mbo", "title": "Zonder", "funding": "regio", "skills": []}
        )
    assert {"skills", "postcode"} <= set(exc.value.message_dict)
    assert not Offer.objects.exists()
    offer = services.offer_save(
        actor=school,
        data={"kind": "werkfit", "title": "Online werkfit", "funding": "uwv", "online": True},
    )
    with pytest.raises(ValidationError):
        services.edition_add(
            actor=school, offer=offer, starts_on=SOON, ends_on=SOON - datetime.timedelta(days=1)
        )
    assert not offer.editions.exists()


@pytest.mark.django_db
def test_catalogue_pages_and_api(client, course, esco, world, make_member):
    school, offer = course
    _occupation, skills = esco
    km = make_member("klantmanager")
    sign_in(client, km.user)
    page = client.get(reverse("routes:offers"), {"skill": "vaardigheid 0"}).content.decode()
    assert "Logistiek medewerker" in page
    detail = client.get(reverse("routes:offer", kwargs={"uuid": offer.uuid})).content.decode()
    assert "vaardigheid 0" in detail and "1 februari 2027" in detail
    listed = client.get("/api/v1/offers", {"skill": skills[0].uri}).json()
    assert [o["title"] for o in listed] == ["Logistiek medewerker"]
    assert listed[0]["skills"] == [s.uri for s in skills[:2]]
    assert client.get("/api/v1/offers", {"near": "9999"}).status_code == 400
    # The provider adds one over the API; a klantmanager's organisation offers werkfit.
    sign_in(client, school.user)
    created = client.post(
        "/api/v1/offers",
        {"kind": "nt2", "title": "NT2", "funding": "participatiewet", "online": True},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    refused = client.post(
        "/api/v1/offers",
        {"kind": "bbl", "title": "BBL", "funding": "werkgever", "postcode": "1011"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert Offer.objects.count() == 2
    # The form: the provider edits its own offer.
    response = client.post(
        reverse("routes:offer-edit", kwargs={"uuid": offer.uuid}),
        {**{k: v for k, v in _form(offer).items()}, "title": "Logistiek medewerker (verkort)"},
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Logistiek medewerker (verkort)"
    assert offer.skills.count() == 2


def _form(offer):

    data = OfferForm.initial_for(offer)
    return {k: ("" if v is None else v) for k, v in data.items() if k != "online" or v}


@pytest.mark.django_db
def test_the_ranking_suggests_training_that_closes_the_gap(client, world, place, esco, make_member):
    """A near-miss (one essential skill missing): courses teaching it, within the person's
    reach or online, with a start to come, are shown under the person; others are not."""

    _occupation, skills = esco
    km = make_member("klantmanager")
    matchable_person(km, skills[:2], last_name="Bijna")  # misses skills[2]
    school = actor_for(make_member("opleidingsadviseur"))

    def course(title, **extra):
        data = {"kind": "mbo", "title": title, "funding": "regio", "skills": [skills[2]]}
        offer = services.offer_save(actor=school, data={**data, **extra})
        return offer

    course("Dichtbij", postcode=world.amsterdam.postcodes.first())
    course("Online", online=True)
    course("In Rotterdam", postcode=world.rotterdam.postcodes.first())  # beyond 30 km
    past = course("Voorbij", online=True)
    services.edition_add(actor=school, offer=past, starts_on=datetime.date(2020, 1, 1))
    course("Iets anders", online=True, skills=[skills[0]])  # teaches what is not missing
    sign_in(client, km.user)
    html = client.get(reverse("matching:candidates", kwargs={"uuid": place.uuid})).content.decode()
    assert "Scholing in de catalogus die dit tekort dekt" in html
    section = html[html.index("Bijna") :]
    assert "Dichtbij" in section and "Online" in section
    assert "In Rotterdam" not in section and "Voorbij" not in section
    assert "Iets anders" not in section
