"""Proposals: advisers put a person forward for a place; the employer answers; the person's
klantmanager records the consent to be introduced by name to that one employer; unanswered
proposals are reminded and closed. The outcome (hired or not) is in
:mod:`perspectief.matching.services.outcomes`."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.candidates import consent_statements
from perspectief.candidates.constants import ConsentScope
from perspectief.candidates.models import Candidate, Consent
from perspectief.candidates.selectors.people import may_change
from perspectief.candidates.services import consent as candidate_consent
from perspectief.core import bsn
from perspectief.core.authz import Actor, Permission, Role
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.vacancies.constants import VacancyStatus
from perspectief.vacancies.models import Vacancy

from ..constants import (
    AWAITING_EMPLOYER,
    CLOSING_NOTICE_DAYS,
    EMPLOYER_NOTE_MAX_LENGTH,
    MOTIVATION_MAX_LENGTH,
    OPEN_STATUSES,
    NotSuitable,
    ProposalStatus,
)
from ..models import Proposal
from ..selectors import employer as employer_side
from ..selectors.proposals import proposals_for_employer
from . import notices


def log_access(actor: Actor, candidate, operation, activity=ProcessingActivity.CANDIDATE_PROPOSAL):
    """The access record of a change to a person's proposals (or shortlist entries)."""
    access.record_candidate(actor, candidate, activity, operation)


def open_vacancy(actor: Actor, vacancy: Vacancy) -> Vacancy:
    """The place as the actor sees it, refused unless it is open (people are proposed and
    shortlisted for open places only)."""
    found = Vacancy.objects.visible_to(actor).filter(pk=vacancy.pk).first()
    if found is None:
        raise NotFoundError(_("Place not found."))
    if found.status != VacancyStatus.OPEN:
        raise ValidationError({"vacancy": _("People can only be proposed for an open place.")})
    return found


#: Digits, perhaps written in groups ("123 456 782", "06-1234 5678").
_NUMBER = re.compile(r"\d[\d .\-]{6,16}\d")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def clean_motivation(text: str, candidate: Candidate) -> str:
    """The motivation for the employer, checked: the employer reads it before the person
    agreed to be introduced, so it holds no name, BSN or contact details, and it is short.
    Refused with a message that says what to change."""
    text = " ".join((text or "").split())
    if len(text) > MOTIVATION_MAX_LENGTH:
        raise ValidationError(
            {
                "motivation": _(
                    "Keep the motivation to %(max)d characters at most (it has %(count)d)."
                )
                % {"max": MOTIVATION_MAX_LENGTH, "count": len(text)}
            }
        )
    for number in _NUMBER.findall(text):
        digits = re.sub(r"\D", "", number)
        if len(digits) == 9 and bsn.is_valid(digits):
            raise ValidationError(
                {
                    "motivation": _(
                        "Leave the BSN out of the motivation: the employer never sees it."
                    )
                }
            )
        if len(digits) >= 10:
            raise ValidationError(
                {
                    "motivation": _(
                        "Leave phone numbers out of the motivation: the employer gets contact "
                        "details only after the person agreed to be introduced."
                    )
                }
            )
    if _EMAIL.search(text):
        raise ValidationError(
            {
                "motivation": _(
                    "Leave e-mail addresses out of the motivation: the employer gets contact "
                    "details only after the person agreed to be introduced."
                )
            }
        )
    lowered = text.lower()
    for name in (candidate.first_name, candidate.last_name):
        name = (name or "").strip().lower()
        if len(name) >= 2 and re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", lowered):
            raise ValidationError(
                {
                    "motivation": _(
                        "Leave the person's name out of the motivation: the employer sees it "
                        "only after the person agreed to be introduced."
                    )
                }
            )
    return text


def _reopen(proposal: Proposal, status: str, actor: Actor) -> dict:
    """Set a proposal (new, requested or ended) to ``status`` on behalf of the actor; an
    ended one starts afresh, without the employer's earlier answer, its reminders or the
    person's earlier answer."""
    old = proposal.status if proposal.pk else None
    if old not in OPEN_STATUSES:
        proposal.employer_note, proposal.responded_at = "", None
        proposal.not_suitable_reason = ""
        proposal.reminded_at = proposal.closing_notice_at = None
        proposal.person_answer, proposal.person_answered_at = "", None
        proposal.person_statement_version = proposal.person_answer_method = ""
    proposal.status = status
    proposal.proposed_by, proposal.proposed_for = actor.user, actor.organisation
    proposal.save()
    return {"status": [old, status]}


