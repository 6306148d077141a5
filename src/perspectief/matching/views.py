"""Advisers' pages: propose a person for a place (or add them to a bulk request's cohort)
from the person's page, withdraw a proposal, record consent for an introduction."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perspectief.accounts.constants import Permission
from perspectief.accounts.policies import requires
from perspectief.candidates.models import Candidate
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.ids import parse_uuid
from perspectief.vacancies import bulk
from perspectief.vacancies.models import Vacancy

from . import services
from .models import Proposal


@requires(Permission.VIEW_CANDIDATES)
@require_POST
def propose_view(request, uuid):
    """From a person's page: propose them for a place, or add them to its cohort."""
    actor = request.actor
    candidate = get_object_or_404(Candidate.objects.visible_to(actor), uuid=uuid)
    vacancy = (
        Vacancy.objects.visible_to(actor)
        .filter(uuid=parse_uuid(request.POST.get("vacancy")))
        .first()
    )
    if vacancy is None:
        messages.error(request, _("Choose a place."))
        return redirect("candidates:detail", uuid=candidate.uuid)
    try:
        if request.POST.get("action") == "cohort":
            bulk.cohort_add(
                actor=actor,
                vacancy=vacancy,
                candidate=candidate,
                preparation=request.POST.get("preparation", ""),
            )
            messages.success(request, _("Added to the cohort of %(place)s.") % {"place": vacancy})
        else:
            services.proposal_create(actor=actor, vacancy=vacancy, candidate=candidate)
            messages.success(
                request,
                _("Proposed for %(place)s. The employer sees an anonymous profile.")
                % {"place": vacancy},
            )
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    return redirect("candidates:detail", uuid=candidate.uuid)


@requires(Permission.VIEW_CANDIDATES)
@require_POST
def proposal_action_view(request, uuid):
    actor = request.actor
    proposal = get_object_or_404(
        Proposal.objects.filter(
            candidate__in=Candidate.objects.visible_to(actor),
            vacancy__in=Vacancy.objects.visible_to(actor),
        ),
        uuid=uuid,
    )
    try:
        if request.POST.get("action") == "introduce":
            services.introduction_record(actor=actor, proposal=proposal)
            messages.success(
                request,
                _("Recorded: the employer now sees the person's name and contact details."),
            )
        elif request.POST.get("action") == "withdraw":
            services.proposal_withdraw(actor=actor, proposal=proposal)
            messages.success(request, _("Proposal withdrawn."))
        else:
            messages.error(request, _("Unknown action."))
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    return redirect("candidates:detail", uuid=proposal.candidate.uuid)
