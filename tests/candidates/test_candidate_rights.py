"""The person's rights (access, consent, erasure) and the organisation's data quality."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AccessRecord
from perspectief.candidates.models import Candidate
from perspectief.candidates.selectors.people import needs_reconfirmation
from perspectief.candidates.services.consent import consent_approve
from perspectief.candidates.services.erasure import candidate_erase
from perspectief.candidates.services.journey import candidate_change_status
from perspectief.candidates.services.people import availability_confirm, find_by_bsn

from ..conftest import sign_in
from ..factories import CandidateFactory, MembershipFactory

VALID_BSN = "111222333"


@pytest.fixture
def served(make_member, world):
    km = make_member("klantmanager")
    candidate = CandidateFactory(
        served_by=km.organisation, bsn=VALID_BSN, email="a@example.invalid"
    )
    return km, candidate


@pytest.mark.django_db
def test_export_contains_everything_including_the_processings(served, client):
    km, candidate = served
    sign_in(client, km.user)
    client.get(reverse("candidates:detail", args=[candidate.uuid]))  # a processing
    response = client.get(reverse("candidates:export", args=[candidate.uuid]))
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["bsn"] == VALID_BSN  # the person's own data, for the person
    assert data["email"] == "a@example.invalid"
    assert data["served_by"][0]["legal_basis"] == "participatiewet"
    assert any(p["activity"] == "candidate.service" for p in data["processings"])
    assert AccessRecord.objects.filter(activity="candidate.export").count() == 1


@pytest.mark.django_db
def test_erasure_is_refused_while_a_legal_task_requires_the_data(served):
    km, candidate = served
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=r"wettelijke taak|legal task"):
        candidate_erase(actor=actor_for(km), candidate=candidate)
    candidate.refresh_from_db()
    assert candidate.has_bsn and candidate.anonymised_at is None


@pytest.mark.django_db
def test_erasure_anonymises_after_the_person_left(served):
    km, candidate = served
    actor = actor_for(km)
    candidate_change_status(actor=actor, candidate=candidate, status="uitgestroomd")
    candidate_erase(actor=actor, candidate=candidate)
    candidate.refresh_from_db()
    assert candidate.anonymised_at is not None
    assert not candidate.has_bsn and candidate.bsn_encrypted == ""
    assert candidate.email == "" and candidate.date_of_birth is None
    assert candidate.first_name == "—"
    assert find_by_bsn(VALID_BSN) is None
    assert AccessRecord.objects.filter(activity="candidate.erase").count() == 1


@pytest.mark.django_db
def test_the_person_sees_their_data_gives_and_withdraws_consent_and_downloads(
    served, make_member, client
):
    km, candidate = served
    seeker = MembershipFactory(
        organisation=km.organisation, role="werkzoekende", user__username="wz.test"
    )
    candidate.user = seeker.user
    candidate.save()
    sign_in(client, seeker.user)
    page = client.get(reverse("candidates:self"))
    assert page.context["candidate"] == candidate
    client.post(reverse("candidates:self-consent"), {"action": "grant", "statement_version": "1"})
    consent = candidate.consents.get()
    assert consent.approved_at is None  # waits for the klantmanager
    consent_approve(actor=actor_for(km), consent=consent)
    partner = make_member("intermediair")
    assert Candidate.objects.visible_to(actor_for(partner)).filter(pk=candidate.pk).exists()
    client.post(reverse("candidates:self-consent"), {"action": "revoke"})
    assert not Candidate.objects.visible_to(actor_for(partner)).filter(pk=candidate.pk).exists()
    data = json.loads(client.get(reverse("candidates:self-export")).content)
    assert data["uuid"] == str(candidate.uuid)
    # The person cannot reach anyone else's record or the staff pages.
    other = CandidateFactory(served_by=km.organisation)
    assert client.get(reverse("candidates:detail", args=[other.uuid])).status_code == 403


@pytest.mark.django_db
def test_quality_overview_counts_what_is_missing(make_member, world, client):
    km = make_member("klantmanager")
    CandidateFactory(served_by=km.organisation)
    CandidateFactory(served_by=km.organisation, postcode=None)
    sign_in(client, km.user)
    q = client.get(reverse("candidates:quality")).context["q"]
    assert q["total"] == 2
    assert q["counts"]["no_postcode"] == 1 and q["share"]["no_postcode"] == 50
    assert q["counts"]["no_education"] == 2
    assert q["counts"]["reconfirm"] == 2
    assert sum(q["bands"].values()) == 2


@pytest.mark.django_db
def test_unconfirmed_availability_drops_out_of_matching(served, settings):
    km, candidate = served
    actor = actor_for(km)
    candidate_change_status(actor=actor, candidate=candidate, status="in_beeld")
    assert not Candidate.objects.matchable().filter(pk=candidate.pk).exists()
    availability_confirm(actor=actor, candidate=candidate)
    assert Candidate.objects.matchable().filter(pk=candidate.pk).exists()
    Candidate.objects.filter(pk=candidate.pk).update(
        availability_confirmed_at=timezone.now() - datetime.timedelta(days=91)
    )
    assert not Candidate.objects.matchable().filter(pk=candidate.pk).exists()
    candidate.refresh_from_db()
    assert needs_reconfirmation(candidate)
