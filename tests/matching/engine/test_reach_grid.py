"""The candidate index reads only the cells that can hold someone within their own reach of
a place (a grid per reach class, #20). Pruning must never drop anyone the exact haversine
puts within reach: at cell borders, at the edge of a reach class, exactly at the limit,
far from the equator; people without a location are never ranked (as before)."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from perspectief.matching.engine.candidate_index import CandidateIndex
from perspectief.matching.engine.grid import FINE_CELL_DEG, REACH_CLASSES_KM, spans
from perspectief.matching.engine.records import Candidate, Vacancy
from perspectief.matching.engine.scoring import EARTH_RADIUS_KM, distance_km

from .test_engine import TX, S

#: Reaches at and around the classes' edges, unknown (the default, 25 km), and 0 km (only
#: the door itself: "exactly at the edge" puts such a person at the place).
REACHES = [None, 0.0, 0.5, 1.0, *REACH_CLASSES_KM, *(r + 1e-9 for r in REACH_CLASSES_KM), 400.0]


def _point_at(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point ``km`` away from (lat, lon) in degrees on the sphere, along ``bearing``."""
    phi, lam, d = math.radians(lat), math.radians(lon), km / EARTH_RADIUS_KM
    phi2 = math.asin(math.sin(phi) * math.cos(d) + math.cos(phi) * math.sin(d) * math.cos(bearing))
    east = math.sin(bearing) * math.sin(d) * math.cos(phi)
    lam2 = lam + math.atan2(east, math.cos(d) - math.sin(phi) * math.sin(phi2))
    return math.degrees(phi2), math.degrees(lam2)


def _people(rng: np.random.Generator, at: tuple[float, float], n: int) -> list[Candidate]:
    people = []
    for i in range(n):
        reach = REACHES[int(rng.integers(0, len(REACHES)))]
        edge = 25.0 if reach is None else reach
        kind = int(rng.integers(0, 4))
        if kind == 0:  # exactly at the edge of their reach, any direction
            lat, lon = _point_at(*at, edge, float(rng.uniform(0, 2 * math.pi)))
        elif kind == 1:  # on a cell border near the place
            lat = round((at[0] + float(rng.normal(0, 0.3))) / FINE_CELL_DEG) * FINE_CELL_DEG
            lon = round((at[1] + float(rng.normal(0, 0.5))) / FINE_CELL_DEG) * FINE_CELL_DEG
        elif kind == 2:  # anywhere around
            lat, lon = at[0] + float(rng.normal(0, 1)), at[1] + float(rng.normal(0, 1.5))
        else:  # no location: never ranked
            lat = lon = None
        skills = [str(s) for s in rng.choice(S, int(rng.integers(0, 3)), replace=False)]
        people.append(
            Candidate(id=f"c{i:04d}", lat=lat, lon=lon, max_distance_km=reach, skills=skills)
        )
    return people


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    lat=st.sampled_from([52.37, 52.0, 53.45, 50.85, 0.01, -33.9, 69.6]),
)
def test_the_cells_read_hold_everyone_within_their_reach(seed, lat):
    rng = np.random.default_rng(seed)
    at = (lat, float(rng.uniform(-10, 10)))
    people = _people(rng, at, 300)
    index = CandidateIndex(TX, people)
    starts, ends = index._ranges(*at)
    read = set(spans(starts, ends).tolist())
    vlat, vlon = np.radians(at)
    for row in range(index.n_located):
        km = float(distance_km(index.lat[row], index.lon[row], vlat, vlon))
        reach = index.reach[row]
        if km <= (25.0 if np.isnan(reach) else reach):
            assert row in read, (index.ids[row], km, reach)
    # Rows without a location are never read.
    assert all(row < index.n_located for row in read)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 100_000), k=st.integers(1, 40))
def test_ranking_with_the_grid_equals_everyone_evaluated(seed, k):
    rng = np.random.default_rng(seed)
    at = (52.37, 4.9)
    people = _people(rng, at, 250)
    index = CandidateIndex(TX, people)
    v = Vacancy(id="v", lat=at[0], lon=at[1], essential_skills=["s1", "s3"], hours=32.0)
    expected = []
    for p in people:
        why = index.explain(p.id, v)
        if why["admissible"]:
            expected.append((-why["score"], p.id))
    ranked = index.top_for_vacancy(v, k)
    assert [m.id for m in ranked] == [cid for _s, cid in sorted(expected)[:k]]
    # Nobody without a location, and everyone exactly at the edge who is admissible.
    assert all(people[int(m.id[1:])].lat is not None for m in ranked)


def test_a_reach_of_zero_admits_the_door_with_a_full_distance_fit():
    """The profile form allows 0 km: someone at the place's own location is within it (the
    distance fit 1, as at anyone's door), not a score of NaN (0 / 0) that sorts anywhere."""
    at = (52.37, 4.9)
    people = [
        Candidate(id="door", lat=at[0], lon=at[1], max_distance_km=0.0, skills=["s1"]),
        Candidate(id="near", lat=at[0] + 0.01, lon=at[1], max_distance_km=0.0, skills=["s1"]),
        Candidate(id="other", lat=at[0], lon=at[1], max_distance_km=10.0, skills=["s1"]),
    ]
    index = CandidateIndex(TX, people)
    v = Vacancy(id="v", lat=at[0], lon=at[1], essential_skills=["s1"])
    ranked = index.top_for_vacancy(v, 5)
    assert [m.id for m in ranked] == ["door", "other"]  # a tie, settled by id
    assert all(math.isfinite(m.score) for m in ranked)
    assert ranked[0].score == ranked[1].score
    why = index.explain("door", v)
    assert why["admissible"] and math.isfinite(why["score"])
    assert not index.explain("near", v)["admissible"]
