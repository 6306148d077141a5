"""The doorbraak list: steps that are stuck — open past their due date, or handed off and
not answered within ``HANDOFF_ACCEPT_DAYS`` — for the planning organisation (with names) and
the region's coordinator (by the code partners know the person by)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.candidates.constants import JourneyStatus
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor, Permission

from ..constants import OPEN_STEPS, HandOff
from ..models import RouteStep


def stuck_filter(today: date | None = None) -> Q:
    """Steps that are stuck: open past their due date, or handed off and not answered
    within ``HANDOFF_ACCEPT_DAYS``."""
    today = today or timezone.localdate()
    waited = timezone.now() - timedelta(days=settings.HANDOFF_ACCEPT_DAYS)
    return (
        Q(status__in=OPEN_STEPS)
        & ~Q(route__candidate__status=JourneyStatus.LEFT)
        & (Q(planned_end__lt=today) | Q(handoff=HandOff.PENDING, handed_off_at__lt=waited))
    )


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


def stuck_steps(*, actor: Actor, today: date | None = None) -> tuple[list[Stuck], bool]:
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
