"""Writes on users, memberships and API tokens (invitations: ``invitations.py``). Each runs
in a transaction and writes its audit event in it; privilege changes also go to the security
log."""

from __future__ import annotations

import logging
from datetime import datetime

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity, SubjectType
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError
from perspectief.core.logging import kv

from ..models import ApiToken, Membership, User, hash_token

security_log = logging.getLogger("perspectief.security")


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
) -> User:
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        "user.created",
        actor=actor,
        target=user,
        changes=audit.diff({}, {"username": username, "email": email}),
    )
    # Logged once the account really exists (a rolled-back creation processed nobody).
    transaction.on_commit(lambda: log_account(actor, user, Operation.CREATE))
    return user


def log_account(actor: Actor, user, operation):
    access.record(
        actor=actor,
        activity=ProcessingActivity.ACCOUNT_MANAGE,
        subject_type=SubjectType.USER,
        subject_id=user.uuid,
        operation=operation,
    )


def give_role(user: User, organisation, role: str) -> tuple[Membership, str]:
    """The membership, new or a role withdrawn earlier given back (the same row); and the
    audit event's name for it."""
    withdrawn = Membership.objects.filter(
        user=user, organisation=organisation, role=role, is_active=False
    ).first()
    if (
        withdrawn is not None
        and not Membership.objects.filter(
            user=user, organisation=organisation, role=role, is_active=True
        ).exists()
    ):
        withdrawn.is_active = True
        withdrawn.full_clean()
        withdrawn.save(update_fields=["is_active", "updated_at"])
        return withdrawn, "membership.reactivated"
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    return membership, "membership.created"


def log_granted(membership: Membership, *, by, invitation=None) -> None:
    security_log.info(
        kv(
            "privilege_granted",
            user=membership.user_id,
            organisation=membership.organisation_id,
            role=membership.role,
            by=by,
            **({"invitation": invitation.uuid} if invitation is not None else {}),
        )
    )


@transaction.atomic
def membership_create(*, actor: Actor, user: User, organisation, role: str) -> Membership:
    """Give a role; a role withdrawn earlier is given back (same row, audited)."""
    membership, event = give_role(user, organisation, role)
    audit.record(
        event,
        actor=actor,
        target=membership,
        changes=audit.diff({}, {"user": user, "organisation": organisation, "role": role}),
    )
    log_account(actor, user, Operation.CHANGE)
    log_granted(membership, by=getattr(getattr(actor, "user", None), "pk", None))
    return membership


@transaction.atomic
def membership_deactivate(*, actor: Actor, membership: Membership) -> Membership:
    if not membership.is_active:
        return membership
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    membership.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.record(
        "membership.deactivated",
        actor=actor,
        target=membership,
        changes={"is_active": [True, False]},
    )
    log_account(actor, membership.user, Operation.CHANGE)
    security_log.info(
        kv(
            "privilege_revoked",
            user=membership.user_id,
            organisation=membership.organisation_id,
            role=membership.role,
            by=getattr(getattr(actor, "user", None), "pk", None),
        )
    )
    return membership


@transaction.atomic
def token_create(
    *, actor: Actor, membership: Membership, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a personal API token for one of the actor's own memberships.

    Returns the token and the raw secret, which is shown once and never stored."""
    if membership.user_id != actor.user.pk:
        raise NotFoundError(_("Membership not found."))
    if not membership.is_active:
        raise ValidationError(_("This membership is not active."))
    if Permission.MANAGE_OWN_TOKENS not in membership.permissions:
        raise ValidationError(_("This role cannot use API tokens."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the system that uses it.")})
    raw = ApiToken.generate()
    token = ApiToken(
        membership=membership,
        name=name[:100],
        prefix=raw[: ApiToken.PREFIX_LENGTH],
        key_hash=hash_token(raw),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    audit.record(
        "api_token.created",
        actor=actor,
        target=token,
        changes=audit.diff({}, {"name": token.name, "membership": membership}),
    )
    security_log.info(kv("api_token_created", user=actor.user.pk, token=token.prefix))
    return token, raw


@transaction.atomic
def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    if token.membership.user_id != actor.user.pk:
        raise NotFoundError(_("Token not found."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit.record(
            "api_token.revoked", actor=actor, target=token, changes={"revoked": [False, True]}
        )
        security_log.info(kv("api_token_revoked", user=actor.user.pk, token=token.prefix))
    return token


def password_link_issue(*, actor: Actor, user: User) -> str:
    """A one-time link with which the user chooses a new password. Only for accounts whose
    every active role lies in the administrator's region; audited and logged."""
    if not User.objects.managed_by(actor).filter(pk=user.pk).exists():
        raise NotFoundError(_("User not found."))
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    audit.record("user.password_link_issued", actor=actor, target=user)
    security_log.info(kv("password_link_issued", user=user.pk, by=actor.user.pk))
    log_account(actor, user, Operation.CHANGE)
    return reverse("accounts:password-set", args=[uid, token])


@transaction.atomic
def user_set_active(*, actor: Actor, user: User, active: bool) -> User:
    """Deactivate an account, or activate it again. It takes effect on the user's next
    request: the authentication backend refuses inactive users (their sessions act for
    nobody) and their API tokens are revoked, for good. Only for accounts whose every
    active role lies in the administrator's region."""
    if not User.objects.managed_by(actor).filter(pk=user.pk).exists():
        raise NotFoundError(_("User not found."))
    if user.pk == actor.user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        ApiToken.objects.filter(membership__user=user, revoked_at=None).update(
            revoked_at=timezone.now()
        )
    audit.record(
        "user.reactivated" if active else "user.deactivated",
        actor=actor,
        target=user,
        changes={"is_active": [not active, active]},
    )
    log_account(actor, user, Operation.CHANGE)
    security_log.info(
        kv(
            "account_reactivated" if active else "account_deactivated",
            user=user.pk,
            by=actor.user.pk,
        )
    )
    return user
