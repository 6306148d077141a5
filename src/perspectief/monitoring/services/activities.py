"""The activities of an action plan (the proeftuinen it pays for): add or change one, with
its owner, status, budget and the services and training from the catalogue it pays for.
One transaction each, with the actor checked and the audit written; every change writes a
new version of the plan, with a reason where one is given (:mod:`.revisions`). How an
activity turned out (its qualitative result) is recorded with :func:`activity_result_record`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.core.authz import Actor
from perspectief.core.exceptions import NotFoundError
from perspectief.funding.services import Payer, check_payer
from perspectief.monitoring.constants import ActivityKind, ActivityResult, ActivityStatus
from perspectief.monitoring.models import ActionPlan, PlanActivity
from perspectief.monitoring.selectors.plans import money, snapshot
from perspectief.monitoring.services.plans import own_plan
from perspectief.monitoring.services.revisions import clean_reason, revise
from perspectief.organisations.models import Organisation


@dataclass
class ActivityInput:
    name: str
    kind: str
    owner: Organisation | None
    budget: Decimal
    status: str = ActivityStatus.PLANNED
    offers: list = field(default_factory=list)
    #: Which funding pot pays the activity and how much; ``None``: leave it as it is.
    funding: Payer | None = None


def _check_fields(errors: dict, data: ActivityInput) -> None:
    """A name, a known kind and status, and an active organisation that owns it."""
    if not (data.name or "").strip():
        errors["name"] = [_("Give the activity a name.")]
    if data.kind not in ActivityKind.values:
        errors["kind"] = [_("Unknown kind of activity.")]
    if data.status not in ActivityStatus.values:
        errors["status"] = [_("Unknown status.")]
    if data.owner is None or not data.owner.is_active:
        errors["owner"] = [_("Choose the organisation that owns the activity.")]


def _check_budget(
    errors: dict, plan: ActionPlan, budget: Decimal, activity: PlanActivity | None
) -> None:
    """Not negative, and the activities' budgets add up to at most the plan's."""
    if budget < 0:
        errors["budget"] = [_("The budget cannot be negative.")]
        return
    others = plan.activities.all()
    if activity is not None:
        others = others.exclude(pk=activity.pk)
    allocated = (others.aggregate(s=Sum("budget"))["s"] or Decimal(0)) + budget
    if allocated > plan.budget:
        errors["budget"] = [
            _(
                "The activities would get € %(allocated)s of the plan's € %(budget)s: "
                "the budgets do not add up. Lower one or raise the plan's budget (a "
                "revision)."
            )
            % {"allocated": money(allocated), "budget": money(plan.budget)}
        ]


def _check_offers(
    errors: dict, plan: ActionPlan, data: ActivityInput, activity: PlanActivity | None
) -> None:
    """Services and training of the region, each paid for by this activity only.

    One activity per service: the matches an activity contributed to are counted by the
    services it pays for, and two activities sharing some could be subtracted from each
    other to count the few people of the rest."""
    bad_offers = [o for o in data.offers if o.region_id != plan.region_id]
    if bad_offers:
        errors["offers"] = [_("Choose services and training of the region.")]
    wanted = {offer.pk for offer in data.offers}
    others = plan.activities.prefetch_related("offers")
    if activity is not None:
        others = others.exclude(pk=activity.pk)
    taken = [(o.title, a.name) for a in others for o in a.offers.all() if o.pk in wanted]
    if taken:
        errors.setdefault("offers", []).append(
            _("A service is paid for by one activity of the plan: %(list)s.")
            % {"list": "; ".join(f"{title} ({name})" for title, name in taken)}
        )


@transaction.atomic
def activity_save(
    *,
    actor: Actor,
    plan: ActionPlan,
    data: ActivityInput,
    activity: PlanActivity | None = None,
    reason: str = "",
) -> PlanActivity:
    """Add or change an activity; the activities' budgets add up to at most the plan's."""
    plan = own_plan(actor, plan)
    if activity is not None and activity.plan_id != plan.pk:
        raise NotFoundError(_("Activity not found."))
    reason = clean_reason(reason)
    errors: dict[str, list] = {}
    _check_fields(errors, data)
    budget = Decimal(data.budget if data.budget is not None else -1)
    _check_budget(errors, plan, budget, activity)
    _check_offers(errors, plan, data, activity)
    amount = None
    if data.funding is not None:
        amount = check_payer(
            data.funding.pot, data.funding.amount, region_id=plan.region_id, errors=errors
        )
    if errors:
        raise ValidationError(errors)
    before = snapshot(plan)
    created = activity is None
    if activity is None:
        activity = PlanActivity(plan=plan)
    activity.name, activity.kind = data.name.strip()[:200], data.kind
    assert data.owner is not None  # _check_fields() refuses an activity without its owner
    activity.owner, activity.status, activity.budget = data.owner, data.status, budget
    if data.funding is not None:
        activity.funding_pot, activity.funding_amount = data.funding.pot, amount
    activity.save()
    activity.offers.set(data.offers)
    revise(actor, plan, before, reason or (_("Activity added.") if created else ""))
    audit.record(
        "plan.activity_added" if created else "plan.activity_changed",
        actor=actor,
        target=plan,
        changes={
            "activity": [None, activity.name],
            "budget": [None, money(budget)],
            "funding_pot": [None, str(activity.funding_pot or "")],
            "funding_amount": [
                None,
                money(activity.funding_amount) if activity.funding_amount is not None else "",
            ],
        },
    )
    return activity


@transaction.atomic
def activity_result_record(
    *,
    actor: Actor,
    activity: PlanActivity,
    started_on: date | None,
    result: str,
    note: str = "",
) -> PlanActivity:
    """Record how an activity turned out: when it started (``None``: not started), the
    result (empty: none yet) and a short text. Kept in the plan's history and audited."""
    plan = own_plan(actor, activity.plan)
    activity = PlanActivity.objects.select_for_update().get(pk=activity.pk, plan=plan)
    note = (note or "").strip()
    errors: dict[str, list] = {}
    if result and result not in ActivityResult.values:
        errors["result"] = [_("Unknown result.")]
    if started_on is not None and started_on > timezone.localdate():
        errors["started_on"] = [_("The start date cannot be in the future.")]
    if started_on is None and result and result != ActivityResult.STOPPED:
        errors["started_on"] = [
            _("An activity that has not started has no result yet (except stopped).")
        ]
    if len(note) > 500:
        errors["result_note"] = [_("Keep the text about the result under 500 characters.")]
    if errors:
        raise ValidationError(errors)
    before = snapshot(plan)
    old = [str(activity.started_on or ""), activity.result, activity.result_note]
    activity.started_on, activity.result, activity.result_note = started_on, result, note
    activity.result_at, activity.result_by = timezone.now(), getattr(actor, "user", None)
    activity.save(
        update_fields=[
            "started_on",
            "result",
            "result_note",
            "result_at",
            "result_by",
            "updated_at",
        ]
    )
    revise(actor, plan, before, "")
    new = [str(started_on or ""), result, note]
    audit.record(
        "plan.activity_result",
        actor=actor,
        target=plan,
        changes={
            "activity": [activity.name, activity.name],
            "started_on": [old[0], new[0]],
            "result": [old[1], new[1]],
            "result_note": [old[2], new[2]],
        },
    )
    return activity
