"""Revisions of an action plan: every change writes a new version, with or without a reason
(regions adjust their plans as they learn, and need not account for each adjustment in
between); the history keeps each version with its date, who, the reason where one was
given, what changed and the whole plan as it was
(:func:`perspectief.monitoring.selectors.plans.snapshot`)."""

from __future__ import annotations

from perspectief.core.authz import Actor
from perspectief.monitoring.models import ActionPlan, PlanRevision
from perspectief.monitoring.selectors.plans import snapshot


def clean_reason(reason: str | None) -> str:
    """The reason for a change, stripped; optional (empty: none given, and the history
    says so)."""
    return (reason or "").strip()


def revise(actor: Actor, plan: ActionPlan, before: dict | None, reason: str) -> PlanRevision:
    """Keep the plan as it is now in its history: a new version with what changed since
    ``before`` (its snapshot), or the first version when ``before`` is None."""
    after = snapshot(plan)
    changes = (
        {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        if before is not None
        else {}
    )
    if before is not None:
        plan.version += 1
        plan.save(update_fields=["version", "updated_at"])
    return PlanRevision.objects.create(
        plan=plan,
        version=plan.version,
        reason=reason,
        changes=changes,
        snapshot=after,
        revised_by=getattr(actor, "user", None),
    )
