"""One national demo person and their history as unsaved records (:mod:`perspectief.demo.national`),
collected per chunk and written in bulk (:mod:`perspectief.demo.bulk`)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Model
from django.utils import timezone

from perspectief.candidates import consent_statements
from perspectief.candidates.completeness import completeness_of
from perspectief.candidates.constants import ConsentMethod, ConsentScope
from perspectief.candidates.models import (
    Candidate,
    CandidateOrganisation,
    CandidateSkill,
    CandidateTargetGroup,
    Consent,
    JourneyTransition,
)
from perspectief.candidates.services.people import legal_basis_for
from perspectief.core import bsn as bsn_lib
from perspectief.demo import bulk
from perspectief.demo.candidates import profile_consent, random_bsn
from perspectief.demo.history_lives import Life, benefit_served_by_uwv, live, uid
from perspectief.demo.history_records import SKILLS, moment
from perspectief.demo.history_work import DROP_OUT_REASONS, OUTSIDE
from perspectief.matching.constants import ProposalStatus
from perspectief.matching.models import OutsideHire, Proposal
from perspectief.routes.constants import PlanStatus
from perspectief.routes.models import SupportPlan, WorkConfirmation

#: Of the people in view or further (not placed): availability confirmed recently.
CONFIRMED = 0.66
#: Consent for a regional profile (as the regional demo: about three in ten).
PROFILE_CONSENT = 0.3
#: The order the kinds are written in (foreign keys point backwards).
ORDER = (
    Candidate,
    CandidateOrganisation,
    CandidateTargetGroup,
    Candidate.occupations.through,
    CandidateSkill,
    Consent,
    Proposal,
    OutsideHire,
    SupportPlan,
    WorkConfirmation,
    JourneyTransition,
)
NAMES = {
    Candidate: "people",
    CandidateOrganisation: "servings",
    CandidateTargetGroup: "target_groups",
    Candidate.occupations.through: "occupations",
    CandidateSkill: "skills",
    Consent: "consents",
    Proposal: "proposals",
    OutsideHire: "outside_hires",
    SupportPlan: "support_plans",
    WorkConfirmation: "work_confirmations",
    JourneyTransition: "transitions",
}
#: The kinds whose keys are reserved up front (other records point to them).
KEYED = (Candidate, Proposal, OutsideHire, SupportPlan)
#: The many small records, written from their values (:func:`perspectief.demo.bulk.write_values`).
VALUES = {
    CandidateTargetGroup: ("candidate_id", "group"),
    Candidate.occupations.through: ("candidate_id", "occupation_id"),
    CandidateSkill: ("candidate_id", "skill_id", "source"),
    JourneyTransition: (
        "candidate_id",
        "from_status",
        "to_status",
        "occurred_on",
        "recorded_at",
        "cause",
        "reason",
        "reference",
        "organisation_id",
    ),
}
ACTIVE = {"in_beeld", "werkfit", "bemiddelbaar", "in_scholing"}


@dataclass
class Batch:
    """A chunk's records per model, and the primary keys reserved for its people."""

    rows: dict[type[Model], list[Model]] = field(default_factory=dict)
    values: dict[type[Model], list[tuple]] = field(default_factory=dict)

    def add(self, obj: Model) -> None:
        self.rows.setdefault(type(obj), []).append(obj)

    def add_values(self, model: type[Model], *values) -> None:
        self.values.setdefault(model, []).append(values)

    def write(self) -> dict[str, int]:
        """Write every kind (COPY on PostgreSQL); returns rows per kind."""
        out = {}
        for model in ORDER:
            if model in VALUES:
                if self.values.get(model):
                    out[NAMES[model]] = bulk.write_values(model, VALUES[model], self.values[model])
                continue
            objects = self.rows.get(model, [])
            if objects:
                out[NAMES[model]] = bulk.write(model, objects, with_pk=model in KEYED)
        return out


def _bsn(rng: random.Random, taken: set[str], bsn: str | None) -> tuple[str, str] | None:
    """A BSN nobody has yet (drawn again while its index is taken), with its index."""
    if not bsn:
        return None
    index = bsn_lib.blind_index(bsn)
    while index in taken:
        bsn = random_bsn(rng)
        index = bsn_lib.blind_index(bsn)
    taken.add(index)
    return bsn, index


def add_person(batch: Batch, part, generator, names, rng, taken, work, today: date) -> None:
    """One person of ``part`` (a region), their journey and its records, added to ``batch``."""
    data, drawn = generator.person(rng, names, part.postcodes)
    data.skills = (data.skills or [])[:SKILLS]
    registered = today - timedelta(days=rng.randint(0, 729))
    life = Life(data=data, bsn=None, registered=registered, uuid=uid(rng))
    occupation = data.occupations[0] if data.occupations else None
    live(
        life, rng, today, isco=generator.profiles.group.get(occupation.pk, "") if occupation else ""
    )
    serving = part.uwv if benefit_served_by_uwv(data) else part.gemeente
    candidate = Candidate(id=next(part.ids[Candidate]), uuid=life.uuid, region=part.region)
    for name, value in data.profile_values().items():
        setattr(candidate, name, value)
    candidate.status = life.status
    candidate.klantmanager = part.klantmanagers.get(serving.pk)
    bsn = _bsn(rng, taken, drawn)
    if bsn:
        candidate.bsn_encrypted, candidate.bsn_index = bsn_lib.encrypt(bsn[0]), bsn[1]
    candidate.label = candidate.partner_label
    candidate.completeness = completeness_of(
        candidate, {"occupations": bool(data.occupations), "skills": bool(data.skills)}
    )
    candidate.created_at = moment(registered, rng)
    candidate.updated_at = moment(life.last_day)
    if life.status in ACTIVE and rng.random() < CONFIRMED:
        candidate.availability_confirmed_at = timezone.now()
    batch.add(candidate)
    _related(batch, candidate, serving, life)
    if rng.random() < PROFILE_CONSENT:
        klantmanager = part.klantmanagers.get(serving.pk)
        version = consent_statements.current(ConsentScope.REGIONAL_PROFILE).version
        batch.add(profile_consent(candidate, serving, klantmanager, timezone.now(), version))
    _hire(batch, part.ids, candidate, serving, life, rng, work)
    _moves(batch, candidate, serving, life)


