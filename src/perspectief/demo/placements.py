"""Demo of the demand side at work: a bulk request of 100 order pickers at the Westpoort
distribution centre with three intake phases, a cohort being prepared, places the employer
filled outside the platform (with their reasons), and
people proposed to the employer (one introduced by name with consent)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from perspectief.accounts.models import Membership
from perspectief.audit import services as audit
from perspectief.candidates import consent_statements
from perspectief.candidates.constants import Capacity, ConsentMethod, ConsentScope
from perspectief.candidates.models import Candidate, Consent
from perspectief.demo.credentials import refuse_in_production
from perspectief.demo.population import add_occupation_skills, demo_location
from perspectief.matching.engine.candidate_index import CandidateIndex
from perspectief.matching.engine_records import (
    candidate_record,
    people_for_engine,
    taxonomy,
    vacancy_record,
)
from perspectief.matching.models import MatchRun, Proposal
from perspectief.matching.services import runs as batch
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.models import CohortMember, IntakePhase, OutsideFill, Vacancy

BULK_TITLE = "Orderpickers nieuw distributiecentrum (bulkaanvraag)"
#: Full time, and no part time: a person who can carry 20 hours is not proposed for it.
BULK_HOURS = 38
EMPLOYER = "Distributiecentrum Westpoort B.V. (demo)"


def _first_of_next(month: int, today: date) -> date:
    year = today.year if today.month < month else today.year + 1
    return date(year, month, 1)


@transaction.atomic
def create_demo_placements() -> int:
    """Idempotent: does nothing when the bulk request exists. Returns places created."""
    refuse_in_production()
    employer = EmployerAccount.objects.filter(organisation__name=EMPLOYER).first()
    if employer is None or Vacancy.objects.filter(employer=employer, title=BULK_TITLE).exists():
        return 0
    regular = Vacancy.objects.filter(employer=employer, title="Orderpicker").first()
    today = timezone.localdate()
    bulk, phases = _bulk_request(employer, regular, today)
    klantmanager = (
        Membership.objects.filter(user__username="km.amsterdam", role="klantmanager")
        .select_related("organisation")
        .first()
    )
    if klantmanager is None:
        return 0
    # As an adviser would: the matcher's best people of the office, among those who can
    # carry the hours (the 20-hour order picker stays out: docs/demo.md).
    pool = able(Candidate.objects.matchable().served_by(klantmanager.organisation))
    proposed = best_for(regular, pool, 5) if regular is not None else []
    cohort = best_for(bulk, pool.exclude(pk__in=[p.pk for p in proposed]), 18)
    _cohort(bulk, phases, cohort, klantmanager)
    now = timezone.now()
    _outside_fills(bulk, today, klantmanager)
    if regular is not None:
        _proposals(regular, employer, proposed, klantmanager, now)
    return 1


def able(people):
    """People who can carry full days, or whose capacity is not recorded (unknown never
    counts against a person): the demo proposes nobody for hours they cannot carry."""
    return people.filter(capacity__in=[Capacity.FULL_DAYS, ""])


def best_for(place: Vacancy, people, k: int) -> list[Candidate]:
    """The ``k`` best of ``people`` for the place, ranked by the matching engine (as the
    adviser's ranked list shows them); fewer when fewer can be matched."""
    found = list(people_for_engine(people.order_by("pk")))
    if not found:
        return []
    by_id = {str(p.uuid): p for p in found}
    index = CandidateIndex(taxonomy(), [candidate_record(p) for p in found])
    return [by_id[m.id] for m in index.top_for_vacancy(vacancy_record(place), k)]


def _bulk_request(
    employer: EmployerAccount, regular: Vacancy | None, today: date
) -> tuple[Vacancy, list[IntakePhase]]:
    """The bulk request of 100 order pickers from next March, in three intake phases, for
    38 hours a week."""
    start = _first_of_next(3, today)
    bulk = Vacancy.objects.create(
        employer=employer,
        title=BULK_TITLE,
        place_type="job",
        occupation=regular.occupation if regular else None,
        description="100 orderpickers vanaf 1 maart, 38 uur per week (geen deeltijd), in "
        "drie instroommomenten. "
        "Voorbereiding: werkfit-traject en een logistieke cursus (VCA, reachtruck).",
        hours_per_week=BULK_HOURS,
        contract="tijdelijk",
        postcode=demo_location(employer.organisation),
        places=100,
        start_date=start,
        status="open",
    )
    add_occupation_skills(bulk)
    phases = [
        IntakePhase.objects.create(vacancy=bulk, starts_on=start, places=40, note="eerste ploeg"),
        IntakePhase.objects.create(
            vacancy=bulk, starts_on=start + timedelta(days=31), places=30, note="tweede ploeg"
        ),
        IntakePhase.objects.create(
            vacancy=bulk, starts_on=start + timedelta(days=61), places=30, note="derde ploeg"
        ),
    ]
    audit.record("vacancy.created", actor=None, target=bulk, changes={"places": [None, 100]})
    return bulk, phases


def _cohort(
    bulk: Vacancy, phases: list[IntakePhase], people: list[Candidate], klantmanager: Membership
) -> None:
    """A cohort being prepared for the first two phases, at different stages."""
    stages = ["werkfit", "scholing", "scholing", "klaar"]
    for index, candidate in enumerate(people):
        CohortMember.objects.create(
            vacancy=bulk,
            candidate=candidate,
            phase=phases[index % 2],
            stage=stages[index % len(stages)],
            preparation="werkfit + logistieke cursus (VCA)",
            added_by=klantmanager.organisation,
        )


def _outside_fills(bulk: Vacancy, today: date, klantmanager: Membership) -> None:
    """Places the employer filled without the platform: recorded apart, with the reason
    (the fill is never typed; hires through proposals fill the rest)."""
    for days_ago, places, reason in (
        (28, 2, "werkgever"),
        (14, 3, "uitzendbureau"),
        (3, 4, "intern"),
    ):
        OutsideFill.objects.create(
            vacancy=bulk,
            places=places,
            filled_on=today - timedelta(days=days_ago),
            reason=reason,
            recorded_for=klantmanager.organisation,
            recorded_by=klantmanager.user,
        )
    bulk.places_filled = 9
    bulk.save(update_fields=["places_filled"])


def _proposals(
    regular: Vacancy,
    employer: EmployerAccount,
    people: list[Candidate],
    klantmanager: Membership,
    now: datetime,
) -> None:
    """People proposed for the employer's regular place; the first agreed (in person) to
    be introduced to the employer by name."""
    for index, candidate in enumerate(people):
        serving = candidate.servings.first()
        assert serving is not None  # the pool is the people the klantmanager's office serves
        proposer = serving.organisation
        Proposal.objects.create(vacancy=regular, candidate=candidate, proposed_for=proposer)
        if index == 0:  # this person agreed to meet the employer
            Consent.objects.create(
                candidate=candidate,
                scope=ConsentScope.INTRODUCTION,
                employer=employer,
                method=ConsentMethod.IN_PERSON,
                statement_version=consent_statements.current(ConsentScope.INTRODUCTION).version,
                granted_at=now,
                approved_at=now,
                recorded_for=proposer,
                recorded_by=klantmanager.user,
                approved_by=klantmanager.user,
            )


def create_demo_matching_run() -> int:
    """One finished matching run for Groot Amsterdam, started by the demo's WSP account
    manager, so that the suggestions and the fairness report have something to show.
    Idempotent: does nothing when the region has a run. Returns runs created."""
    refuse_in_production()
    member = (
        Membership.objects.filter(user__username="am.amsterdam", role="accountmanager")
        .select_related("organisation__region", "user")
        .first()
    )
    if member is None:
        return 0
    region = member.organisation.region
    if region is None or MatchRun.objects.filter(region=region).exists():
        return 0
    run = MatchRun.objects.create(
        region=region, started_by=member.user, started_for=member.organisation
    )
    batch.execute(run, actor=batch.run_actor(run))
    return 1
