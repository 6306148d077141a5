"""Proposals: advisers put a person forward for a place; the employer answers; the person's
klantmanager records the consent to be introduced by name to that one employer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.candidates import services as candidate_services
from perspectief.candidates.constants import ConsentScope
from perspectief.candidates.models import Candidate, CandidateOrganisation, Consent
from perspectief.candidates.selectors import may_change
from perspectief.core.authz import Permission, Role
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.vacancies.constants import VacancyStatus
from perspectief.vacancies.models import Vacancy

from . import employer as employer_side
from . import selectors
from .constants import OPEN_STATUSES, ProposalStatus
from .models import OutsideHire, Proposal


def _log(actor, candidate, operation, activity=ProcessingActivity.CANDIDATE_PROPOSAL):
    access.record_candidate(actor, candidate, activity, operation)


def _open_vacancy(actor, vacancy: Vacancy) -> Vacancy:
    found = Vacancy.objects.visible_to(actor).filter(pk=vacancy.pk).first()
    if found is None:
        raise NotFoundError(_("Place not found."))
    if found.status != VacancyStatus.OPEN:
        raise ValidationError({"vacancy": _("People can only be proposed for an open place.")})
    return found


def _reopen(proposal: Proposal, status: str, actor) -> dict:
    """Set a proposal (new, requested or ended) to ``status`` on behalf of the actor; an
    ended one starts afresh, without the employer's earlier answer."""
    old = proposal.status if proposal.pk else None
    if old not in OPEN_STATUSES:
        proposal.employer_note, proposal.responded_at = "", None
    proposal.status = status
    proposal.proposed_by, proposal.proposed_for = actor.user, actor.organisation
    proposal.save()
    return {"status": [old, status]}


@transaction.atomic
def proposal_create(*, actor, vacancy: Vacancy, candidate: Candidate) -> Proposal:
    """An adviser who sees both the person and the place proposes the person."""
    if not (
        actor.has_perm(Permission.VIEW_CANDIDATES) and actor.has_perm(Permission.VIEW_EMPLOYERS)
    ):
        raise PermissionDeniedError()
    if not Candidate.objects.visible_to(actor).filter(pk=candidate.pk).exists():
        raise NotFoundError(_("Job seeker not found."))
    vacancy = _open_vacancy(actor, vacancy)
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
        changes = _reopen(proposal, ProposalStatus.PROPOSED, actor)
    else:
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(
                    vacancy=vacancy,
                    candidate=candidate,
                    proposed_by=actor.user,
                    proposed_for=actor.organisation,
                )
        except IntegrityError:  # someone else proposed the person a moment ago
            raise ValidationError(
                {"candidate": _("This person is already proposed here.")}
            ) from None
        changes = {"status": [None, proposal.status]}
    audit.record("proposal.created", actor=actor, target=proposal, changes=changes)
    _log(actor, candidate, Operation.CREATE)
    return proposal


def _own_or_serving(actor, proposal: Proposal) -> Proposal:
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
def proposal_withdraw(*, actor, proposal: Proposal) -> Proposal:
    proposal = _own_or_serving(actor, proposal)
    if proposal.status not in OPEN_STATUSES:
        raise ValidationError({"status": _("This proposal is no longer open.")})
    old = proposal.status
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    audit.record(
        "proposal.withdrawn", actor=actor, target=proposal, changes={"status": [old, "withdrawn"]}
    )
    _log(actor, proposal.candidate, Operation.CHANGE)
    return proposal


def proposals_for_employer(employer):
    """The proposals an employer sees: for its own places, not withdrawn, of people who are
    still current (not merged or erased) and still shown on the basis they were proposed
    on: served by the proposing organisation, or with an active regional-profile consent.
    Withdrawing that consent takes the profile away from the employer on the next request."""
    served_by_proposer = CandidateOrganisation.objects.filter(
        candidate=OuterRef("candidate"), organisation=OuterRef("proposed_for"), is_active=True
    )
    regional_consent = Consent.objects.active(ConsentScope.REGIONAL_PROFILE).filter(
        candidate=OuterRef("candidate")
    )
    return (
        Proposal.objects.filter(
            vacancy__employer=employer,
            candidate__merged_into__isnull=True,
            candidate__anonymised_at__isnull=True,
        )
        .exclude(status=ProposalStatus.WITHDRAWN)
        .filter(Exists(served_by_proposer) | Exists(regional_consent))
        .select_related("vacancy__postcode")
    )


