"""The region's action plan: record it, revise it with a reason (history kept), keep its
activities and their spend. Every service is one transaction, checks the actor and writes
the audit; a refused request stores nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perspectief.audit import services as audit
from perspectief.candidates.constants import TargetGroup
from perspectief.core.authz import Permission
from perspectief.core.dates import short_date
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.organisations.constants import OrganisationKind
from perspectief.taxonomy.models import Sector

from .constants import ActivityKind, ActivityStatus, AmbitionDimension, PlanStatus
from .models import ActionPlan, PlanActivity, PlanAmbition, PlanRevision, Spend


@dataclass
class PlanInput:
    title: str
    period_start: date
    period_end: date
    lead: object  # Organisation
    employer_lead: str
    ambition: int
    budget: Decimal
    baseline: int | None = None
    partners: list = field(default_factory=list)
    #: (dimension, key, matches a year)
    ambitions: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class ActivityInput:
    name: str
    kind: str
    owner: object  # Organisation
    budget: Decimal
    status: str = ActivityStatus.PLANNED
    offers: list = field(default_factory=list)


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
}


def ambition_label(ambition: PlanAmbition) -> str:
    if ambition.dimension == AmbitionDimension.TARGET_GROUP:
        return str(dict(TargetGroup.choices).get(ambition.key, ambition.key))
    sector = Sector.objects.filter(code=ambition.key).first()
    return sector.short_name or sector.name if sector else ambition.key


def _money(value) -> str:
    return f"{Decimal(value):.2f}"


def _manager(actor) -> None:
    if not actor.has_perm(Permission.MANAGE_PLANS) or not actor.region_id:
        raise PermissionDeniedError()


def _own_plan(actor, plan: ActionPlan) -> ActionPlan:
    _manager(actor)
    found = (
        ActionPlan.objects.select_for_update().filter(pk=plan.pk, region_id=actor.region_id).first()
    )
    if found is None:
        raise NotFoundError(_("Action plan not found."))
    return found


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
        "budget": _money(plan.budget),
        "status": plan.status,
        "ambitions": sorted([a.dimension, a.key, a.matches] for a in plan.ambitions.all()),
        "activities": [
            {
                "name": a.name,
                "kind": a.kind,
                "owner": a.owner.name,
                "status": a.status,
                "budget": _money(a.budget),
            }
            for a in plan.activities.select_related("owner").order_by("name", "id")
        ],
    }


def _revise(actor, plan: ActionPlan, before: dict | None, reason: str) -> PlanRevision:
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


def _need_reason(plan: ActionPlan | None, reason: str) -> str:
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


def _check_plan(actor, data: PlanInput, plan: ActionPlan | None) -> None:
    errors: dict[str, list] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if not (data.title or "").strip():
        add("title", _("Give the plan a title."))
    if data.period_start is None or data.period_end is None:
        add("period_end", _("Give the period: from and until."))
    elif data.period_end <= data.period_start:
        add("period_end", _("The end of the period must lie after its start."))
    else:
        overlap = ActionPlan.objects.filter(
            region_id=actor.region_id,
            period_start__lt=data.period_end,
            period_end__gt=data.period_start,
        ).exclude(status=PlanStatus.CLOSED)
        if plan is not None:
            overlap = overlap.exclude(pk=plan.pk)
        other = overlap.first()
        if other is not None:
            add(
                "period_start",
                _(
                    "The period overlaps “%(title)s” (%(start)s – %(end)s): a region has one "
                    "plan at a time. Revise that plan, or close it first."
                )
                % {
                    "title": other.title,
                    "start": short_date(other.period_start),
                    "end": short_date(other.period_end),
                },
            )
    if data.ambition is None or data.ambition <= 0:
        add("ambition", _("The ambition is a number of extra matches a year, at least 1."))
    if data.baseline is not None and data.baseline < 0:
        add("baseline", _("The baseline cannot be negative."))
    if data.budget is None or Decimal(data.budget) < 0:
        add("budget", _("The budget cannot be negative."))
    lead = data.lead
    if lead is None or lead.kind != OrganisationKind.GEMEENTE or lead.region_id != actor.region_id:
        add("lead", _("The lead is a gemeente of the region (normally the centrumgemeente)."))
    if not (data.employer_lead or "").strip():
        add("employer_lead", _("Name who leads for the employers."))
    per_dimension: dict[str, int] = {}
    groups = set(TargetGroup.values)
    sectors = set(Sector.objects.values_list("code", flat=True))
    for dimension, key, matches in data.ambitions:
        if dimension not in AmbitionDimension.values:
            add("ambitions", _("Unknown kind of ambition: %(d)s.") % {"d": dimension})
            continue
        known = groups if dimension == AmbitionDimension.TARGET_GROUP else sectors
        if key not in known:
            add("ambitions", _("Unknown target group or sector: %(k)s.") % {"k": key})
        if matches is None or matches <= 0:
            add("ambitions", _("An ambition per group is at least 1 match a year."))
            continue
        per_dimension[dimension] = per_dimension.get(dimension, 0) + matches
    for dimension, total in per_dimension.items():
        if data.ambition and total > data.ambition:
            add(
                "ambitions",
                _(
                    "The ambitions per %(dimension)s add up to %(total)s, more than the plan's "
                    "%(ambition)s extra matches a year."
                )
                % {
                    "dimension": AmbitionDimension(dimension).label,
                    "total": total,
                    "ambition": data.ambition,
                },
            )
    if plan is not None and data.budget is not None:
        allocated = plan.activities.aggregate(s=Sum("budget"))["s"] or Decimal(0)
        if allocated > Decimal(data.budget):
            add(
                "budget",
                _(
                    "The activities already have € %(allocated)s: the budget cannot be "
                    "lower. Change their budgets first."
                )
                % {"allocated": _money(allocated)},
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_save(
    *, actor, data: PlanInput, plan: ActionPlan | None = None, reason: str = ""
) -> ActionPlan:
    """Record a new plan (a draft) or revise one; a plan in force needs the reason."""
    if plan is not None:
        plan = _own_plan(actor, plan)
    else:
        _manager(actor)
    reason = _need_reason(plan, reason)
    _check_plan(actor, data, plan)
    before = snapshot(plan) if plan is not None else None
    created = plan is None
    if created:
        plan = ActionPlan(region_id=actor.region_id)
    plan.title = data.title.strip()[:200]
    plan.period_start, plan.period_end = data.period_start, data.period_end
    plan.lead, plan.employer_lead = data.lead, data.employer_lead.strip()[:200]
    plan.ambition, plan.baseline, plan.budget = data.ambition, data.baseline, data.budget
    plan.save()
    plan.partners.set(data.partners)
    plan.ambitions.all().delete()
    PlanAmbition.objects.bulk_create(
        PlanAmbition(plan=plan, dimension=d, key=k, matches=m) for d, k, m in data.ambitions
    )
    revision = _revise(actor, plan, before, reason or _("First version."))
    if created or revision.changes:
        audit.record(
            "plan.created" if created else "plan.revised",
            actor=actor,
            target=plan,
            changes={"version": [None if created else plan.version - 1, plan.version]},
        )
    return plan


@transaction.atomic
def plan_set_status(*, actor, plan: ActionPlan, status: str, reason: str = "") -> ActionPlan:
    """Put a draft in force, or close a plan (its history stays)."""
    plan = _own_plan(actor, plan)
    allowed = {
        PlanStatus.DRAFT: {PlanStatus.ACTIVE},
        PlanStatus.ACTIVE: {PlanStatus.CLOSED},
        PlanStatus.CLOSED: set(),
    }
    if status not in allowed[PlanStatus(plan.status)]:
        raise ValidationError({"status": _("This plan cannot go to that status.")})
    before = snapshot(plan)
    old = plan.status
    plan.status = status
    plan.save(update_fields=["status", "updated_at"])
    default = _("Put in force.") if status == PlanStatus.ACTIVE else _("Closed.")
    _revise(actor, plan, before, (reason or "").strip() or default)
    audit.record("plan.status", actor=actor, target=plan, changes={"status": [old, status]})
    return plan


@transaction.atomic
def activity_save(
    *,
    actor,
    plan: ActionPlan,
    data: ActivityInput,
    activity: PlanActivity | None = None,
    reason: str = "",
) -> PlanActivity:
    """Add or change an activity; the activities' budgets add up to at most the plan's."""
    plan = _own_plan(actor, plan)
    if activity is not None and activity.plan_id != plan.pk:
        raise NotFoundError(_("Activity not found."))
    reason = _need_reason(plan, reason)
    errors: dict[str, list] = {}
    if not (data.name or "").strip():
        errors["name"] = [_("Give the activity a name.")]
    if data.kind not in ActivityKind.values:
        errors["kind"] = [_("Unknown kind of activity.")]
    if data.status not in ActivityStatus.values:
        errors["status"] = [_("Unknown status.")]
    if data.owner is None or not data.owner.is_active:
        errors["owner"] = [_("Choose the organisation that owns the activity.")]
    budget = Decimal(data.budget if data.budget is not None else -1)
    if budget < 0:
        errors["budget"] = [_("The budget cannot be negative.")]
    else:
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
                % {"allocated": _money(allocated), "budget": _money(plan.budget)}
            ]
    bad_offers = [o for o in data.offers if o.region_id != plan.region_id]
    if bad_offers:
        errors["offers"] = [_("Choose services and training of the region.")]
    # One activity per service: the matches an activity contributed to are counted by the
    # services it pays for, and two activities sharing some could be subtracted from each
    # other to count the few people of the rest.
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
    if errors:
        raise ValidationError(errors)
    before = snapshot(plan)
    created = activity is None
    if created:
        activity = PlanActivity(plan=plan)
    activity.name, activity.kind = data.name.strip()[:200], data.kind
    activity.owner, activity.status, activity.budget = data.owner, data.status, budget
    activity.save()
    activity.offers.set(data.offers)
    _revise(actor, plan, before, reason or _("Activity added."))
    audit.record(
        "plan.activity_added" if created else "plan.activity_changed",
        actor=actor,
        target=plan,
        changes={"activity": [None, activity.name], "budget": [None, _money(budget)]},
    )
    return activity


@transaction.atomic
def spend_record(
    *, actor, activity: PlanActivity, spent_on: date, amount, description: str
) -> Spend:
    """Record money spent on an activity, within the plan's period and not in the future."""
    plan = _own_plan(actor, activity.plan)
    errors = {}
    amount = Decimal(amount if amount is not None else 0)
    if amount <= 0:
        errors["amount"] = _("The amount is more than € 0.")
    if spent_on is None:
        errors["spent_on"] = _("Give the date.")
    elif spent_on > timezone.localdate():
        errors["spent_on"] = _("This date lies in the future.")
    elif not plan.period_start <= spent_on <= plan.period_end:
        errors["spent_on"] = _("The date lies outside the plan's period.")
    if not (description or "").strip():
        errors["description"] = _("Say what it was spent on.")
    if errors:
        raise ValidationError(errors)
    spend = Spend.objects.create(
        activity=activity,
        spent_on=spent_on,
        amount=amount,
        description=description.strip()[:200],
        recorded_by=actor.user,
    )
    audit.record(
        "plan.spend",
        actor=actor,
        target=plan,
        changes={"activity": [None, activity.name], "amount": [None, _money(amount)]},
    )
    return spend


def plan_for(region_id, day: date | None = None) -> ActionPlan | None:
    """The region's plan in force on a day (else its latest)."""
    day = day or timezone.localdate()
    plans = ActionPlan.objects.filter(region_id=region_id).exclude(status=PlanStatus.CLOSED)
    return (
        plans.filter(period_start__lte=day, period_end__gte=day).first()
        or ActionPlan.objects.filter(region_id=region_id).order_by("-period_start").first()
    )


def plan_during(region_id, start: date, end: date) -> ActionPlan | None:
    """The region's plan for a period: the one decided (not a draft) whose period overlaps
    it, the latest to start where two do (one plan ends and the next begins in a quarter)."""
    return (
        ActionPlan.objects.filter(region_id=region_id, period_start__lte=end, period_end__gte=start)
        .exclude(status=PlanStatus.DRAFT)
        .order_by("-period_start")
        .first()
    )
