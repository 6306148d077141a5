"""What can this employer get for this person in this place? The facts of a real case.

A case is a proposal (hired or not yet), a hire into a job found outside the platform, or a
place in a bulk request's cohort. Its facts are read from the records, flattened into the
vocabulary of :mod:`perspectief.instruments.facts`, and what the records cannot prove stays
``None`` (unknown), so the rules name the missing fact instead of guessing. The adviser may
add what they know (:func:`with_additions`); nothing is stored.

Who may read which case is decided here too (:func:`proposal_for_adviser`, …): the person as
``Candidate.visible_to`` allows, the place as ``Vacancy.visible_to`` allows, and for an
employer only its own proposals (``proposals_for_employer``). Reading the person's data for
the answer is written to the access log.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.candidates.models import Candidate, HealthInformation
from perspectief.candidates.selectors import people as candidate_selectors
from perspectief.core.authz import Actor, Permission
from perspectief.core.dates import add_months
from perspectief.core.exceptions import NotFoundError
from perspectief.matching.constants import ProposalStatus
from perspectief.matching.models import OutsideHire, Proposal
from perspectief.matching.selectors import employer as employer_side
from perspectief.matching.selectors.proposals import proposals_for_employer
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.constants import Contract, PlaceType
from perspectief.vacancies.models import CohortMember, Vacancy

from ..check import InstrumentAnswer, check

PROPOSAL = "proposal"
HIRE = "hire"
COHORT = "cohort"

#: The months of a trial placement when the place is one (UWV's standard length).
TRIAL_MONTHS = 2

#: Earlier work for the same employer within this many months counts for LKV and the
#: proefplaatsing ("in de 6 maanden voor de start").
EARLIER_WORK_MONTHS = 6


@dataclass
class Case:
    """One concrete person and place, with the facts the rules are evaluated on."""

    kind: str
    record: Any
    candidate: Candidate
    employer: EmployerAccount | None
    employer_name: str
    job_title: str
    start: datetime.date
    started: bool  # a hire with a start date, not a planned one
    region_id: int | None
    municipality_code: str | None
    facts: dict[str, Any] = field(default_factory=dict)
    #: The facts the adviser added on the page (the others come from the records).
    added: dict[str, Any] = field(default_factory=dict)

    @property
    def uuid(self):
        return self.record.uuid

    @property
    def trial_months(self) -> float | None:
        return self.facts.get("job.trialPlacementMonths")

    @property
    def dates(self) -> dict[str, datetime.date]:
        dates = {"start": self.start}
        months = self.trial_months
        if months:
            whole = int(months)
            extra = datetime.timedelta(days=round((months - whole) * 30))
            dates["trial_end"] = add_months(self.start, whole) + extra
        return dates


# --- who may read which case ------------------------------------------------------------------


def _visible_people(actor: Actor):
    return Candidate.objects.visible_to(actor)


def proposal_for_adviser(actor: Actor, uuid) -> Proposal:
    """A proposal whose person and place the adviser may see (else not found)."""
    proposal = (
        Proposal.objects.filter(
            candidate__in=_visible_people(actor), vacancy__in=Vacancy.objects.visible_to(actor)
        )
        .select_related("vacancy__employer__organisation", "candidate")
        .filter(uuid=uuid)
        .first()
    )
    if proposal is None:
        raise NotFoundError()
    return proposal


def hire_for_adviser(actor: Actor, uuid) -> OutsideHire:
    """A hire outside the platform of a person the adviser may see (else not found)."""
    hire = (
        OutsideHire.objects.filter(candidate__in=_visible_people(actor))
        .select_related("employer__organisation", "candidate")
        .filter(uuid=uuid)
        .first()
    )
    if hire is None:
        raise NotFoundError()
    return hire


def member_for_adviser(actor: Actor, uuid) -> CohortMember:
    """A cohort place whose person and place the adviser may see (else not found)."""
    member = (
        CohortMember.objects.filter(
            candidate__in=_visible_people(actor), vacancy__in=Vacancy.objects.visible_to(actor)
        )
        .select_related("vacancy__employer__organisation", "candidate", "phase")
        .filter(uuid=uuid)
        .first()
    )
    if member is None:
        raise NotFoundError()
    return member


def proposal_for_employer(actor: Actor, uuid) -> tuple[Proposal, EmployerAccount]:
    """One of the employer's own proposals, as the employer's pages show them."""
    employer = employer_side.employer_of(actor)
    proposal = (
        proposals_for_employer(employer)
        .select_related("vacancy__employer__organisation", "candidate")
        .filter(uuid=uuid)
        .first()
    )
    if proposal is None:
        raise NotFoundError()
    return proposal, employer


def access_level(actor: Actor, candidate: Candidate) -> str:
    return candidate_selectors.access_level(actor, candidate)


# --- the facts ---------------------------------------------------------------------------------


def age_on(born: datetime.date | None, on: datetime.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _person_facts(candidate: Candidate, start: datetime.date) -> dict[str, Any]:
    groups = sorted(candidate.target_group_rows.values_list("group", flat=True))
    return {
        "person.age": age_on(candidate.date_of_birth, start),
        "person.benefit": candidate.benefit or None,
        "person.targetGroups": groups,
        "person.structuralFunctionalLimitation": None,
        "person.wageValuePercent": None,
        "person.weeksOnBenefit": None,
    }


def _limitation(actor: Actor, candidate: Candidate, level: str) -> bool | None:
    """Whether limitations are recorded: only for who may read health information of a
    person they serve; the read is logged under its own purpose. Else unknown."""
    if not actor.has_perm(Permission.VIEW_HEALTH) or level != candidate_selectors.FULL:
        return None
    health = HealthInformation.objects.filter(candidate=candidate).first()
    if health is None or not health.functional_limitations.strip():
        return None
    access.record_candidate(actor, candidate, ProcessingActivity.CANDIDATE_HEALTH)
    return True


def _contract_facts(contract: str) -> dict[str, Any]:
    """Permanent or not from the contract; its months only where the contract says so."""
    if not contract:
        return {"job.permanent": None, "job.contractMonths": None}
    if contract == Contract.PERMANENT:
        return {"job.permanent": True, "job.contractMonths": None}
    if contract == Contract.NONE:
        return {"job.permanent": False, "job.contractMonths": 0}
    return {"job.permanent": False, "job.contractMonths": None}


def _place_facts(vacancy: Vacancy) -> dict[str, Any]:
    trial = vacancy.place_type == PlaceType.TRIAL
    return {
        "job.hoursPerWeek": vacancy.hours_per_week or None,
        "job.hourlyWage": float(vacancy.wage_min) if vacancy.wage_min is not None else None,
        "job.bbl": vacancy.place_type == PlaceType.BBL,
        # No place type says WSW or beschut werk; a hire through the platform is a new hire.
        "job.shelteredWork": False,
        "job.reinstatement": False,
        "job.trialPlacementMonths": TRIAL_MONTHS if trial else None,
    }


def worked_here_before(
    candidate: Candidate, employer: EmployerAccount | None, start: datetime.date, *, exclude=None
) -> bool | None:
    """True when the records show a hire at the same employer in the six months before the
    start. The platform does not know all of a person's work, so otherwise unknown."""
    if employer is None:
        return None
    since = add_months(start, -EARLIER_WORK_MONTHS)
    hires = Proposal.objects.filter(
        candidate=candidate,
        vacancy__employer=employer,
        status=ProposalStatus.HIRED,
        start_date__gte=since,
        start_date__lt=start,
    )
    outside = OutsideHire.objects.filter(
        candidate=candidate, employer=employer, start_date__gte=since, start_date__lt=start
    )
    if isinstance(exclude, Proposal):
        hires = hires.exclude(pk=exclude.pk)
    elif isinstance(exclude, OutsideHire):
        outside = outside.exclude(pk=exclude.pk)
    return True if hires.exists() or outside.exists() else None


