"""Pages for routes: the organisation's routes and hand-offs, one person's route, adding and
changing steps, route templates, the region's doorbraak list and support at work."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.accounts.models import Membership, User
from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Permission, Role
from perspectief.core.exceptions import DomainError, NotFoundError, user_message
from perspectief.core.ids import parse_uuid
from perspectief.core.policies import requires

from . import planning, route_selectors, support
from .constants import HandOff, StepStatus
from .models import OfferEdition, Route, RouteStep, RouteTemplate, SupportPlan
from .route_forms import (
    CheckInForm,
    ConfirmationForm,
    DropOutForm,
    StartForm,
    StepForm,
    TemplateForm,
)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _parse_date(value):
    from django.utils.dateparse import parse_date

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
        route_selectors.stuck_steps(actor=actor)
        if actor.has_perm(Permission.PLAN_ROUTES)
        else ([], False)
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
            route = planning.route_start(
                actor=request.actor,
                candidate=candidate,
                template=form.cleaned_data["template"],
                start_on=form.cleaned_data["start_on"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The route is made."))
            return redirect("route:detail", uuid=route.uuid)
    from perspectief.candidates.selectors.people import log_read

    log_read(request.actor, candidate, "full")
    return render(request, "routes/route_start.html", {"form": form, "candidate": candidate})


def _step_actions(actor, level, step) -> set[str]:
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
    stuck = {r.step.pk: r for r in route_selectors.stuck_rows(steps, timezone.localdate())}
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
            step = planning.step_add(actor=request.actor, route=route, data=form.step_input())
        except ValidationError as exc:
            _form_errors(form, exc)
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
            planning.step_change(actor=request.actor, step=step, data=form.step_input())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Step changed."))
            return redirect("route:detail", uuid=route.uuid)
    route_selectors.log_route(request.actor, route, route_selectors.PLAN)
    return render(request, "routes/step_form.html", {"form": form, "route": route, "step": step})


@requires(Permission.VIEW_ROUTES)
@require_POST
def step_action_view(request, uuid):
    """Accept or decline a hand-off; start, complete, stop or remove a step."""
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
        "remove": _("The step is removed from the route."),
    }
    try:
        if action == "accept":
            planning.handoff_answer(actor=actor, step=step, accept=True)
        elif action == "decline":
            planning.handoff_answer(actor=actor, step=step, accept=False, reason=reason)
        elif action == "start":
            planning.step_start(actor=actor, step=step, on=on)
        elif action == "complete":
            planning.step_complete(actor=actor, step=step, on=on)
        elif action == "stop":
            planning.step_stop(actor=actor, step=step, reason=reason, on=on)
        elif action == "remove":
            planning.step_remove(actor=actor, step=step)
        else:
            raise ValidationError(_("Unknown action."))
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, done[action])
    return redirect("route:detail", uuid=step.route.uuid)


@requires(Permission.PLAN_ROUTES)
@require_POST
def course_add_view(request, uuid):
    """One action from a skill gap: the course's start on the person's route."""
    candidate = Candidate.objects.served_by(request.actor.organisation).filter(uuid=uuid).first()
    edition = OfferEdition.objects.filter(uuid=parse_uuid(request.POST.get("edition"))).first()
    if candidate is None or edition is None:
        raise Http404()
    try:
        step = planning.course_add(actor=request.actor, candidate=candidate, edition=edition)
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
        back = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            return redirect(back)
        return redirect("candidates:detail", uuid=candidate.uuid)
    messages.success(
        request,
        _("“%(course)s” is on the route, handed to %(org)s for acceptance.")
        % {"course": step.title, "org": step.owner.name},
    )
    return redirect("route:detail", uuid=step.route.uuid)


@requires(Permission.PLAN_ROUTES)
@require_POST
def cohort_course_view(request, uuid):
    from perspectief.vacancies.models import Vacancy

    vacancy = get_object_or_404(Vacancy.objects.visible_to(request.actor), uuid=uuid)
    edition = OfferEdition.objects.filter(uuid=parse_uuid(request.POST.get("edition"))).first()
    if edition is None:
        messages.error(request, _("Choose a start of a course."))
        return redirect("vacancies:detail", uuid=vacancy.uuid)
    try:
        result = planning.cohort_course(actor=request.actor, vacancy=vacancy, edition=edition)
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(
            request,
            _(
                "Planned on “%(course)s” for %(planned)s people of the cohort (already on it: "
                "%(already)s; served by other organisations: %(others)s)."
            )
            % {"course": edition.offer.title, **result},
        )
    return redirect("vacancies:detail", uuid=vacancy.uuid)


# --- the doorbraak list ---------------------------------------------------------------------


@requires(Permission.VIEW_STUCK)
@require_GET
def stuck_view(request):
    rows, regional = route_selectors.stuck_steps(actor=request.actor)
    return render(request, "routes/stuck.html", {"rows": rows, "regional": regional})


# --- templates ------------------------------------------------------------------------------


@requires(Permission.MANAGE_ROUTE_TEMPLATES)
@require_GET
def templates_view(request):
    templates = RouteTemplate.objects.filter(region_id=request.actor.region_id).prefetch_related(
        "steps__offer"
    )
    return render(request, "routes/templates.html", {"templates": templates})


@requires(Permission.MANAGE_ROUTE_TEMPLATES)
def template_edit_view(request, uuid=None):
    template = None
    if uuid is not None:
        template = get_object_or_404(
            RouteTemplate.objects.filter(region_id=request.actor.region_id), uuid=uuid
        )
    form = TemplateForm(
        request.POST or None,
        initial=TemplateForm.initial_for(template) if template else None,
        region_id=request.actor.region_id,
    )
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "retire" and template is not None:
            planning.template_retire(actor=request.actor, template=template)
            messages.success(request, _("The template is no longer offered for new routes."))
            return redirect("route:templates")
        try:
            planning.template_save(
                actor=request.actor,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                steps=form.steps(),
                template=template,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Template saved."))
            return redirect("route:templates")
    return render(request, "routes/template_form.html", {"form": form, "template": template})


# --- support at work ------------------------------------------------------------------------


@requires(Permission.VIEW_ROUTES)
@require_GET
def support_list_view(request):
    plans = route_selectors.support_plans(actor=request.actor)
    for plan in plans:
        access.record_candidate(request.actor, plan.candidate, ProcessingActivity.SUPPORT_AT_WORK)
    return render(request, "routes/support_list.html", {"plans": plans})


@requires(Permission.VIEW_ROUTES)
def support_plan_view(request, uuid):
    actor = request.actor
    try:
        plan = route_selectors.support_plan_get(actor=actor, uuid=uuid)
    except NotFoundError as exc:
        raise Http404(str(exc)) from None
    may_record = actor.has_perm(Permission.RECORD_SUPPORT)
    check_ins = list(plan.check_ins.select_related("recorded_by"))
    missed_before = timezone.localdate() - timedelta(days=settings.CHECK_IN_GRACE_DAYS)
    for check_in in check_ins:
        check_in.missed = check_in.held_on is None and check_in.due_on < missed_before
    upcoming = next((c.month for c in check_ins if c.held_on is None), None)
    check_in_form = CheckInForm(
        prefix="ci", initial={"month": upcoming, "held_on": timezone.localdate()}
    )
    drop_form = DropOutForm(prefix="do")
    confirm_form = ConfirmationForm(prefix="wc", initial={"confirmed_on": timezone.localdate()})
    if request.method == "POST":
        if not may_record:
            raise Http404()
        action = request.POST.get("action")
        try:
            if action == "check-in":
                check_in_form = CheckInForm(request.POST, prefix="ci")
                if check_in_form.is_valid():
                    support.check_in_record(actor=actor, plan=plan, **check_in_form.cleaned_data)
                    messages.success(request, _("Check-in recorded."))
                    return redirect("route:support-plan", uuid=plan.uuid)
            elif action == "confirm":
                confirm_form = ConfirmationForm(request.POST, prefix="wc")
                if confirm_form.is_valid():
                    support.work_confirm(actor=actor, plan=plan, **confirm_form.cleaned_data)
                    messages.success(request, _("The confirmation is recorded."))
                    return redirect("route:support-plan", uuid=plan.uuid)
            elif action == "drop-out":
                drop_form = DropOutForm(request.POST, prefix="do")
                if drop_form.is_valid():
                    support.drop_out_record(actor=actor, plan=plan, **drop_form.cleaned_data)
                    messages.success(
                        request, _("The drop-out is recorded; the person is back on the route.")
                    )
                    return redirect("route:support-plan", uuid=plan.uuid)
            elif action == "jobcoach":
                user = User.objects.filter(pk=request.POST.get("jobcoach") or 0).first()
                support.jobcoach_assign(actor=actor, plan=plan, jobcoach=user)
                messages.success(request, _("Jobcoach saved."))
                return redirect("route:support-plan", uuid=plan.uuid)
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as exc:
            form = {"check-in": check_in_form, "confirm": confirm_form}.get(action, drop_form)
            _form_errors(form, exc)
        except DomainError as exc:
            messages.error(request, user_message(exc))
    coaches = User.objects.filter(
        pk__in=Membership.objects.active()
        .filter(organisation_id=plan.organisation_id, role=Role.JOBCOACH)
        .values("user_id")
    ).order_by("last_name", "first_name")
    return render(
        request,
        "routes/support_plan.html",
        {
            "plan": plan,
            "check_ins": check_ins,
            "may_record": may_record and plan.status != "dropped_out",
            "check_in_form": check_in_form,
            "drop_form": drop_form,
            "confirm_form": confirm_form,
            "may_confirm": may_record and plan.not_confirmed,
            "coaches": coaches,
            "route": Route.objects.visible_to(actor).filter(candidate=plan.candidate).first(),
        },
    )
