"""One pure, vectorised function per criterion; each returns a value in [0, 1] that the
weight turns into a contribution. Works for one vacancy against many candidates and for
one candidate against many vacancies alike (numpy broadcasting). Hard constraints are
masks, never low scores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

# Also the candidate index's cheap distance bound uses the radius (the engine reaches the
# shared geometry only through this module).
from perspectief.core.geo import EARTH_RADIUS_KM as EARTH_RADIUS_KM

from .columns import NO_DATE
from .records import DEFAULT_REACH_KM, Weights

#: A criterion's input or value: one number per pair scored, or one for all of them
#: (numpy broadcasts it).
Numbers = npt.NDArray[Any] | float
#: What :func:`combine` returns: each criterion's value and contribution, the total and
#: which pairs are admissible (arrays over the pairs, or a scalar for a criterion that is
#: the same for all).
Evaluated = tuple[dict[str, Any], dict[str, npt.NDArray[np.float64]], Any, Any]


def distance_km(lat1: Numbers, lon1: Numbers, lat2: Numbers, lon2: Numbers) -> Numbers:
    """Haversine distance; arguments in radians (arrays or scalars)."""
    dlat = lat2 - lat1
    dlon = lon2 - lon1
    h = np.sin(dlat / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
    km: Numbers = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    return km


def distance_fit(km: Numbers, reach: Numbers) -> Numbers:
    """1 at the door, 0 at the edge of the person's reach (beyond it: masked). A reach of
    0 km (the form allows it) admits only the door itself: 1 there, not 0 / 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        fit = np.clip(1.0 - km / reach, 0.0, 1.0)
    return np.where(km <= 0, 1.0, fit)


def hours_fit(candidate_hours: Numbers, vacancy_hours: Numbers) -> Numbers:
    """The share of the place's hours the person wants to work (more is fine); unknown on
    either side: 0.5."""
    with np.errstate(invalid="ignore", divide="ignore"):
        fit = np.minimum(candidate_hours / vacancy_hours, 1.0)
    return np.where(np.isnan(fit), 0.5, fit)


def level_fit(have: Numbers, need: Numbers, steps: float = 3.0) -> Numbers:
    """1 when the level is met (or nothing is asked), less per level short; unknown: 0.5."""
    need = np.nan_to_num(need, nan=0.0)
    short = np.maximum(need - have, 0.0)
    fit = np.clip(1.0 - short / steps, 0.0, 1.0)
    return np.where(np.isnan(have), np.where(need > 0, 0.5, 1.0), fit)


def readiness_fit(readiness: Numbers, ready_from: Numbers, ready_by: Numbers) -> Numbers:
    """1 for someone work-ready: readiness 1, or ready from a day on or before ``ready_by``
    (the place's start, or today when it has none); else the readiness (0.5 nearly, 0 not
    yet); unknown: 0.5. Days are ordinals (0: none)."""
    ready = (ready_from != NO_DATE) & (ready_from <= ready_by)
    return np.where(ready, 1.0, np.where(np.isnan(readiness), 0.5, readiness))


def motivation_fit(motivation: Numbers) -> Numbers:
    """The person's motivation (1 high, 0.6 medium, 0.2 low); unknown: 0.5."""
    return np.where(np.isnan(motivation), 0.5, motivation)


#: How many of the three support codes a bit set (0-7) holds.
_COUNT = np.array([bin(i).count("1") for i in range(8)], np.float64)


def support_fit(needs: Numbers, offers: Numbers) -> Numbers:
    """The share of the support the person needs (bit sets of :data:`.records.SUPPORT`) that
    the place offers; no needs: 1. An offer the place did not state counts as not offered."""
    need = _COUNT[np.asarray(needs, np.int64)]
    with np.errstate(invalid="ignore", divide="ignore"):
        fit = _COUNT[np.bitwise_and(needs, offers)] / need
    return np.where(need == 0, 1.0, fit)


