"""Pages for support at work: the plans with their signals, and one plan with its
check-ins, the confirmation of durable work and a drop-out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from perspectief.accounts.models import Membership, User
from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.conversations.panels import PARTNER_MESSAGES
from perspectief.core.authz import Permission, Role
from perspectief.core.contributions import render_panels
from perspectief.core.exceptions import DomainError, NotFoundError, user_message
from perspectief.core.policies import requires

from ..constants import PlanStatus
from ..forms.support import CheckInForm, ConfirmationForm, DropOutForm
from ..models import Route
from ..panels import SUPPORT_PLAN_PAGE
from ..selectors import support as support_selectors
from ..services import support as support_services
from .routes import form_errors


@requires(Permission.VIEW_ROUTES)
@require_GET
def support_list_view(request):
    plans = support_selectors.support_plans(actor=request.actor)
    for plan in plans:
        access.record_candidate(request.actor, plan.candidate, ProcessingActivity.SUPPORT_AT_WORK)
    return render(request, "routes/support_list.html", {"plans": plans})


def _check_ins(plan) -> list:
    """The plan's check-ins, each with ``missed``: not recorded ``CHECK_IN_GRACE_DAYS``
    after its due date."""
    check_ins = list(plan.check_ins.select_related("recorded_by"))
    missed_before = timezone.localdate() - timedelta(days=settings.CHECK_IN_GRACE_DAYS)
    for check_in in check_ins:
        check_in.missed = check_in.held_on is None and check_in.due_on < missed_before
    return check_ins


def _blank_forms(check_ins) -> dict:
    """The page's forms by the action they post, unbound: the next check-in and today
    filled in."""
    upcoming = next((c.month for c in check_ins if c.held_on is None), None)
    return {
        "check-in": CheckInForm(
            prefix="ci", initial={"month": upcoming, "held_on": timezone.localdate()}
        ),
        "drop-out": DropOutForm(prefix="do"),
        "confirm": ConfirmationForm(prefix="wc", initial={"confirmed_on": timezone.localdate()}),
    }


#: The actions recorded through a form: its class and prefix on the page, and the service.
#: action → (its form, the form's prefix, the service that records it)
FORM_ACTIONS: dict[str, tuple[type[Form], str, Callable[..., object]]] = {
    "check-in": (CheckInForm, "ci", support_services.check_in_record),
    "confirm": (ConfirmationForm, "wc", support_services.work_confirm),
    "drop-out": (DropOutForm, "do", support_services.drop_out_record),
}


def _record(request, plan, action, forms: dict) -> bool:
    """Record the posted ``action`` on the plan; True when it is recorded (the page then
    redirects). A posted form replaces the blank one in ``forms``, so that it shows its
    errors; the services' refusals are raised to the caller."""
    actor = request.actor
    if action == "jobcoach":
        user = User.objects.filter(pk=request.POST.get("jobcoach") or 0).first()
        support_services.jobcoach_assign(actor=actor, plan=plan, jobcoach=user)
        messages.success(request, _("Jobcoach saved."))
        return True
    if action not in FORM_ACTIONS:
        messages.error(request, _("Unknown action."))
        return False
    form_class, prefix, service = FORM_ACTIONS[action]
    form = forms[action] = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        return False
    service(actor=actor, plan=plan, **form.cleaned_data)
    done = {
        "check-in": _("Check-in recorded."),
        "confirm": _("The confirmation is recorded."),
        "drop-out": _("The drop-out is recorded; the person is back on the route."),
    }
    messages.success(request, done[action])
    return True


def _coaches(plan):
    """The jobcoaches of the supporting organisation, to choose from."""
    return User.objects.filter(
        pk__in=Membership.objects.active()
        .filter(organisation_id=plan.organisation_id, role=Role.JOBCOACH)
        .values("user_id")
    ).order_by("last_name", "first_name")


def _conversation(request, plan) -> str:
    """The supporting organisation's conversation with the person while the support runs,
    when it does not serve them (then it reads it on the person's page); from
    ``perspectief.conversations``, which keeps to its own rules of who reads it."""
    actor = request.actor
    if plan.status != PlanStatus.ACTIVE or plan.organisation_id != actor.organisation.pk:
        return ""
    context = PARTNER_MESSAGES.context(request, candidate=plan.candidate)
    if context is None:
        return ""
    return render_to_string(PARTNER_MESSAGES.template, context, request)


@requires(Permission.VIEW_ROUTES)
def support_plan_view(request, uuid):
    actor = request.actor
    try:
        plan = support_selectors.support_plan_get(actor=actor, uuid=uuid)
    except NotFoundError as exc:
        raise Http404(str(exc)) from None
    may_record = actor.has_perm(Permission.RECORD_SUPPORT)
    check_ins = _check_ins(plan)
    forms = _blank_forms(check_ins)
    if request.method == "POST":
        if not may_record:
            raise Http404()
        action = request.POST.get("action")
        try:
            if _record(request, plan, action, forms):
                return redirect("route:support-plan", uuid=plan.uuid)
        except ValidationError as exc:
            # A refusal shows on the form that was posted (the drop-out form otherwise).
            form_errors(forms.get(action, forms["drop-out"]), exc)
        except DomainError as exc:
            messages.error(request, user_message(exc))
    return render(
        request,
        "routes/support_plan.html",
        {
            "plan": plan,
            "check_ins": check_ins,
            "may_record": may_record and plan.status != "dropped_out",
            "check_in_form": forms["check-in"],
            "drop_form": forms["drop-out"],
            "confirm_form": forms["confirm"],
            "may_confirm": may_record and plan.not_confirmed,
            "coaches": _coaches(plan),
            "route": Route.objects.visible_to(actor).filter(candidate=plan.candidate).first(),
            "conversation": _conversation(request, plan),
            "plan_panels": render_panels(SUPPORT_PLAN_PAGE, request, plan=plan),
        },
    )
