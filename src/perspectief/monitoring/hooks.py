"""What monitoring adds to lower apps' processes: the plan activities a funding pot pays
(``perspectief.funding.commitments``). Registered in ``MonitoringConfig.ready()``."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perspectief.core.authz import Actor, Permission
from perspectief.funding import commitments
from perspectief.funding.models import FundingPot

from .constants import ActivityStatus
from .models import PlanActivity


def _paying_activities() -> QuerySet:
    """Activities paid from a pot; a stopped activity releases its amount."""
    return PlanActivity.objects.filter(
        funding_pot__isnull=False, funding_amount__isnull=False
    ).exclude(status=ActivityStatus.STOPPED)


def activity_totals(pot_ids: list[int], region_id: int) -> dict[int, Decimal]:
    rows = (
        _paying_activities()
        .filter(funding_pot_id__in=pot_ids, plan__region_id=region_id)
        .values("funding_pot_id")
        .annotate(total=Sum("funding_amount"))
    )
    return {row["funding_pot_id"]: row["total"] for row in rows}


def activity_lines(actor: Actor, pot: FundingPot) -> list[commitments.Line]:
    """The pot's activities (of the actor's region: a national pot is drawn on by every
    region, and each sees its own); the plan's page is linked for those who see it."""
    activities = (
        _paying_activities()
        .filter(funding_pot=pot, plan__region_id=actor.region_id)
        .select_related("owner", "plan")
        .order_by("plan__period_start", "name", "id")
    )
    url = reverse("monitoring:plan") if actor.has_perm(Permission.VIEW_INDICATORS) else ""
    return [
        commitments.Line(
            what=f"{activity.name} ({activity.plan.title})",
            organisation=activity.owner.name,
            amount=activity.funding_amount or Decimal(0),
            status=str(activity.get_status_display()),
            start=activity.plan.period_start,
            end=activity.plan.period_end,
            url=url,
        )
        for activity in activities
    ]


PLAN_ACTIVITIES = commitments.Source(
    label=_("Plan activities"), totals=activity_totals, lines=activity_lines
)


def register() -> None:
    commitments.SOURCES.register("monitoring.activities", PLAN_ACTIVITIES, order=20)
