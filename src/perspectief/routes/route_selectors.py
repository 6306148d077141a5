"""Reads of routes, hand-offs, the stuck list and support plans. Everything goes through
``Route.objects.visible_to`` / ``SupportPlan.objects.visible_to``; every person shown is
written to the access log with the purpose of the view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Permission, Role
from perspectief.core.exceptions import NotFoundError

from .constants import OPEN_STEPS, HandOff, PlanStatus
from .models import CheckIn, Route, RouteStep, SupportPlan
from .planning import stuck_filter
from .support import missed_filter

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


def route_level(actor, route: Route) -> str:
    if actor.role == Role.CANDIDATE:
        return SELF
    if Candidate.objects.served_by(actor.organisation).filter(pk=route.candidate_id).exists():
        return PLAN
    accepted = route.steps.filter(owner_id=actor.organisation.pk, handoff=HandOff.ACCEPTED)
    return STEP if accepted.exists() else PENDING


def shown_steps(actor, route: Route, level: str) -> list[RouteStep]:
    """The steps an actor sees: all of them when planning it or for the person; an
    organisation a step was handed to sees its own steps only (need to know: another
    partner's job coaching or workplace adjustment may hint at a limitation)."""
    steps = list(route.steps.all())
    if level in (PLAN, SELF):
        return steps
    return [s for s in steps if s.owner_id == actor.organisation.pk]


def log_route(actor, route: Route, level: str, operation: str = "read") -> None:
    access.record_candidate(actor, route.candidate, ACTIVITY[level], operation)


def route_get_for_actor(*, actor, uuid) -> tuple[Route, str]:
    route = (
        Route.objects.visible_to(actor)
        .select_related("candidate__postcode", "candidate__klantmanager", "organisation")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=RouteStep.objects.select_related(
                    "owner", "offer", "edition", "handoff_decided_by"
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


@dataclass
class Stuck:
    step: RouteStep
    why: str  # "due" or "handoff"
    since: date

    @property
    def days(self) -> int:
        return (timezone.localdate() - self.since).days


def stuck_rows(steps, today: date) -> list[Stuck]:
    wait = timedelta(days=settings.HANDOFF_ACCEPT_DAYS)
    rows = []
    for step in steps:
        if not step.is_open:
            continue
        if step.handoff == HandOff.PENDING and step.handed_off_at is not None:
            handed = timezone.localtime(step.handed_off_at).date()
            if handed + wait < today:
                rows.append(Stuck(step, "handoff", handed + wait))
                continue
        if step.planned_end < today:
            rows.append(Stuck(step, "due", step.planned_end))
    rows.sort(key=lambda r: r.since)
    return rows


def stuck_steps(*, actor, today: date | None = None) -> tuple[list[Stuck], bool]:
    """The doorbraak list and whether it shows the whole region.

    The region's coordinator (``routes.stuck``) sees every stuck step of the region, the
    person by the code partners know them by (no name: the coordinator breaks through with
    the organisations, not with the person's file); a planning organisation sees the stuck
    steps of the routes it serves, with names."""
    today = today or timezone.localdate()
    steps = RouteStep.objects.filter(stuck_filter(today)).select_related(
        "route__candidate", "route__organisation", "owner"
    )
    regional = actor.has_perm(Permission.VIEW_STUCK)
    if regional:
        steps = steps.filter(route__candidate__region_id=actor.region_id)
        activity = ProcessingActivity.ROUTE_ESCALATION
    elif actor.has_perm(Permission.PLAN_ROUTES):
        served = Candidate.objects.served_by(actor.organisation).values("pk")
        steps = steps.filter(route__candidate__in=served)
        activity = ProcessingActivity.ROUTE_PLAN
    else:
        return [], False
    steps = steps.filter(
        route__candidate__merged_into__isnull=True, route__candidate__anonymised_at__isnull=True
    ).order_by("planned_end", "id")
    rows = stuck_rows(steps, today)
    for row in rows:
        access.record_candidate(actor, row.step.route.candidate, activity)
    return rows, regional


def handed_to(*, actor):
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


def planned_routes(*, actor):
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


def support_plans(*, actor, only_signals: bool = False) -> list[SupportPlan]:
    """Support plans the actor may see, each with ``missed`` (a check-in past due),
    ``at_risk`` (the latest check-in signals a risk of drop-out) and ``not_confirmed`` (six
    months in work and nobody confirmed it yet); signals first."""
    from .support import at_risk

    plans = SupportPlan.objects.visible_to(actor).select_related(
        "candidate", "employer", "organisation", "jobcoach", "confirmation__recorded_by"
    )
    risky = set(at_risk(plans).values_list("pk", flat=True))
    missed = set(
        CheckIn.objects.filter(missed_filter(), plan__in=plans).values_list("plan_id", flat=True)
    )
    rows = []
    for plan in plans.order_by("-started_on", "id"):
        plan.missed, plan.at_risk = plan.pk in missed, plan.pk in risky
        plan.signal = plan.missed or plan.at_risk or plan.not_confirmed
        if only_signals and not plan.signal:
            continue
        rows.append(plan)
    rows.sort(key=lambda p: (not p.signal, p.status != PlanStatus.ACTIVE))
    return rows


def support_plan_get(*, actor, uuid) -> SupportPlan:
    plan = (
        SupportPlan.objects.visible_to(actor)
        .select_related(
            "candidate",
            "employer",
            "organisation",
            "jobcoach",
            "proposal",
            "outside_hire",
            "confirmation__recorded_by",
        )
        .filter(uuid=uuid)
        .first()
    )
    if plan is None:
        raise NotFoundError(_("Support plan not found."))
    activity = (
        ProcessingActivity.CANDIDATE_SELF
        if actor.role == Role.CANDIDATE
        else ProcessingActivity.SUPPORT_AT_WORK
    )
    access.record_candidate(actor, plan.candidate, activity)
    return plan
