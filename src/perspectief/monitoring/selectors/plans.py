"""Reading the region's action plan: which plan holds for a day or a period, the plan as a
whole for its revision history (:func:`snapshot`), and the plan as it was in force on a day,
read back from that history (:func:`plan_as_of`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy

from perspectief.candidates.constants import TargetGroup
from perspectief.monitoring.constants import (
    ActivityKind,
    ActivityStatus,
    AmbitionDimension,
    PlanStatus,
)
from perspectief.monitoring.models import ActionPlan, PlanAmbition
from perspectief.taxonomy.models import Sector

#: How the history names what changed (the keys of :func:`snapshot`).
CHANGE_LABELS = {
    "title": gettext_lazy("title"),
    "period": gettext_lazy("period"),
    "lead": gettext_lazy("lead"),
    "employer_lead": gettext_lazy("employers' representative"),
    "partners": gettext_lazy("partners"),
    "ambition": gettext_lazy("ambition"),
    "baseline": gettext_lazy("baseline"),
    "budget": gettext_lazy("budget"),
    "status": gettext_lazy("status"),
    "ambitions": gettext_lazy("ambition per group"),
    "activities": gettext_lazy("activities"),
    "borging": gettext_lazy("what lasts after the plan"),
}


def money(value) -> str:
    """An amount as the history keeps it and the refusals name it (1234.50)."""
    return f"{Decimal(value):.2f}"


def ambition_label(ambition: PlanAmbition) -> str:
    if ambition.dimension == AmbitionDimension.TARGET_GROUP:
        return str(dict(TargetGroup.choices).get(ambition.key, ambition.key))
    sector = Sector.objects.filter(code=ambition.key).first()
    return sector.short_name or sector.name if sector else ambition.key


def snapshot(plan: ActionPlan) -> dict:
    """The plan as a whole, for its revision history."""
    return {
        "title": plan.title,
        "period": [str(plan.period_start), str(plan.period_end)],
        "lead": plan.lead.name,
        "employer_lead": plan.employer_lead,
        "partners": sorted(o.name for o in plan.partners.all()),
        "ambition": plan.ambition,
        "baseline": plan.baseline,
        "budget": money(plan.budget),
        "status": plan.status,
        "ambitions": sorted([a.dimension, a.key, a.matches] for a in plan.ambitions.all()),
        "activities": [
            {
                "name": a.name,
                "kind": a.kind,
                "owner": a.owner.name,
                "status": a.status,
                "budget": money(a.budget),
                "started_on": str(a.started_on) if a.started_on else None,
                "result": a.result,
                "result_note": a.result_note,
            }
            for a in plan.activities.select_related("owner").order_by("name", "id")
        ],
        "borging": [
            {
                "what": b.what,
                "owner": b.owner.name,
                "payer": b.payer or (b.funding_pot.name if b.funding_pot else ""),
                "planned_from": str(b.planned_from),
                "status": b.status,
                "note": b.note,
            }
            for b in plan.borging.select_related("owner", "funding_pot").order_by("what", "id")
        ],
    }


def _named_changes(old: list | None, new: list | None, name: str) -> list[str]:
    """The names (``name`` key) of the items of a list that were added, removed or changed."""
    old_by: dict[object, list] = {}
    for item in old or []:
        old_by.setdefault(item.get(name), []).append(item)
    new_by: dict[object, list] = {}
    for item in new or []:
        new_by.setdefault(item.get(name), []).append(item)
    return sorted(
        str(key) for key in set(old_by) | set(new_by) if old_by.get(key) != new_by.get(key)
    )


def changed_labels(changes: dict) -> list[str]:
    """What a revision changed, as the history says it: the field's label, and for the
    activities and what lasts after the plan also which ones."""
    out = []
    for key, pair in changes.items():
        label = str(CHANGE_LABELS.get(key, key))
        if key in ("activities", "borging") and isinstance(pair, list) and len(pair) == 2:
            names = _named_changes(pair[0], pair[1], "name" if key == "activities" else "what")
            if names:
                label = f"{label} ({', '.join(names)})"
        out.append(label)
    return out


def plan_for(region_id, day: date | None = None) -> ActionPlan | None:
    """The region's plan in force on a day (else its latest)."""
    day = day or timezone.localdate()
    plans = ActionPlan.objects.filter(region_id=region_id).exclude(status=PlanStatus.CLOSED)
    return (
        plans.filter(period_start__lte=day, period_end__gte=day).first()
        or ActionPlan.objects.filter(region_id=region_id).order_by("-period_start").first()
    )


def decided_plans(start: date, end: date):
    """Plans decided (not a draft) whose period overlaps ``start``–``end``, the latest to
    start first (one plan ends and the next begins in a quarter)."""
    return (
        ActionPlan.objects.filter(period_start__lte=end, period_end__gte=start)
        .exclude(status=PlanStatus.DRAFT)
        .order_by("-period_start", "pk")
    )


def plan_during(region_id, start: date, end: date) -> ActionPlan | None:
    """The region's plan for a period: the first of :func:`decided_plans`."""
    return decided_plans(start, end).filter(region_id=region_id).first()


@dataclass
class PlanVersion:
    """The plan as in force at the end of a quarter: its last version by then, read back from
    the revision history. A plan recorded only after the quarter had no version then: it
    is shown as it is now, and says so."""

    region_id: int
    title: str
    period_start: date
    period_end: date
    version: int
    status: str
    lead: str
    employer_lead: str
    ambition: int
    baseline: int | None
    budget: Decimal
    #: name, kind, owner, status (as shown) and budget of each activity
    activities: list[dict]
    #: recorded only after the quarter: shown as it is now
    recorded_later: bool = False


def plan_as_of(plan: ActionPlan, day: date) -> PlanVersion:
    """The plan's last version by ``day``, read back from its revision history (so that a
    later revision does not rewrite a past quarter)."""
    revisions = plan.revisions.order_by("version")
    revision = revisions.filter(revised_at__date__lte=day).last()
    later = revision is None  # recorded only after the quarter: as it is now
    if later:
        revision = revisions.last()
    version = revision.snapshot if revision else snapshot(plan)
    start, end = (date.fromisoformat(d) for d in version["period"])
    return PlanVersion(
        region_id=plan.region_id,
        title=version["title"],
        period_start=start,
        period_end=end,
        version=revision.version if revision else plan.version,
        status=str(PlanStatus(version["status"]).label),
        lead=version["lead"],
        employer_lead=version["employer_lead"],
        ambition=version["ambition"],
        baseline=version["baseline"],
        budget=Decimal(version["budget"]),
        activities=[
            {
                **a,
                "kind": str(ActivityKind(a["kind"]).label),
                "status": str(ActivityStatus(a["status"]).label),
                "budget": Decimal(a["budget"]),
            }
            for a in version["activities"]
        ],
        recorded_later=later,
    )