def _where(candidate: Candidate, vacancy: Vacancy | None) -> tuple[int | None, str | None]:
    municipality = candidate.postcode.municipality if candidate.postcode else None
    region_id = candidate.region_id
    if region_id is None and vacancy is not None:
        region_id = vacancy.employer.organisation.region_id
    return region_id, (municipality.code if municipality else None)


def _employer_facts() -> dict[str, Any]:
    # Nothing about recognition as a training company or a promised contract is recorded.
    return {"employer.recognisedTrainingCompany": None, "employer.intendsContractMonths": None}


def _build(actor, kind, record, *, vacancy, employer, employer_name, job_title, contract, start):
    candidate = record.candidate
    level = access_level(actor, candidate)
    facts = {
        **_person_facts(candidate, start),
        **(_place_facts(vacancy) if vacancy is not None else _outside_place()),
        **_contract_facts(contract),
        **_employer_facts(),
    }
    facts["person.structuralFunctionalLimitation"] = _limitation(actor, candidate, level)
    facts["person.employedByThisEmployerInLast6Months"] = worked_here_before(
        candidate, employer, start, exclude=record
    )
    region_id, municipality_code = _where(candidate, vacancy)
    return Case(
        kind=kind,
        record=record,
        candidate=candidate,
        employer=employer,
        employer_name=employer_name,
        job_title=job_title,
        start=start,
        started=kind != COHORT and getattr(record, "start_date", None) is not None,
        region_id=region_id,
        municipality_code=municipality_code,
        facts=facts,
    )


