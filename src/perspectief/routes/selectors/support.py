"""Reads of support at work: the plans an actor may see with their signals (a missed
check-in, a risk of drop-out, six months in work not confirmed), and one plan; each person
shown is written to the access log by the caller or here."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.core.authz import Actor, Role
from perspectief.core.exceptions import NotFoundError

from ..constants import CheckInOutcome, PlanStatus
from ..models import CheckIn, SupportPlan


def missed_filter(today: date | None = None) -> Q:
    """Check-ins not recorded ``CHECK_IN_GRACE_DAYS`` after their due date, of plans still
    running (or durable, up to the 12-month check-in)."""
    today = today or timezone.localdate()
    return Q(
        held_on__isnull=True,
        due_on__lt=today - timedelta(days=settings.CHECK_IN_GRACE_DAYS),
        plan__status__in=[PlanStatus.ACTIVE, PlanStatus.DURABLE],
    )


def at_risk(plans):
    """Plans still running whose latest recorded check-in says there is a risk of drop-out."""
    latest = (
        CheckIn.objects.filter(plan=OuterRef("pk"), held_on__isnull=False)
        .order_by("-held_on", "-month")
        .values("outcome")[:1]
    )
    return (
        plans.filter(status__in=[PlanStatus.ACTIVE, PlanStatus.DURABLE])
        .annotate(latest_outcome=Subquery(latest))
        .filter(latest_outcome=CheckInOutcome.AT_RISK)
    )


def support_plans(*, actor: Actor, only_signals: bool = False) -> list[SupportPlan]:
    """Support plans the actor may see, each with ``missed`` (a check-in past due),
    ``at_risk`` (the latest check-in signals a risk of drop-out) and ``not_confirmed`` (six
    months in work and nobody confirmed it yet); signals first."""
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


def support_plan_get(*, actor: Actor, uuid) -> SupportPlan:
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
