"""The region's action plan: record it, revise it (a reason is optional; the history keeps
every version), put it in force and close it. A plan covers one to five years. Every
service is one transaction, checks the actor and writes the audit; a refused request
stores nothing. Activities and spend: see
:mod:`perspectief.monitoring.services.activities` and
:mod:`perspectief.monitoring.services.spend`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.candidates.constants import TargetGroup
from perspectief.core.authz import Actor, Permission
from perspectief.core.dates import add_months, short_date
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.monitoring.constants import MAX_PLAN_YEARS, AmbitionDimension, PlanStatus
from perspectief.monitoring.models import ActionPlan, PlanAmbition
from perspectief.monitoring.selectors.plans import money, snapshot
from perspectief.monitoring.services.revisions import clean_reason, revise
from perspectief.organisations.constants import OrganisationKind
from perspectief.organisations.models import Organisation
from perspectief.taxonomy.models import Sector


@dataclass
class PlanInput:
    title: str
    period_start: date
    period_end: date
    lead: Organisation | None
    employer_lead: str
    ambition: int
    budget: Decimal
    baseline: int | None = None
    partners: list = field(default_factory=list)
    #: (dimension, key, matches a year)
    ambitions: list[tuple[str, str, int]] = field(default_factory=list)


def manager_only(actor: Actor) -> None:
    """Only the region's programme manager (``plans.manage``) records its plan."""
    if not actor.has_perm(Permission.MANAGE_PLANS) or not actor.region_id:
        raise PermissionDeniedError()


def own_plan(actor: Actor, plan: ActionPlan) -> ActionPlan:
    """The plan, locked for the change, when it is of the manager's own region."""
    manager_only(actor)
    found = (
        ActionPlan.objects.select_for_update().filter(pk=plan.pk, region_id=actor.region_id).first()
    )
    if found is None:
        raise NotFoundError(_("Action plan not found."))
    return found


class _Errors(dict):
    """Refusals per field, each with its reason: all are said at once."""

    def add(self, name: str, message) -> None:
        self.setdefault(name, []).append(message)


def _check_numbers(errors: _Errors, data: PlanInput) -> None:
    """An ambition of at least 1 extra match a year; no negative baseline or budget."""
    if data.ambition is None or data.ambition <= 0:
        errors.add("ambition", _("The ambition is a number of extra matches a year, at least 1."))
    if data.baseline is not None and data.baseline < 0:
        errors.add("baseline", _("The baseline cannot be negative."))
    if data.budget is None or Decimal(data.budget) < 0:
        errors.add("budget", _("The budget cannot be negative."))


def _check_leads(errors: _Errors, data: PlanInput, actor: Actor) -> None:
    """The lead is a gemeente of the region; someone leads for the employers."""
    lead = data.lead
    if lead is None or lead.kind != OrganisationKind.GEMEENTE or lead.region_id != actor.region_id:
        errors.add(
            "lead", _("The lead is a gemeente of the region (normally the centrumgemeente).")
        )
    if not (data.employer_lead or "").strip():
        errors.add("employer_lead", _("Name who leads for the employers."))


