"""Functional limitations: their own permission and processing activity."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core.authz import Permission
from perspectief.core.policies import requires

from ..forms.health import HealthForm
from ..models import HealthInformation
from ..selectors import people as selectors
from ..services.health import health_update
from .people import person_or_404


@requires(Permission.VIEW_HEALTH)
def candidate_health_view(request, uuid):
    """Functional limitations: their own permission and processing activity."""
    candidate, level = person_or_404(request, uuid)
    if level != selectors.FULL:
        raise Http404
    health, _created = HealthInformation.objects.get_or_create(candidate=candidate)
    access.record_candidate(
        request.actor,
        candidate,
        ProcessingActivity.CANDIDATE_HEALTH,
        Operation.CHANGE if request.method == "POST" else Operation.READ,
    )
    form = HealthForm(
        request.POST if request.method == "POST" else None,
        initial={
            "functional_limitations": health.functional_limitations,
            "adjustments": health.adjustments,
            "limitations": health.limitation_list,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        health_update(
            actor=request.actor,
            candidate=candidate,
            functional_limitations=data["functional_limitations"],
            adjustments=data["adjustments"],
            limitations=list(data["limitations"]),
        )
        messages.success(request, _("Saved."))
        return redirect("candidates:health", uuid=candidate.uuid)
    return render(
        request,
        "candidates/candidate_health.html",
        {"candidate": candidate, "health": health, "form": form},
        status=400 if form.is_bound else 200,
    )
