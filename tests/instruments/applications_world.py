"""What the tests of instrument applications share: the shipped instruments, hires of both
kinds and recording through the service (plain functions; each test module has its own
fixtures)."""

from __future__ import annotations

import itertools
from datetime import date

from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.core.loading import DEFAULT_DATA_DIR
from perspectief.instruments.loaders import INSTRUMENTS_FILE, import_instruments
from perspectief.instruments.models import Application, InstrumentVersion
from perspectief.instruments.selectors import applications as selectors
from perspectief.instruments.services import applications as services
from perspectief.matching.models import OutsideHire, Proposal
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.models import Vacancy
from tests.factories import OrganisationFactory


def load_shipped() -> None:
    """The national instruments as the reference data loads them."""
    import_instruments(DEFAULT_DATA_DIR / INSTRUMENTS_FILE)


KVK = itertools.count(30000001)


def _place(world):
    employer = EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        kvk_number=f"{next(KVK):08d}",
    )
    return Vacancy.objects.create(
        employer=employer,
        title="Orderpicker",
        place_type="job",
        hours_per_week=32,
        contract="vast",
        postcode=world.amsterdam.postcodes.first(),
        places=2,
        status="open",
    )


def hired(world, person, organisation, start: date) -> Proposal:
    return Proposal.objects.create(
        vacancy=_place(world),
        candidate=person,
        proposed_for=organisation,
        status="hired",
        start_date=start,
    )


def outside(person, organisation, start: date) -> OutsideHire:
    return OutsideHire.objects.create(
        candidate=person,
        employer_name="Bakkerij",
        job_title="Bakker",
        contract="tijdelijk",
        start_date=start,
        recorded_for=organisation,
    )


def version(code: str) -> InstrumentVersion:
    return InstrumentVersion.objects.filter(instrument__code=code).order_by("-number").first()


def record(km, hire, code: str, **extra) -> Application:
    hire_of = selectors.Hire(proposal=hire) if isinstance(hire, Proposal) else None
    hire_of = hire_of or selectors.Hire(outside_hire=hire)
    if code == "NO_RISK":
        extra.setdefault("category", "arbeidsbeperking")
    return services.application_record(
        actor=actor_for(km),
        hire=hire_of,
        version=extra.pop("version", None) or version(code),
        applied_on=extra.pop("applied_on", min(hire.start_date, timezone.localdate())),
        **extra,
    )
