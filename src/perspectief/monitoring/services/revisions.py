"""Revisions of an action plan: once in force, every change needs a reason and writes a
new version; the history keeps each version with its date, who, the reason, what changed
and the whole plan as it was (:func:`perspectief.monitoring.selectors.plans.snapshot`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from perspectief.core.authz import Actor
from perspectief.monitoring.constants import PlanStatus
from perspectief.monitoring.models import ActionPlan, PlanRevision
from perspectief.monitoring.selectors.plans import snapshot


def need_reason(plan: ActionPlan | None, reason: str) -> str:
    """The reason for a change, stripped; refused when empty for a plan no longer a draft."""
    reason = (reason or "").strip()
    if plan is not None and plan.status != PlanStatus.DRAFT and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Say why the plan changes (e.g. the market changed): the history keeps "
                    "every version with its reason."
                )
            }
        )
    return reason


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
