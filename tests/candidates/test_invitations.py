"""A klantmanager invites a job seeker to Mijn Perspectief (issue #16 item 3): the link makes
an account tied to that person's record and nobody else's; who cannot see or does not
serve the person cannot invite them; a person who has an account is not invited again; the
e-mail names nobody; the new account sees only its own record."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Invitation, Membership, User
from perspectief.accounts.services import invitations as accounts_services
from perspectief.audit.models import AccessRecord, AuditEvent
from perspectief.candidates.models import Candidate
from perspectief.candidates.services.invitations import job_seeker_invite
from perspectief.core.authz import Role
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.notifications.constants import Kind
from perspectief.notifications.models import Message

from ..accounts.test_invitations import NEW_PASSWORD, accept_new, link_in, open_link, plain
from ..conftest import sign_in
from ..factories import CandidateFactory, OrganisationFactory, UserFactory
from ..mail_check import personal_data_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def km(make_member):
    member = make_member(Role.KLANTMANAGER)
    plain(member.organisation)
    return member


@pytest.fixture
def person(km):
    return CandidateFactory(
        served_by=km.organisation, email="r.ouali@voorbeeld.nl", regional_consent=True
    )


def invite(km, person, callbacks, email="r.ouali@voorbeeld.nl"):
    with callbacks(execute=True):
        return job_seeker_invite(actor=actor_for(km), candidate=person, email=email)


def test_the_klantmanager_invites_the_person_and_the_mail_names_nobody(
    client, km, person, django_capture_on_commit_callbacks
):
    sign_in(client, km.user)
    page = client.get(reverse("candidates:detail", args=[person.uuid]))
    assert b"Not invited yet" in page.content
    assert reverse("candidates:invite", args=[person.uuid]).encode() in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("candidates:invite", args=[person.uuid]), {"email": person.email}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.subject_uuid == person.uuid
    assert (invitation.organisation, invitation.role) == (km.organisation, Role.CANDIDATE)
    [sent] = mail.outbox
    assert sent.to == ["r.ouali@voorbeeld.nl"] and link_in(sent)
    names = [person.full_name, person.last_name, person.first_name]
    assert personal_data_in(f"{sent.subject}\n{sent.body}", names) == []
    assert km.organisation.name in sent.body
    assert AccessRecord.objects.filter(
        activity="candidate.service", operation="change", data_subject_type="candidate"
    ).exists()
    page = client.get(reverse("candidates:detail", args=[person.uuid]))
    assert b"Invited on" in page.content and b"r.ouali@voorbeeld.nl" in page.content


def test_accepting_makes_exactly_one_account_tied_to_exactly_that_person(
    client, km, person, django_capture_on_commit_callbacks
):
    other = CandidateFactory(served_by=km.organisation)
    invite(km, person, django_capture_on_commit_callbacks)
    users = User.objects.count()
    open_link(client, link_in(mail.outbox[0]))
    page = client.get(reverse("accounts:invitation"))
    assert b"Mijn Perspectief" in page.content
    assert person.last_name.encode() not in page.content  # the page names nobody either
    assert b'name="first_name"' not in page.content
    response = accept_new(client, link_in(mail.outbox[0]), django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert User.objects.count() == users + 1
    user = User.objects.get(username="nieuwe.collega")
    person.refresh_from_db()
    assert person.user == user
    assert list(Candidate.objects.filter(user=user)) == [person]
    [membership] = user.memberships.all()
    assert (membership.organisation, membership.role) == (km.organisation, Role.CANDIDATE)
    assert AuditEvent.objects.filter(
        event="candidate.account_linked", target_id=str(person.uuid), actor_user=user
    ).exists()
    # The job seeker sees their own record, and only that.
    actor = actor_for(membership)
    assert list(Candidate.objects.visible_to(actor)) == [person]
    assert client.get(reverse("candidates:self")).status_code == 200
    assert client.get(reverse("candidates:detail", args=[other.uuid])).status_code == 403
    assert client.get(reverse("api:candidate-detail", args=[other.uuid])).status_code == 403
    # The klantmanager is told; the page says the person has an account.
    told = Message.objects.get(kind=Kind.INVITATION_ACCEPTED)
    assert told.recipient == km.user and str(person.uuid) in told.url
    sign_in(client, km.user)
    page = client.get(reverse("candidates:detail", args=[person.uuid]))
    assert b"Has an account" in page.content


def test_who_cannot_see_or_does_not_serve_the_person_cannot_invite(km, person, make_member, world):
    elsewhere = make_member(Role.KLANTMANAGER, "AM22")
    partner = Membership.objects.create(  # sees the regional profile, does not serve
        user=UserFactory(),
        organisation=OrganisationFactory(kind="uwv", municipality=world.amsterdam),
        role=Role.KLANTMANAGER,
    )
    assert Candidate.objects.visible_to(actor_for(partner)).filter(pk=person.pk).exists()
    for member in (elsewhere, partner):
        with pytest.raises(NotFoundError):
            job_seeker_invite(actor=actor_for(member), candidate=person, email="a@example.nl")
    coach = make_member(Role.JOBCOACH)
    with pytest.raises(PermissionDeniedError):
        job_seeker_invite(actor=actor_for(coach), candidate=person, email="a@example.nl")
    assert not Invitation.objects.exists() and mail.outbox == []


def test_a_person_with_an_account_is_not_invited_again(km, person):
    person.user = UserFactory()
    person.save()
    with pytest.raises(ValidationError) as refused:
        job_seeker_invite(actor=actor_for(km), candidate=person, email="nieuw@voorbeeld.nl")
    assert "already has an account" in " ".join(refused.value.messages)
    assert not Invitation.objects.exists()


def test_inviting_again_sends_a_new_link_and_the_old_one_stops(
    client, km, person, django_capture_on_commit_callbacks
):
    first = invite(km, person, django_capture_on_commit_callbacks)
    invite(km, person, django_capture_on_commit_callbacks, email="ander.adres@voorbeeld.nl")
    old, new = (link_in(m) for m in mail.outbox)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert open_link(client, old).status_code == 410
    assert open_link(client, new).status_code == 302


def test_one_address_is_not_invited_for_two_people(km, person, django_capture_on_commit_callbacks):
    invite(km, person, django_capture_on_commit_callbacks)
    someone_else = CandidateFactory(served_by=km.organisation)
    with pytest.raises(ValidationError) as refused:
        invite(km, someone_else, django_capture_on_commit_callbacks)
    assert "another person" in " ".join(refused.value.message_dict["email"])
    assert Invitation.objects.count() == 1


def test_a_person_linked_meanwhile_refuses_the_acceptance_and_nothing_stays_behind(
    client, km, person, django_capture_on_commit_callbacks
):
    invite(km, person, django_capture_on_commit_callbacks)
    token = link_in(mail.outbox[0])
    open_link(client, token)
    person.user = UserFactory()  # linked to another account since the invitation was sent
    person.save()
    users = User.objects.count()
    response = client.post(
        reverse("accounts:invitation"),
        {"username": "ouali", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert b"already tied to another account" in response.content
    assert User.objects.count() == users and not User.objects.filter(username="ouali")
    assert Invitation.objects.get().used_at is None
    assert not Membership.objects.filter(role=Role.CANDIDATE).exists()


def test_an_account_tied_to_another_person_is_not_tied_to_a_second(
    client, km, person, django_capture_on_commit_callbacks
):
    owner = Membership.objects.create(
        user=UserFactory(email="r.ouali@voorbeeld.nl"),
        organisation=km.organisation,
        role=Role.CANDIDATE,
    )
    CandidateFactory(served_by=km.organisation, user=owner.user)
    invite(km, person, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    with pytest.raises(ValidationError) as refused:
        accounts_services.invitation_accept(token_hash=invitation.token_hash, user=owner.user)
    assert "another person's record" in " ".join(refused.value.messages)
    person.refresh_from_db()
    assert person.user is None and Invitation.objects.get().used_at is None


def test_a_person_no_longer_served_ends_the_invitation(
    client, km, person, django_capture_on_commit_callbacks
):
    invite(km, person, django_capture_on_commit_callbacks)
    person.servings.update(is_active=False)
    assert open_link(client, link_in(mail.outbox[0])).status_code == 410


def test_the_klantmanager_withdraws_the_invitation_on_the_persons_page(
    client, km, person, django_capture_on_commit_callbacks
):
    invitation = invite(km, person, django_capture_on_commit_callbacks)
    sign_in(client, km.user)
    page = client.get(reverse("candidates:detail", args=[person.uuid]))
    revoke = reverse("accounts:invitation-revoke", args=[invitation.uuid])
    assert revoke.encode() in page.content
    response = client.post(revoke)
    assert response["Location"] == (
        reverse("candidates:detail", args=[person.uuid]) + "#invitation"
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(event="invitation.revoked", actor_user=km.user).exists()


def test_another_gemeentes_klantmanager_cannot_withdraw_it(
    client, km, person, make_member, django_capture_on_commit_callbacks
):
    invitation = invite(km, person, django_capture_on_commit_callbacks)
    sign_in(client, make_member(Role.KLANTMANAGER, "AM22").user)
    response = client.post(reverse("accounts:invitation-revoke", args=[invitation.uuid]))
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_expired_invitation_shows_on_the_persons_page(
    client, km, person, django_capture_on_commit_callbacks
):
    invitation = invite(km, person, django_capture_on_commit_callbacks)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    sign_in(client, km.user)
    page = client.get(reverse("candidates:detail", args=[person.uuid]))
    assert b"expired on" in page.content and b"Send a new link" in page.content
