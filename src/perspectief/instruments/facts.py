"""The facts an instrument's rules may ask about, and the checks on a described case.

The names are the API's (camelCase, grouped as ``person``, ``job`` and ``employer``), so
a rule, a request to ``POST /api/v1/instruments/check`` and a page's questions speak of
the same thing. Codes are the profile's (``candidates.constants``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from perspectief.candidates.constants import Benefit, TargetGroup
from perspectief.core.refusals import chosen
from perspectief.core.rules import Fact

#: Benefits paid by UWV (a proefplaatsing keeps them; an AO-benefit counts for LKV).
UWV_BENEFITS = ["ww", "iow", "wia", "wao", "waz", "wajong", "ziektewet"]
#: Benefits for incapacity for work (arbeidsongeschiktheid).
AO_BENEFITS = ["wia", "wao", "waz", "wajong"]

BENEFIT_CODES = tuple(Benefit.values)
TARGET_GROUP_CODES = tuple(TargetGroup.values)


def _fact(name, kind, nl, en, low=None, high=None, choices=()):
    return Fact(name, kind, {"nl": nl, "en": en}, low, high, tuple(choices))


FACTS: tuple[Fact, ...] = (
    _fact("person.age", "number", "leeftijd", "age", 15, 100),
    _fact("person.benefit", "code", "uitkering", "benefit", choices=BENEFIT_CODES),
    _fact(
        "person.targetGroups", "codes", "doelgroepen", "target groups", choices=TARGET_GROUP_CODES
    ),
    _fact(
        "person.structuralFunctionalLimitation",
        "bool",
        "structureel functioneel beperkt",
        "structural functional limitation",
    ),
    _fact(
        "person.wageValuePercent", "number", "loonwaarde (% WML)", "wage value (% of WML)", 0, 100
    ),
    _fact(
        "person.employedByThisEmployerInLast6Months",
        "bool",
        "in de 6 maanden ervoor bij deze werkgever gewerkt",
        "worked for this employer in the 6 months before",
    ),
    _fact("person.weeksOnBenefit", "number", "weken met uitkering", "weeks on benefit", 0, 2600),
    _fact("job.hoursPerWeek", "number", "uren per week", "hours per week", 0, 60),
    _fact("job.contractMonths", "number", "contractduur (maanden)", "contract (months)", 0, 600),
    _fact("job.permanent", "bool", "vast contract", "permanent contract"),
    _fact("job.hourlyWage", "number", "uurloon (euro)", "hourly wage (euro)", 0, 200),
    _fact("job.bbl", "bool", "BBL-leerbaan", "BBL apprenticeship"),
    _fact(
        "job.trialPlacementMonths",
        "number",
        "proefplaatsing (maanden)",
        "trial placement (months)",
        0,
        12,
    ),
    _fact("job.shelteredWork", "bool", "WSW of beschut werk", "sheltered work (WSW, beschut werk)"),
    _fact(
        "job.reinstatement",
        "bool",
        "herplaatsing van een eigen zieke werknemer",
        "reinstatement of an own employee after illness",
    ),
    _fact(
        "employer.recognisedTrainingCompany",
        "bool",
        "erkend leerbedrijf",
        "recognised training company",
    ),
    _fact(
        "employer.intendsContractMonths",
        "number",
        "toegezegd contract na de proefplaatsing (maanden)",
        "contract promised after the trial (months)",
        0,
        600,
    ),
)

VOCABULARY: dict[str, Fact] = {fact.name: fact for fact in FACTS}

#: Fact sets a formula is computed over when it is saved: each number at its bounds and
#: in between, so a formula that breaks on a legal value is refused at the door.
SAMPLES: list[dict[str, Any]] = [
    {
        fact.name: (
            fact.low
            if point == 0
            else fact.high
            if point == 2
            else ((fact.low or 0) + (fact.high or 0)) / 2
        )
        for fact in FACTS
        if fact.kind == "number"
    }
    for point in range(3)
]


def flatten(case: Mapping[str, Any]) -> dict[str, Any]:
    """``{"person": {"age": 57}}`` → ``{"person.age": 57}`` (``None`` stays unknown)."""
    flat: dict[str, Any] = {}
    for group in ("person", "job", "employer"):
        for key, value in (case.get(group) or {}).items():
            flat[f"{group}.{key}"] = value
    return flat


class CaseError(ValueError):
    """A described case that cannot be checked: per field, the reason in Dutch and English."""

    def __init__(self, errors: dict[str, tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{key}: {nl} ({en})" for key, (nl, en) in errors.items()))

    def texts(self) -> dict[str, str]:
        """Per field, the reason in the active language."""
        return {key: chosen(nl, en) for key, (nl, en) in self.errors.items()}


def clean_case(flat: Mapping[str, Any]) -> dict[str, Any]:
    """Check a flattened case against the vocabulary; raise :class:`CaseError` if it is wrong.

    Unknown names, values of the wrong kind, numbers outside their range (age 15 to 100,
    at most 60 hours a week, a wage of at most 200 euro an hour) and contradictions (a BBL
    job at a company that is not a recognised training company) are refused. ``None``
    means *not known* and is kept: the rules then say which fact is missing.
    """
    errors: dict[str, tuple[str, str]] = {}
    clean: dict[str, Any] = {}
    for name, value in flat.items():
        fact = VOCABULARY.get(name)
        if fact is None:
            errors[name] = ("onbekend gegeven", "unknown fact")
            continue
        if value is None:
            clean[name] = None
            continue
        problem = _problem(fact, value)
        if problem:
            errors[name] = problem
        else:
            clean[name] = sorted(set(value)) if fact.kind == "codes" else value
    if clean.get("job.bbl") is True and clean.get("employer.recognisedTrainingCompany") is False:
        errors["job.bbl"] = (
            "een BBL-leerbaan kan alleen bij een erkend leerbedrijf",
            "a BBL apprenticeship needs a recognised training company",
        )
    if clean.get("job.hoursPerWeek") == 0:
        errors["job.hoursPerWeek"] = (
            "geef meer dan 0 uur per week",
            "give more than 0 hours a week",
        )
    if errors:
        raise CaseError(errors)
    return clean


def _problem(fact: Fact, value: Any) -> tuple[str, str] | None:
    if fact.kind == "bool":
        return None if isinstance(value, bool) else ("geef ja of nee", "give true or false")
    if fact.kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return ("geef een getal", "give a number")
        if (fact.low is not None and value < fact.low) or (
            fact.high is not None and value > fact.high
        ):
            return (
                f"moet tussen {fact.low:g} en {fact.high:g} liggen",
                f"must be between {fact.low:g} and {fact.high:g}",
            )
        return None
    values = value if fact.kind == "codes" else [value]
    if fact.kind == "codes" and not isinstance(value, list):
        return ("geef een lijst van codes", "give a list of codes")
    wrong = [item for item in values if not isinstance(item, str) or item not in fact.choices]
    if wrong:
        return (
            f"onbekende code {wrong[0]!r}; kies uit {', '.join(fact.choices)}",
            f"unknown code {wrong[0]!r}; choose from {', '.join(fact.choices)}",
        )
    return None
