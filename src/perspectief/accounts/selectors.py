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
