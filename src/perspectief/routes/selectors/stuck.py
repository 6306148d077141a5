"""The doorbraak list: steps that are stuck — open past their due date, or handed off and
not answered within ``HANDOFF_ACCEPT_DAYS`` — for the planning organisation (with names) and
the region's coordinator (by the code partners know the person by)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Min, Q
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


def _late_answer(today: date) -> Q:
    """Hand-offs not answered within ``HANDOFF_ACCEPT_DAYS``, by the local day they were
    handed over (as :func:`stuck_rows` counts them)."""
    cutoff = today - timedelta(days=settings.HANDOFF_ACCEPT_DAYS)
    midnight = timezone.make_aware(datetime.combine(cutoff, time.min))
    return Q(handoff=HandOff.PENDING, handed_off_at__lt=midnight)


def _scoped(actor: Actor, today: date):
    """The stuck steps the actor may see, with the purpose of seeing them and whether they
    are the region's; ``None`` for an actor who sees none."""
    steps = RouteStep.objects.filter(stuck_filter(today)).filter(
        route__candidate__merged_into__isnull=True, route__candidate__anonymised_at__isnull=True
    )
    if actor.has_perm(Permission.VIEW_STUCK):
        steps = steps.filter(route__candidate__region_id=actor.region_id)
        return steps, ProcessingActivity.ROUTE_ESCALATION, True
    if actor.has_perm(Permission.PLAN_ROUTES):
        served = Candidate.objects.served_by(actor.organisation).values("pk")
        return steps.filter(route__candidate__in=served), ProcessingActivity.ROUTE_PLAN, False
    return None


def stuck_steps(*, actor: Actor, today: date | None = None) -> tuple[list[Stuck], bool]:
    """The doorbraak list and whether it shows the whole region.

    The region's coordinator (``routes.stuck``) sees every stuck step of the region, the
    person by the code partners know them by (no name: the coordinator breaks through with
    the organisations, not with the person's file); a planning organisation sees the stuck
    steps of the routes it serves, with names."""
    today = today or timezone.localdate()
    scoped = _scoped(actor, today)
    if scoped is None:
        return [], False
    steps, activity, regional = scoped
    steps = steps.select_related("route__candidate", "route__organisation", "owner").order_by(
        "planned_end", "id"
    )
    rows = stuck_rows(steps, today)
    for row in rows:
        access.record_candidate(actor, row.step.route.candidate, activity)
    return rows, regional


def stuck_count(*, actor: Actor, today: date | None = None) -> tuple[int, date | None]:
    """How many steps the actor's doorbraak list holds, and since when the oldest is stuck:
    the same steps as :func:`stuck_steps`, counted in the database (two aggregates, whatever
    the size of the region) and without reading anyone's data."""
    today = today or timezone.localdate()
    scoped = _scoped(actor, today)
    if scoped is None:
        return 0, None
    steps = scoped[0]
    late = _late_answer(today)
    answer = steps.filter(late).aggregate(n=Count("pk"), first=Min("handed_off_at"))
    due = (
        steps.exclude(late)
        .filter(planned_end__lt=today)
        .aggregate(n=Count("pk"), first=Min("planned_end"))
    )
    since = []
    if answer["first"] is not None:
        handed = timezone.localtime(answer["first"]).date()
        since.append(handed + timedelta(days=settings.HANDOFF_ACCEPT_DAYS))
    if due["first"] is not None:
        since.append(due["first"])
    return answer["n"] + due["n"], min(since, default=None)