@transaction.atomic
def proposal_create(
    *, actor: Actor, vacancy: Vacancy, candidate: Candidate, motivation: str = ""
) -> Proposal:
    """An adviser who sees both the person and the place proposes the person, with a short
    motivation for the employer (why the person fits). The employer's users are told."""
    if not (
        actor.has_perm(Permission.VIEW_CANDIDATES) and actor.has_perm(Permission.VIEW_EMPLOYERS)
    ):
        raise PermissionDeniedError()
    if not Candidate.objects.visible_to(actor).filter(pk=candidate.pk).exists():
        raise NotFoundError(_("Job seeker not found."))
    vacancy = open_vacancy(actor, vacancy)
    motivation = clean_motivation(motivation, candidate)
    if not Candidate.objects.matchable().filter(pk=candidate.pk).exists():
        raise ValidationError(
            {
                "candidate": _(
                    "This person cannot be proposed now: not yet in view, already placed, or "
                    "availability not reconfirmed recently."
                )
            }
        )
    existing = Proposal.objects.select_for_update().filter(vacancy=vacancy, candidate=candidate)
    proposal = existing.first()
    if proposal is not None and proposal.status in OPEN_STATUSES:
        if proposal.status != ProposalStatus.REQUESTED:
            raise ValidationError({"candidate": _("This person is already proposed here.")})
    if proposal is not None:
        # The employer asked for this person, or an earlier proposal ended: proposed again.
        proposal.motivation = motivation
        changes = _reopen(proposal, ProposalStatus.PROPOSED, actor)
    else:
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(
                    vacancy=vacancy,
                    candidate=candidate,
                    proposed_by=actor.user,
                    proposed_for=actor.organisation,
                    motivation=motivation,
                )
        except IntegrityError:  # someone else proposed the person a moment ago
            raise ValidationError(
                {"candidate": _("This person is already proposed here.")}
            ) from None
        changes = {"status": [None, proposal.status]}
    if motivation:
        changes["motivation"] = [None, motivation]
    audit.record("proposal.created", actor=actor, target=proposal, changes=changes)
    log_access(actor, candidate, Operation.CREATE)
    notices.proposal_new(proposal)
    return proposal


def proposal_to_change(actor: Actor, proposal: Proposal) -> Proposal:
    """A proposal the actor may act on: person and place visible to the actor, and the
    actor's organisation made the proposal or serves the person."""
    found = (
        Proposal.objects.select_for_update()
        .filter(pk=proposal.pk)
        .filter(candidate__in=Candidate.objects.visible_to(actor))
        .filter(vacancy__in=Vacancy.objects.visible_to(actor))
        .first()
    )
    if found is None or actor.role in (Role.EMPLOYER, Role.CANDIDATE):
        raise NotFoundError(_("Proposal not found."))
    if not may_change(actor, made_by_id=found.proposed_for_id, candidate_id=found.candidate_id):
        raise PermissionDeniedError(
            _(
                "Only the organisation that made this proposal, or one that serves the "
                "person, can change it."
            )
        )
    return found


@transaction.atomic
def proposal_withdraw(*, actor: Actor, proposal: Proposal) -> Proposal:
    """The proposing or a serving organisation withdraws an open proposal."""
    proposal = proposal_to_change(actor, proposal)
    if proposal.status not in OPEN_STATUSES:
        raise ValidationError({"status": _("This proposal is no longer open.")})
    old = proposal.status
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    audit.record(
        "proposal.withdrawn", actor=actor, target=proposal, changes={"status": [old, "withdrawn"]}
    )
    log_access(actor, proposal.candidate, Operation.CHANGE)
    return proposal


