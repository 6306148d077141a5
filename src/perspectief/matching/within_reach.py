"""Who could be ranked for a place at all, as a filter on the people read (#20 item 2).

Ranking the best people for a place read everyone the adviser may see — tens of thousands
for an adviser of a region with the national population — while the engine admits only
the people within their own reach of the place and who meet its hard conditions
(:mod:`.engine.conditions`). :func:`could_rank` says that in SQL, conservatively: it keeps a
superset of the people the engine could admit, and the engine still decides exactly. So
the ranking is the same (the engine's score of a pair depends on that pair alone, ties are
settled by id), read from fewer people.

Reach: the place's distance to every PC4 centroid is computed here with the engine's own
haversine, less a margin for floating point; the PC4s fall in rings between the edges of
:data:`RING_EDGES_KM`, and the people of a ring are kept when their maximum travel
distance (or the default when they gave none) exceeds the ring's inner edge. Beyond the
last edge (``FAR_TRAVEL_KM``) the PC4s are not listed: everyone who travels farther is
read, wherever they live. A person without a postcode has no location and is never ranked.
Two indexes serve it (``candidate_reach_near``, ``candidate_reach_far``).

Besides reach, the hard conditions that are plain columns: a required driving licence,
available by the start, the hours the person can carry, the physical load. The sector and
the functional limitations are left to the engine (codes in a text column; health data).

The other way round, the places for a person: :func:`places_within_reach` keeps the places
whose PC4 lies within the person's reach (a place's location is its PC4's centroid)."""

from __future__ import annotations

import math
from functools import reduce
from operator import or_

import numpy as np
from django.db.models import Q

from perspectief.candidates.constants import CAPACITY_HOURS
from perspectief.candidates.models.people import FAR_TRAVEL_KM
from perspectief.regions.models import Postcode

from .engine import records
from .engine.conditions import hours_needed
from .engine.records import DEFAULT_REACH_KM
from .engine.scoring import distance_km
from .engine_records import LOAD

#: Edges (km) of the rings of PC4s around a place. A person in a PC4 of the ring
#: (edge[i-1], edge[i]] is kept when their reach exceeds edge[i-1]; the first ring (at the
#: place, within the margin) keeps everyone. The edges include the reaches people give most
#: (the profile form's usual answers), so that the rings cut close to them.
RING_EDGES_KM = (0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 40.0, float(FAR_TRAVEL_KM))
#: Taken off every PC4's distance: the engine computes the same haversine, in arrays; the
#: margin only keeps a person at the very edge of their reach on the safe side.
MARGIN_KM = 0.1

# Beyond the last edge only people who travel farther can be within reach: they are read
# wherever they live (without listing the PC4s); the default reach is within it.
assert RING_EDGES_KM[-1] == FAR_TRAVEL_KM >= DEFAULT_REACH_KM


def could_rank(place: records.Vacancy) -> Q | None:
    """A filter on people that keeps everyone the engine could admit for ``place`` (and
    possibly more); None for a place without a location (the engine refuses it: nothing
    to filter by)."""
    if not _located(place.lat, place.lon):
        return None
    return within_reach(place.lat, place.lon) & meets_place(place)  # type: ignore[arg-type]


def within_reach(lat: float, lon: float) -> Q:
    """People whose PC4 may be within their reach of (lat, lon) in degrees."""
    ids, km = _postcode_distances(lat, lon)
    ring = np.searchsorted(np.asarray(RING_EDGES_KM), km, "left")
    arms = []
    for i in range(len(RING_EDGES_KM)):
        codes = ids[ring == i].tolist()
        if not codes:
            continue
        if i == 0:
            arms.append(Q(postcode_id__in=codes))
            continue
        inner = RING_EDGES_KM[i - 1]
        arms.append(Q(postcode_id__in=codes, max_travel_km__gt=inner))
        if DEFAULT_REACH_KM > inner:
            arms.append(Q(postcode_id__in=codes, max_travel_km__isnull=True))
    arms.append(Q(max_travel_km__gt=FAR_TRAVEL_KM, postcode__isnull=False))
    return reduce(or_, arms)


def places_within_reach(person: records.Candidate) -> Q | None:
    """A filter on places that keeps every place the engine could admit for ``person``:
    those whose PC4 is within the person's reach (or the default) of theirs, measured as
    :func:`within_reach` measures (the same haversine, less the margin); None for a person
    without a location, whom the engine admits to no place."""
    if not _located(person.lat, person.lon):
        return None
    reach = person.max_distance_km
    if reach is None or math.isnan(reach):
        reach = DEFAULT_REACH_KM
    ids, km = _postcode_distances(person.lat, person.lon)  # type: ignore[arg-type]
    return Q(postcode_id__in=ids[km <= reach].tolist())


def meets_place(place: records.Vacancy) -> Q:
    """People who may meet the place's hard conditions that are plain columns (as
    :func:`.engine.conditions.hard_conditions` reads them: unknown never excludes)."""
    q = Q()
    if place.driving_licence_required:
        q &= Q(driving_licence=True)
    if place.start_date is not None:
        q &= Q(available_from__isnull=True) | Q(available_from__lte=place.start_date)
    needed = hours_needed(place)
    if needed is not None and not math.isnan(needed):
        # Whole hours in the column: at least the whole part of what is needed (a superset).
        q &= Q(max_hours_per_week__gte=math.floor(needed)) | Q(max_hours_per_week__isnull=True)
        short = [c for c, hours in CAPACITY_HOURS.items() if hours is not None and hours < needed]
        if short:  # without a number of their own: the hours of their capacity
            q &= Q(max_hours_per_week__isnull=False) | ~Q(capacity__in=short)
    lighter = [code for code, load in LOAD.items() if place.load and load < place.load]
    if lighter:
        q &= ~Q(max_physical_load__in=lighter)
    return q


def _located(lat: float | None, lon: float | None) -> bool:
    return lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon)


def _postcode_distances(lat: float, lon: float):
    """The ids of every PC4 and their distance to (lat, lon) in km, less the margin."""
    rows = np.array(Postcode.objects.values_list("pk", "latitude", "longitude"), dtype=np.float64)
    if not len(rows):
        return np.zeros(0, np.int64), np.zeros(0)
    km = distance_km(
        np.radians(rows[:, 1]), np.radians(rows[:, 2]), math.radians(lat), math.radians(lon)
    )
    return rows[:, 0].astype(np.int64), np.asarray(km) - MARGIN_KM