@dataclass(frozen=True)
class Side:
    """One side's inputs to :func:`combine`: arrays over the pairs, or one number for all
    of them. Unknown numbers are NaN, unknown days and codes 0."""

    # The person.
    essential: Numbers
    optional: Numbers
    occupation: Numbers
    km: Numbers
    reach: Numbers
    candidate_hours: Numbers
    education: Numbers
    language: Numbers
    priority: Numbers
    licence: Numbers
    available_from: Numbers
    located: Numbers
    readiness: Numbers
    ready_from: Numbers
    motivation: Numbers
    needs: Numbers
    max_hours: Numbers
    max_load: Numbers
    excluded_sectors: Numbers
    limitations: Numbers
    # The place.
    vacancy_hours: Numbers
    min_education: Numbers
    min_language: Numbers
    licence_required: Numbers
    start_date: Numbers
    #: The day readiness is judged on: the place's start, or today.
    ready_by: Numbers
    #: The fewest hours the place accepts (its ``min_hours``, else its hours).
    needed_hours: Numbers
    load: Numbers
    sector: Numbers
    offers: Numbers
    demands: Numbers


def conditions(p: Side, reach: Numbers) -> dict[str, Any]:
    """Each hard condition, per pair: True where it is met — or unknown: unknown never
    excludes. ``reach``: the person's, or the default. "located": the person has a known
    location; "reach": the place is within it; "licence": a required licence is held;
    "available": available by the start; "hours": the place's (fewest) hours within the
    hours the person can carry; "load": its physical load within theirs; "sector": not a
    sector they exclude; "limitations": no work demand their limitations rule out."""
    return {
        "located": p.located,
        "reach": p.km <= reach,
        "licence": p.licence | np.logical_not(p.licence_required),
        "available": (p.available_from == NO_DATE)
        | (p.start_date == NO_DATE)
        | (p.available_from <= p.start_date),
        # NaN compares False: an unknown on either side lets the pair through.
        "hours": np.logical_not(p.max_hours < p.needed_hours),
        "load": (p.max_load == 0) | (p.load == 0) | (p.max_load >= p.load),
        "sector": np.bitwise_and(p.excluded_sectors, p.sector) == 0,
        "limitations": np.bitwise_and(p.limitations, p.demands) == 0,
    }


def admissible(p: Side, reach: Numbers) -> Any:
    """Which pairs may be ranked at all: every one of the :func:`conditions` met (written
    out, not through the dictionary: this runs for every pair evaluated)."""
    ok = np.asarray(p.located) & (p.km <= reach) & (p.licence | np.logical_not(p.licence_required))
    ok &= (
        (p.available_from == NO_DATE)
        | (p.start_date == NO_DATE)
        | (p.available_from <= p.start_date)
    )
    ok &= np.logical_not(p.max_hours < p.needed_hours)
    ok &= (p.max_load == 0) | (p.load == 0) | (p.max_load >= p.load)
    ok &= np.bitwise_and(p.excluded_sectors, p.sector) == 0
    ok &= np.bitwise_and(p.limitations, p.demands) == 0
    return ok


def combine(weights: Weights, p: Side) -> Evaluated:
    """Contributions per criterion, the total, and which pairs are admissible."""
    reach = default_reach(p.reach)
    values = {
        "essential_skills": p.essential,
        "optional_skills": p.optional,
        "occupation": p.occupation,
        "distance": distance_fit(p.km, reach),
        "hours": hours_fit(p.candidate_hours, p.vacancy_hours),
        "education": level_fit(p.education, p.min_education),
        "language": level_fit(p.language, p.min_language),
        "priority": p.priority,
        "readiness": readiness_fit(p.readiness, p.ready_from, p.ready_by),
        "motivation": motivation_fit(p.motivation),
        "support": support_fit(p.needs, p.offers),
    }
    w = weights.as_dict()
    contributions = {name: np.asarray(w[name] * v, dtype=np.float64) for name, v in values.items()}
    total = sum(contributions.values())
    return values, contributions, total, admissible(p, reach)


def default_reach(reach: Numbers) -> Numbers:
    """The person's reach, or the default where they gave none."""
    return np.where(np.isnan(reach), DEFAULT_REACH_KM, reach)
