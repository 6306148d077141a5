"""From proposal to hire: introduced with consent, interview, hired (a place filled, the
person geplaatst) or not (with a reason); unanswered proposals reminded and closed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.matching.models import Proposal
from perspectief.matching.services import outcomes, proposals
from perspectief.matching.tasks import remind_proposals
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.models import Vacancy
from perspectief.vacancies.services import places as vacancy_services
from tests.conftest import sign_in
from tests.factories import CandidateFactory, MembershipFactory, OrganisationFactory

START = datetime.date(2027, 3, 1)


@pytest.fixture
def flow(world, make_member):
    km = make_member("klantmanager")
    organisation = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    employer = EmployerAccount.objects.create(organisation=organisation, kvk_number="24242424")
    boss = MembershipFactory(organisation=organisation, role="werkgever")
    place = Vacancy.objects.create(
        employer=employer,
        title="Orderpicker",
        place_type="job",
        hours_per_week=32,
        contract="tijdelijk",
        postcode=world.amsterdam.postcodes.first(),
        places=1,
        status="open",
    )
    person = CandidateFactory(
        served_by=km.organisation,
        status="werkfit",
        availability_confirmed_at=timezone.now(),
        regional_consent=True,  # so a regional intermediary can see (not change) it
    )
    proposal = proposals.proposal_create(actor=actor_for(km), vacancy=place, candidate=person)
    return km, boss, place, person, proposal


@pytest.mark.django_db
def test_from_proposal_to_hire_fills_the_place_and_places_the_person(client, flow):
    km, boss, place, person, proposal = flow
    with pytest.raises(ValidationError):  # not yet introduced by name: no outcome
        outcomes.outcome_record(
            actor=actor_for(boss), proposal=proposal, hired=True, start_date=START
        )
    proposals.introduction_record(method="in_person", actor=actor_for(km), proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "introduced"
    proposals.employer_respond(actor=actor_for(boss), proposal=proposal, interested=True)
    proposal.refresh_from_db()
    assert proposal.status == "interview"
    with pytest.raises(ValidationError) as exc:  # a hire needs its start date
        outcomes.outcome_record(actor=actor_for(boss), proposal=proposal, hired=True)
    assert "start_date" in exc.value.message_dict
    sign_in(client, boss.user)
    client.post(
        reverse("employer:outcome", kwargs={"uuid": proposal.uuid}),
        {"outcome": "hired", "start_date": "2027-03-01", "contract": "tijdelijk"},
    )
    proposal.refresh_from_db()
    place.refresh_from_db()
    person.refresh_from_db()
    assert (proposal.status, proposal.start_date, proposal.contract) == (
        "hired",
        START,
        "tijdelijk",
    )
    assert (place.places_filled, place.status) == (1, "filled")
    assert AuditEvent.objects.filter(event="vacancy.filled").exists()
    assert person.status == "geplaatst"
    assert AuditEvent.objects.filter(event="proposal.outcome").count() == 1


@pytest.mark.django_db
def test_not_hired_needs_a_reason_and_only_the_right_people_record_it(flow, make_member):
    km, boss, place, _person, proposal = flow
    proposals.introduction_record(method="in_person", actor=actor_for(km), proposal=proposal)
    with pytest.raises(ValidationError):
        outcomes.outcome_record(actor=actor_for(boss), proposal=proposal, hired=False)
    with pytest.raises(PermissionDeniedError):
        outcomes.outcome_record(
            actor=actor_for(make_member("intermediair")), proposal=proposal, hired=False, reason="x"
        )
    other = MembershipFactory(
        organisation=OrganisationFactory(kind="employer", municipality=place.postcode.municipality),
        role="werkgever",
    )
    EmployerAccount.objects.create(organisation=other.organisation, kvk_number="13131313")
    with pytest.raises(NotFoundError):
        outcomes.outcome_record(actor=actor_for(other), proposal=proposal, hired=False, reason="x")
    outcomes.outcome_record(
        actor=actor_for(km), proposal=proposal, hired=False, reason="te weinig ervaring"
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.outcome_reason) == ("rejected", "te weinig ervaring")


@pytest.mark.django_db
def test_a_full_place_takes_no_more_hires(flow, world, make_member):
    km, boss, place, _person, proposal = flow
    vacancy_services.outside_fill_record(
        actor=actor_for(MembershipFactory(organisation=km.organisation, role="accountmanager")),
        vacancy=place,
        places=1,
        filled_on=datetime.date(2026, 11, 2),
        reason="werkgever",
    )
    proposals.introduction_record(method="in_person", actor=actor_for(km), proposal=proposal)
    with pytest.raises(ValidationError) as exc:
        outcomes.outcome_record(
            actor=actor_for(boss), proposal=proposal, hired=True, start_date=START, contract="vast"
        )
    assert "places_filled" in exc.value.message_dict
    proposal.refresh_from_db()
    assert proposal.status == "introduced"


@pytest.mark.django_db
def test_a_hire_needs_its_contract_and_fills_a_place(client, flow):

    km, boss, place, _person, proposal = flow
    place.places = 3
    place.save()
    proposals.introduction_record(method="in_person", actor=actor_for(km), proposal=proposal)
    # The employer invites the introduced person from its page: an interview.
    sign_in(client, boss.user)
    page = client.get(reverse("employer:place", kwargs={"uuid": place.uuid})).content.decode()
    assert "We nodigen de persoon uit voor een gesprek" in page
    client.post(reverse("employer:respond", kwargs={"uuid": proposal.uuid}), {"answer": "yes"})
    proposal.refresh_from_db()
    assert proposal.status == "interview"
    with pytest.raises(ValidationError) as exc:
        outcomes.outcome_record(
            actor=actor_for(boss), proposal=proposal, hired=True, start_date=START
        )
    assert "contract" in exc.value.message_dict
    outcomes.outcome_record(
        actor=actor_for(boss), proposal=proposal, hired=True, start_date=START, contract="vast"
    )
    page = client.get(reverse("employer:place", kwargs={"uuid": place.uuid})).content.decode()
    assert "Begint op 1 maart 2027 (vast)" in page
    place.refresh_from_db()
    assert (place.places_filled, place.places_open) == (1, 2)


@pytest.mark.django_db
def test_unanswered_proposals_are_reminded_then_closed(flow, settings):
    settings.PROPOSAL_REMIND_DAYS, settings.PROPOSAL_CLOSE_DAYS = 10, 60
    _km, _boss, _place, _person, proposal = flow
    now = timezone.now()
    Proposal.objects.filter(pk=proposal.pk).update(updated_at=now - datetime.timedelta(days=11))
    assert remind_proposals() == {"reminded": 1, "closed": 0, "closing_notices": 0}
    proposal.refresh_from_db()
    assert proposal.reminded_at is not None and proposal.status == "proposed"
    assert remind_proposals() == {"reminded": 0, "closed": 0, "closing_notices": 0}  # once
    Proposal.objects.filter(pk=proposal.pk).update(updated_at=now - datetime.timedelta(days=61))
    assert remind_proposals() == {"reminded": 0, "closed": 1, "closing_notices": 0}
    proposal.refresh_from_db()
    assert proposal.status == "no_answer"
    assert AuditEvent.objects.filter(event="proposal.closed_no_answer").count() == 1
