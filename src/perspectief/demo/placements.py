"""Demo of the demand side at work: a bulk request of 100 order pickers at the Westpoort
distribution centre with three intake phases, a cohort being prepared, places the employer
filled outside the platform (with their reasons), and
people proposed to the employer (one introduced by name with consent)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from perspectief.audit import services as audit
from perspectief.candidates import consent_statements
from perspectief.candidates.constants import ConsentMethod, ConsentScope
from perspectief.candidates.models import Candidate, Consent
from perspectief.demo.credentials import refuse_in_production
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.models import CohortMember, IntakePhase, OutsideFill, Vacancy

BULK_TITLE = "Orderpickers nieuw distributiecentrum (bulkaanvraag)"
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
    from perspectief.matching.models import Proposal

    regular = Vacancy.objects.filter(employer=employer, title="Orderpicker").first()
    today = timezone.localdate()
    start = _first_of_next(3, today)
    bulk = Vacancy.objects.create(
        employer=employer,
        title=BULK_TITLE,
        place_type="job",
        occupation=regular.occupation if regular else None,
        description="100 orderpickers vanaf 1 maart, in drie instroommomenten. "
        "Voorbereiding: werkfit-traject en een logistieke cursus (VCA, reachtruck).",
        hours_per_week=32,
        contract="tijdelijk",
        postcode=employer.organisation.municipality.postcodes.order_by("code").first(),
        places=100,
        start_date=start,
        status="open",
    )
    from perspectief.demo.population import add_occupation_skills

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
    from perspectief.accounts.models import Membership

    klantmanager = (
        Membership.objects.filter(user__username="km.amsterdam", role="klantmanager")
        .select_related("organisation")
        .first()
    )
    if klantmanager is None:
        return 0
    pool = list(
        Candidate.objects.matchable().served_by(klantmanager.organisation).order_by("pk")[:23]
    )
    stages = ["werkfit", "scholing", "scholing", "klaar"]
    for index, candidate in enumerate(pool[:18]):
        CohortMember.objects.create(
            vacancy=bulk,
            candidate=candidate,
            phase=phases[index % 2],
            stage=stages[index % len(stages)],
            preparation="werkfit + logistieke cursus (VCA)",
            added_by=klantmanager.organisation,
        )
    now = timezone.now()
    # Places the employer filled without the platform: recorded apart, with the reason (the
    # fill is never typed; hires through proposals fill the rest).
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
    if regular is not None:
        for index, candidate in enumerate(pool[18:23]):
            proposer = candidate.servings.first().organisation
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
    return 1


def create_demo_matching_run() -> int:
    """One finished matching run for Groot Amsterdam, started by the demo's WSP account
    manager, so that the suggestions and the fairness report have something to show.
    Idempotent: does nothing when the region has a run. Returns runs created."""
    refuse_in_production()
    from perspectief.accounts.models import Membership
    from perspectief.matching.models import MatchRun
    from perspectief.matching.services import runs as batch

    member = (
        Membership.objects.filter(user__username="am.amsterdam", role="accountmanager")
        .select_related("organisation__region", "user")
        .first()
    )
    if member is None or MatchRun.objects.filter(region=member.organisation.region).exists():
        return 0
    run = MatchRun.objects.create(
        region=member.organisation.region, started_by=member.user, started_for=member.organisation
    )
    batch.execute(run, actor=batch.run_actor(run))
    return 1
