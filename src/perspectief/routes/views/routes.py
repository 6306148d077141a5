"""Pages for routes: the organisation's routes and hand-offs, one person's route, adding and
changing steps and recording their progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.candidates.models import Candidate
from perspectief.candidates.selectors.people import log_read
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import DomainError, NotFoundError, user_message
from perspectief.core.policies import requires

from ..constants import HandOff, StepStatus
from ..forms.routes import StartForm, StepForm
from ..models import Route, RouteStep, SupportPlan
from ..selectors import routes as route_selectors
from ..selectors.stuck import stuck_rows, stuck_steps
from ..services import handoffs, progress
from ..services import routes as route_services


def form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _parse_date(value):
    try:
        return parse_date(value or "") if value else None
    except ValueError:
        return None


# --- overview -------------------------------------------------------------------------------


@requires(Permission.VIEW_ROUTES)
@require_GET
def routes_home_view(request):
    actor = request.actor
    handed = list(route_selectors.handed_to(actor=actor))
    planned = list(route_selectors.planned_routes(actor=actor))
    stuck, _regional = (
        stuck_steps(actor=actor) if actor.has_perm(Permission.PLAN_ROUTES) else ([], False)
    )
    accepted_routes = {s.route_id for s in handed if s.handoff == HandOff.ACCEPTED}
    planned_ids = {r.pk for r in planned}
    for step in handed:
        level = (
            route_selectors.PLAN
            if step.route_id in planned_ids
            else route_selectors.STEP
            if step.route_id in accepted_routes
            else route_selectors.PENDING
        )
        step.level = level
        route_selectors.log_route(actor, step.route, level)
    for route in planned:
        route_selectors.log_route(actor, route, route_selectors.PLAN)
        steps = list(route.steps.all())
        route.current = next((s for s in steps if s.status == StepStatus.STARTED), None)
        route.next = next((s for s in steps if s.status == StepStatus.PLANNED), None)
        route.declined = [s for s in steps if s.handoff == HandOff.DECLINED and s.is_open]
    return render(
        request,
        "routes/routes_home.html",
        {
            "handed": handed,
            "pending": [s for s in handed if s.handoff == HandOff.PENDING],
            "planned": planned,
            "stuck": stuck,
            "may_plan": actor.has_perm(Permission.PLAN_ROUTES),
        },
    )


# --- one route ------------------------------------------------------------------------------


@requires(Permission.PLAN_ROUTES)
def route_start_view(request, uuid):
    candidate = (
        Candidate.objects.served_by(request.actor.organisation)
        .filter(uuid=uuid, merged_into__isnull=True, anonymised_at__isnull=True)
        .first()
    )
    if candidate is None:
        raise Http404(_("Job seeker not found."))
    existing = Route.objects.filter(candidate=candidate).first()
    if existing is not None:
        return redirect("route:detail", uuid=existing.uuid)
    form = StartForm(request.POST or None, region_id=candidate.region_id)
    if request.method == "POST" and form.is_valid():
        try:
            route = route_services.route_start(
                actor=request.actor,
                candidate=candidate,
                template=form.cleaned_data["template"],
                start_on=form.cleaned_data["start_on"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The route is made."))
            return redirect("route:detail", uuid=route.uuid)
    log_read(request.actor, candidate, "full")
    return render(request, "routes/route_start.html", {"form": form, "candidate": candidate})


def _step_actions(actor: Actor, level, step) -> set[str]:
    """What the actor can do with one step on the page (the services check again)."""
    org = actor.organisation.pk
    actions = set()
    planner = level == route_selectors.PLAN and actor.has_perm(Permission.PLAN_ROUTES)
    owner = step.owner_id == org
    if owner and step.handoff == HandOff.PENDING:
        actions |= {"accept", "decline"}
    progress_ok = step.handoff in (HandOff.NONE, HandOff.ACCEPTED)
    if (owner or planner) and progress_ok:
        if step.status == StepStatus.PLANNED:
            actions.add("start")
        if step.status == StepStatus.STARTED:
            actions.add("complete")
        if step.status == StepStatus.COMPLETED:
            actions.add("reopen")  # a completion recorded by mistake
    if step.is_open and (planner or (owner and progress_ok)):
        actions.add("stop")
    if planner and step.is_open:
        actions.add("edit")
        if step.status == StepStatus.PLANNED:
            actions.add("remove")
    return actions


@requires(Permission.VIEW_ROUTES)
@require_GET
def route_detail_view(request, uuid):
    actor = request.actor
    try:
        route, level = route_selectors.route_get_for_actor(actor=actor, uuid=uuid)
    except NotFoundError as exc:
        raise Http404(str(exc)) from None
    steps = route_selectors.shown_steps(actor, route, level)
    stuck = {r.step.pk: r for r in stuck_rows(steps, timezone.localdate())}
    for step in steps:
        step.actions = _step_actions(actor, level, step)
        step.stuck = stuck.get(step.pk)
    planner = level == route_selectors.PLAN and actor.has_perm(Permission.PLAN_ROUTES)
    context = {
        "route": route,
        "level": level,
        "person": route.candidate,
        "steps": steps,
        "hidden_steps": len(route.steps.all()) - len(steps),
        "planner": planner,
        # "Which pot can pay for this course?" asks about a person the organisation serves.
        "funding_question": level == route_selectors.PLAN
        and actor.has_perm(Permission.VIEW_FUNDING),
    }
    if level == route_selectors.PLAN:
        context["journey"] = route.candidate.journey.select_related("organisation").order_by(
            "-occurred_on", "-id"
        )
        context["plans"] = SupportPlan.objects.visible_to(actor).filter(candidate=route.candidate)
    if planner:
        context["step_form"] = StepForm(region_id=route.candidate.region_id, own=actor.organisation)
    return render(request, "routes/route_detail.html", context)


def _planned_route(request, uuid) -> Route:
    route = Route.objects.visible_to(request.actor).filter(uuid=uuid).first()
    if route is None or route_selectors.route_level(request.actor, route) != route_selectors.PLAN:
        raise Http404(_("Route not found."))
    return route


@requires(Permission.PLAN_ROUTES)
def step_add_view(request, uuid):
    route = _planned_route(request, uuid)
    form = StepForm(
        request.POST or None, region_id=route.candidate.region_id, own=request.actor.organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            step = route_services.step_add(actor=request.actor, route=route, data=form.step_input())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            if step.handoff == HandOff.PENDING:
                messages.success(
                    request,
                    _("Step added and handed to %(org)s: it waits for their acceptance.")
                    % {"org": step.owner.name},
                )
            else:
                messages.success(request, _("Step added."))
            return redirect("route:detail", uuid=route.uuid)
    route_selectors.log_route(request.actor, route, route_selectors.PLAN)
    return render(request, "routes/step_form.html", {"form": form, "route": route, "step": None})


@requires(Permission.PLAN_ROUTES)
def step_edit_view(request, uuid):
    step = get_object_or_404(RouteStep.objects.select_related("route"), uuid=uuid)
    route = _planned_route(request, step.route.uuid)
    form = StepForm(
        request.POST or None,
        initial=StepForm.initial_for(step),
        region_id=route.candidate.region_id,
        own=request.actor.organisation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            route_services.step_change(actor=request.actor, step=step, data=form.step_input())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Step changed."))
            return redirect("route:detail", uuid=route.uuid)
    route_selectors.log_route(request.actor, route, route_selectors.PLAN)
    return render(request, "routes/step_form.html", {"form": form, "route": route, "step": step})


@requires(Permission.VIEW_ROUTES)
@require_POST
def step_action_view(request, uuid):
    """Accept or decline a hand-off; start, complete, stop or remove a step, or undo a
    completion."""
    actor = request.actor
    visible = Route.objects.visible_to(actor).values("pk")
    step = get_object_or_404(
        RouteStep.objects.select_related("route", "owner").filter(route__in=visible), uuid=uuid
    )
    action = request.POST.get("action")
    on = _parse_date(request.POST.get("on"))
    reason = request.POST.get("reason", "")
    done = {
        "accept": _("You accepted the step: it is now on your list."),
        "decline": _("You declined the step; the klantmanager is told."),
        "start": _("The step has started."),
        "complete": _("The step is completed."),
        "stop": _("The step is stopped."),
        "reopen": _(
            "The completion is undone: the step has started again (skills a course added "
            "to the profile are removed)."
        ),
        "remove": _("The step is removed from the route."),
    }
    try:
        if action == "accept":
            handoffs.handoff_answer(actor=actor, step=step, accept=True)
        elif action == "decline":
            handoffs.handoff_answer(actor=actor, step=step, accept=False, reason=reason)
        elif action == "start":
            progress.step_start(actor=actor, step=step, on=on)
        elif action == "complete":
            progress.step_complete(actor=actor, step=step, on=on)
        elif action == "stop":
            progress.step_stop(actor=actor, step=step, reason=reason, on=on)
        elif action == "reopen":
            progress.step_reopen(actor=actor, step=step, reason=reason)
        elif action == "remove":
            route_services.step_remove(actor=actor, step=step)
        else:
            raise ValidationError(_("Unknown action."))
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, done[action])
    return redirect("route:detail", uuid=step.route.uuid)
