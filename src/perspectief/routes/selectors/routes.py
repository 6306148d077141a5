"""Reads of routes and hand-offs. Everything goes through ``Route.objects.visible_to``;
every person shown is written to the access log with the purpose of the view."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor, Permission, Role
from perspectief.core.exceptions import NotFoundError

from ..constants import OPEN_STEPS, HandOff
from ..models import Route, RouteStep

#: How an actor sees a route: planning it (serves the person), carrying out a step that was
#: handed over and accepted (name and contact, no more), deciding on a hand-off (the code
#: partners know the person by, until it accepts), or the person's own.
PLAN = "plan"
STEP = "step"
PENDING = "pending"
SELF = "self"

ACTIVITY = {
    PLAN: ProcessingActivity.ROUTE_PLAN,
    STEP: ProcessingActivity.ROUTE_STEP,
    PENDING: ProcessingActivity.ROUTE_STEP,
    SELF: ProcessingActivity.CANDIDATE_SELF,
}


def route_level(actor: Actor, route: Route) -> str:
    if actor.role == Role.CANDIDATE:
        return SELF
    if Candidate.objects.served_by(actor.organisation).filter(pk=route.candidate_id).exists():
        return PLAN
    accepted = route.steps.filter(owner_id=actor.organisation.pk, handoff=HandOff.ACCEPTED)
    return STEP if accepted.exists() else PENDING


def shown_steps(actor: Actor, route: Route, level: str) -> list[RouteStep]:
    """The steps an actor sees: all of them when planning it or for the person; an
    organisation a step was handed to sees its own steps only (need to know: another
    partner's job coaching or workplace adjustment may hint at a limitation)."""
    steps = list(route.steps.all())
    if level in (PLAN, SELF):
        return steps
    return [s for s in steps if s.owner_id == actor.organisation.pk]


def log_route(actor: Actor, route: Route, level: str, operation: str = "read") -> None:
    access.record_candidate(actor, route.candidate, ACTIVITY[level], operation)


def route_get_for_actor(*, actor: Actor, uuid) -> tuple[Route, str]:
    route = (
        Route.objects.visible_to(actor)
        .select_related("candidate__postcode", "candidate__klantmanager", "organisation")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=RouteStep.objects.select_related(
                    "owner", "offer", "edition", "handoff_decided_by", "funding_pot"
                ),
            )
        )
        .filter(uuid=uuid)
        .first()
    )
    if route is None:
        raise NotFoundError(_("Route not found."))
    level = route_level(actor, route)
    log_route(actor, route, level)
    return route, level


def handed_to(*, actor: Actor):
    """Steps handed to the actor's organisation that are still open: waiting for its answer
    first, then accepted ones by start date."""
    if not actor.has_perm(Permission.VIEW_ROUTES):
        return RouteStep.objects.none()
    visible = Route.objects.visible_to(actor).values("pk")
    return (
        RouteStep.objects.filter(
            route__in=visible,
            owner_id=actor.organisation.pk,
            handoff__in=[HandOff.PENDING, HandOff.ACCEPTED],
            status__in=OPEN_STEPS,
        )
        .select_related("route__candidate", "route__organisation")
        .order_by("-handoff", "planned_start", "id")
    )


def planned_routes(*, actor: Actor):
    """Routes of the people the actor's organisation serves."""
    if not actor.has_perm(Permission.PLAN_ROUTES):
        return Route.objects.none()
    served = Candidate.objects.served_by(actor.organisation).values("pk")
    return (
        Route.objects.visible_to(actor)
        .filter(candidate__in=served)
        .select_related("candidate")
        .prefetch_related(Prefetch("steps", queryset=RouteStep.objects.select_related("owner")))
        .order_by("candidate__last_name", "candidate__first_name", "id")
    )
