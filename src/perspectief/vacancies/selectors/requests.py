"""The Werkgeversservicepunt's queue: the employer requests of the actor's region; which of
them wait for a first contact (the inbox), and whom to tell about a request."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.utils import timezone

from perspectief.accounts.selectors import members_of
from perspectief.core.authz import ROLE_PERMISSIONS, Actor, Permission
from perspectief.organisations.constants import OrganisationKind
from perspectief.organisations.models import Organisation

from ..constants import RequestStatus
from ..models import EmployerRequest

#: Roles that may handle requests (account managers and intermediaries).
HANDLER_ROLES = sorted(r for r, p in ROLE_PERMISSIONS.items() if Permission.MANAGE_EMPLOYERS in p)

#: The inbox shows at most this many requests (overdue first); the queue page has them all.
INBOX_LIMIT = 100


def queue_for(actor: Actor):
    """The requests of the actor's region (for those who serve employers)."""
    if not actor.has_perm(Permission.MANAGE_EMPLOYERS) or not actor.region_id:
        return EmployerRequest.objects.none()
    return EmployerRequest.objects.filter(region_id=actor.region_id).select_related(
        "postcode", "employer__organisation", "assigned_to__user", "assigned_to__organisation"
    )


def waiting(queryset):
    """Requests still waiting for a first contact: not handled, nobody has called back."""
    return queryset.filter(first_contact_at__isnull=True).exclude(status=RequestStatus.DONE)


def waiting_for(actor: Actor):
    """The requests of the actor's queue that wait for the actor: every open request without
    a first contact, except one a colleague has taken that is not overdue yet (it is theirs
    until then; when it becomes overdue, anyone of the region may step in). Overdue first."""
    requests = waiting(queue_for(actor))
    membership = actor.membership
    if membership is not None:
        requests = requests.filter(
            Q(assigned_to__isnull=True)
            | Q(assigned_to=membership)
            | Q(assigned_to__is_active=False)
            | Q(due_at__lt=timezone.now())
        )
    return requests.order_by("due_at", "id")


def handlers_of(request: EmployerRequest) -> Iterator:
    """Whom to tell that the request waits: the colleague who has it (the account owner of a
    known employer, or who took it) while that membership is active; otherwise the account
    managers and intermediaries of the WSP organisations of the request's region."""
    assigned = request.assigned_to
    if assigned is not None and assigned.is_active and assigned.user.is_active:
        yield assigned
        return
    organisations = (
        Organisation.objects.filter(
            region_id=request.region_id,
            is_active=True,
            memberships__role__in=HANDLER_ROLES,
            memberships__is_active=True,
        )
        .exclude(kind=OrganisationKind.EMPLOYER)
        .distinct()
        .order_by("pk")
    )
    for organisation in organisations:
        yield from members_of(organisation, permission=Permission.MANAGE_EMPLOYERS)
