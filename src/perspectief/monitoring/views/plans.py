"""The region's action plan: read it (everyone with the dashboard), record and revise it,
put it in force or close it, add and change activities, record spend and how an activity
turned out, and keep what lasts after the plan (borging) (the programme manager). The rules
live in :mod:`perspectief.monitoring.services`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.core.authz import Actor, Permission
from perspectief.core.disclosure import min_cell
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.ids import parse_uuid
from perspectief.core.policies import requires
from perspectief.funding.models import FundingPot
from perspectief.monitoring.about import about_activities
from perspectief.monitoring.constants import (
    ActivityResult,
    ActivityStatus,
    BorgingStatus,
    PlanStatus,
)
from perspectief.monitoring.forms.plans import (
    ActivityChangeForm,
    ActivityForm,
    ActivityResultForm,
    BorgingForm,
    BorgingStatusForm,
    PlanForm,
    SpendForm,
)
from perspectief.monitoring.models import ActionPlan, BorgingItem, PlanActivity
from perspectief.monitoring.selectors.breakdowns import Tables, activity_matches
from perspectief.monitoring.selectors.plans import ambition_label, changed_labels, plan_for
from perspectief.monitoring.selectors.progress import (
    budget,
    progress,
    progress_per_year,
    years_total,
)
from perspectief.monitoring.services.activities import activity_result_record, activity_save
from perspectief.monitoring.services.borging import borging_save, borging_set_status
from perspectief.monitoring.services.plans import plan_save, plan_set_status
from perspectief.monitoring.services.spend import spend_record
from perspectief.monitoring.views.dashboard import regional
from perspectief.organisations.models import Organisation
from perspectief.regions.models import Region


def _plan_details(actor: Actor, plan: ActionPlan) -> dict:
    """The plan's history (what changed in each version), its ambitions, budget and spend
    per activity with the matches it contributed to, and its partners."""
    revisions = list(plan.revisions.select_related("revised_by"))
    for revision in revisions:
        revision.changed = changed_labels(revision.changes)
    plan_budget = budget(plan)
    today = timezone.localdate()
    years = progress_per_year(plan, progress(plan, today=today).baseline_per_year, today=today)
    about = about_activities(actor, [row["activity"] for row in plan_budget["rows"]])
    for row in plan_budget["rows"]:
        row["about"] = about.get(row["activity"].pk, [])
    return {
        "years": years,
        "years_total": years_total(years),
        "borging": list(plan.borging.select_related("owner", "funding_pot", "decided_by", "plan")),
        "plan_ended": plan.period_end < today,
        "revisions": revisions,
        "ambitions": [(ambition_label(a), a.matches) for a in plan.ambitions.all()],
        "budget": plan_budget,
        "activity_quarters": activity_matches(
            plan, plan_budget, Tables(actor.region_id), today=timezone.localdate()
        ),
        "partners": plan.partners.order_by("name"),
    }


@requires(Permission.VIEW_INDICATORS)
@regional
@require_GET
def plan_view(request):
    """The region's plan in force (else its latest) with its history, for everyone with
    the dashboard; the forms to change it for the programme manager."""
    return _plan_page(request)


def _plan_page(request, retry: dict | None = None):
    """The plan page; ``retry``: a refused result of an activity (its id, what was sent and
    the errors per field) to show again, open, under that activity (status 400)."""
    actor = request.actor
    all_plans = ActionPlan.objects.filter(region_id=actor.region_id).select_related("lead")
    plan = plan_for(actor.region_id)
    context = {
        "plans": all_plans,
        "plan": plan,
        "may_manage": actor.has_perm(Permission.MANAGE_PLANS),
        "min_cell": min_cell(),
    }
    if plan is not None:
        context.update(_plan_details(actor, plan))
        if context["may_manage"]:
            context["activity_form"] = ActivityForm(region_id=actor.region_id, prefix="act")
            context["spend_form"] = SpendForm(prefix="sp")
            context["activity_statuses"] = ActivityStatus.choices
            context["funding_pots"] = FundingPot.objects.for_region(actor.region_id).order_by(
                "name"
            )
            context["activity_results"] = ActivityResult.choices
            context["borging_form"] = BorgingForm(region_id=actor.region_id, prefix="bo")
            context["borging_statuses"] = BorgingStatus.choices
        for row in context["budget"]["rows"]:
            if retry is not None and row["activity"].pk == retry["activity_id"]:
                row["retry"] = retry
    return render(request, "monitoring/plans/plan.html", context, status=400 if retry else 200)


@requires(Permission.MANAGE_PLANS)
@regional
def plan_edit_view(request, uuid=None):
    """Record a new plan, or revise one (a reason is optional; the history keeps each version)."""
    actor = request.actor
    plan = None
    if uuid is not None:
        plan = get_object_or_404(ActionPlan.objects.filter(region_id=actor.region_id), uuid=uuid)
    initial = PlanForm.initial_for(plan) if plan else {"lead": _centrumgemeente(actor)}
    form = PlanForm(request.POST or None, initial=initial, region_id=actor.region_id)
    if request.method == "POST" and form.is_valid():
        try:
            saved = plan_save(
                actor=actor,
                data=form.plan_input(),
                plan=plan,
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("The action plan is saved (version %(v)s).") % {"v": saved.version}
            )
            return redirect("monitoring:plan")
    return render(request, "monitoring/plans/plan_form.html", {"form": form, "plan": plan})


def _centrumgemeente(actor: Actor):
    """The gemeente organisation of the region's centrumgemeente (the usual lead)."""
    region = Region.objects.filter(pk=actor.region_id).first()
    if region is None or region.centrumgemeente_id is None:
        return None
    lead = Organisation.objects.filter(
        kind="gemeente", municipality_id=region.centrumgemeente_id, is_active=True
    ).first()
    return lead.pk if lead else None


