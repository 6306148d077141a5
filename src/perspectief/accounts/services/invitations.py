"""Invitations: who may invite whom (the purposes in ``hooks.py``), the e-mail with a
one-time link whose hash alone is stored, sending again and revoking, and accepting: a new
account (or the invitee's existing one) with its role, in one transaction. Every step is
audited; the security log has the privilege it gives."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from perspectief.audit import services as audit
from perspectief.audit.constants import Operation
from perspectief.core.authz import Actor, Role
from perspectief.core.dates import short_date
from perspectief.core.exceptions import DomainError, PermissionDeniedError
from perspectief.core.logging import kv
from perspectief.core.validators import validate_person_name
from perspectief.notifications.constants import Kind
from perspectief.notifications.services import notify, notify_address

from ..actor import actor_for
from ..constants import INVITATION_KEPT_DAYS, ROLE_ORGANISATION_KINDS, InvitationPurpose
from ..hooks import purpose_for
from ..models import Invitation, Membership, User, hash_token, normalise_email
from ..selectors import account_for_address
from .users import give_role, log_account, log_granted, security_log


class InvitationUnusable(Exception):
    """The link does not work (any more). ``state``: ``unknown``, ``used``, ``revoked``,
    ``expired``, or ``void`` (whoever sent it may no longer invite this person)."""

    def __init__(self, state: str) -> None:
        self.state = state
        super().__init__(state)


def _address(email: str) -> str:
    try:
        return normalise_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": exc.error_list}) from None


def mail_lines(invitation: Invitation) -> str:
    """The invitation e-mail's own lines: who invites, for what, until when. It names
    organisations, never a person."""
    inviter = invitation.invited_by
    values = {
        "inviter": inviter.organisation.name if inviter else invitation.organisation.name,
        "organisation": invitation.organisation.name,
        "role": Role(invitation.role).label,
        "date": short_date(timezone.localtime(invitation.expires_at).date()),
    }
    with translation.override(settings.LANGUAGE_CODE):
        if invitation.purpose == InvitationPurpose.JOB_SEEKER:
            lines = [
                _("%(inviter)s invites you to Mijn Perspectief, your own page in Perspectief.")
            ]
        elif invitation.role == Role.EMPLOYER:
            lines = [
                pgettext(
                    "employer",
                    "%(inviter)s invites you to Perspectief as a user for %(organisation)s.",
                )
            ]
        else:
            lines = [
                _("%(inviter)s invites you to Perspectief as %(role)s at %(organisation)s."),
                _(
                    "After choosing your password you set up a second step for signing in, "
                    "with an app on your phone."
                ),
            ]
        lines.append(_("The link works once, until %(date)s."))
        return "\n".join(line % values for line in lines)


def _check_invitee(address: str, organisation, role: str, purpose: str) -> None:
    """The role fits the organisation, and the address does not hold it there already."""
    if organisation.kind not in ROLE_ORGANISATION_KINDS.get(role, frozenset()):
        raise ValidationError(
            {
                "role": _("The role %(role)s cannot be held in a %(kind)s.")
                % {"role": Role(role).label, "kind": organisation.get_kind_display()}
            }
        )
    if purpose == InvitationPurpose.JOB_SEEKER:
        return  # the person's record says whether they have an account (the purpose checks)
    if (
        Membership.objects.active()
        .filter(organisation=organisation, role=role, user__is_active=True)
        .filter(user__email__iexact=address)
        .exists()
    ):
        raise ValidationError(
            {"email": _("Someone with this e-mail address already has this role here.")}
        )


def _revoke(actor: Actor, invitation: Invitation, *, replaced: bool = False) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit.record(
        "invitation.revoked",
        actor=actor,
        target=invitation,
        changes={"revoked": [False, True], **({"replaced": [False, True]} if replaced else {})},
    )
    security_log.info(kv("invitation_revoked", invitation=invitation.uuid, by=actor.user.pk))


def _replace_earlier(actor: Actor, address: str, organisation, purpose: str, subject_uuid):
    """Earlier invitations for the same: revoked (their links stop working), open or
    expired alike, so one link works at a time. The same person's for a job seeker; the
    same address and organisation for the others."""
    earlier = Invitation.objects.select_for_update().filter(
        used_at=None, revoked_at=None, purpose=purpose
    )
    if purpose == InvitationPurpose.JOB_SEEKER:
        if (
            Invitation.objects.open()
            .filter(purpose=purpose, email=address)
            .exclude(subject_uuid=subject_uuid)
            .exists()
        ):
            raise ValidationError(
                {
                    "email": _(
                        "This address has an open invitation for another person. Invite "
                        "each person at their own e-mail address."
                    )
                }
            )
        earlier = earlier.filter(subject_uuid=subject_uuid)
    else:
        earlier = earlier.filter(organisation=organisation, email=address)
    for old in earlier:
        _revoke(actor, old, replaced=True)


def _invite(
    *, actor: Actor, email: str, organisation, role: str, purpose: str, subject_uuid, replaces=None
) -> Invitation:
    address = _address(email)
    definition = purpose_for(purpose)
    definition.authorise(
        actor, organisation=organisation, role=role, subject_uuid=subject_uuid, sending=True
    )
    if actor.membership is None:
        raise PermissionDeniedError()
    _check_invitee(address, organisation, role, purpose)
    _replace_earlier(actor, address, organisation, purpose, subject_uuid)
    raw = Invitation.generate()
    invitation = Invitation(
        email=address,
        organisation=organisation,
        role=role,
        purpose=purpose,
        subject_uuid=subject_uuid,
        invited_by=actor.membership,
        token_hash=hash_token(raw),
        expires_at=timezone.now() + Invitation.LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    audit.record(
        "invitation.resent" if replaces is not None else "invitation.created",
        actor=actor,
        target=invitation,
        changes=audit.diff(
            {},
            {
                "email": address,
                "organisation": organisation,
                "role": role,
                "purpose": purpose,
                "person": subject_uuid,
                "replaces": replaces,
            },
        ),
    )
    security_log.info(
        kv(
            "invitation_sent",
            invitation=invitation.uuid,
            organisation=organisation.pk,
            role=role,
            by=actor.user.pk,
        )
    )
    if definition.sent is not None:
        definition.sent(actor=actor, invitation=invitation)
    notify_address(
        kind=Kind.INVITATION,
        to_address=address,
        url=reverse("accounts:invitation-link", args=[raw]),
        organisation=organisation,
        formal=role == Role.EMPLOYER,
        extra=mail_lines(invitation),
    )
    return invitation


@transaction.atomic
def invitation_create(
    *, actor: Actor, email: str, organisation, role: str, purpose: str, subject_uuid=None
) -> Invitation:
    """Invite an e-mail address into ``organisation`` in ``role``, for ``purpose``.

    Who may invite whom is the purpose's rule (``hooks.INVITATION_PURPOSES``). The e-mail
    with the one-time link leaves after the transaction commits; only the link's hash is
    stored. An earlier invitation for the same is revoked: its link stops working."""
    return _invite(
        actor=actor,
        email=email,
        organisation=organisation,
        role=role,
        purpose=purpose,
        subject_uuid=subject_uuid,
    )


@transaction.atomic
def invitation_resend(*, actor: Actor, invitation: Invitation) -> Invitation:
    """A new link for the same invitation (the old one stops working)."""
    if invitation.used_at is not None:
        raise ValidationError(_("This invitation was accepted; there is nothing to send again."))
    return _invite(
        actor=actor,
        email=invitation.email,
        organisation=invitation.organisation,
        role=invitation.role,
        purpose=invitation.purpose,
        subject_uuid=invitation.subject_uuid,
        replaces=invitation,
    )


@transaction.atomic
def invitation_revoke(*, actor: Actor, invitation: Invitation) -> Invitation:
    """Withdraw an invitation: its link stops working at once."""
    purpose_for(invitation.purpose).authorise(
        actor,
        organisation=invitation.organisation,
        role=invitation.role,
        subject_uuid=invitation.subject_uuid,
        sending=False,
    )
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at is not None:
        raise ValidationError(
            _("This invitation was accepted already. Withdraw the role on the user's page.")
        )
    if invitation.revoked_at is None:
        _revoke(actor, invitation)
    return invitation


def _inviter_may_still(invitation: Invitation) -> bool:
    """Whether the membership that sent the invitation may still invite this: a role
    withdrawn, an employer handed over, a person no longer served end the invitation."""
    inviter = invitation.invited_by
    if inviter is None or not inviter.user.is_active:
        return False
    try:
        purpose_for(invitation.purpose).authorise(
            actor_for(inviter),
            organisation=invitation.organisation,
            role=invitation.role,
            subject_uuid=invitation.subject_uuid,
            sending=False,
        )
    except (DomainError, ValidationError):
        return False
    return True


def invitation_state(invitation: Invitation) -> str:
    """``open`` when the link works; else why not (see :class:`InvitationUnusable`)."""
    state = invitation.state
    if state == "open" and not _inviter_may_still(invitation):
        return "void"
    return state


def _new_account(
    invitation: Invitation, *, username: str, password: str, first_name: str, last_name: str
) -> User:
    if account_for_address(invitation.email) is not None:
        raise ValidationError(
            _(
                "This e-mail address already has an account. Sign in with it to accept the "
                "invitation."
            )
        )
    username = (username or "").strip()
    if username and User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    for field, name in (("first_name", first_name), ("last_name", last_name)):
        if name.strip():
            try:
                validate_person_name(name.strip())
            except ValidationError as exc:
                raise ValidationError({field: exc.error_list}) from None
    user = User(
        username=username,
        email=invitation.email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list}) from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def _record_acceptance(
    invitee: Actor, invitation: Invitation, membership: Membership, event: str | None, created: bool
) -> None:
    user = membership.user
    if created:
        audit.record(
            "user.created",
            actor=invitee,
            target=user,
            changes=audit.diff({}, {"username": user.username, "email": user.email}),
        )
    if event is not None:
        audit.record(
            event,
            actor=invitee,
            target=membership,
            changes=audit.diff(
                {},
                {
                    "user": user,
                    "organisation": membership.organisation,
                    "role": membership.role,
                    "invitation": invitation,
                },
            ),
        )
    audit.record(
        "invitation.accepted",
        actor=invitee,
        target=invitation,
        changes={"accepted_user": [None, str(user.uuid)]},
    )
    log_account(invitee, user, Operation.CREATE if created else Operation.CHANGE)
    log_granted(
        membership,
        by=invitation.invited_by.user_id if invitation.invited_by else None,
        invitation=invitation,
    )


@transaction.atomic
def invitation_accept(
    *,
    token_hash: str,
    user: User | None = None,
    username: str = "",
    password: str = "",
    first_name: str = "",
    last_name: str = "",
) -> tuple[Invitation, Membership]:
    """Accept the invitation whose link has this hash, once: with a new account (``user``
    None: the username and password chosen), or for the signed-in ``user`` whose address
    it was sent to. The account, its role, what the purpose adds (a job seeker's record
    tied to the account) and the used link are one transaction: all or nothing. The
    inviter is told by e-mail."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "invited_by__user", "invited_by__organisation")
        .filter(token_hash=token_hash)
        .first()
    )
    if invitation is None:
        raise InvitationUnusable("unknown")
    state = invitation_state(invitation)
    if state != "open":
        raise InvitationUnusable(state)
    created = user is None
    if user is None:
        user = _new_account(
            invitation,
            username=username,
            password=password,
            first_name=first_name,
            last_name=last_name,
        )
    elif not (user.is_active and (user.email or "").strip().lower() == invitation.email):
        raise ValidationError(_("This invitation was sent to another e-mail address."))
    membership = Membership.objects.filter(
        user=user, organisation=invitation.organisation, role=invitation.role, is_active=True
    ).first()
    event = None  # the account has this role already: the purpose may still add to it
    if membership is None:
        membership, event = give_role(user, invitation.organisation, invitation.role)
    invitee = actor_for(membership)
    definition = purpose_for(invitation.purpose)
    if definition.accept is not None:
        definition.accept(invitation=invitation, user=user, actor=invitee)
    invitation.used_at, invitation.accepted_user = timezone.now(), user
    invitation.save(update_fields=["used_at", "accepted_user", "updated_at"])
    _record_acceptance(invitee, invitation, membership, event, created)
    security_log.info(kv("invitation_accepted", invitation=invitation.uuid, user=user.pk))
    if invitation.invited_by is not None:
        notify(
            kind=Kind.INVITATION_ACCEPTED,
            memberships=[invitation.invited_by],
            url=definition.page(invitation, user),
        )
    return invitation, membership


