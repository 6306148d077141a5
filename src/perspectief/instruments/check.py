"""What can this employer get? Every instrument that holds in a region on a date, with
the answer for one case (a described person and job, or a real hire).

The version is the published one valid on the date (the start of work), so a decision is
always explained by the rules of its own time; a gemeente's (or UWV's) published variation
on that date changes the amounts, adds conditions, or says the instrument is not offered.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from .constants import UWV_SCOPE, VersionStatus
from .evaluate import Answer, ConditionResult, answer
from .facts import UWV_BENEFITS
from .models import InstrumentVersion, Variation

#: The order answers are listed in: eligible, can't tell yet, not eligible.
VERDICT_ORDER = {True: 0, None: 1, False: 2}


@dataclass
class InstrumentAnswer:
    """One instrument's answer, with the version and variation it was computed under."""

    version: InstrumentVersion
    variation: Variation | None
    answer: Answer

    @property
    def code(self) -> str:
        return self.version.instrument.code

    @property
    def eligible(self) -> bool | None:
        return self.answer.eligible


def published_versions(region_id: int | None, on: datetime.date) -> list[InstrumentVersion]:
    """The national instruments and the region's own, in the version valid ``on``."""
    owners = Q(instrument__region__isnull=True)
    if region_id is not None:
        owners |= Q(instrument__region_id=region_id)
    return list(
        InstrumentVersion.objects.filter(owners, status=VersionStatus.PUBLISHED, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("instrument")
        .order_by("instrument__region_id", "instrument__code")
    )


def published_variations(
    region_id: int | None, on: datetime.date
) -> dict[tuple[int, str], Variation]:
    """The region's published variations valid ``on``, by (instrument, scope)."""
    if region_id is None:
        return {}
    variations = (
        Variation.objects.filter(
            region_id=region_id, status=VersionStatus.PUBLISHED, valid_from__lte=on
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("valid_from")
    )
    return {(variation.instrument_id, variation.scope): variation for variation in variations}


def scopes_for(facts: Mapping[str, Any], municipality_code: str | None) -> list[str]:
    """Whose practice applies: UWV's for a person with a UWV benefit, then the gemeente's."""
    scopes = [UWV_SCOPE] if facts.get("person.benefit") in UWV_BENEFITS else []
    return scopes + ([municipality_code] if municipality_code else [])


def check(
    facts: Mapping[str, Any],
    *,
    region_id: int | None,
    municipality_code: str | None,
    on: datetime.date,
    dates: Mapping[str, datetime.date] | None = None,
) -> list[InstrumentAnswer]:
    """Every instrument's answer for ``facts`` in the region and gemeente on ``on``."""
    variations = published_variations(region_id, on)
    scopes = scopes_for(facts, municipality_code)
    results = []
    for version in published_versions(region_id, on):
        variation = next(
            (
                variations[(version.instrument_id, s)]
                for s in scopes
                if (version.instrument_id, s) in variations
            ),
            None,
        )
        results.append(
            InstrumentAnswer(version, variation, evaluate_version(version, variation, facts, dates))
        )
    # What applies first, then what may apply, then what does not (by code within each).
    return sorted(results, key=lambda result: VERDICT_ORDER[result.eligible])


def evaluate_version(
    version: InstrumentVersion,
    variation: Variation | None,
    facts: Mapping[str, Any],
    dates: Mapping[str, datetime.date] | None = None,
) -> Answer:
    """One version's answer, with a variation's amounts and conditions applied."""
    result = answer(
        version.rules,
        facts,
        params=variation.params if variation else None,
        extra_conditions=list(variation.conditions) if variation else [],
        dates=dates,
    )
    if variation is not None and not variation.offered:
        result.eligible = False
        result.amount_per_year = result.amount_total = None
        result.conditions.insert(
            0, ConditionResult(_("Offered in %(scope)s") % {"scope": variation.scope}, False)
        )
    return result
