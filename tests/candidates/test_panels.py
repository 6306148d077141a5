"""A person's pages and data show what matching and routes hold about the person, through the
contribution points of ``candidates/panels.py`` (#15): the proposals and the route on the
person's page, the route and support at work on their own page, and every part of their
data, in the order people have always seen."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import translation

from perspectief.accounts.actor import actor_for
from perspectief.audit.constants import ProcessingActivity, SubjectType
from perspectief.audit.models import AccessRecord
from perspectief.candidates.models import HealthInformation, JourneyTransition
from perspectief.candidates.panels import OWN_PAGE, PERSON_BUTTONS, PERSON_DATA, PERSON_PAGE
from perspectief.candidates.services.export import candidate_document
from perspectief.matching.models import Proposal
from perspectief.routes.models import Route, RouteStep, SupportPlan
from perspectief.vacancies.models import CohortMember

from ..conftest import sign_in
from ..factories import CandidateFactory, MembershipFactory

#: The keys of the person's data file, in the order they have always had.
EXPORT_KEYS = [
    "uuid",
    "bsn",
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "postcode",
    "region",
    "status",
    "profile",
    "availability_confirmed",
    "registered",
    "target_groups",
    "occupations",
    "skills",
    "served_by",
    "consents",
    "proposals",
    "bulk_request_cohorts",
    "journey",
    "route",
    "support_at_work",
    "instrument_applications",  # #17
    "notes",
    "messages",
    "functional_limitations",
    "corrections",
    "processings",
]

#: The sections of the readable document, in the same order.
DOCUMENT_TITLES = [
    "Personal details",
    "Profile",
    "Skills",
    "Organisations that support you",
    "Consent",
    "Proposals to employers",
    "Group vacancies (cohorts)",
    "Your steps in the programme",
    "Your route to work",
    "Support at work: Orderpicker",
    "Employer instruments applied for",
    "Notes between the organisations about you",
    "Your messages",
    "Functional limitations",
    "Changes you asked for",
    "Who processed your data, and why",
]


@pytest.fixture
def person(make_member, world, place):
    """A person served by a klantmanager's gemeente, proposed for a place and in its cohort,
    with a route, support at work, functional limitations and a step of the journey."""
    km = make_member("klantmanager")
    candidate = CandidateFactory(served_by=km.organisation, bsn="111222333")
    HealthInformation.objects.create(candidate=candidate, functional_limitations="Niet tillen")
    JourneyTransition.objects.create(
        candidate=candidate,
        from_status="aangemeld",
        to_status="in_beeld",
        occurred_on=datetime.date(2027, 1, 2),
        cause="manual",
    )
    proposal = Proposal.objects.create(
        vacancy=place, candidate=candidate, proposed_by=km.user, proposed_for=km.organisation
    )
    CohortMember.objects.create(vacancy=place, candidate=candidate, added_by=km.organisation)
    route = Route.objects.create(candidate=candidate, organisation=km.organisation)
    RouteStep.objects.create(
        route=route,
        kind="werkfit",
        title="Werkfit-traject",
        owner=km.organisation,
        planned_start=datetime.date(2027, 1, 4),
        planned_end=datetime.date(2027, 2, 1),
    )
    SupportPlan.objects.create(
        candidate=candidate,
        employer=place.employer.organisation,
        job_title="Orderpicker",
        organisation=km.organisation,
        started_on=datetime.date(2026, 10, 1),
    )
    seeker = MembershipFactory(organisation=km.organisation, role="werkzoekende")
    candidate.user = seeker.user
    candidate.save(update_fields=["user"])
    return km, seeker, candidate, proposal, route


def test_matching_and_routes_register_their_panels_and_parts():
    assert [key for key, _part in PERSON_PAGE.items()] == [
        "proposals",
        "instruments.check",  # #17 check: what the employer can get, after the proposals
        "instruments.applications",  # #17: instrument applications on the person's hires
        "notes",
        "messages",
    ]
    assert [key for key, _part in PERSON_BUTTONS.items()] == ["route"]
    assert [key for key, _part in OWN_PAGE.items()] == [
        "messages",
        "proposals",
        "route",
        "support_at_work",
    ]
    assert [part.key for part in PERSON_DATA] == EXPORT_KEYS[EXPORT_KEYS.index("proposals") :]


@pytest.mark.django_db
def test_the_person_page_shows_the_proposals_and_the_route(person, client):
    km, _seeker, candidate, proposal, route = person
    sign_in(client, km.user)
    page = client.get(reverse("candidates:detail", args=[candidate.uuid])).content.decode()
    assert 'id="proposals"' in page
    assert reverse("vacancies:detail", args=[proposal.vacancy.uuid]) in page
    assert reverse("matching:proposal-action", args=[proposal.uuid]) in page
    assert reverse("matching:propose", args=[candidate.uuid]) in page
    assert reverse("route:detail", args=[route.uuid]) in page
    assert reverse("matching:outside-hire", args=[candidate.uuid]) in page
    # Reading the page is one access record; the proposals panel adds none of its own.
    reads = AccessRecord.objects.for_subject(SubjectType.CANDIDATE, candidate.uuid)
    assert list(reads.values_list("activity", flat=True)) == [ProcessingActivity.CANDIDATE_SERVICE]


@pytest.mark.django_db
def test_without_a_route_the_person_page_offers_to_start_one(person, client):
    km, _seeker, candidate, _proposal, route = person
    route.delete()
    sign_in(client, km.user)
    page = client.get(reverse("candidates:detail", args=[candidate.uuid])).content.decode()
    assert reverse("route:start", args=[candidate.uuid]) in page


@pytest.mark.django_db
def test_proposals_and_the_route_button_only_for_who_may_see_or_manage_them(
    person, client, make_member
):
    """A jobcoach of the serving gemeente sees the person, but may not see employers (no
    proposals) nor manage the person (no route button, no hire outside the platform)."""
    _km, _seeker, candidate, _proposal, route = person
    sign_in(client, make_member("jobcoach").user)
    response = client.get(reverse("candidates:detail", args=[candidate.uuid]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="proposals"' not in page
    assert reverse("route:detail", args=[route.uuid]) not in page
    assert reverse("matching:outside-hire", args=[candidate.uuid]) not in page


@pytest.mark.django_db
def test_the_own_page_shows_the_route_and_support_at_work(person, client):
    _km, seeker, _candidate, _proposal, _route = person
    sign_in(client, seeker.user)
    page = client.get(reverse("candidates:self")).content.decode()
    assert "Werkfit-traject" in page
    assert "Orderpicker" in page
    assert page.index("Werkfit-traject") < page.index("Orderpicker")


@pytest.mark.django_db
def test_the_data_file_has_every_part_in_order(person, client):
    _km, seeker, _candidate, proposal, _route = person
    sign_in(client, seeker.user)
    client.get(reverse("candidates:self"))
    data = json.loads(client.get(reverse("candidates:self-export")).content)
    assert list(data) == EXPORT_KEYS
    assert data["proposals"][0]["place"] == proposal.vacancy.title
    assert data["bulk_request_cohorts"][0]["place"] == proposal.vacancy.title
    assert data["journey"][0]["to"] == "in_beeld"
    assert data["route"]["steps"][0]["title"] == "Werkfit-traject"
    assert data["support_at_work"][0]["work"] == "Orderpicker"
    assert data["functional_limitations"]["limitations"] == "Niet tillen"
    assert data["processings"][0]["activity"] == ProcessingActivity.CANDIDATE_SELF


@pytest.mark.django_db
def test_the_document_has_every_part_in_order(person):
    km, _seeker, candidate, _proposal, _route = person
    with translation.override("en"):
        document = candidate_document(actor=actor_for(km), candidate=candidate)
        assert [str(section.title) for section in document] == DOCUMENT_TITLES
