"""Reads on memberships that other apps' pages need, and on invitations."""

import re

from perspectief.core.authz import ROLE_PERMISSIONS, Actor, Permission

from .models import Invitation, Membership, User, hash_token


def handover_candidates(*, actor: Actor, account):
    """Who can take an employer over from its account owner (the actor): the active
    memberships of the employer's region whose role may own employers, the actor's aside."""
    owner_roles = [
        r for r, perms in ROLE_PERMISSIONS.items() if Permission.MANAGE_EMPLOYERS in perms
    ]
    return (
        Membership.objects.active()
        .filter(organisation__region_id=account.organisation.region_id, role__in=owner_roles)
        .exclude(pk=actor.membership.pk)
        .select_related("user", "organisation")
    )


def members_of(organisation, *, roles=None, permission: str | None = None):
    """The active memberships of an organisation (in ``roles``, or with ``permission``):
    whom to tell that work waits for the organisation."""
    memberships = Membership.objects.active().filter(
        organisation=organisation, user__is_active=True
    )
    if permission is not None:
        roles = [r for r, perms in ROLE_PERMISSIONS.items() if permission in perms]
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return memberships.select_related("user", "organisation")


def account_for_address(email: str) -> User | None:
    """The active account with this e-mail address (the oldest, if more share it)."""
    if not email:
        return None
    return User.objects.filter(email__iexact=email.strip(), is_active=True).order_by("pk").first()


def invitation_by_token(raw: str) -> Invitation | None:
    """The invitation whose link carries ``raw`` (looked up by its hash), in any state."""
    if not raw or len(raw) > 100:
        return None
    return invitation_by_hash(hash_token(raw))


def invitation_by_hash(token_hash: str) -> Invitation | None:
    return (
        Invitation.objects.select_related(
            "organisation", "invited_by__user", "invited_by__organisation"
        )
        .filter(token_hash=token_hash)
        .first()
    )


def invitations_to_manage(actor: Actor, *, purpose: str, organisation=None, limit: int = 100):
    """The open and expired invitations the actor manages (newest first), of one purpose
    and optionally one organisation: the lists with "send again" and "withdraw"."""
    invitations = Invitation.objects.visible_to(actor).filter(
        purpose=purpose, used_at=None, revoked_at=None
    )
    if organisation is not None:
        invitations = invitations.filter(organisation=organisation)
    return list(
        invitations.select_related("organisation", "invited_by__organisation").order_by(
            "-created_at", "-id"
        )[:limit]
    )


def suggest_username(email: str) -> str:
    """A free username made of the address's part before the @ (``a.jansen``,
    ``a.jansen2``...), for the invitee to keep or change."""
    base = re.sub(r"[^a-z0-9._-]", "", (email or "").split("@")[0].lower())[:30] or "user"
    taken = {
        name.lower()
        for name in User.objects.filter(username__istartswith=base).values_list(
            "username", flat=True
        )
    }
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate
