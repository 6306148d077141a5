"""Invitations accepted in the inviter's inbox (issue #16 item 1, "invitations accepted"):
shown to the membership that sent the invitation and to nobody else, naming only whom the
inviter sees on the linked page (a job seeker not at all), and gone once the inviter opens
that page — not when someone else does."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from perspectief.accounts.actor import actor_for
from perspectief.accounts.constants import InvitationPurpose
from perspectief.accounts.inbox import accepted_invitations
from perspectief.accounts.models import Invitation, Membership
from perspectief.accounts.services import invitations as services
from perspectief.candidates.models import CandidateOrganisation
from perspectief.candidates.services.invitations import job_seeker_invite
from perspectief.core.authz import Role
from perspectief.notifications.constants import Kind
from perspectief.organisations.models import EmployerAccount
from perspectief.organisations.services.employers import employer_claim

from ..conftest import sign_in
from ..factories import CandidateFactory, OrganisationFactory, TOTPDeviceFactory, UserFactory
from .test_invitations import accept_new, invite, link_in, plain

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def colleague_of(member):
    """Another user in the same role at the same organisation (with a second factor)."""
    other = Membership.objects.create(
        user=UserFactory(), organisation=member.organisation, role=member.role
    )
    TOTPDeviceFactory(user=other.user)
    return other


def accepted_by_link(client, callbacks, **extra):
    response = accept_new(client, link_in(mail.outbox[-1]), callbacks, **extra)
    assert response.status_code == 302
    client.logout()
    return Invitation.objects.filter(used_at__isnull=False).latest("used_at")


def test_an_accepted_colleague_waits_for_the_inviting_administrator_only(
    client, make_member, world, django_capture_on_commit_callbacks
):
    admin = make_member(Role.FUNCTIONAL_ADMIN)
    school = make_member(Role.TRAINING_ADVISOR).organisation
    plain(admin.organisation, school)
    invite(admin, django_capture_on_commit_callbacks, organisation=school)
    assert accepted_invitations(actor_for(admin)) == []  # not accepted yet
    invitation = accepted_by_link(
        client, django_capture_on_commit_callbacks, first_name="Sanne", last_name="Visser"
    )
    user = invitation.accepted_user
    [item] = accepted_invitations(actor_for(admin))
    assert item.kind == Kind.INVITATION_ACCEPTED
    assert item.title == "Sanne Visser accepted your invitation"
    assert item.url == reverse("accounts:manage-user", args=[user.uuid])
    assert item.due is None and school.name in item.detail
    # Only the inviting membership: not a fellow administrator, not another region, not
    # the inviter's own other role.
    fellow = colleague_of(admin)
    other_region = make_member(Role.FUNCTIONAL_ADMIN, "AM22")
    own_other_role = make_member(Role.KLANTMANAGER, user=admin.user)
    for other in (fellow, other_region, own_other_role):
        assert accepted_invitations(actor_for(other)) == []
    own_other_role.delete()  # so that signing in acts as the administrator again
    # A fellow administrator opening the page takes nothing out of the inviter's inbox.
    sign_in(client, fellow.user)
    assert client.get(item.url).status_code == 200
    assert len(accepted_invitations(actor_for(admin))) == 1
    # The inviter opening it does (the inbox page shows it until then).
    client.logout()
    sign_in(client, admin.user)
    inbox = reverse("notifications:inbox")
    assert b"Sanne Visser accepted your invitation" in client.get(inbox).content
    assert client.get(item.url).status_code == 200
    assert accepted_invitations(actor_for(admin)) == []
    assert b"Sanne Visser accepted" not in client.get(inbox).content


@pytest.fixture
def owned_employer(make_member, world):
    owner = make_member(Role.ACCOUNTMANAGER)
    account = EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        kvk_number="11223344",
    )
    plain(owner.organisation, account.organisation)
    employer_claim(actor=actor_for(owner), account=account)
    return owner, account


def test_an_employers_new_user_waits_for_the_account_owner_by_the_address_invited(
    client, owned_employer, make_member, django_capture_on_commit_callbacks
):
    owner, account = owned_employer
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=actor_for(owner),
            email="hr@bakkerij.example",
            organisation=account.organisation,
            role=Role.EMPLOYER,
            purpose=InvitationPurpose.EMPLOYER_USER,
        )
    accepted_by_link(
        client,
        django_capture_on_commit_callbacks,
        username="hr.user",
        first_name="Kees",
        last_name="Bakker",
    )
    [item] = accepted_invitations(actor_for(owner))
    # The owner does not see the employer's accounts: the address they invited, no name.
    assert item.title == "hr@bakkerij.example accepted your invitation"
    assert "Bakker" not in item.title + item.detail and "hr.user" not in item.title
    assert item.url == reverse("organisations:employer", args=[account.uuid])
    assert accepted_invitations(actor_for(make_member(Role.ACCOUNTMANAGER))) == []
    assert accepted_invitations(actor_for(make_member(Role.ACCOUNTMANAGER, "AM22"))) == []
    # Another account manager of the region opens the employer's page: still waiting.
    other = colleague_of(owner)
    sign_in(client, other.user)
    assert client.get(item.url).status_code == 200
    assert len(accepted_invitations(actor_for(owner))) == 1
    client.logout()
    sign_in(client, owner.user)
    page = client.get(item.url)
    assert b"Accepted since you last looked" in page.content
    assert b"hr@bakkerij.example" in page.content
    assert accepted_invitations(actor_for(owner)) == []
    assert b"Accepted since you last looked" not in client.get(item.url).content
    # Handed over before the owner looked: the page's invitations are no longer theirs.
    Invitation.objects.update(acceptance_seen_at=None)
    account.owner = other
    account.save(update_fields=["owner"])
    assert accepted_invitations(actor_for(owner)) == []


@pytest.fixture
def km(make_member):
    member = make_member(Role.KLANTMANAGER)
    plain(member.organisation)
    return member


def test_a_job_seeker_who_accepted_is_named_to_nobody_and_leaves_once_the_inviter_looks(
    client, km, make_member, django_capture_on_commit_callbacks
):
    person = CandidateFactory(served_by=km.organisation, email="r.ouali@voorbeeld.nl")
    with django_capture_on_commit_callbacks(execute=True):
        job_seeker_invite(actor=actor_for(km), candidate=person, email=person.email)
    accepted_by_link(client, django_capture_on_commit_callbacks)
    [item] = accepted_invitations(actor_for(km))
    assert item.title == "A job seeker you invited now uses Mijn Perspectief"
    for part in (person.first_name, person.last_name, person.email):
        assert part not in item.title + item.detail + item.url
    assert item.url == reverse("candidates:detail", args=[person.uuid]) + "#invitation"
    # A colleague who serves the same person, and a klantmanager elsewhere: nothing.
    fellow = colleague_of(km)
    for other in (fellow, make_member(Role.KLANTMANAGER, "AM22")):
        assert accepted_invitations(actor_for(other)) == []
    sign_in(client, fellow.user)
    assert client.get(item.url).status_code == 200
    assert len(accepted_invitations(actor_for(km))) == 1
    client.logout()
    sign_in(client, km.user)
    assert client.get(item.url).status_code == 200
    assert accepted_invitations(actor_for(km)) == []


def test_a_person_no_longer_served_drops_out_as_the_page_would_refuse(
    client, km, django_capture_on_commit_callbacks
):
    person = CandidateFactory(served_by=km.organisation, email="r.ouali@voorbeeld.nl")
    with django_capture_on_commit_callbacks(execute=True):
        job_seeker_invite(actor=actor_for(km), candidate=person, email=person.email)
    accepted_by_link(client, django_capture_on_commit_callbacks)
    assert len(accepted_invitations(actor_for(km))) == 1
    CandidateOrganisation.objects.filter(candidate=person).update(is_active=False)
    assert accepted_invitations(actor_for(km)) == []


def test_one_query_and_none_for_who_invites_nobody(
    client, km, make_member, django_capture_on_commit_callbacks, django_assert_num_queries
):
    for n in range(3):
        person = CandidateFactory(served_by=km.organisation, email=f"p{n}@voorbeeld.nl")
        with django_capture_on_commit_callbacks(execute=True):
            job_seeker_invite(actor=actor_for(km), candidate=person, email=person.email)
        accepted_by_link(client, django_capture_on_commit_callbacks, username=f"p{n}")
    actor = actor_for(km)
    with django_assert_num_queries(1):
        assert len(accepted_invitations(actor)) == 3
    for role in (Role.JOBCOACH, Role.EMPLOYER, Role.PROGRAMME_MANAGER):
        actor = actor_for(make_member(role))
        with django_assert_num_queries(0):
            assert accepted_invitations(actor) == []
