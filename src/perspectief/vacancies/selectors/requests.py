"""The Werkgeversservicepunt's queue: the employer requests of the actor's region."""

from __future__ import annotations

from perspectief.core.authz import Actor, Permission

from ..models import EmployerRequest


def queue_for(actor: Actor):
    """The requests of the actor's region (for those who serve employers)."""
    if not actor.has_perm(Permission.MANAGE_EMPLOYERS) or not actor.region_id:
        return EmployerRequest.objects.none()
    return EmployerRequest.objects.filter(region_id=actor.region_id).select_related(
        "postcode", "employer__organisation", "assigned_to__user", "assigned_to__organisation"
    )
