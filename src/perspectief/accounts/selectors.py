"""Reads on memberships that other apps' pages need."""

from perspectief.core.authz import ROLE_PERMISSIONS, Actor, Permission

from .models import Membership


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