@transaction.atomic
def employer_respond(*, actor, proposal: Proposal, interested: bool, note: str = "") -> Proposal:
    """The employer says whether it wants to meet the person."""
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
    old = found.status
    named = found.status in (ProposalStatus.INTRODUCED, ProposalStatus.INTERVIEW)
    if not interested:
        found.status = ProposalStatus.NOT_INTERESTED
    else:
        found.status = ProposalStatus.INTERVIEW if named else ProposalStatus.INTERESTED
    found.employer_note = (note or "").strip()[:500]
    found.responded_at = timezone.now()
    found.save()
    audit.record(
        "proposal.answered", actor=actor, target=found, changes={"status": [old, found.status]}
    )
    _log(actor, found.candidate, Operation.CHANGE, ProcessingActivity.EMPLOYER_ANONYMOUS_VIEW)
    return found


@transaction.atomic
def employer_ask(*, actor, code: str, vacancy: Vacancy) -> Proposal:
    """An employer who found an anonymous profile asks to meet the person for one of its
    places; the person's klantmanager picks it up and asks the person."""
    employer = employer_side.employer_of(actor)
    candidate = employer_side.candidate_by_code(employer, code)
    vacancy = _open_vacancy(actor, vacancy)
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
    _log(actor, candidate, Operation.CREATE, ProcessingActivity.EMPLOYER_ANONYMOUS_VIEW)
    return proposal


@transaction.atomic
def introduction_record(
    *, actor, proposal: Proposal, method: str, statement_version: str | None = None
) -> Consent:
    """The person told their klantmanager they agree to be introduced to this employer:
    the klantmanager records how (in person, by phone, in writing) and which version of the
    text the person heard (the version in force when not given), which is the person's
    consent and the klantmanager's agreement at once (double opt-in). From the next request
    the employer sees the name."""
    from perspectief.candidates import consent_statements

    proposal = _own_or_serving(actor, proposal)
    serves = Candidate.objects.served_by(actor.organisation).filter(pk=proposal.candidate_id)
    if not (actor.has_perm(Permission.MANAGE_CANDIDATES) and serves.exists()):
        raise PermissionDeniedError(
            _("Only the person's klantmanager records their consent to be introduced.")
        )
    if proposal.status in (ProposalStatus.WITHDRAWN, ProposalStatus.NOT_INTERESTED):
        raise ValidationError({"status": _("This proposal is no longer open.")})
    consent = candidate_services.consent_grant(
        actor=actor,
        candidate=proposal.candidate,
        scope=ConsentScope.INTRODUCTION,
        employer=proposal.vacancy.employer,
        method=method,
        statement_version=statement_version
        or consent_statements.current(ConsentScope.INTRODUCTION).version,
    )
    consent = candidate_services.consent_approve(actor=actor, consent=consent)
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


@transaction.atomic
def outcome_record(
    *,
    actor,
    proposal: Proposal,
    hired: bool,
    start_date=None,
    contract: str = "",
    reason: str = "",
) -> Proposal:
    """Hired (with start date and contract) or not (with the reason), recorded by the
    employer of the place or by the proposing or serving organisation. A hire fills one
    place and makes the person *geplaatst*: it counts as a match for the region."""
    from datetime import timedelta

    from perspectief.vacancies.constants import CohortStage, Contract
    from perspectief.vacancies.services import places as vacancy_services

    if actor.role == Role.EMPLOYER:
        employer = employer_side.employer_of(actor)
        found = (
            Proposal.objects.select_for_update()
            .filter(pk=proposal.pk, vacancy__employer=employer)
            .first()
        )
        if found is None:
            raise NotFoundError(_("Proposal not found."))
    else:
        found = _own_or_serving(actor, proposal)
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
        errors = {}
        if start_date is None:
            errors["start_date"] = _("Give the date the person starts.")
        elif start_date < timezone.localtime(found.created_at).date() - timedelta(days=31):
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
        vacancy_services.vacancy_fill_one(actor=actor, vacancy=found.vacancy)
        # Someone prepared in the bulk request's cohort has now started.
        found.vacancy.cohort.filter(candidate_id=found.candidate_id).update(
            stage=CohortStage.STARTED
        )
        candidate_services.candidate_hired(
            actor=actor,
            candidate=found.candidate,
            proposal_ref=str(found.uuid),
            start_date=start_date,
        )
        found.status, found.start_date, found.contract = ProposalStatus.HIRED, start_date, contract
        found.save()
        # Support at the workplace starts with the hire (check-ins, durable at 6 months).
        from perspectief.routes import support

        support.plan_for_hire(actor=actor, proposal=found)
    else:
        reason = (reason or "").strip()[:300]
        if not reason:
            raise ValidationError(
                {"reason": _("Give the reason, so that the next match is better.")}
            )
        found.status, found.outcome_reason = ProposalStatus.REJECTED, reason
    found.outcome_at = timezone.now()
    found.save()
    audit.record(
        "proposal.outcome", actor=actor, target=found, changes={"status": [old, found.status]}
    )
    _log(actor, found.candidate, Operation.CHANGE)
    return found


