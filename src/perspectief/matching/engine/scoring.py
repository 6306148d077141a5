"""One pure, vectorised function per criterion; each returns a value in [0, 1] that the
weight turns into a contribution. Works for one vacancy against many candidates and for
one candidate against many vacancies alike (numpy broadcasting). Hard constraints are
masks, never low scores."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

# Also the candidate index's cheap distance bound uses the radius (the engine reaches the
# shared geometry only through this module).
from perspectief.core.geo import EARTH_RADIUS_KM as EARTH_RADIUS_KM

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
    """1 at the door, 0 at the edge of the person's reach (beyond it: masked)."""
    return np.clip(1.0 - km / reach, 0.0, 1.0)


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


def combine(
    weights: Weights,
    *,
    essential: Numbers,
    optional: Numbers,
    occupation: Numbers,
    km: Numbers,
    reach: Numbers,
    candidate_hours: Numbers,
    vacancy_hours: Numbers,
    education: Numbers,
    min_education: Numbers,
    language: Numbers,
    min_language: Numbers,
    priority: Numbers,
    licence: npt.NDArray[np.bool_] | bool,
    licence_required: npt.NDArray[np.bool_] | bool,
    available_from: Numbers,
    start_date: Numbers,
    located: npt.NDArray[np.bool_] | bool,
) -> Evaluated:
    """Contributions per criterion, the total, and which pairs are admissible.

    ``available_from``/``start_date`` are day ordinals (0: unknown)."""
    reach = np.where(np.isnan(reach), DEFAULT_REACH_KM, reach)
    values = {
        "essential_skills": essential,
        "optional_skills": optional,
        "occupation": occupation,
        "distance": distance_fit(km, reach),
        "hours": hours_fit(candidate_hours, vacancy_hours),
        "education": level_fit(education, min_education),
        "language": level_fit(language, min_language),
        "priority": priority,
    }
    w = weights.as_dict()
    contributions = {name: np.asarray(w[name] * v, dtype=np.float64) for name, v in values.items()}
    total = sum(contributions.values())
    admissible = located & (km <= reach) & (licence | ~licence_required)
    admissible &= (available_from == 0) | (start_date == 0) | (available_from <= start_date)
    return values, contributions, total, admissible
