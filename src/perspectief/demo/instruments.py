"""The demo regions' own instruments, the gemeenten's variations and the harmonisation
status, written through the authoring services as the programme managers would.

Groot Amsterdam (``pm.amsterdam``) keeps a duurzame-plaatsingsbijdrage (paid once after six
months of work; version 1 this year, a draft version 2 for next year with a higher amount)
and a werkplekaanpassing budget; Amstelveen does not offer the bijdrage, Amsterdam asks 12
hours a week for loonkostensubsidie, UWV keeps the proefplaatsing to one month. Rijnmond
(``pm.rotterdam``) has its own werkplekaanpassing and Barendrecht counts other employer
costs in the loonkostensubsidie. Idempotent: nothing is written when the region's first
instrument exists.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.demo.credentials import refuse_in_production
from perspectief.instruments.models import Instrument
from perspectief.instruments.services import authoring
from perspectief.instruments.services.authoring import VariationInput, VersionInput
from perspectief.regions.models import Municipality

PARTICIPATIEWET = {
    "any": [
        {"fact": "person.benefit", "op": "in", "value": ["bijstand", "geen", "ioaw"]},
        {"fact": "person.targetGroups", "op": "has_any", "value": ["banenafspraak"]},
    ],
    "text": {
        "nl": "Valt onder de Participatiewet of staat in het doelgroepregister",
        "en": "Falls under the Participatiewet or is in the banenafspraak register",
    },
}


def _placement_bonus(amount: int) -> dict[str, Any]:
    return {
        "params": {"amount": amount},
        "conditions": [
            PARTICIPATIEWET,
            {
                "fact": "job.contractMonths",
                "op": ">=",
                "value": 12,
                "text": {"nl": "Contract van ten minste 12 maanden", "en": "Contract of 12 months"},
            },
            {
                "fact": "job.hoursPerWeek",
                "op": ">=",
                "value": 12,
                "text": {"nl": "Ten minste 12 uur per week", "en": "At least 12 hours a week"},
            },
        ],
        "amount": {"per": "once", "formula": "params.amount"},
        "documents": [
            {"nl": "Arbeidsovereenkomst", "en": "Employment contract"},
            {"nl": "Loonstroken van zes maanden", "en": "Six months of payslips"},
        ],
        "deadlines": [
            {
                "key": "aanvraag",
                "anchor": "start",
                "months": 6,
                "text": {
                    "nl": "Bijdrage aanvragen na zes maanden werk",
                    "en": "Apply after six months of work",
                },
            }
        ],
    }


WORKPLACE = {
    "params": {"budget": 5000},
    "conditions": [
        {
            "fact": "person.structuralFunctionalLimitation",
            "op": "=",
            "value": True,
            "text": {
                "nl": "Heeft een structurele functionele beperking",
                "en": "Has a structural functional limitation",
            },
        }
    ],
    "amount": {"per": "once", "formula": "params.budget"},
    "amountNote": {
        "nl": "Tot het budget, op offerte; wat UWV of de gemeente al vergoedt gaat eraf.",
        "en": "Up to the budget, on a quote; what UWV or the gemeente already pays is deducted.",
    },
    "documents": [{"nl": "Offerte van de aanpassing", "en": "Quote for the adjustment"}],
    "deadlines": [
        {
            "key": "offerte",
            "anchor": "before_start",
            "months": 0,
            "text": {"nl": "Offerte indienen vóór de aanschaf", "en": "Send the quote first"},
        }
    ],
}


def _version(name: str, body: str, rules: dict[str, Any], start, end=None, **extra):
    return VersionInput(
        name=name,
        executing_body=body,
        decided_by={"nl": "Het Werkgeversservicepunt van de regio", "en": "The region's WSP"},
        contact={"nl": "Werkgeversservicepunt", "en": "Employer service point"},
        legal_basis="Regionale afspraak Perspectief op Werk (demo)",
        valid_from=start,
        valid_until=end,
        rules=rules,
        sources=["https://www.perspectiefopwerk.nl/"],
        verified=False,
        verify_note="Demo-regeling: bedragen verzonnen voor de demonstratie.",
        **extra,
    )


def _actor(username: str):
    membership = Membership.objects.filter(user__username=username).first()
    return actor_for(membership) if membership is not None else None


def _variation(actor, code: str, scope: str, start, **values) -> int:
    instrument = Instrument.objects.filter(code=code).first()
    known = (
        scope == "UWV"
        or Municipality.objects.filter(code=scope, region_id=actor.region_id).exists()
    )
    if instrument is None or not known:
        return 0
    variation = authoring.variation_create(
        actor=actor,
        instrument=instrument,
        data=VariationInput(scope=scope, valid_from=start, **values),
    )
    authoring.variation_publish(actor=actor, variation=variation)
    return 1


def _harmonise(actor, code: str, status: str, note: str) -> None:
    instrument = Instrument.objects.filter(code=code).first()
    if instrument is not None:
        authoring.harmonisation_set(actor=actor, instrument=instrument, status=status, note=note)


def _amsterdam(year_start: datetime.date) -> int:
    actor = _actor("pm.amsterdam")
    if actor is None or Instrument.objects.filter(code="AM18-DPB").exists():
        return 0
    year_end = year_start.replace(month=12, day=31)
    first = authoring.instrument_create(
        actor=actor,
        code="DPB",
        data=_version(
            "Duurzame plaatsingsbijdrage",
            "Programmabureau Perspectief op Werk Groot Amsterdam",
            _placement_bonus(2500),
            year_start,
            year_end,
            summary={
                "nl": "Eenmalig € 2.500 als iemand uit de Participatiewet zes maanden werkt.",
                "en": "A one-off €2,500 when someone from the Participatiewet has worked "
                "six months.",
            },
            change_note="Eerste versie, afgesproken in het regionaal werkbedrijf",
        ),
    )
    authoring.version_publish(actor=actor, version=first)
    draft = authoring.version_copy(actor=actor, version=first)
    data = _version(
        "Duurzame plaatsingsbijdrage",
        "Programmabureau Perspectief op Werk Groot Amsterdam",
        _placement_bonus(3000),
        year_end + datetime.timedelta(days=1),
        change_note="Bedrag naar € 3.000 volgens de begroting van volgend jaar (concept)",
    )
    authoring.version_save(actor=actor, version=draft, data=data)
    workplace = authoring.instrument_create(
        actor=actor,
        code="WPA",
        data=_version(
            "Werkplekaanpassing",
            "Gemeente Amsterdam namens de regio",
            WORKPLACE,
            year_start,
        ),
    )
    authoring.version_publish(actor=actor, version=workplace)
    count = 2
    count += _variation(
        actor,
        "AM18-DPB",
        "GM0362",
        year_start,
        offered=False,
        note="Amstelveen biedt de bijdrage niet aan; het heeft een eigen afspraak met werkgevers.",
    )
    count += _variation(
        actor,
        "LKS",
        "GM0363",
        year_start,
        conditions=[{"fact": "job.hoursPerWeek", "op": ">=", "value": 12}],
        note="Amsterdam verstrekt loonkostensubsidie vanaf 12 uur per week.",
    )
    count += _variation(
        actor,
        "PROEFPLAATSING",
        "UWV",
        year_start,
        params={"months": 1},
        note="UWV Groot Amsterdam spreekt eerst één maand af, daarna zo nodig een tweede.",
    )
    _harmonise(actor, "LKS", "in_bespreking", "Urengrens gelijktrekken; overleg met de wethouders.")
    _harmonise(actor, "AM18-DPB", "afgesproken", "Amstelveen sluit per 1 januari aan.")
    _harmonise(actor, "LKV", "geharmoniseerd", "Landelijke regeling; geen verschillen.")
    return count


def _rijnmond(year_start: datetime.date) -> int:
    actor = _actor("pm.rotterdam")
    if actor is None or Instrument.objects.filter(code="AM22-WPA").exists():
        return 0
    version = authoring.instrument_create(
        actor=actor,
        code="WPA",
        data=_version(
            "Werkplekaanpassing Rijnmond",
            "Gemeente Rotterdam namens de regio",
            {**WORKPLACE, "params": {"budget": 4000}},
            year_start,
        ),
    )
    authoring.version_publish(actor=actor, version=version)
    count = 1 + _variation(
        actor,
        "LKS",
        "GM0489",
        year_start,
        params={"employerCosts": 0.3},
        note="Barendrecht rekent 30% werkgeverslasten.",
    )
    _harmonise(actor, "LKS", "open", "Op de agenda van het regionaal werkbedrijf.")
    return count


@transaction.atomic
def create_demo_instruments() -> int:
    """The demo regions' instruments and variations; returns how many were created."""
    refuse_in_production()
    year_start = timezone.localdate().replace(month=1, day=1)
    return _amsterdam(year_start) + _rijnmond(year_start)