def _check_period(errors: _Errors, data: PlanInput, actor: Actor, plan: ActionPlan | None) -> None:
    """A period whose end lies after its start, of at most :data:`MAX_PLAN_YEARS` years,
    overlapping no other plan of the region that is not closed (one plan at a time)."""
    if data.period_start is None or data.period_end is None:
        errors.add("period_end", _("Give the period: from and until."))
        return
    if data.period_end <= data.period_start:
        errors.add("period_end", _("The end of the period must lie after its start."))
        return
    if data.period_end >= add_months(data.period_start, 12 * MAX_PLAN_YEARS):
        errors.add(
            "period_end",
            _("A plan covers at most %(n)s years: end it before %(day)s, or make a next plan.")
            % {
                "n": MAX_PLAN_YEARS,
                "day": short_date(add_months(data.period_start, 12 * MAX_PLAN_YEARS)),
            },
        )
    overlap = ActionPlan.objects.filter(
        region_id=actor.region_id,
        period_start__lt=data.period_end,
        period_end__gt=data.period_start,
    ).exclude(status=PlanStatus.CLOSED)
    if plan is not None:
        overlap = overlap.exclude(pk=plan.pk)
    other = overlap.first()
    if other is not None:
        errors.add(
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


def _check_ambition_parts(errors: _Errors, data: PlanInput) -> None:
    """Parts of the ambition name a known target group or sector, are at least 1 a year
    and add up, per kind, to at most the whole ambition."""
    per_dimension: dict[str, int] = {}
    groups = set(TargetGroup.values)
    sectors = set(Sector.objects.values_list("code", flat=True))
    for dimension, key, matches in data.ambitions:
        if dimension not in AmbitionDimension.values:
            errors.add("ambitions", _("Unknown kind of ambition: %(d)s.") % {"d": dimension})
            continue
        known = groups if dimension == AmbitionDimension.TARGET_GROUP else sectors
        if key not in known:
            errors.add("ambitions", _("Unknown target group or sector: %(k)s.") % {"k": key})
        if matches is None or matches <= 0:
            errors.add("ambitions", _("An ambition per group is at least 1 match a year."))
            continue
        per_dimension[dimension] = per_dimension.get(dimension, 0) + matches
    for dimension, total in per_dimension.items():
        if data.ambition and total > data.ambition:
            errors.add(
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


def _check_budget_covers_activities(
    errors: _Errors, data: PlanInput, plan: ActionPlan | None
) -> None:
    """A revised budget covers what the plan's activities already have."""
    if plan is None or data.budget is None:
        return
    allocated = plan.activities.aggregate(s=Sum("budget"))["s"] or Decimal(0)
    if allocated > Decimal(data.budget):
        errors.add(
            "budget",
            _(
                "The activities already have € %(allocated)s: the budget cannot be "
                "lower. Change their budgets first."
            )
            % {"allocated": money(allocated)},
        )


def _check_plan(actor: Actor, data: PlanInput, plan: ActionPlan | None) -> None:
    """Every rule a plan keeps; refused with every reason at once, in the form's order."""
    errors = _Errors()
    if not (data.title or "").strip():
        errors.add("title", _("Give the plan a title."))
    _check_period(errors, data, actor, plan)
    _check_numbers(errors, data)
    _check_leads(errors, data, actor)
    _check_ambition_parts(errors, data)
    _check_budget_covers_activities(errors, data, plan)
    if errors:
        raise ValidationError(dict(errors))


@transaction.atomic
def plan_save(
    *, actor: Actor, data: PlanInput, plan: ActionPlan | None = None, reason: str = ""
) -> ActionPlan:
    """Record a new plan (a draft) or revise one, with or without a reason."""
    if plan is not None:
        plan = own_plan(actor, plan)
    else:
        manager_only(actor)
    reason = clean_reason(reason)
    _check_plan(actor, data, plan)
    before = snapshot(plan) if plan is not None else None
    created = plan is None
    if plan is None:
        plan = ActionPlan(region_id=actor.region_id)
    plan.title = data.title.strip()[:200]
    plan.period_start, plan.period_end = data.period_start, data.period_end
    assert data.lead is not None  # _check_plan() refuses a plan without its lead
    plan.lead, plan.employer_lead = data.lead, data.employer_lead.strip()[:200]
    plan.ambition, plan.baseline, plan.budget = data.ambition, data.baseline, data.budget
    plan.save()
    plan.partners.set(data.partners)
    plan.ambitions.all().delete()
    PlanAmbition.objects.bulk_create(
        PlanAmbition(plan=plan, dimension=d, key=k, matches=m) for d, k, m in data.ambitions
    )
    revision = revise(actor, plan, before, reason or (_("First version.") if created else ""))
    if created or revision.changes:
        audit.record(
            "plan.created" if created else "plan.revised",
            actor=actor,
            target=plan,
            changes={"version": [None if created else plan.version - 1, plan.version]},
        )
    return plan


@transaction.atomic
def plan_set_status(*, actor: Actor, plan: ActionPlan, status: str, reason: str = "") -> ActionPlan:
    """Put a draft in force, or close a plan (its history stays)."""
    plan = own_plan(actor, plan)
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
    revise(actor, plan, before, (reason or "").strip() or default)
    audit.record("plan.status", actor=actor, target=plan, changes={"status": [old, status]})
    return plan