def _related(batch: Batch, candidate: Candidate, serving, life: Life) -> None:
    """Whom the person is served by, their target groups, occupations and skills."""
    data = life.data
    batch.add(
        CandidateOrganisation(
            candidate=candidate,
            organisation=serving,
            legal_basis=legal_basis_for(serving),
            created_at=candidate.created_at,
            updated_at=candidate.created_at,
        )
    )
    for group in sorted(set(data.target_groups or [])):
        batch.add_values(CandidateTargetGroup, candidate.pk, str(group))
    through = Candidate.occupations.through
    for pk in dict.fromkeys(o.pk for o in data.occupations or []):
        batch.add_values(through, candidate.pk, pk)
    for pk, source in {s.pk: src for s, src in data.skills or []}.items():
        batch.add_values(CandidateSkill, candidate.pk, pk, str(source))


def _hire(batch: Batch, ids, candidate, serving, life: Life, rng, work) -> None:
    """The hire, as the services record it: a proposal for one of the region's places
    (with consent for the introduction) or a job found outside the platform; then the
    support plan and, after six months, the confirmation of durable work."""
    hire = life.hire
    if hire is None:
        return
    proposal = outside = None
    if hire.outside:
        name, job = rng.choice(OUTSIDE)
        outside = OutsideHire(
            id=next(ids[OutsideHire]),
            uuid=hire.uuid,
            candidate=candidate,
            employer_name=name,
            job_title=job,
            contract=hire.contract,
            start_date=hire.start,
            note="Zelf gevonden; gemeld bij het klantgesprek.",
            recorded_for=serving,
            created_at=moment(hire.start),
        )
        batch.add(outside)
    else:
        place = work.fill(rng, hire)
        introduced = moment(hire.proposed_on + timedelta(days=rng.randint(1, 7)), rng)
        proposal = Proposal(
            id=next(ids[Proposal]),
            uuid=hire.uuid,
            vacancy_id=place.pk,
            candidate=candidate,
            proposed_for=serving,
            status=ProposalStatus.HIRED,
            responded_at=introduced,
            start_date=hire.start,
            contract=hire.contract,
            outcome_at=moment(max(hire.start - timedelta(days=7), introduced.date())),
            created_at=moment(hire.proposed_on, rng),
        )
        batch.add(proposal)
        batch.add(
            Consent(
                candidate=candidate,
                scope=ConsentScope.INTRODUCTION,
                employer_id=place.employer_id,
                method=ConsentMethod.IN_PERSON,
                statement_version=consent_statements.current(ConsentScope.INTRODUCTION).version,
                granted_at=introduced,
                approved_at=introduced,
                recorded_for=serving,
                created_at=introduced,
            )
        )
    _plan(batch, ids, candidate, serving, hire, proposal, outside, rng, work)


def _plan(batch: Batch, ids, candidate, serving, hire, proposal, outside, rng, work) -> None:
    """The support plan a hire starts and, for durable work, its confirmation."""
    employer = work.employer_of(proposal.vacancy_id) if proposal else None
    plan = SupportPlan(
        id=next(ids[SupportPlan]),
        uuid=hire.plan_uuid,
        candidate=candidate,
        proposal=proposal,
        outside_hire=outside,
        employer_id=employer.organisation_id if employer else None,
        employer_name=work.employer_name(employer) if employer else outside.employer_name,
        job_title=work.title_of(proposal.vacancy_id) if proposal else outside.job_title,
        organisation=serving,
        started_on=hire.start,
        status={"durable": PlanStatus.DURABLE, "dropped_out": PlanStatus.DROPPED_OUT}.get(
            hire.outcome, PlanStatus.ACTIVE
        ),
        ended_on=hire.ended_on,
        drop_out_reason=rng.choice(DROP_OUT_REASONS) if hire.outcome == "dropped_out" else "",
        created_at=moment(hire.start),
        updated_at=moment(hire.ended_on or hire.start),
    )
    batch.add(plan)
    if hire.outcome == "durable" and hire.confirmed_on is not None:
        batch.add(
            WorkConfirmation(
                plan=plan,
                confirmed_on=hire.confirmed_on,
                source="jobcoach",
                method="visit",
                still_employed=True,
                recorded_for=serving,
                created_at=moment(hire.confirmed_on),
            )
        )


def _moves(batch: Batch, candidate, serving, life: Life) -> None:
    """The dated transitions of the person's journey, each with its cause and what it
    follows from (a course without a route step was the klantmanager's move)."""
    previous = "aangemeld"
    hire = life.hire
    for move in life.moves:
        cause, reference = move.cause, ""
        if move.ref == "course":
            cause = "manual"
        elif move.ref == "hire" and hire is not None:
            reference = str(hire.uuid)
        elif move.ref == "plan" and hire is not None:
            reference = str(hire.plan_uuid)
        batch.add_values(
            JourneyTransition,
            candidate.pk,
            previous,
            move.status,
            move.on,
            moment(move.on),
            cause,
            "",
            reference,
            serving.pk,
        )
        previous = move.status
