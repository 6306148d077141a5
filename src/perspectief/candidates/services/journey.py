"""The person's journey: every change of ``Candidate.status`` is a dated, audited transition
with its cause (the monitoring counts these)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from ..constants import TRANSITIONS, JourneyStatus, TransitionCause
from ..models import Candidate, JourneyTransition
from ..selectors.people import placed_without_hire


def journey_move(
    *,
    actor: Actor,
    candidate: Candidate,
    status: str,
    cause: str,
    occurred_on: date | None = None,
    reason: str = "",
    reference: str = "",
    activity: str = ProcessingActivity.CANDIDATE_SERVICE,
    again: bool = False,
) -> Candidate:
    """The one way ``Candidate.status`` changes: a dated, audited transition with its cause
    (the monitoring counts these). The caller checked who may cause it and holds the
    transaction; a move to the status the person already has records nothing, unless
    ``again`` (a hire recorded for a placement that had none behind it)."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status == status and not again:
        return candidate
    old = candidate.status
    candidate.status = status
    candidate.save(update_fields=["status", "updated_at"])
    JourneyTransition.objects.create(
        candidate=candidate,
        from_status=old,
        to_status=status,
        occurred_on=occurred_on or timezone.localdate(),
        cause=cause,
        reason=reason[:300],
        reference=reference,
        actor=getattr(actor, "user", None),
        organisation=getattr(actor, "organisation", None),
    )
    changes: dict[str, list[object]] = {"status": [old, status]}
    if reason:
        changes["reason"] = [None, reason[:300]]
    audit.record("candidate.status_changed", actor=actor, target=candidate, changes=changes)
    if actor is not None:
        access.record_candidate(actor, candidate, activity, Operation.CHANGE)
    return candidate


@transaction.atomic
def candidate_change_status(*, actor: Actor, candidate: Candidate, status: str) -> Candidate:
    """Move the person along the journey by hand (aangemeld → in beeld → werkfit → …)."""
    if not actor.has_perm(Permission.MANAGE_CANDIDATES):
        raise PermissionDeniedError()
    if not Candidate.objects.served_by(actor.organisation).filter(pk=candidate.pk).exists():
        raise NotFoundError(_("Job seeker not found."))
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if status not in JourneyStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status in (JourneyStatus.PLACED, JourneyStatus.DURABLE):
        raise ValidationError(
            {
                "status": _(
                    "A placement is not set by hand: record the hire (through a proposal, or "
                    "a job found outside the platform, on the person's page). Durable work "
                    "follows from a confirmation after six months."
                )
            }
        )
    if status not in TRANSITIONS[JourneyStatus(candidate.status)]:
        raise ValidationError(
            {
                "status": _("From “%(from)s” the person cannot go to “%(to)s”.")
                % {
                    "from": JourneyStatus(candidate.status).label,
                    "to": JourneyStatus(status).label,
                }
            }
        )
    return journey_move(
        actor=actor, candidate=candidate, status=status, cause=TransitionCause.MANUAL
    )


@transaction.atomic
def candidate_hired(
    *, actor: Actor, candidate: Candidate, proposal_ref: str, start_date: date | None = None
) -> Candidate:
    """A recorded hire makes the person *geplaatst*, from wherever they were in the journey
    (a hire is a fact, not a step a klantmanager chooses), dated by the start of work. Called
    by the hire services (a proposal's outcome, a job found outside the platform), which
    checked who may record it. Someone already *geplaatst* through a hire gets no second
    placement; someone *geplaatst* without a hire behind it (set by hand, or carried over
    from before transitions were kept) gets the hire's transition now, which is what the
    monitoring counts."""
    again = placed_without_hire(candidate)
    if candidate.status == JourneyStatus.PLACED and not again:
        return candidate
    return journey_move(
        again=again,
        actor=actor,
        candidate=candidate,
        status=JourneyStatus.PLACED,
        cause=TransitionCause.HIRE,
        occurred_on=start_date,
        reference=proposal_ref,
        activity=ProcessingActivity.CANDIDATE_PROPOSAL,
    )
