"""Ranking in two rounds stays exact: the pool of the most promising by a cheap upper bound
first, then only the rest whose bound can still beat the k-th score. Compared with the
exhaustive ranking (every person evaluated exactly) on random data full of ties."""

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from perspectief.matching.engine.candidate_index import POOL, CandidateIndex
from perspectief.matching.engine.records import SUPPORT, Candidate, Vacancy
from perspectief.matching.engine.vacancy_index import VacancyIndex

from .test_engine import TXP, TXW, S

TODAY = date(2027, 2, 1)
OCCUPATIONS = ["o1", "o2", "o3"]
SPOTS = [(52.37, 4.90), (52.40, 4.95), (52.30, 4.80), (52.45, 4.70), (52.60, 5.00)]


def _exhaustive(index: CandidateIndex, v: Vacancy, k: int) -> list[tuple[str, float]]:
    """Every active person evaluated exactly, the k best by score, then id."""
    terms, touched = index._skill_scores(v, None)
    rows = np.flatnonzero(index.active)
    try:
        found, scores, _c = index._rank_exact(v, rows, terms, k)
    finally:
        index._clear(touched)
    return list(zip(index.ids[found].tolist(), np.round(scores, 6).tolist(), strict=True))


def _people(rng: np.random.Generator, n: int) -> list[Candidate]:
    """People copied from a few prototypes at a few spots, so many score exactly alike;
    ids in random order, so ties are not settled by the order of the rows."""
    prototypes = [
        {
            "skills": [str(s) for s in rng.choice(S, int(rng.integers(0, 5)), replace=False)],
            "occupations": [str(o) for o in rng.choice(OCCUPATIONS, int(rng.integers(0, 2)))],
            "hours": float(rng.choice([16, 24, 32, 40])),
            "max_distance_km": float(rng.choice([10, 25, 40])),
            "education_level": int(rng.integers(1, 5)),
            "priority": float(rng.choice([0.0, 1.0])),
            "readiness": [None, 0.5, 1.0][int(rng.integers(0, 3))],
            "motivation": [None, 0.6, 1.0][int(rng.integers(0, 3))],
            "needs": [str(s) for s in rng.choice(SUPPORT, int(rng.integers(0, 2)), replace=False)],
            "driving_licence": bool(rng.random() < 0.7),
        }
        for _ in range(int(rng.integers(2, 8)))
    ]
    ids = rng.permutation(n)
    people = []
    for i in range(n):
        lat, lon = SPOTS[int(rng.integers(0, len(SPOTS)))]
        proto = prototypes[int(rng.integers(0, len(prototypes)))]
        people.append(Candidate(id=f"c{ids[i]:04d}", lat=lat, lon=lon, **proto))
    return people


def _place(rng: np.random.Generator) -> Vacancy:
    essential = [str(s) for s in rng.choice(S, int(rng.integers(1, 4)), replace=False)]
    lat, lon = SPOTS[int(rng.integers(0, len(SPOTS)))]
    return Vacancy(
        id="v",
        lat=lat,
        lon=lon,
        hours=32.0,
        occupation=str(rng.choice(OCCUPATIONS)),
        essential_skills=essential,
        optional_skills=[s for s in rng.choice(S, 2, replace=False).tolist() if s not in essential],
        teachable_skills=essential[:1] if rng.random() < 0.3 else [],
        min_education_level=int(rng.integers(0, 4)),
        driving_licence_required=bool(rng.random() < 0.3),
        offers=[str(s) for s in SUPPORT if rng.random() < 0.5],
    )


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 100_000), k=st.integers(1, 10), n=st.integers(20, 400))
def test_two_rounds_equal_the_exhaustive_ranking_with_ties(seed, k, n):
    rng = np.random.default_rng(seed)
    tx = TXP if seed % 2 else TXW
    index = CandidateIndex(tx, _people(rng, n), today=TODAY)
    for _ in range(3):
        v = _place(rng)
        expected = _exhaustive(index, v, k)
        assert index.rank_for_vacancy(v, k) == expected
        assert [(m.id, m.score) for m in index.top_for_vacancy(v, k)] == expected


def test_the_second_round_finds_who_beats_the_pool(monkeypatch):
    """The pool (by the bound: full marks for distance) is people with every skill at the
    edge of their reach; someone with one skill less at the door is outside the pool but
    scores best, and only the second round evaluates them."""
    far = [
        Candidate(
            id=f"far{i:02d}", lat=52.37, lon=4.90 + 0.145, max_distance_km=10, skills=["s0", "s1"]
        )
        for i in range(POOL * 2)
    ]
    near = Candidate(id="near", lat=52.37, lon=4.90, max_distance_km=10, skills=["s0"])
    index = CandidateIndex(TXW, [*far, near], today=TODAY)
    v = Vacancy(id="v", lat=52.37, lon=4.90, essential_skills=["s0", "s1"])
    evaluated: list[set[str]] = []
    exact = CandidateIndex._rank_exact

    def spy(self, v, rows, terms, k, *explain):
        evaluated.append(set(self.ids[rows].tolist()))
        return exact(self, v, rows, terms, k, *explain)

    monkeypatch.setattr(CandidateIndex, "_rank_exact", spy)
    assert [m.id for m in index.top_for_vacancy(v, 1)] == ["near"]
    first, second = evaluated
    assert len(first) == POOL and "near" not in first
    assert "near" in second and not first & second  # the pool is not evaluated twice
    monkeypatch.undo()
    assert index.rank_for_vacancy(v, 1) == _exhaustive(index, v, 1)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 100_000), k=st.integers(1, 12), n=st.integers(80, 300))
def test_the_reverse_direction_in_two_rounds_equals_everyone_evaluated(seed, k, n):
    """One person against more places than the first round evaluates: places copied from
    a few prototypes (ties), some full (no open position), some out of reach."""
    rng = np.random.default_rng(seed)
    prototypes = [_place(rng) for _ in range(int(rng.integers(2, 6)))]
    ids = rng.permutation(10 * n)  # ids in random order: ties are not settled by rows
    places = []
    for i in range(n):
        proto = prototypes[int(rng.integers(0, len(prototypes)))]
        lat, lon = SPOTS[int(rng.integers(0, len(SPOTS)))]
        places.append(
            Vacancy(
                **{
                    **proto.__dict__,
                    "id": f"v{int(ids[i]):05d}",
                    "lat": lat,
                    "lon": lon,
                    "places": int(rng.integers(0, 3)),
                }
            )
        )
    person = _people(rng, 1)[0]
    candidates = CandidateIndex(TXP if seed % 2 else TXW, [person], today=TODAY)
    brute = []
    for v in places:
        why = candidates.explain(person.id, v)
        if why["admissible"] and v.places > 0:
            brute.append((-why["score"], v.id))
    expected = [vid for _s, vid in sorted(brute)[:k]]
    index = VacancyIndex(TXP if seed % 2 else TXW, places, today=TODAY)
    assert [m.id for m in index.top_for_candidate(person, k)] == expected
