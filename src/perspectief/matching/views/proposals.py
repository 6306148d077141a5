"""Advisers' pages for proposals: propose a person for a place (or put them on its shortlist,
or add them to a bulk request's cohort) from the person's page or the ranked list, and act on
a proposal — record consent for an introduction, the outcome, or withdraw it."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perspectief.candidates.models import Candidate
from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.ids import parse_uuid
from perspectief.core.policies import requires
from perspectief.vacancies.models import Vacancy
from perspectief.vacancies.services import bulk

from ..models import Proposal
from ..services import outcomes, proposals, shortlists


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
        if request.POST.get("action") == "shortlist":
            shortlists.shortlist_add(
                actor=actor,
                vacancy=vacancy,
                candidate=candidate,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("On the shortlist of %(place)s.") % {"place": vacancy})
        elif request.POST.get("action") == "cohort":
            bulk.cohort_add(
                actor=actor,
                vacancy=vacancy,
                candidate=candidate,
                preparation=request.POST.get("preparation", ""),
            )
            messages.success(request, _("Added to the cohort of %(place)s.") % {"place": vacancy})
        else:
            proposals.proposal_create(
                actor=actor,
                vacancy=vacancy,
                candidate=candidate,
                motivation=request.POST.get("motivation", ""),
            )
            messages.success(
                request,
                _("Proposed for %(place)s. The employer sees an anonymous profile.")
                % {"place": vacancy},
            )
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    back = request.POST.get("back")
    if back == "ranked":
        return redirect("matching:candidates", uuid=vacancy.uuid)
    return redirect("candidates:detail", uuid=candidate.uuid)


@requires(Permission.VIEW_CANDIDATES)
@require_POST
def proposal_action_view(request, uuid):
    """From a person's page: record the consent to be introduced, the outcome, or withdraw
    the proposal."""
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
            proposals.introduction_record(
                actor=actor,
                proposal=proposal,
                method=request.POST.get("method", ""),
                statement_version=request.POST.get("statement_version", ""),
            )
            messages.success(
                request,
                _("Recorded: the employer now sees the person's name and contact details."),
            )
        elif request.POST.get("action") == "outcome":
            record_outcome(request, proposal)
            messages.success(request, _("Outcome recorded."))
        elif request.POST.get("action") == "withdraw":
            proposals.proposal_withdraw(actor=actor, proposal=proposal)
            messages.success(request, _("Proposal withdrawn."))
        else:
            messages.error(request, _("Unknown action."))
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    return redirect("candidates:detail", uuid=proposal.candidate.uuid)


def record_outcome(request, proposal):
    """The outcome form (``matching/proposals/_outcome_form.html``), shared by the
    employer's and the advisers' pages: hired (start date, contract) or not (reason)."""
    hired = request.POST.get("outcome") == "hired"
    start = None
    if hired:
        try:
            start = date.fromisoformat(request.POST.get("start_date", ""))
        except ValueError:
            start = None
    return outcomes.outcome_record(
        actor=request.actor,
        proposal=proposal,
        hired=hired,
        start_date=start,
        contract=request.POST.get("contract", ""),
        reason=request.POST.get("reason", ""),
    )