def invitation_acceptances_seen(*, actor: Actor, invitations: QuerySet[Invitation]) -> int:
    """The inviter opened the page an accepted invitation leads to (``hooks.Purpose.page``):
    of ``invitations``, those this membership sent that were accepted leave its inbox.
    Anyone else opening the page changes nothing. One UPDATE; returns how many.

    Not audited: it records what the inviter looked at, not a change to anyone's data (the
    page itself logs the read of the person or account it shows)."""
    if actor.membership is None:
        return 0
    return invitations.filter(
        invited_by=actor.membership, used_at__isnull=False, acceptance_seen_at=None
    ).update(acceptance_seen_at=timezone.now())


log = logging.getLogger("perspectief.accounts")


def invitations_purge(*, now: datetime | None = None) -> int:
    """Delete invitations whose link stopped working more than
    :data:`~perspectief.accounts.constants.INVITATION_KEPT_DAYS` ago (they hold an e-mail
    address; their audit events stay). Daily, from ``accounts.purge_invitations``."""
    cutoff = (now or timezone.now()) - timedelta(days=INVITATION_KEPT_DAYS)
    deleted, _counts = Invitation.objects.filter(expires_at__lt=cutoff).delete()
    if deleted:
        log.info("invitations purged count=%d", deleted)
    return deleted
