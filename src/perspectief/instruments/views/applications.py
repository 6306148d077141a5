"""Pages of instrument applications followed to the money: record one on a hire, the
applications of a hire, one application (its history, deadlines, payments and the
version it was made under), and the organisation's list "Aanvragen".

Every page needs ``RECORD_APPLICATIONS``; a hire or application the actor may not see
answers 404, exactly like one that does not exist. Each read of a person is logged.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError, NotFoundError, user_message
from perspectief.core.policies import requires

from ..forms.applications import ApplicationFilters, ApplicationForm, PaymentForm, StatusForm
from ..models import Deadline
from ..selectors import applications as selectors
from ..services import applications as services

PER_PAGE = 50


def _errors_into(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@requires(Permission.RECORD_APPLICATIONS)
def application_new_view(request):
    """Record an application on a hire: ``?proposal=<uuid>`` (a hired proposal) or
    ``?hire=<uuid>`` (a hire outside the platform), optionally ``&instrument=<code>`` and
    ``&category=<code>`` to preselect."""
    actor = request.actor
    proposal, outside = request.GET.get("proposal"), request.GET.get("hire")
    if not proposal and not outside:
        raise params.BadParameter(_("Say which hire: ?proposal=… or ?hire=…"))
    try:
        hire = selectors.hire_get(actor, proposal=proposal, hire=outside if not proposal else None)
    except NotFoundError:
        raise Http404() from None
    selectors.log_read(actor, hire.candidate)
    versions = selectors.versions_for(actor, hire)
    initial = {}
    wanted = params.choice(request, "instrument", [v.instrument.code for v in versions], default="")
    if wanted:
        initial["version"] = next(v.pk for v in versions if v.instrument.code == wanted)
        initial["category"] = request.GET.get("category", "")
    form = ApplicationForm(request.POST or None, actor=actor, versions=versions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_record(actor=actor, hire=hire, **form.cleaned_data)
        except ValidationError as exc:
            _errors_into(form, exc)
        except DomainError as exc:
            form.add_error(None, user_message(exc))
        else:
            messages.success(request, _("The application is recorded."))
            return redirect("instruments:application-detail", uuid=application.uuid)
    return render(
        request,
        "instruments/applications/new.html",
        {
            "hire": hire,
            "name": selectors.shown_name(actor, hire.candidate),
            "form": form,
            "versions": versions,
        },
    )


@requires(Permission.RECORD_APPLICATIONS)
@require_GET
def hire_applications_view(request, uuid):
    """The applications of one hire (from the person's page)."""
    actor = request.actor
    try:
        hire = selectors.hire_by_uuid(actor, uuid)
    except NotFoundError:
        raise Http404() from None
    selectors.log_read(actor, hire.candidate)
    applications = selectors.with_category_names(selectors.applications_of_hire(actor, hire))
    return render(
        request,
        "instruments/applications/hire.html",
        {
            "hire": hire,
            "name": selectors.shown_name(actor, hire.candidate),
            "applications": applications,
            "overdue": selectors.overdue_deadlines(applications),
        },
    )


def _act(request, application, action: str):
    """One change from the detail page; the bound form that failed, or None when done."""
    actor = request.actor
    if action == "status":
        form = StatusForm(request.POST, application=application)
        if form.is_valid():
            try:
                services.application_status(
                    actor=actor, application=application, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors_into(form, exc)
                return form
            messages.success(request, _("The status is recorded."))
            return None
        return form
    if action == "payment":
        payment = PaymentForm(request.POST)
        if payment.is_valid():
            try:
                services.payment_record(
                    actor=actor, application=application, **payment.cleaned_data
                )
            except ValidationError as exc:
                _errors_into(payment, exc)
                return payment
            messages.success(request, _("The payment is recorded."))
            return None
        return payment
    if action == "deadline":
        deadline = Deadline.objects.filter(
            application=application, pk=_posted_id(request) or 0
        ).first()
        if deadline is None:
            raise Http404()
        services.deadline_done(actor=actor, deadline=deadline)
        messages.success(request, _("The deadline is done."))
        return None
    raise DomainError(_("Unknown action."))


def _without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _posted_id(request) -> int | None:
    raw = request.POST.get("deadline", "")
    return int(raw) if raw.isdigit() else None


@requires(Permission.RECORD_APPLICATIONS)
def application_detail_view(request, uuid):
    """One application: hire, version (period, verified), status history, deadlines,
    payments; the recording organisation changes it here."""
    actor = request.actor
    try:
        application = selectors.application_get(actor, uuid)
    except NotFoundError:
        raise Http404() from None
    selectors.log_read(actor, application.candidate)
    application.category_name = selectors.category_name(application)
    may_change = selectors.may_change(actor, application)
    failed = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            failed = _act(request, application, action)
        except DomainError as exc:
            messages.error(request, user_message(exc))
            return redirect("instruments:application-detail", uuid=application.uuid)
        if failed is None:
            return redirect("instruments:application-detail", uuid=application.uuid)
        application = selectors.application_get(actor, uuid)
        application.category_name = selectors.category_name(application)
    status_form = failed if isinstance(failed, StatusForm) else StatusForm(application=application)
    payment_form = failed if isinstance(failed, PaymentForm) else PaymentForm()
    return render(
        request,
        "instruments/applications/detail.html",
        {
            "application": application,
            "hire": selectors.hire_of(application),
            "name": selectors.shown_name(actor, application.candidate),
            "history": selectors.history(application),
            "deadlines": list(application.deadlines.select_related("done_by")),
            "payments": list(application.payments.all()),
            "may_change": may_change,
            "status_form": status_form if status_form.fields["status"].choices else None,
            "payment_form": payment_form
            if application.status in selectors.GRANTED_STATUSES
            else None,
            "today": timezone.localdate(),
        },
    )


@requires(Permission.RECORD_APPLICATIONS)
@require_GET
def application_list_view(request):
    """ "Aanvragen": the applications the organisation recorded, with filters."""
    actor = request.actor
    form = params.form(request, ApplicationFilters, instruments=selectors.instrument_choices(actor))
    data = form.cleaned_data if form.is_bound else {}
    rows = selectors.application_list(
        actor,
        status=data.get("status") or "",
        instrument=data.get("instrument") or "",
        overdue=bool(data.get("overdue")),
    )
    page = params.page(request, rows, PER_PAGE)
    shown = selectors.with_category_names(list(page.object_list))
    served = selectors.served_ids(actor, [a.candidate_id for a in shown])
    for application in shown:
        selectors.log_read(actor, application.candidate)
        application.shown_name = (
            application.candidate.full_name
            if application.candidate_id in served
            else application.candidate.partner_label
        )
    return render(
        request,
        "instruments/applications/list.html",
        {
            "form": form,
            "page": page,
            "applications": shown,
            "overdue": selectors.overdue_deadlines(shown),
            "query": _without_page(request),
        },
    )
