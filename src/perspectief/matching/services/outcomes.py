"""The outcome of a proposal: hired (with start date and contract) or not (with the reason),
recorded by the employer of the place or by the proposing or serving organisation. A hire
fills one place and makes the person *geplaatst*: it counts as a match for the region."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.audit.constants import Operation
from perspectief.candidates.services import journey as candidate_journey
from perspectief.core.authz import Actor, Role
from perspectief.core.exceptions import NotFoundError
from perspectief.routes.services import support
from perspectief.vacancies.constants import CohortStage, Contract
from perspectief.vacancies.services import places as vacancy_services

from ..constants import ProposalStatus
from ..models import Proposal
from ..selectors import employer as employer_side
from . import notices
from .proposals import log_access, proposal_to_change


@transaction.atomic
def outcome_record(
    *,
    actor: Actor,
    proposal: Proposal,
    hired: bool,
    start_date=None,
    contract: str = "",
    reason: str = "",
) -> Proposal:
    """Hired (with start date and contract) or not (with the reason), recorded by the
    employer of the place or by the proposing or serving organisation. A hire fills one
    place and makes the person *geplaatst*: it counts as a match for the region."""
    found = _proposal_for_outcome(actor, proposal)
    if found.status not in (ProposalStatus.INTRODUCED, ProposalStatus.INTERVIEW):
        raise ValidationError(
            {
                "status": _(
                    "An outcome is recorded after the person was introduced by name (with "
                    "their consent)."
                )
            }
        )
    old = found.status
    if hired:
        _check_hire(found, start_date, contract)
        _record_hire(actor, found, start_date, contract)
    else:
        _record_not_hired(found, reason)
    found.outcome_at = timezone.now()
    found.save()
    audit.record(
        "proposal.outcome", actor=actor, target=found, changes={"status": [old, found.status]}
    )
    log_access(actor, found.candidate, Operation.CHANGE)
    if actor.role == Role.EMPLOYER:
        # The employer's answer after the interview: the proposer and the klantmanager.
        notices.employer_answer(found)
    return found


def _proposal_for_outcome(actor: Actor, proposal: Proposal) -> Proposal:
    """The proposal locked for the outcome: for an employer only one for its own places, for
    an adviser one their organisation made or whose person it serves."""
    if actor.role != Role.EMPLOYER:
        return proposal_to_change(actor, proposal)
    employer = employer_side.employer_of(actor)
    found = (
        Proposal.objects.select_for_update()
        .filter(pk=proposal.pk, vacancy__employer=employer)
        .first()
    )
    if found is None:
        raise NotFoundError(_("Proposal not found."))
    return found


def _check_hire(proposal: Proposal, start_date, contract: str) -> None:
    """A hire needs a plausible start date (not long before the proposal, at most two years
    ahead) and a known contract; every missing part is named at once."""
    errors = {}
    if start_date is None:
        errors["start_date"] = _("Give the date the person starts.")
    elif start_date < timezone.localtime(proposal.created_at).date() - timedelta(days=31):
        errors["start_date"] = _(
            "The start date lies long before the proposal was made: check the date."
        )
    elif start_date > timezone.localdate() + timedelta(days=730):
        errors["start_date"] = _("The start date lies more than two years ahead.")
    if not contract:
        errors["contract"] = _("Choose the contract.")
    elif contract not in Contract.values:
        errors["contract"] = _("Unknown contract.")
    if errors:
        raise ValidationError(errors)


def _record_hire(actor: Actor, proposal: Proposal, start_date, contract: str) -> None:
    """What a hire changes: one place of the vacancy filled, the person started in the bulk
    request's cohort and *geplaatst*, the proposal hired, and the support plan begun."""
    vacancy_services.vacancy_fill_one(actor=actor, vacancy=proposal.vacancy)
    # Someone prepared in the bulk request's cohort has now started.
    proposal.vacancy.cohort.filter(candidate_id=proposal.candidate_id).update(
        stage=CohortStage.STARTED
    )
    candidate_journey.candidate_hired(
        actor=actor,
        candidate=proposal.candidate,
        proposal_ref=str(proposal.uuid),
        start_date=start_date,
    )
    proposal.status, proposal.start_date, proposal.contract = (
        ProposalStatus.HIRED,
        start_date,
        contract,
    )
    proposal.save()
    # Support at the workplace starts with the hire (check-ins, durable at 6 months).
    support.plan_for_hire(actor=actor, proposal=proposal)


def _record_not_hired(proposal: Proposal, reason: str) -> None:
    """Not hired: the reason is required, so that the next match is better."""
    reason = (reason or "").strip()[:300]
    if not reason:
        raise ValidationError({"reason": _("Give the reason, so that the next match is better.")})
    proposal.status, proposal.outcome_reason = ProposalStatus.REJECTED, reason
