"""Invitations (issue #16 item 3): a one-time link that expires, stored only as a hash; who
may invite whom; sending again and withdrawing; accepting with a new account or an
existing one; clear answers for links that do not work; everything audited; the
functional administrator's inbox holds the invitations that expired."""

import hashlib
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from perspectief.accounts.actor import actor_for
from perspectief.accounts.constants import InvitationPurpose
from perspectief.accounts.inbox import expired_invitations
from perspectief.accounts.models import Invitation, Membership, User, normalise_email
from perspectief.accounts.services import invitations as services
from perspectief.accounts.services.users import membership_deactivate
from perspectief.accounts.tasks import purge_invitations
from perspectief.audit.models import AuditEvent
from perspectief.core.authz import Role
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.notifications.constants import Kind
from perspectief.notifications.models import Message
from perspectief.organisations.models import EmployerAccount
from perspectief.organisations.services.employers import employer_claim

from ..conftest import sign_in
from ..factories import OrganisationFactory, UserFactory
from ..test_form_of_address import _words, _wrong_form

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Lang-en-sterk-wachtwoord-42"
LINK = re.compile(r"/accounts/invitation/([A-Za-z0-9_-]{20,})/")


@pytest.fixture(autouse=True)
def english(client):
    """Messages and pages in English (the msgids), whatever the catalogue says in Dutch."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def link_in(message) -> str:
    """The raw token in an invitation e-mail."""
    return LINK.search(message.body).group(1)


def plain(*organisations):
    """Plain organisation names: the suite's mail check must not take a generated company
    name ("Jansen & De Vries") for a job seeker's name in the invitation's text."""
    for n, organisation in enumerate(organisations):
        organisation.name = f"Organisatie {chr(65 + n)} Testdam"
        organisation.save(update_fields=["name"])


@pytest.fixture
def admin(make_member):
    member = make_member(Role.FUNCTIONAL_ADMIN)
    plain(member.organisation)
    return member


@pytest.fixture
def school(world):
    return OrganisationFactory(kind="school", municipality=world.amsterdam, name="ROC Testdam")


def invite(member, callbacks, *, email="nieuwe.collega@example.nl", organisation, role=None):
    with callbacks(execute=True):
        return services.invitation_create(
            actor=actor_for(member),
            email=email,
            organisation=organisation,
            role=role or Role.TRAINING_ADVISOR,
            purpose=InvitationPurpose.STAFF,
        )


def open_link(client, token):
    return client.get(reverse("accounts:invitation-link", args=[token]))


def accept_new(client, token, callbacks, username="nieuwe.collega", **extra):
    open_link(client, token)
    with callbacks(execute=True):
        return client.post(
            reverse("accounts:invitation"),
            {
                "username": username,
                "password": NEW_PASSWORD,
                "password_again": NEW_PASSWORD,
                **extra,
            },
        )


# --- the link: hashed, sent after commit, one time, expires ---------------------------------


def test_the_token_is_stored_only_as_its_hash(admin, school, django_capture_on_commit_callbacks):
    invitation = invite(admin, django_capture_on_commit_callbacks, organisation=school)
    [sent] = mail.outbox
    raw = link_in(sent)
    assert invitation.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    # Nothing the platform keeps holds the token: not the invitation, not the audit trail,
    # not the access log, not the sent-mail log (the message held it encrypted until sent).
    dump = io.StringIO()
    call_command("dumpdata", exclude=["contenttypes", "auth.permission"], stdout=dump)
    assert invitation.token_hash in dump.getvalue()
    assert raw not in dump.getvalue()
    assert AuditEvent.objects.filter(event="invitation.created", target_id=str(invitation.uuid))


def test_the_mail_leaves_after_commit_with_the_link_the_inviter_and_the_expiry(
    admin, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = services.invitation_create(
            actor=actor_for(admin),
            email="Nieuwe.Collega@Example.NL ",
            organisation=school,
            role=Role.TRAINING_ADVISOR,
            purpose=InvitationPurpose.STAFF,
        )
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    [sent] = mail.outbox
    assert sent.to == ["nieuwe.collega@example.nl"]
    assert invitation.email == "nieuwe.collega@example.nl"
    assert f"/accounts/invitation/{link_in(sent)}/" in sent.body
    assert admin.organisation.name in sent.body and "ROC Testdam" in sent.body
    assert timezone.localtime(invitation.expires_at).strftime("%-d-%-m-%Y") in sent.body
    lifetime = invitation.expires_at - invitation.created_at
    assert abs(lifetime - timedelta(days=7)) < timedelta(seconds=5)
    message = Message.objects.get(kind=Kind.INVITATION)
    assert message.organisation == school


def test_a_rolled_back_invitation_sends_nothing(admin, school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.invitation_create(
            actor=actor_for(admin),
            email="collega@example.nl",
            organisation=school,
            role=Role.KLANTMANAGER,  # no klantmanager at a school
            purpose=InvitationPurpose.STAFF,
        )
    assert mail.outbox == [] and not Invitation.objects.exists()


def test_accepting_creates_one_account_and_sends_staff_to_their_second_factor(
    client, admin, school, django_capture_on_commit_callbacks
):
    invitation = invite(admin, django_capture_on_commit_callbacks, organisation=school)
    token = link_in(mail.outbox[0])
    response = open_link(client, token)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:invitation")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"ROC Testdam" in page.content and token.encode() not in page.content
    users_before = User.objects.count()
    response = accept_new(
        client, token, django_capture_on_commit_callbacks, first_name="Noor", last_name="Bakker"
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp-setup"))
    assert User.objects.count() == users_before + 1
    user = User.objects.get(username="nieuwe.collega")
    assert user.email == "nieuwe.collega@example.nl" and user.check_password(NEW_PASSWORD)
    [membership] = user.memberships.all()
    assert (membership.organisation, membership.role) == (school, Role.TRAINING_ADVISOR)
    invitation.refresh_from_db()
    assert invitation.used_at is not None and invitation.accepted_user == user
    # Signed in, but nothing opens before the second factor is set up.
    assert client.get(reverse("home"))["Location"] == reverse("accounts:otp")
    assert client.get(reverse("accounts:otp-setup")).status_code == 200
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"invitation.created", "user.created", "membership.created", "invitation.accepted"} <= (
        events
    )
    accepted = AuditEvent.objects.get(event="invitation.accepted")
    assert accepted.actor_user == user and accepted.organisation == school
    # The inviter is told, with a link to the new account.
    told = Message.objects.get(kind=Kind.INVITATION_ACCEPTED)
    assert told.recipient == admin.user
    assert told.url == reverse("accounts:manage-user", args=[user.uuid])


def test_a_link_works_once(client, admin, school, django_capture_on_commit_callbacks):
    invitation = invite(admin, django_capture_on_commit_callbacks, organisation=school)
    token = link_in(mail.outbox[0])
    accept_new(client, token, django_capture_on_commit_callbacks)
    client.logout()
    response = open_link(client, token)
    assert response.status_code == 410
    assert b"accepted already" in response.content
    with pytest.raises(services.InvitationUnusable) as refused:
        services.invitation_accept(
            token_hash=invitation.token_hash, username="tweede", password=NEW_PASSWORD
        )
    assert refused.value.state == "used"
    assert not User.objects.filter(username="tweede").exists()


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, 410, b"has expired"),
        ({"revoked_at": timezone.now()}, 410, b"withdrawn"),
    ],
)
def test_expired_and_revoked_links_say_so(
    client, admin, school, django_capture_on_commit_callbacks, change, status, words
):
    invitation = invite(admin, django_capture_on_commit_callbacks, organisation=school)
    token = link_in(mail.outbox[0])
    open_link(client, token)  # the session holds it when it stops working
    Invitation.objects.filter(pk=invitation.pk).update(**change)
    for response in (client.get(reverse("accounts:invitation")), open_link(client, token)):
        assert response.status_code == status
        assert words in response.content
    response = client.post(
        reverse("accounts:invitation"),
        {"username": "x", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert response.status_code == 404  # the session forgot the link that no longer works
    assert not User.objects.filter(username="x").exists()


def test_an_unknown_link_is_not_found_in_dutch(client):
    del client.defaults["HTTP_ACCEPT_LANGUAGE"]
    response = client.get(reverse("accounts:invitation-link", args=["x" * 43]))
    assert response.status_code == 404
    assert response["Content-Language"] == "nl"
    response = client.get(reverse("accounts:invitation-link", args=["x" * 500]))
    assert response.status_code == 404


def test_an_inviter_who_lost_the_right_ends_the_invitation(
    client, admin, school, django_capture_on_commit_callbacks
):
    invite(admin, django_capture_on_commit_callbacks, organisation=school)
    token = link_in(mail.outbox[0])
    other_admin = Membership.objects.create(
        user=UserFactory(), organisation=admin.organisation, role=Role.FUNCTIONAL_ADMIN
    )
    membership_deactivate(actor=actor_for(other_admin), membership=admin)
    response = open_link(client, token)
    assert response.status_code == 410
    assert b"no longer valid" in response.content


# --- sending again, withdrawing --------------------------------------------------------------


def test_inviting_again_revokes_the_earlier_link(
    client, admin, school, django_capture_on_commit_callbacks
):
    first = invite(admin, django_capture_on_commit_callbacks, organisation=school)
    second = invite(
        admin,
        django_capture_on_commit_callbacks,
        organisation=school,
        email="NIEUWE.collega@example.nl",
    )
    old, new = (link_in(m) for m in mail.outbox)
    first.refresh_from_db()
    assert first.revoked_at is not None and second.state == "open"
    assert open_link(client, old).status_code == 410
    assert open_link(client, new).status_code == 302
    revoked = AuditEvent.objects.get(event="invitation.revoked", target_id=str(first.uuid))
    assert revoked.changes["replaced"] == [False, True]


def test_send_again_and_withdraw_from_the_users_page(
    client, admin, school, django_capture_on_commit_callbacks
):
    invitation = invite(admin, django_capture_on_commit_callbacks, organisation=school)
    sign_in(client, admin.user)
    page = client.get(reverse("accounts:manage-users"))
    assert b"nieuwe.collega@example.nl" in page.content
    assert reverse("accounts:invitation-resend", args=[invitation.uuid]).encode() in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:invitation-resend", args=[invitation.uuid]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:manage-users") + "#invitations"
    assert len(mail.outbox) == 2
    renewed = Invitation.objects.get(revoked_at=None)
    assert AuditEvent.objects.get(event="invitation.resent").changes["replaces"] == [
        None,
        str(invitation.uuid),
    ]
    response = client.post(reverse("accounts:invitation-revoke", args=[renewed.uuid]))
    renewed.refresh_from_db()
    assert renewed.revoked_at is not None
    assert open_link(client, link_in(mail.outbox[1])).status_code == 410


def test_the_admin_invites_from_the_users_page_and_sees_what_is_wrong(
    client, admin, school, django_capture_on_commit_callbacks
):
    sign_in(client, admin.user)
    url = reverse("accounts:manage-invite")
    data = {"email": "jan @example.nl", "organisation": school.pk, "role": Role.JOBCOACH}
    response = client.post(url, data)
    assert response.status_code == 200
    assert b"This one contains a space." in response.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "email": "jan@example.nl"})
    assert response.status_code == 302
    assert Invitation.objects.get().role == Role.JOBCOACH
    assert len(mail.outbox) == 1


# --- who may invite whom -------------------------------------------------------------------


def test_an_administrator_invites_only_into_their_own_region(make_member, school):
    elsewhere = make_member(Role.FUNCTIONAL_ADMIN, "AM22")
    with pytest.raises(NotFoundError):
        services.invitation_create(
            actor=actor_for(elsewhere),
            email="a@example.nl",
            organisation=school,
            role=Role.JOBCOACH,
            purpose=InvitationPurpose.STAFF,
        )
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.CANDIDATE])
def test_an_administrator_invites_staff_only(admin, world, role):
    employer = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    with pytest.raises(ValidationError) as refused:
        services.invitation_create(
            actor=actor_for(admin),
            email="a@example.nl",
            organisation=employer,
            role=role,
            purpose=InvitationPurpose.STAFF,
        )
    assert "account owner" in str(refused.value)


@pytest.mark.parametrize("role", [Role.KLANTMANAGER, Role.ACCOUNTMANAGER, Role.JOBCOACH])
def test_only_an_administrator_invites_colleagues(make_member, school, role):
    with pytest.raises(PermissionDeniedError):
        services.invitation_create(
            actor=actor_for(make_member(role)),
            email="a@example.nl",
            organisation=school,
            role=Role.JOBCOACH,
            purpose=InvitationPurpose.STAFF,
        )


def test_the_role_must_fit_the_organisation(admin, school):
    with pytest.raises(ValidationError) as refused:
        services.invitation_create(
            actor=actor_for(admin),
            email="a@example.nl",
            organisation=school,
            role=Role.ACCOUNTMANAGER,
            purpose=InvitationPurpose.STAFF,
        )
    assert "cannot be held" in " ".join(refused.value.messages)


def test_someone_who_has_the_role_already_is_not_invited(admin, make_member):
    colleague = make_member(Role.KLANTMANAGER)
    with pytest.raises(ValidationError) as refused:
        services.invitation_create(
            actor=actor_for(admin),
            email=colleague.user.email.upper(),
            organisation=colleague.organisation,
            role=Role.KLANTMANAGER,
            purpose=InvitationPurpose.STAFF,
        )
    assert refused.value.message_dict["email"] == [
        "Someone with this e-mail address already has this role here."
    ]


# --- e-mail addresses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("", "Give an e-mail address."),
        ("jan @example.nl", "contains a space"),
        ("jan\u200b@example.nl", "an invisible character (code 200B)"),
        ("jan\t@example.nl", "an invisible character (code 0009)"),
        ("jan\n@example.nl", "contains a line break"),
        ("jån@example.nl", "“å”"),
        ('"jan jansen"@example.nl', '“"”'),
        ("jan<script>@example.nl", "“<”"),
        ("jan@@example.nl", "not an e-mail address"),
        ("jan@example", "not an e-mail address"),
        ("jan..jansen@example.nl", "not an e-mail address"),
        ("a" * 250 + "@example.nl", "at most 254 characters; this one has 261"),
    ],
)
def test_odd_and_too_long_addresses_are_refused_with_a_message(
    admin, school, address, words, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as refused:
        invite(admin, django_capture_on_commit_callbacks, organisation=school, email=address)
    assert words in " ".join(refused.value.message_dict["email"])
    assert not Invitation.objects.exists() and not Message.objects.exists()
    assert mail.outbox == []


def test_an_address_is_kept_trimmed_and_in_lower_case():
    assert normalise_email("  Jan.O'Brien+werk@Voorbeeld-Gemeente.NL ") == (
        "jan.o'brien+werk@voorbeeld-gemeente.nl"
    )


# --- an address that has an account already ------------------------------------------------


def test_an_existing_account_signs_in_and_gets_the_role_added(
    client, admin, school, make_member, django_capture_on_commit_callbacks
):
    existing = make_member(Role.JOBCOACH, "AM22")  # staff elsewhere, with a second factor
    invite(
        admin, django_capture_on_commit_callbacks, organisation=school, email=existing.user.email
    )
    token = link_in(mail.outbox[0])
    open_link(client, token)
    page = client.get(reverse("accounts:invitation"))
    assert b"already has an account" in page.content
    assert b'name="password"' not in page.content
    users = User.objects.count()
    # A second account for the same address is not made, whatever is posted.
    client.post(
        reverse("accounts:invitation"),
        {"username": "dubbel", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert User.objects.count() == users
    sign_in(client, existing.user)  # password and second factor
    session = client.session
    session["perspectief_invitation"] = Invitation.objects.get().token_hash
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:invitation"))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert User.objects.count() == users
    assert existing.user.memberships.filter(organisation=school, role=Role.TRAINING_ADVISOR)
    # The session now acts in the new role.
    assert client.get(reverse("api:me")).json()["role"] == Role.TRAINING_ADVISOR


def test_signed_in_with_another_account_nothing_is_accepted(
    client, admin, school, make_member, django_capture_on_commit_callbacks
):
    invite(admin, django_capture_on_commit_callbacks, organisation=school)
    token = link_in(mail.outbox[0])
    someone = make_member(Role.JOBCOACH)
    sign_in(client, someone.user)
    open_link(client, token)
    page = client.get(reverse("accounts:invitation"))
    assert b"another e-mail address" in page.content
    client.post(reverse("accounts:invitation"))
    assert not someone.user.memberships.filter(organisation=school).exists()
    assert Invitation.objects.get().used_at is None


def test_a_weak_password_or_a_taken_username_is_refused_and_nothing_is_made(
    client, admin, school, make_member, django_capture_on_commit_callbacks
):
    invite(admin, django_capture_on_commit_callbacks, organisation=school)
    token = link_in(mail.outbox[0])
    open_link(client, token)
    url = reverse("accounts:invitation")
    weak = client.post(url, {"username": "nieuw", "password": "1234", "password_again": "1234"})
    assert weak.status_code == 200 and b"errorlist" in weak.content
    differ = client.post(
        url, {"username": "nieuw", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD + "x"}
    )
    assert b"not the same" in differ.content
    taken = make_member(Role.JOBCOACH).user.username
    response = client.post(
        url, {"username": taken.upper(), "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    assert b"This username is taken." in response.content
    assert not User.objects.filter(username="nieuw").exists()
    assert Invitation.objects.get().used_at is None and not Membership.objects.filter(
        organisation=school
    )


# --- employers' users ---------------------------------------------------------------------


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


def test_the_account_owner_invites_a_user_of_the_employer(
    client, owned_employer, django_capture_on_commit_callbacks
):
    owner, account = owned_employer
    sign_in(client, owner.user)
    page = client.get(reverse("organisations:employer", args=[account.uuid]))
    assert reverse("organisations:employer-invite", args=[account.uuid]).encode() in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisations:employer-invite", args=[account.uuid]),
            {"email": "hr@bakkerij.example"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.organisation) == (Role.EMPLOYER, account.organisation)
    [sent] = mail.outbox
    with translation.override("nl"):
        assert sent.body.startswith(gettext("Dear Sir or Madam,"))
    assert (
        b"hr@bakkerij.example"
        in client.get(reverse("organisations:employer", args=[account.uuid])).content
    )
    client.logout()
    response = accept_new(client, link_in(sent), django_capture_on_commit_callbacks, username="hr")
    assert response["Location"] == reverse("home")  # an employer needs no second factor
    user = User.objects.get(username="hr")
    assert user.memberships.get().organisation == account.organisation
    told = Message.objects.get(kind=Kind.INVITATION_ACCEPTED)
    assert (told.recipient, told.url) == (
        owner.user,
        reverse("organisations:employer", args=[account.uuid]),
    )


def test_an_account_manager_who_does_not_own_the_employer_cannot_invite(
    client, owned_employer, make_member
):
    _owner, account = owned_employer
    other = make_member(Role.ACCOUNTMANAGER)
    with pytest.raises(PermissionDeniedError):
        services.invitation_create(
            actor=actor_for(other),
            email="hr@bakkerij.example",
            organisation=account.organisation,
            role=Role.EMPLOYER,
            purpose=InvitationPurpose.EMPLOYER_USER,
        )
    sign_in(client, other.user)
    response = client.post(
        reverse("organisations:employer-invite", args=[account.uuid]), {"email": "a@b.example"}
    )
    assert response.status_code == 302 and not Invitation.objects.exists()


def test_a_handed_over_employer_ends_the_owners_invitations(
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
    account.owner = make_member(Role.ACCOUNTMANAGER)
    account.save()
    assert open_link(client, link_in(mail.outbox[0])).status_code == 410


# --- the functional administrator's inbox -------------------------------------------------


def test_expired_invitations_wait_in_the_administrators_inbox_until_sent_again_or_withdrawn(
    admin, school, make_member, django_capture_on_commit_callbacks
):
    invitation = invite(admin, django_capture_on_commit_callbacks, organisation=school)
    assert expired_invitations(actor_for(admin)) == []
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    [item] = expired_invitations(actor_for(admin))
    assert item.kind == Kind.INVITATION and "nieuwe.collega@example.nl" in item.title
    assert item.url == reverse("accounts:manage-users") + "#invitations" and item.overdue
    # Exactly those who see the users page of this region see it.
    for other in (
        make_member(Role.FUNCTIONAL_ADMIN, "AM22"),
        make_member(Role.KLANTMANAGER),
        make_member(Role.ACCOUNTMANAGER),
    ):
        assert expired_invitations(actor_for(other)) == []
    colleague_admin = Membership.objects.create(
        user=UserFactory(), organisation=admin.organisation, role=Role.FUNCTIONAL_ADMIN
    )
    assert len(expired_invitations(actor_for(colleague_admin))) == 1
    # Sending it again takes it out; so does withdrawing the new one once it expires.
    with django_capture_on_commit_callbacks(execute=True):
        renewed = services.invitation_resend(actor=actor_for(admin), invitation=invitation)
    assert expired_invitations(actor_for(admin)) == []
    Invitation.objects.filter(pk=renewed.pk).update(expires_at=timezone.now())
    assert len(expired_invitations(actor_for(admin))) == 1
    services.invitation_revoke(actor=actor_for(admin), invitation=renewed)
    assert expired_invitations(actor_for(admin)) == []


def test_the_staff_password_rules_apply(client, admin, school, django_capture_on_commit_callbacks):
    """The invitee's password is checked against their own username and address too."""
    invite(admin, django_capture_on_commit_callbacks, organisation=school)
    open_link(client, link_in(mail.outbox[0]))
    response = client.post(
        reverse("accounts:invitation"),
        {
            "username": "nieuwe.collega",
            "password": "nieuwe.collega",
            "password_again": "nieuwe.collega",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="nieuwe.collega").exists()


# --- one form of address per reader ---------------------------------------------------------


def test_each_invitee_is_addressed_as_their_audience(
    client, admin, school, owned_employer, django_capture_on_commit_callbacks
):
    """In Dutch: an employer's user reads "u", staff and job seekers "je"; a link that does
    not work addresses nobody (docs/development.md, "Form of address")."""
    owner, account = owned_employer
    invite(admin, django_capture_on_commit_callbacks, organisation=school)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=actor_for(owner),
            email="hr@bakkerij.example",
            organisation=account.organisation,
            role=Role.EMPLOYER,
            purpose=InvitationPurpose.EMPLOYER_USER,
        )
    del client.defaults["HTTP_ACCEPT_LANGUAGE"]  # Dutch
    wrong = []
    for sent, form in zip(mail.outbox, ("je", "u"), strict=True):
        open_link(client, link_in(sent))
        wrong += _wrong_form(_words(client.get(reverse("accounts:invitation"))), form, sent.to[0])
        wrong += _wrong_form(sent.body, form, f"mail to {sent.to[0]}")
    client.cookies.clear()  # a new visitor: no invitation in the session
    unknown = _words(client.get(reverse("accounts:invitation")))
    wrong += _wrong_form(unknown, "u", "unknown link") + _wrong_form(unknown, "je", "unknown link")
    assert wrong == [], "\n".join(wrong)


def test_the_administrator_finds_the_sent_mail_and_everyone_their_mail_settings(
    client, admin, make_member
):
    sign_in(client, admin.user)
    page = client.get(reverse("accounts:profile")).content.decode()
    users, sent = (
        page.index(reverse("accounts:manage-users")),
        page.index(reverse("notifications:mail-log")),
    )
    assert users < sent
    assert reverse("notifications:preferences") in page
    client.logout()
    sign_in(client, make_member(Role.KLANTMANAGER).user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("notifications:mail-log") not in page
    assert reverse("notifications:preferences") in page


def test_old_invitations_are_deleted_and_their_audit_stays(
    admin, school, django_capture_on_commit_callbacks
):
    old = invite(admin, django_capture_on_commit_callbacks, organisation=school)
    recent = invite(admin, django_capture_on_commit_callbacks, organisation=school, email="b@x.nl")
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=91))
    Invitation.objects.filter(pk=recent.pk).update(expires_at=timezone.now() - timedelta(days=89))
    assert purge_invitations.delay().get() == 1
    assert list(Invitation.objects.all()) == [recent]
    assert AuditEvent.objects.filter(event="invitation.created", target_id=str(old.uuid))