def _check_answer(interested: bool, note: str, reason: str) -> None:
    """An answer "not suitable" names its reason from the list (with words for "another
    reason"); a note fits its field. Every problem is named at once."""
    errors = {}
    if len(note) > EMPLOYER_NOTE_MAX_LENGTH:
        errors["note"] = _("Keep the note to %(max)d characters at most (it has %(count)d).") % {
            "max": EMPLOYER_NOTE_MAX_LENGTH,
            "count": len(note),
        }
    if not interested:
        if reason not in NotSuitable.values:
            errors["reason"] = _("Choose why the person is not suitable.")
        elif reason == NotSuitable.OTHER and not note and "note" not in errors:
            errors["note"] = _("Describe the other reason in a few words.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def employer_respond(
    *, actor: Actor, proposal: Proposal, interested: bool, note: str = "", reason: str = ""
) -> Proposal:
    """The employer says whether it wants to meet the person; "not suitable" with the
    reason (:class:`~..constants.NotSuitable`). The proposer and the person's klantmanager
    are told."""
    employer = employer_side.employer_of(actor)
    found = proposals_for_employer(employer).select_for_update().filter(pk=proposal.pk).first()
    if found is None:
        raise NotFoundError(_("Proposal not found."))
    if found.status not in (
        ProposalStatus.PROPOSED,
        ProposalStatus.INTERESTED,
        ProposalStatus.INTRODUCED,
        ProposalStatus.INTERVIEW,
    ):
        raise ValidationError({"status": _("This proposal cannot be answered now.")})
    note, reason = (note or "").strip(), (reason or "").strip()
    _check_answer(interested, note, reason)
    old = found.status
    named = found.status in (ProposalStatus.INTRODUCED, ProposalStatus.INTERVIEW)
    if not interested:
        found.status = ProposalStatus.NOT_INTERESTED
    else:
        found.status = ProposalStatus.INTERVIEW if named else ProposalStatus.INTERESTED
    found.employer_note = note
    found.not_suitable_reason = "" if interested else reason
    found.responded_at = timezone.now()
    found.save()
    changes = {"status": [old, found.status]}
    if not interested:
        changes["reason"] = [None, reason]
    audit.record("proposal.answered", actor=actor, target=found, changes=changes)
    log_access(actor, found.candidate, Operation.CHANGE, ProcessingActivity.EMPLOYER_ANONYMOUS_VIEW)
    notices.employer_answer(found)
    return found


@transaction.atomic
def employer_ask(*, actor: Actor, code: str, vacancy: Vacancy) -> Proposal:
    """An employer who found an anonymous profile asks to meet the person for one of its
    places; the person's klantmanager picks it up and asks the person."""
    employer = employer_side.employer_of(actor)
    candidate = employer_side.candidate_by_code(employer, code)
    vacancy = open_vacancy(actor, vacancy)
    if vacancy.employer_id != employer.pk:
        raise NotFoundError(_("Place not found."))
    proposal = Proposal.objects.filter(vacancy=vacancy, candidate=candidate).first()
    if proposal is not None and proposal.status in OPEN_STATUSES:
        return proposal
    if proposal is None:
        proposal = Proposal(vacancy=vacancy, candidate=candidate)
    old = proposal.status if proposal.pk else None
    try:
        with transaction.atomic():
            _reopen(proposal, ProposalStatus.REQUESTED, actor)
    except IntegrityError:  # asked twice at the same moment: the first one stands
        return Proposal.objects.get(vacancy=vacancy, candidate=candidate)
    audit.record(
        "proposal.requested", actor=actor, target=proposal, changes={"status": [old, "requested"]}
    )
    log_access(actor, candidate, Operation.CREATE, ProcessingActivity.EMPLOYER_ANONYMOUS_VIEW)
    notices.employer_answer(proposal)
    return proposal


@transaction.atomic
def introduction_record(
    *, actor: Actor, proposal: Proposal, method: str, statement_version: str | None = None
) -> Consent:
    """The person told their klantmanager they agree to be introduced to this employer:
    the klantmanager records how (in person, by phone, in writing) and which version of the
    text the person heard (the version in force when not given), which is the person's
    consent and the klantmanager's agreement at once (double opt-in). When the person already
    said yes on their own page, the klantmanager's agreement completes that consent (its
    method and text version stay the person's). From the next request the employer sees the
    name."""
    proposal = proposal_to_change(actor, proposal)
    serves = Candidate.objects.served_by(actor.organisation).filter(pk=proposal.candidate_id)
    if not (actor.has_perm(Permission.MANAGE_CANDIDATES) and serves.exists()):
        raise PermissionDeniedError(
            _("Only the person's klantmanager records their consent to be introduced.")
        )
    if proposal.status in (ProposalStatus.WITHDRAWN, ProposalStatus.NOT_INTERESTED):
        raise ValidationError({"status": _("This proposal is no longer open.")})
    consent = pending_introduction(proposal)
    if consent is None:
        consent = candidate_consent.consent_grant(
            actor=actor,
            candidate=proposal.candidate,
            scope=ConsentScope.INTRODUCTION,
            employer=proposal.vacancy.employer,
            method=method,
            statement_version=statement_version
            or consent_statements.current(ConsentScope.INTRODUCTION).version,
        )
    consent = candidate_consent.consent_approve(actor=actor, consent=consent)
    if proposal.status in (
        ProposalStatus.REQUESTED,
        ProposalStatus.PROPOSED,
        ProposalStatus.INTERESTED,
    ):
        old = proposal.status
        proposal.status = ProposalStatus.INTRODUCED
        proposal.save(update_fields=["status", "updated_at"])
        audit.record(
            "proposal.introduced",
            actor=actor,
            target=proposal,
            changes={"status": [old, proposal.status]},
        )
    return consent


