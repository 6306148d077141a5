"""What a pot's rules may ask about: a small vocabulary of facts of a person and of the
service or course to be paid, and how those facts are read from the records.

Funding sits below the instruments, so it keeps its own vocabulary (the instruments'
``facts.py`` is about a hire, this one about a course). A fact that is not recorded is
``None``: the rules then answer "can't tell yet" and name it, never a guess."""

from __future__ import annotations

from datetime import date
from typing import Any

from perspectief.candidates.constants import Benefit, TargetGroup
from perspectief.candidates.models import Candidate
from perspectief.candidates.selectors.people import age
from perspectief.catalogue.constants import OfferKind
from perspectief.catalogue.models import Offer
from perspectief.core.rules import Fact

VOCABULARY: dict[str, Fact] = {
    fact.name: fact
    for fact in (
        Fact("person.age", "number", {"nl": "leeftijd", "en": "age"}, low=15, high=100),
        Fact(
            "person.benefit",
            "code",
            {"nl": "uitkering", "en": "benefit"},
            choices=tuple(Benefit.values),
        ),
        Fact(
            "person.targetGroups",
            "codes",
            {"nl": "doelgroepen", "en": "target groups"},
            choices=tuple(TargetGroup.values),
        ),
        Fact(
            "person.startkwalificatie",
            "bool",
            {"nl": "heeft een startkwalificatie", "en": "has a startkwalificatie"},
        ),
        Fact("person.municipality", "code", {"nl": "woongemeente (GM-code)", "en": "municipality"}),
        Fact(
            "offer.kind",
            "code",
            {"nl": "soort dienst of opleiding", "en": "kind of service or course"},
            choices=tuple(OfferKind.values),
        ),
        Fact(
            "offer.priceEuro",
            "number",
            {"nl": "kosten per persoon (€)", "en": "cost per person (€)"},
            low=0,
            high=1_000_000,
        ),
        Fact(
            "offer.weeks",
            "number",
            {"nl": "duur (weken)", "en": "duration (weeks)"},
            low=1,
            high=520,
        ),
    )
}


def person_facts(candidate: Candidate, *, on: date) -> dict[str, Any]:
    """The person's facts the rules may use (``None`` where nothing is recorded)."""
    level = candidate.education_level
    postcode = candidate.postcode
    return {
        "person.age": age(candidate, on),
        "person.benefit": candidate.benefit or None,
        # A recorded profile without target groups has none (an empty list, not unknown).
        "person.targetGroups": sorted(row.group for row in candidate.target_group_rows.all()),
        "person.startkwalificatie": None if level is None else level.startkwalificatie,
        "person.municipality": postcode.municipality.code if postcode is not None else None,
    }


def offer_facts(offer: Offer) -> dict[str, Any]:
    return {
        "offer.kind": offer.kind,
        "offer.priceEuro": float(offer.cost) if offer.cost is not None else None,
        "offer.weeks": offer.duration_weeks,
    }
