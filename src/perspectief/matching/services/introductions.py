"""The person's own answer to "do you want to be introduced to this employer?", given on
their own page ("Mijn gegevens").

A yes is the person's consent to be introduced by name to that one employer
(``Consent``, method "by the person in their own account", with the version of the text
they were shown); like every consent it takes effect when their klantmanager agrees
(double opt-in: :func:`~.proposals.introduction_record` completes it). A no is kept on the
proposal with the same facts (when, which text, how), and withdraws a yes that was still
waiting for the klantmanager. Saying no costs the person nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.candidates import consent_statements
from perspectief.candidates.constants import ConsentMethod, ConsentScope
from perspectief.candidates.models import Candidate
from perspectief.candidates.services import consent as candidate_consent
from perspectief.core.authz import Actor, Role
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from ..constants import ANSWERABLE_BY_PERSON, PersonAnswer
from ..models import Proposal
from .proposals import pending_introduction


def own_proposals(actor: Actor):
    """The proposals of the person signed in (their own record only)."""
    if actor is None or actor.role != Role.CANDIDATE:
        return Proposal.objects.none()
    return Proposal.objects.filter(candidate__in=Candidate.objects.visible_to(actor))


@transaction.atomic
def person_answer(
    *, actor: Actor, proposal: Proposal, agree: bool, statement_version: str
) -> Proposal:
    """The person says yes or no to meeting the employer of one of their proposals."""
    if actor is None or actor.role != Role.CANDIDATE:
        raise PermissionDeniedError()
    found = (
        own_proposals(actor)
        .select_for_update()
        .select_related("candidate", "vacancy__employer")
        .filter(pk=proposal.pk)
        .first()
    )
    if found is None:
        raise NotFoundError(_("Proposal not found."))
    if found.status not in ANSWERABLE_BY_PERSON:
        raise ValidationError({"status": _("This proposal no longer asks for your answer.")})
    candidate, employer = found.candidate, found.vacancy.employer
    introductions = candidate.consents.active(ConsentScope.INTRODUCTION)
    if introductions.filter(employer=employer).exists():
        raise ValidationError(
            {
                "status": _(
                    "You already agreed to meet this employer. You can withdraw that under "
                    "“Introductions to employers”."
                )
            }
        )
    if statement_version != consent_statements.current(ConsentScope.INTRODUCTION).version:
        raise ValidationError(
            {
                "statement_version": _(
                    "The text has changed since you read it. Read the new text and answer again."
                )
            }
        )
    pending = pending_introduction(found)
    answer = PersonAnswer.AGREED if agree else PersonAnswer.DECLINED
    if found.person_answer == answer and (pending is not None) == agree:
        return found  # the same answer again (a second click): nothing changes
    if agree:
        candidate_consent.consent_grant(
            actor=actor,
            candidate=candidate,
            scope=ConsentScope.INTRODUCTION,
            employer=employer,
            method=ConsentMethod.SELF,
            statement_version=statement_version,
        )
    else:
        if pending is not None:
            candidate_consent.consent_revoke(actor=actor, consent=pending)
        access.record_candidate(
            actor, candidate, ProcessingActivity.CANDIDATE_CONSENT, Operation.CHANGE
        )
    old = found.person_answer or None
    # update(), not save(): the proposal's ``updated_at`` is the employer's waiting time.
    Proposal.objects.filter(pk=found.pk).update(
        person_answer=answer,
        person_answered_at=timezone.now(),
        person_statement_version=statement_version,
        person_answer_method=ConsentMethod.SELF,
    )
    audit.record(
        "proposal.person_answered",
        actor=actor,
        target=found,
        changes={
            "person_answer": [old, str(answer)],
            "statement_version": [None, statement_version],
            "method": [None, str(ConsentMethod.SELF)],
        },
    )
    found.refresh_from_db()
    return found
