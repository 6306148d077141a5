"""Reads for the public Regelingenwijzer and the instruments API: where a described job is
(region and gemeente), the published instruments of a region, and one anonymous case's
answers as plain data that a page and a JSON answer both show.

Nothing here knows a person: the case is a description (an age, a benefit in words, hours),
so everything an answer says (conditions included) may be shown to whoever asked.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from perspectief.core.refusals import chosen
from perspectief.core.rules import describe, localised
from perspectief.regions.models import Municipality, Region

from ..check import InstrumentAnswer, check, published_versions
from ..constants import UWV_SCOPE
from ..facts import VOCABULARY, CaseError, clean_case, flatten
from ..models import InstrumentVersion

#: What a described hire is unless said otherwise: a new hire in a regular job (no WSW or
#: beschut werk, not an own employee coming back after illness).
NEW_HIRE_DEFAULTS = {"job.shelteredWork": False, "job.reinstatement": False}

#: The dates a check may be asked for (deadlines are counted from them, years ahead).
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2099, 12, 31)


def in_language(reason: tuple[str, str]) -> str:
    """The Dutch or English half of a ``(nl, en)`` reason, in the request's language."""
    return chosen(*reason)


def fact_label(name: str) -> str:
    fact = VOCABULARY.get(name)
    return localised(fact.label) if fact else name


def region_by_code(code: str) -> Region | None:
    return Region.objects.filter(code=(code or "").strip().upper()).first()


def municipality_by_code_or_name(value: str) -> Municipality | None:
    value = (value or "").strip()
    if not value:
        return None
    found = Municipality.objects.select_related("region").filter(code=value.upper()).first()
    return found or (
        Municipality.objects.select_related("region").filter(name__iexact=value).first()
    )


def clean_facts(case: Mapping[str, Any]) -> dict[str, Any]:
    """A described case (``{"person": …, "job": …, "employer": …}``) as checked facts, a
    new hire in a regular job unless said otherwise; raises :class:`CaseError`."""
    flat = {**NEW_HIRE_DEFAULTS, **flatten(case)}
    return clean_case(flat)


def answers_for(
    facts: Mapping[str, Any],
    *,
    region: Region,
    municipality: Municipality | None,
    on: datetime.date,
    start: datetime.date | None = None,
) -> list[InstrumentAnswer]:
    return check(
        facts,
        region_id=region.pk,
        municipality_code=municipality.code if municipality else None,
        on=on,
        dates={"start": start} if start else None,
    )


def instruments_of(region: Region | None, on: datetime.date) -> list[InstrumentVersion]:
    """The published versions valid ``on``: national ones and the region's own."""
    return published_versions(region.pk if region else None, on)


def _number(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _scope_name(scope: str, municipality: Municipality | None) -> str:
    if scope == UWV_SCOPE:
        return "UWV"
    if municipality is not None and municipality.code == scope:
        return municipality.name
    return scope


def present(item: InstrumentAnswer, municipality: Municipality | None = None) -> dict[str, Any]:
    """One instrument's answer as plain data, in the request's language."""
    version, result = item.version, item.answer
    category = result.category
    params = category.params if category else {}
    variation = item.variation
    return {
        "id": version.instrument.code,
        "name": version.name,
        "version": version.number,
        "national": version.instrument.region_id is None,
        "eligible": result.eligible,
        "category": category.name if category else None,
        "categoryCode": category.code if category else None,
        "amountPer": str(result.amount_per),
        "amountPerYear": _number(result.amount_per_year),
        "amountPerMonth": _number(result.amount_per_month),
        "amountTotal": _number(result.amount_total),
        "maxPerYear": _number(params.get("maxPerYear")),
        "durationMonths": _number(result.duration_months),
        # A yearly amount means something for a yearly rule or one that runs a year or more
        # (a two-month trial placement is shown per month and in total).
        "yearly": result.amount_per_year is not None
        and (
            result.amount_per == "year"
            or result.duration_months is None
            or result.duration_months >= 12
        ),
        "wholeMonths": None if result.duration_months is None else round(result.duration_months),
        "amountNote": result.amount_note,
        "conditions": [
            {
                "text": c.text,
                "met": c.met,
                "missing": list(c.missing),
                "missingLabels": c.missing_labels,
            }
            for c in result.conditions
        ],
        "missing": list(result.missing),
        "missingLabels": [fact_label(name) for name in result.missing],
        "documents": list(result.documents),
        "deadlines": [{"key": d.key, "text": d.text, "dueOn": d.due_on} for d in result.deadlines],
        "notes": list(result.notes),
        "summary": version.summary_text,
        "executingBody": version.executing_body,
        "decidedBy": version.decided_by_text,
        "contact": version.contact_text,
        "sources": list(version.sources or []),
        "sourceLinks": [
            {"url": url, "site": urlsplit(url).netloc or url} for url in version.sources or []
        ],
        "verified": version.verified,
        "verifyNote": version.verify_note,
        "variation": (
            {
                "scope": _scope_name(variation.scope, municipality),
                "offered": variation.offered,
                "note": variation.note,
            }
            if variation is not None
            else None
        ),
    }


def describe_version(version: InstrumentVersion, region: Region | None = None) -> dict[str, Any]:
    """A published version as the API lists it: who, what, the conditions in words
    (``region``: the region asked for, which owns the instruments that are not national)."""
    rules = version.rules or {}
    own = version.instrument.region_id is not None and region is not None
    return {
        "id": version.instrument.code,
        "name": version.name,
        "version": version.number,
        "region": region.code if own and region else None,
        "validFrom": version.valid_from,
        "validUntil": version.valid_until,
        "executingBody": version.executing_body,
        "legalBasis": version.legal_basis,
        "decidedBy": version.decided_by_text,
        "contact": version.contact_text,
        "summary": version.summary_text,
        "conditions": [describe(c, VOCABULARY) for c in rules.get("conditions", [])],
        "categories": [
            {
                "code": spec.get("code", ""),
                "name": localised(spec.get("name")),
                "conditions": [describe(c, VOCABULARY) for c in spec.get("conditions", [])],
            }
            for spec in rules.get("categories", [])
        ],
        "amountNote": localised(rules.get("amountNote")),
        "documents": [localised(text) for text in rules.get("documents", [])],
        "deadlines": [
            {"key": spec.get("key", ""), "text": localised(spec.get("text"))}
            for spec in rules.get("deadlines", [])
        ],
        "notes": [localised(text) for text in rules.get("notes", [])],
        "sources": list(version.sources or []),
        "verified": version.verified,
        "verifyNote": version.verify_note,
    }


def order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What may apply first, then what cannot be told yet, then what does not apply."""
    rank = {True: 0, None: 1, False: 2}
    return sorted(rows, key=lambda row: rank[row["eligible"]])


def outside_region(municipality: Municipality, region: Region) -> tuple[str, str]:
    return (
        f"{municipality.name} ({municipality.code}) ligt niet in de regio {region.name} "
        f"({region.code})",
        f"{municipality.name} ({municipality.code}) is not in the region {region.name} "
        f"({region.code})",
    )


def no_place() -> str:
    return _("Choose a region, or give the gemeente or postcode of the workplace.")


__all__ = [
    "NEW_HIRE_DEFAULTS",
    "CaseError",
    "answers_for",
    "clean_facts",
    "describe_version",
    "fact_label",
    "in_language",
    "instruments_of",
    "municipality_by_code_or_name",
    "order",
    "outside_region",
    "present",
    "region_by_code",
]