@transaction.atomic
def outside_hire_record(
    *,
    actor,
    candidate: Candidate,
    employer=None,
    employer_name: str = "",
    job_title: str = "",
    contract: str = "",
    start_date=None,
    note: str = "",
) -> OutsideHire:
    """A hire into a job the person found outside the platform, recorded by an organisation
    that serves the person (no place, no proposal): the employer (its account, or its name
    when it has none here), the job, the contract and the start of work. Like a hire through
    a proposal it makes the person *geplaatst* (a match) and starts the support plan."""
    from datetime import timedelta

    from perspectief.organisations.models import EmployerAccount
    from perspectief.routes import support
    from perspectief.vacancies.constants import Contract

    if not actor.has_perm(Permission.MANAGE_CANDIDATES):
        raise PermissionDeniedError()
    found = (
        Candidate.objects.visible_to(actor)
        .filter(pk=candidate.pk)
        .filter(pk__in=Candidate.objects.served_by(actor.organisation).values("pk"))
        .first()
    )
    if found is None:
        raise NotFoundError(_("Job seeker not found."))
    errors = {}
    employer_name = (employer_name or "").strip()
    if employer is not None:
        employer = EmployerAccount.objects.visible_to(actor).filter(pk=employer.pk).first()
        if employer is None:
            errors["employer"] = _("Unknown employer.")
        else:
            employer_name = employer.organisation.name
    elif not employer_name:
        errors["employer"] = _("Name the employer: choose its account or give its name.")
    job_title = (job_title or "").strip()
    if not job_title:
        errors["job_title"] = _("Give the job.")
    if not contract:
        errors["contract"] = _("Choose the contract.")
    elif contract not in Contract.values:
        errors["contract"] = _("Unknown contract.")
    today = timezone.localdate()
    if start_date is None:
        errors["start_date"] = _("Give the date the person starts.")
    elif start_date < today - timedelta(days=730):
        errors["start_date"] = _("The start date lies more than two years back: check the date.")
    elif start_date > today + timedelta(days=730):
        errors["start_date"] = _("The start date lies more than two years ahead.")
    if errors:
        raise ValidationError(errors)
    hire = OutsideHire.objects.create(
        candidate=found,
        employer=employer,
        employer_name=employer_name[:200],
        job_title=job_title[:200],
        contract=contract,
        start_date=start_date,
        note=(note or "").strip()[:500],
        recorded_by=actor.user,
        recorded_for=actor.organisation,
    )
    candidate_services.candidate_hired(
        actor=actor, candidate=found, proposal_ref=str(hire.uuid), start_date=start_date
    )
    audit.record(
        "hire.outside_recorded",
        actor=actor,
        target=hire,
        changes={
            "employer": [None, employer_name],
            "contract": [None, contract],
            "start_date": [None, str(start_date)],
        },
    )
    support.plan_for_outside_hire(actor=actor, hire=hire)
    _log(actor, found, Operation.CHANGE)
    return hire


def remind_and_close(*, now=None) -> dict[str, int]:
    """Proposals waiting for the employer's answer: reminded after
    ``PERSPECTIEF_PROPOSAL_REMIND_DAYS`` days, closed after
    ``PERSPECTIEF_PROPOSAL_CLOSE_DAYS`` (the person is free again). Runs daily."""
    from datetime import timedelta

    from django.conf import settings

    from .constants import AWAITING_EMPLOYER

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
    remind_before = now - timedelta(days=settings.PROPOSAL_REMIND_DAYS)
    reminded = (
        waiting.exclude(pk__in=[p.pk for p in closing])
        .filter(updated_at__lt=remind_before, reminded_at__isnull=True)
        .update(reminded_at=now)
    )
    return {"reminded": reminded, "closed": closed}