def _outside_place() -> dict[str, Any]:
    """A job found outside the platform: only the contract and the start are recorded."""
    return {
        "job.hoursPerWeek": None,
        "job.hourlyWage": None,
        "job.bbl": None,
        "job.shelteredWork": None,
        "job.reinstatement": False,
        "job.trialPlacementMonths": None,
    }


def _today() -> datetime.date:
    return timezone.localdate()


def case_for_proposal(actor: Actor, proposal: Proposal) -> Case:
    """A hired proposal starts on its start date; one not hired yet on the place's start
    date, or today."""
    vacancy = proposal.vacancy
    hired = proposal.status == ProposalStatus.HIRED
    start = (proposal.start_date if hired else None) or vacancy.start_date or _today()
    return _build(
        actor,
        PROPOSAL,
        proposal,
        vacancy=vacancy,
        employer=vacancy.employer,
        employer_name=vacancy.employer.organisation.name,
        job_title=vacancy.title,
        contract=(proposal.contract if hired else "") or vacancy.contract,
        start=start,
    )


def case_for_hire(actor: Actor, hire: OutsideHire) -> Case:
    return _build(
        actor,
        HIRE,
        hire,
        vacancy=None,
        employer=hire.employer,
        employer_name=hire.employer.organisation.name if hire.employer else hire.employer_name,
        job_title=hire.job_title,
        contract=hire.contract,
        start=hire.start_date,
    )


def case_for_member(actor: Actor, member: CohortMember) -> Case:
    """A cohort place starts with its intake phase, else the place's start date, or today."""
    vacancy = member.vacancy
    start = (member.phase.starts_on if member.phase else None) or vacancy.start_date or _today()
    return _build(
        actor,
        COHORT,
        member,
        vacancy=vacancy,
        employer=vacancy.employer,
        employer_name=vacancy.employer.organisation.name,
        job_title=vacancy.title,
        contract=vacancy.contract,
        start=start,
    )


def with_additions(case: Case, added: Mapping[str, Any]) -> Case:
    """The case with the facts the adviser added (already checked with ``clean_case``)."""
    case.added = {name: value for name, value in added.items() if value is not None}
    case.facts = {**case.facts, **case.added}
    return case


def answers(case: Case) -> list[InstrumentAnswer]:
    """Every instrument's answer for the case, in the region and gemeente on the start."""
    return check(
        case.facts,
        region_id=case.region_id,
        municipality_code=case.municipality_code,
        on=case.start,
        dates=case.dates,
    )
