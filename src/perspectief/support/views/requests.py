"""Pages of support requests: the region's programme manager asks and reads the answers;
the support team reads every region's requests and answers them."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from perspectief.core.authz import Permission
from perspectief.core.policies import requires

from ..forms import AnswerRequestForm, RequestForm
from ..models import SupportRequest
from ..services import requests as services
from .common import save_posted


@requires(Permission.REPORT_PROGRESS)
def list_view(request):
    form = RequestForm(request.POST or None)
    made = save_posted(
        request, form, lambda: services.request_ask(actor=request.actor, data=form.request_input())
    )
    if made is not None:
        messages.success(request, _("Your request is sent to the support team."))
        return redirect("support:request", uuid=made.uuid)
    return render(
        request,
        "support/requests.html",
        {"form": form, "requests": SupportRequest.objects.visible_to(request.actor)},
    )


@requires(Permission.REPORT_PROGRESS)
@require_GET
def request_view(request, uuid):
    found = get_object_or_404(SupportRequest.objects.visible_to(request.actor), uuid=uuid)
    services.answer_seen(actor=request.actor, request=found)
    return render(request, "support/request.html", {"request_": found, "form": None})


@requires(Permission.SUPPORT_REGIONS)
@require_GET
def team_list_view(request):
    return render(
        request,
        "support/team_requests.html",
        {"requests": SupportRequest.objects.visible_to(request.actor).select_related("region")},
    )


@requires(Permission.SUPPORT_REGIONS)
def team_request_view(request, uuid):
    found = get_object_or_404(SupportRequest.objects.visible_to(request.actor), uuid=uuid)
    form = AnswerRequestForm(request.POST or None, initial={"answer": found.answer})
    if found.answer:  # answered: the form changes the answer (and tells the region again)
        form.fields["answer"].label = _("Changed answer")
        form.fields["answer"].help_text = _(
            "Replaces the answer above; the region is told about it again."
        )
    answered = save_posted(
        request,
        form,
        lambda: services.request_answer(
            actor=request.actor, request=found, answer=form.cleaned_data["answer"]
        ),
    )
    if answered is not None:
        messages.success(request, _("The answer is sent to the region."))
        return redirect("support:team-request", uuid=uuid)
    return render(request, "support/request.html", {"request_": found, "form": form})