@transaction.atomic
def shortlist_add(*, actor, vacancy: Vacancy, candidate: Candidate, reason: str = ""):
    """Put a person on a place's shortlist. The engine's verdict is computed here, on the
    server: a person it would not rank (out of reach, missing a required licence, not
    available, or not matchable now) needs a reason, which is recorded."""
    from . import adapters
    from .engine.index import CandidateIndex
    from .models import ShortlistEntry

    if not (
        actor.has_perm(Permission.VIEW_CANDIDATES) and actor.has_perm(Permission.VIEW_EMPLOYERS)
    ):
        raise PermissionDeniedError()
    if not Candidate.objects.visible_to(actor).filter(pk=candidate.pk).exists():
        raise NotFoundError(_("Job seeker not found."))
    vacancy = _open_vacancy(actor, vacancy)
    if ShortlistEntry.objects.filter(vacancy=vacancy, candidate=candidate).exists():
        raise ValidationError({"candidate": _("This person is already on the shortlist.")})
    score, priority = None, 0.0
    person = adapters._people(Candidate.objects.matchable().filter(pk=candidate.pk)).first()
    if person is not None:
        index = CandidateIndex(adapters.taxonomy(), [adapters.candidate_record(person)])
        verdict = index.explain(str(person.uuid), adapters.vacancy_record(vacancy))
        score = verdict["score"] if verdict["admissible"] else None
        priority = verdict["criteria"]["priority"]["contribution"] if score is not None else 0.0
    reason = (reason or "").strip()[:300]
    if score is None and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "The matching does not rank this person for this place: say why you add them."
                )
            }
        )
    try:
        with transaction.atomic():
            entry = ShortlistEntry.objects.create(
                vacancy=vacancy,
                candidate=candidate,
                added_by=actor.user,
                added_for=actor.organisation,
                engine_score=score,
                engine_priority=priority,
                reason=reason,
            )
    except IntegrityError:
        raise ValidationError(
            {"candidate": _("This person is already on the shortlist.")}
        ) from None
    audit.record(
        "shortlist.added",
        actor=actor,
        target=vacancy,
        changes={"ranked": [None, score is not None]},
    )
    _log(actor, candidate, Operation.CREATE, ProcessingActivity.CANDIDATE_MATCHING)
    return entry


@transaction.atomic
def shortlist_remove(*, actor, entry) -> None:
    from .models import ShortlistEntry

    found = (
        ShortlistEntry.objects.select_for_update()
        .filter(pk=entry.pk, vacancy__in=Vacancy.objects.visible_to(actor))
        .filter(candidate__in=Candidate.objects.visible_to(actor))
        .first()
    )
    if found is None:
        raise NotFoundError(_("Job seeker not found."))
    if not may_change(actor, made_by_id=found.added_for_id, candidate_id=found.candidate_id):
        raise PermissionDeniedError(
            _(
                "Only the organisation that added this person, or one that serves them, "
                "can change it."
            )
        )
    audit.record(
        "shortlist.removed", actor=actor, target=found.vacancy, changes={"entry": [1, None]}
    )
    _log(actor, found.candidate, Operation.DELETE, ProcessingActivity.CANDIDATE_MATCHING)
    found.delete()


def shown_score(entry) -> float | None:
    """The engine's score of a shortlist entry as the viewer may see it: without the
    priority part unless the viewer's organisation serves the person (``entry.served``)."""
    if entry.engine_score is None:
        return None
    return selectors.shown_score(entry.engine_score, entry.engine_priority, served=entry.served)


def shortlist_visible(*, actor, vacancy):
    """The shortlist of a place as the adviser may see it (names only for a serving
    organisation), each person logged, and how many others are on it."""
    from perspectief.vacancies.selectors.places import shown_people

    from .models import ShortlistEntry

    rows = list(
        ShortlistEntry.objects.filter(vacancy=vacancy).select_related("candidate", "added_for")
    )
    shown = shown_people(actor, rows)
    for entry in shown:
        entry.can_change = entry.served or entry.added_for_id == actor.organisation.pk
        entry.shown_score = shown_score(entry)
        _log(actor, entry.candidate, Operation.READ, ProcessingActivity.CANDIDATE_MATCHING)
    # By the score the viewer sees, then when the entry was added (the stored order uses the
    # full score, whose priority part an organisation that does not serve the person may not
    # see, also among equal shown scores); unscored last.
    shown.sort(key=lambda e: (e.shown_score is None, -(e.shown_score or 0), e.created_at, e.pk))
    return shown, len(rows) - len(shown)
