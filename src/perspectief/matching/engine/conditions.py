"""The hard conditions of one pair, by name: why the engine would not rank a person for a
place at all. The indexes apply the same conditions as vectorised masks
(:func:`.scoring.combine` and the candidate index's cheap pre-filter); this is the one
place that says, for a single pair, *which* of them stop it, so that a page can answer
"why is this person not in the list?". A test keeps the two in step.

Unknown never excludes for the soft factors (#18): hours a person can carry, load, sector
and work demands only stop a pair when both sides are known. A person or place without a
location is never ranked (no distance can be computed), as before."""

from __future__ import annotations

import math

from .records import DEFAULT_REACH_KM, Candidate, Vacancy
from .scoring import distance_km

#: No location on one side: no distance can be computed.
LOCATION = "location"
#: The place is farther than the person will travel.
REACH = "reach"
#: The place requires a driving licence the person does not have.
LICENCE = "licence"
#: The person is available only after the place starts.
AVAILABILITY = "availability"
#: The person can carry fewer hours than the place's minimum (its hours, or its part-time
#: minimum).
HOURS = "hours"
#: The work is physically heavier than the person can carry.
LOAD = "load"
#: The person will not work in the employer's sector.
SECTOR = "sector"
#: A functional limitation rules out something the work demands (shown only as "does not
#: fit", and only to users with the health permission).
WORK_DEMANDS = "work_demands"

#: Every hard condition, in the order they are reported.
HARD_CONDITIONS = (LOCATION, REACH, LICENCE, AVAILABILITY, HOURS, LOAD, SECTOR, WORK_DEMANDS)


def reach_km(candidate: Candidate) -> float:
    """How far the person will travel: their maximum, or the default when they gave none."""
    if candidate.max_distance_km is None or math.isnan(candidate.max_distance_km):
        return DEFAULT_REACH_KM
    return float(candidate.max_distance_km)


def _located(lat: float | None, lon: float | None) -> bool:
    return lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon)


def pair_km(candidate: Candidate, vacancy: Vacancy) -> float | None:
    """The distance between the person and the place in km, as the engine computes it
    (haversine); None when either has no location."""
    if not (_located(candidate.lat, candidate.lon) and _located(vacancy.lat, vacancy.lon)):
        return None
    assert candidate.lat is not None and candidate.lon is not None  # for the type checker
    assert vacancy.lat is not None and vacancy.lon is not None
    km = distance_km(
        math.radians(candidate.lat),
        math.radians(candidate.lon),
        math.radians(vacancy.lat),
        math.radians(vacancy.lon),
    )
    return float(km)


def hours_needed(vacancy: Vacancy) -> float | None:
    """The fewest hours a week the place accepts: its part-time minimum, or its hours."""
    return vacancy.min_hours if vacancy.min_hours is not None else vacancy.hours


def hard_conditions(candidate: Candidate, vacancy: Vacancy) -> list[str]:
    """The hard conditions (codes of :data:`HARD_CONDITIONS`) that keep the person from
    being ranked for the place; empty when the pair is admissible."""
    found = []
    km = pair_km(candidate, vacancy)
    if km is None:
        found.append(LOCATION)
    elif km > reach_km(candidate):
        found.append(REACH)
    if vacancy.driving_licence_required and not candidate.driving_licence:
        found.append(LICENCE)
    if (
        candidate.available_from is not None
        and vacancy.start_date is not None
        and candidate.available_from > vacancy.start_date
    ):
        found.append(AVAILABILITY)
    needed = hours_needed(vacancy)
    if candidate.max_hours is not None and needed is not None and candidate.max_hours < needed:
        found.append(HOURS)
    if candidate.max_load is not None and vacancy.load is not None:
        if candidate.max_load < vacancy.load:
            found.append(LOAD)
    if vacancy.sector and vacancy.sector in candidate.excluded_sectors:
        found.append(SECTOR)
    if set(candidate.limitations) & set(vacancy.demands):
        found.append(WORK_DEMANDS)
    return found