def pending_introduction(proposal: Proposal) -> Consent | None:
    """The person's own yes to meet this proposal's employer, waiting for the klantmanager."""
    return (
        proposal.candidate.consents.filter(
            scope=ConsentScope.INTRODUCTION,
            employer_id=proposal.vacancy.employer_id,
            revoked_at__isnull=True,
            approved_at__isnull=True,
        )
        .order_by("granted_at")
        .first()
    )


def closing_notice_days() -> int:
    """Days before the close that the proposer is told (``PROPOSAL_CLOSING_NOTICE_DAYS``)."""
    return int(getattr(settings, "PROPOSAL_CLOSING_NOTICE_DAYS", CLOSING_NOTICE_DAYS))


def close_date(proposal: Proposal):
    """The day an unanswered proposal is closed."""
    return timezone.localdate(proposal.updated_at) + timedelta(days=settings.PROPOSAL_CLOSE_DAYS)


def remind_date(proposal: Proposal):
    """The day the employer is reminded of an unanswered proposal."""
    return timezone.localdate(proposal.updated_at) + timedelta(days=settings.PROPOSAL_REMIND_DAYS)


def _claim(waiting, field: str, before, now) -> list[Proposal]:
    """The waiting proposals not touched since ``before`` whose ``field`` is still empty,
    each set to ``now`` one by one, so that two runs at once tell nobody twice."""
    found = waiting.filter(updated_at__lt=before, **{f"{field}__isnull": True}).select_related(
        "vacancy__employer__organisation", "candidate", "proposed_for"
    )
    claimed = []
    for proposal in found:
        if Proposal.objects.filter(pk=proposal.pk, **{f"{field}__isnull": True}).update(
            **{field: now}
        ):
            claimed.append(proposal)
    return claimed


@transaction.atomic
def remind_and_close(*, now=None) -> dict[str, int]:
    """Proposals waiting for the employer's answer: reminded after
    ``PERSPECTIEF_PROPOSAL_REMIND_DAYS`` days (the employer's users get an e-mail, once),
    the proposer told a few days before the close (once), and closed after
    ``PERSPECTIEF_PROPOSAL_CLOSE_DAYS`` (the person is free again). Runs daily; a second
    run on the same day changes and sends nothing."""
    now = now or timezone.now()
    waiting = Proposal.objects.filter(status__in=AWAITING_EMPLOYER, responded_at__isnull=True)
    close_before = now - timedelta(days=settings.PROPOSAL_CLOSE_DAYS)
    closing = list(waiting.filter(updated_at__lt=close_before))
    for proposal in closing:
        audit.record(
            "proposal.closed_no_answer",
            actor=None,
            target=proposal,
            changes={"status": [proposal.status, ProposalStatus.NO_ANSWER]},
        )
    closed = waiting.filter(pk__in=[p.pk for p in closing]).update(
        status=ProposalStatus.NO_ANSWER, outcome_at=now
    )
    # Claimed with update(): the timestamps do not move ``updated_at``, the proposal's
    # "waiting since" that the reminder and the close are counted from.
    still = waiting.exclude(pk__in=[p.pk for p in closing])
    reminded = _claim(
        still, "reminded_at", now - timedelta(days=settings.PROPOSAL_REMIND_DAYS), now
    )
    for proposal in reminded:
        notices.proposal_reminder(proposal)
    notice_after = settings.PROPOSAL_CLOSE_DAYS - closing_notice_days()
    noticed = _claim(still, "closing_notice_at", now - timedelta(days=notice_after), now)
    for proposal in noticed:
        notices.proposal_closing(proposal)
    return {"reminded": len(reminded), "closed": closed, "closing_notices": len(noticed)}
