"""One pure, vectorised function per criterion; each returns a value in [0, 1] that the
weight turns into a contribution. Works for one vacancy against many candidates and for
one candidate against many vacancies alike (numpy broadcasting). Hard constraints are
masks, never low scores."""

from __future__ import annotations

import numpy as np

from perspectief.core.geo import EARTH_RADIUS_KM

from .records import DEFAULT_REACH_KM, Weights


def distance_km(lat1, lon1, lat2, lon2):
    """Haversine distance; arguments in radians (arrays or scalars)."""
    dlat = lat2 - lat1
    dlon = lon2 - lon1
    h = np.sin(dlat / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def distance_fit(km, reach):
    """1 at the door, 0 at the edge of the person's reach (beyond it: masked)."""
    return np.clip(1.0 - km / reach, 0.0, 1.0)


def hours_fit(candidate_hours, vacancy_hours):
    """The share of the place's hours the person wants to work (more is fine); unknown on
    either side: 0.5."""
    with np.errstate(invalid="ignore", divide="ignore"):
        fit = np.minimum(candidate_hours / vacancy_hours, 1.0)
    return np.where(np.isnan(fit), 0.5, fit)


def level_fit(have, need, steps: float = 3.0):
    """1 when the level is met (or nothing is asked), less per level short; unknown: 0.5."""
    need = np.nan_to_num(need, nan=0.0)
    short = np.maximum(need - have, 0.0)
    fit = np.clip(1.0 - short / steps, 0.0, 1.0)
    return np.where(np.isnan(have), np.where(need > 0, 0.5, 1.0), fit)


def combine(
    weights: Weights,
    *,
    essential,
    optional,
    occupation,
    km,
    reach,
    candidate_hours,
    vacancy_hours,
    education,
    min_education,
    language,
    min_language,
    priority,
    licence,
    licence_required,
    available_from,
    start_date,
    located,
):
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