def _valid(form):
    """The form, or its errors as a refusal the page shows as a message."""
    if not form.is_valid():
        raise ValidationError([str(e) for errs in form.errors.values() for e in errs])
    return form


def _activity_of(request, plan: ActionPlan) -> PlanActivity:
    """The plan's activity the form names (another plan's, or none: 404)."""
    return get_object_or_404(
        PlanActivity.objects.filter(plan=plan), uuid=parse_uuid(request.POST.get("activity"))
    )


def _set_status(request, plan: ActionPlan, action: str) -> str:
    """Put the plan in force, or close it (``action`` is the status)."""
    plan_set_status(
        actor=request.actor, plan=plan, status=action, reason=request.POST.get("reason", "")
    )
    return _("The plan's status is changed.")


def _add_activity(request, plan: ActionPlan, action: str) -> str:
    """Add an activity to the plan."""
    form = _valid(ActivityForm(request.POST, region_id=request.actor.region_id, prefix="act"))
    activity_save(
        actor=request.actor,
        plan=plan,
        data=form.activity_input(),
        reason=form.cleaned_data.get("reason") or "",
    )
    return _("Activity added.")


def _change_activity(request, plan: ActionPlan, action: str) -> str:
    """Change an activity's status and budget (what a running plan changes most)."""
    activity = _activity_of(request, plan)
    form = _valid(ActivityChangeForm(request.POST, region_id=request.actor.region_id))
    activity_save(
        actor=request.actor,
        plan=plan,
        data=form.activity_input(activity),
        activity=activity,
        reason=form.cleaned_data.get("reason") or "",
    )
    return _("Activity changed.")


def _record_spend(request, plan: ActionPlan, action: str) -> str:
    """Record money spent on one of the plan's activities."""
    activity = _activity_of(request, plan)
    form = _valid(SpendForm(request.POST, prefix="sp"))
    spend_record(actor=request.actor, activity=activity, **form.cleaned_data)
    return _("Spend recorded.")


def _record_result(request, plan: ActionPlan, action: str) -> str:
    """Record when an activity started and how it turned out."""
    activity = _activity_of(request, plan)
    form = ActivityResultForm(request.POST)
    if not form.is_valid():  # per field, to show under each (see plan_action_view)
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    activity_result_record(
        actor=request.actor,
        activity=activity,
        started_on=form.cleaned_data.get("started_on"),
        result=form.cleaned_data.get("result") or "",
        note=form.cleaned_data.get("result_note") or "",
    )
    return _("Result recorded.")


def _add_borging(request, plan: ActionPlan, action: str) -> str:
    """Add what continues after the programme."""
    form = _valid(BorgingForm(request.POST, region_id=request.actor.region_id, prefix="bo"))
    borging_save(actor=request.actor, plan=plan, data=form.borging_input())
    return _("Added to what lasts after the plan.")


def _borging_status(request, plan: ActionPlan, action: str) -> str:
    """Mark what should last after the plan arranged, not arranged, or planned."""
    item = get_object_or_404(
        BorgingItem.objects.filter(plan=plan), uuid=parse_uuid(request.POST.get("item"))
    )
    form = _valid(BorgingStatusForm(request.POST))
    borging_set_status(
        actor=request.actor,
        item=item,
        status=form.cleaned_data["status"],
        note=form.cleaned_data.get("note") or "",
    )
    return _("Status saved.")


#: What each action of the plan's page does; each returns the message to show.
ACTIONS = {
    PlanStatus.ACTIVE: _set_status,
    PlanStatus.CLOSED: _set_status,
    "activity": _add_activity,
    "activity-change": _change_activity,
    "spend": _record_spend,
    "activity-result": _record_result,
    "borging": _add_borging,
    "borging-status": _borging_status,
}


@requires(Permission.MANAGE_PLANS)
@regional
@require_POST
def plan_action_view(request, uuid):
    """Put in force or close the plan; add or change an activity; record spend."""
    plan = get_object_or_404(
        ActionPlan.objects.filter(region_id=request.actor.region_id), uuid=uuid
    )
    action = request.POST.get("action")
    handler = ACTIONS.get(action)
    if handler is None:
        messages.error(request, _("Unknown action."))
        return redirect("monitoring:plan")
    try:
        messages.success(request, handler(request, plan, action))
    except ValidationError as exc:
        if action == "activity-result" and hasattr(exc, "error_dict"):
            return _result_again(request, plan, exc)
        messages.error(request, user_message(exc))
    except DomainError as exc:
        messages.error(request, user_message(exc))
    return redirect("monitoring:plan")


def _result_again(request, plan: ActionPlan, exc: ValidationError):
    """A refused result: the plan page again with that activity's form open, what was sent
    kept and each error under its field (not a message at the top and a closed form)."""
    activity = _activity_of(request, plan)
    messages.error(request, _("Nothing was saved: change what is marked under the activity."))
    retry = {
        "activity_id": activity.pk,
        "started_on": request.POST.get("started_on", ""),
        "result": request.POST.get("result", ""),
        "result_note": request.POST.get("result_note", ""),
        "errors": {name: [str(m) for m in msgs] for name, msgs in exc.message_dict.items()},
    }
    retry["general"] = retry["errors"].pop(NON_FIELD_ERRORS, [])
    return _plan_page(request, retry=retry)
