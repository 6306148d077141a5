"""Offline evaluation of the ranking (docs/matching-evaluation.md).

People are generated from ESCO occupations with realistic noise — some of the occupation's
essential skills missing, skills of other occupations added, the wanted occupation stated
only sometimes — and one place per occupation asks that occupation's skills. Soft factors
are drawn for both sides: the hours and physical load a person can carry, sectors they will
not work in, a functional limitation, their readiness, motivation and support needs; the
hours (and part time), load, sector, demands and support of a place.

A person is relevant for a place of their own occupation (gain 1) and somewhat for one in
the same ISCO unit group (gain 0.5) — but only when they can take it: a person who cannot
carry the place's hours or load, excludes its sector or has a limitation its work demands
is not a true match, whatever their skills. The truth checks that here, apart from the
engine's code.

Compared: the engine with its default weights, the engine without soft factors (their
weights 0, the others scaled up to add to 1, and no soft factor known, so none of their
hard conditions applies), and a plain skill-overlap baseline (Jaccard of the person's skills
and the place's skills). All at one location, so distance plays no part.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import numpy as np
from scipy import sparse

from .candidate_index import CandidateIndex
from .records import DEMANDS, SOFT_CRITERIA, SUPPORT, Candidate, Vacancy, Weights
from .taxonomy import Taxonomy

K = 10
#: The depth at which infeasible proposals are counted.
DEPTH = 50
#: The day readiness is judged on (the places have no start date): fixed, so a run repeats.
TODAY = date(2026, 11, 23)
#: SBI sections the generated places are in.
SECTORS = ("C", "G", "H", "N", "Q")
#: Where the soft factors' random stream branches off the seed (see :func:`generate`).
SOFT_STREAM = 18
#: The engines compared, in the order reported.
ENGINES = ("engine", "engine_without_soft_factors", "jaccard")


def _dcg(gains: Iterable[float]) -> float:
    return float(sum(g / np.log2(i + 2) for i, g in enumerate(gains)))


def without_soft_factors(weights: Weights | None = None) -> Weights:
    """The weights with the soft criteria at 0 and the others scaled to add up to 1."""
    w = (weights or Weights()).as_dict()
    for name in SOFT_CRITERIA:
        w[name] = 0.0
    total = sum(w.values())
    return Weights(**{name: value / total for name, value in w.items()})


def _strip(c: Candidate) -> Candidate:
    """The person as the engine saw them before #18: no soft factor known."""
    return replace(
        c,
        readiness=None,
        ready_from=None,
        max_hours=None,
        max_load=None,
        motivation=None,
        excluded_sectors=[],
        needs=[],
        limitations=[],
    )


def _soft_person(rng: np.random.Generator, share: float) -> dict[str, Any]:
    """A person's soft factors: each limit with probability ``share`` (0: none at all)."""
    if share <= 0:
        return {}
    return {
        "max_hours": float(rng.choice([12, 16, 20, 24, 32])) if rng.random() < share else None,
        "max_load": int(rng.choice([1, 2])) if rng.random() < share else None,
        "excluded_sectors": [
            str(s) for s in rng.choice(SECTORS, 1 + int(rng.random() < 0.3), replace=False)
        ]
        if rng.random() < share / 2
        else [],
        "limitations": [str(rng.choice(DEMANDS))] if rng.random() < share / 3 else [],
        "readiness": [1.0, 0.5, 0.0, None][rng.choice(4, p=[0.5, 0.2, 0.1, 0.2])],
        "ready_from": TODAY + timedelta(days=int(rng.integers(-60, 120)))
        if rng.random() < 0.2
        else None,
        "motivation": [1.0, 0.6, 0.2, None][rng.choice(4, p=[0.4, 0.3, 0.1, 0.2])],
        "needs": [str(s) for s in rng.choice(SUPPORT, int(rng.integers(1, 3)), replace=False)]
        if rng.random() < 0.3
        else [],
    }


def _soft_place(rng: np.random.Generator, share: float) -> dict[str, Any]:
    if share <= 0:
        return {}
    hours = float(rng.choice([24, 32, 36, 38, 40]))
    return {
        "hours": hours,
        "min_hours": float(rng.choice([16, 20, 24])) if rng.random() < 0.4 else None,
        "load": int(rng.choice([1, 2, 3])),
        "sector": str(rng.choice(SECTORS)),
        "offers": [str(s) for s in SUPPORT if rng.random() < 0.4],
        "demands": [str(d) for d in DEMANDS if rng.random() < 0.15],
    }


def feasible(c: Candidate, v: Vacancy) -> bool:
    """Can the person take the place at all (the soft factors' hard conditions, written out
    apart from the engine's code; everyone is at one location with no start dates)?"""
    needed = v.min_hours if v.min_hours is not None else v.hours
    if c.max_hours is not None and needed is not None and c.max_hours < needed:
        return False
    if c.max_load is not None and v.load is not None and c.max_load < v.load:
        return False
    if v.sector is not None and v.sector in c.excluded_sectors:
        return False
    return not set(c.limitations) & set(v.demands)


def generate(
    taxonomy: Taxonomy,
    essential: dict[str, list[str]],
    optional: dict[str, list[str]],
    *,
    occupations: int = 300,
    per_occupation: int = 20,
    keep: float = 0.7,
    noise: int = 2,
    states_occupation: float = 0.4,
    soft: float = 0.2,
    seed: int = 20261123,
) -> tuple[list[Candidate], list[str], list[Vacancy], list[str]]:
    """People, the occupation each was generated from, one place per occupation, and the
    occupations. ``soft``: the share of people with each kind of limit (0: no soft factors
    on either side). The soft factors come from a random stream of their own, so the
    occupations and skills drawn are the same whatever ``soft`` is: the settings compare
    on the same people."""
    rng = np.random.default_rng(seed)
    soft_rng = np.random.default_rng([seed, SOFT_STREAM])
    pool = sorted(o for o, s in essential.items() if len(s) >= 4 and o in taxonomy.occupations)
    chosen = [
        pool[i] for i in rng.choice(len(pool), size=min(occupations, len(pool)), replace=False)
    ]
    all_skills = sorted({s for o in pool for s in essential[o]})
    people: list[Candidate] = []
    truth: list[str] = []
    for o in chosen:
        for j in range(per_occupation):
            skills = [s for s in essential[o] if rng.random() < keep]
            skills += [all_skills[i] for i in rng.integers(0, len(all_skills), noise)]
            people.append(
                Candidate(
                    id=f"{o.rsplit('/', 1)[-1]}-{j:02d}",
                    lat=52.37,
                    lon=4.90,
                    occupations=[o] if rng.random() < states_occupation else [],
                    skills=list(dict.fromkeys(skills)),
                    **_soft_person(soft_rng, soft),
                )
            )
            truth.append(o)
    places = [
        Vacancy(
            id=f"v-{o.rsplit('/', 1)[-1]}",
            lat=52.37,
            lon=4.90,
            occupation=o,
            essential_skills=essential[o][:12],
            optional_skills=[s for s in optional.get(o, [])[:6] if s not in essential[o][:12]],
            **_soft_place(soft_rng, soft),
        )
        for o in chosen
    ]
    return people, truth, places, chosen


def _jaccard(taxonomy: Taxonomy, people: Sequence[Candidate], places: Sequence[Vacancy]) -> Any:
    """Places × people: the Jaccard index of their skills (essential and optional)."""

    def matrix(lists: list[list[str]]) -> Any:
        rows = [i for i, skills in enumerate(lists) for _ in skills]
        cols = [taxonomy.skills[s] for skills in lists for s in skills]
        return sparse.csr_matrix(
            (np.ones(len(rows), np.float32), (rows, cols)), shape=(len(lists), taxonomy.n_skills)
        )

    people_m = matrix([p.skills for p in people])
    places_m = matrix([list(dict.fromkeys(v.essential_skills + v.optional_skills)) for v in places])
    inter = (places_m @ people_m.T).toarray()
    sizes_v = np.asarray(places_m.sum(axis=1)).ravel()[:, None]
    sizes_p = np.asarray(people_m.sum(axis=1)).ravel()[None, :]
    return inter / np.maximum(sizes_v + sizes_p - inter, 1)


def _rankings(
    taxonomy: Taxonomy, people: list[Candidate], places: list[Vacancy]
) -> dict[str, list[list[int]]]:
    """Per engine, per place: the positions in ``people`` of its top :data:`DEPTH`."""
    position = {p.id: i for i, p in enumerate(people)}
    engine = CandidateIndex(taxonomy, people, today=TODAY)
    plain = CandidateIndex(
        taxonomy, [_strip(p) for p in people], without_soft_factors(), today=TODAY
    )
    jaccard = _jaccard(taxonomy, people, places)
    id_rank = np.argsort(np.argsort(np.array([p.id for p in people], dtype=str)))
    return {
        "engine": [[position[m.id] for m in engine.top_for_vacancy(v, DEPTH)] for v in places],
        "engine_without_soft_factors": [
            [position[m.id] for m in plain.top_for_vacancy(v, DEPTH)] for v in places
        ],
        "jaccard": [
            np.lexsort((id_rank, -jaccard[i]))[:DEPTH].tolist() for i in range(len(places))
        ],
    }


def evaluate(
    taxonomy: Taxonomy,
    essential: dict[str, list[str]],
    optional: dict[str, list[str]],
    **options: Any,
) -> dict[str, Any]:
    """recall@10, nDCG@10 and infeasible proposals in the top 50, per engine."""
    people, truth, places, chosen = generate(taxonomy, essential, optional, **options)
    group = {o: int(taxonomy.occupation_group[taxonomy.occupations[o]]) for o in set(truth)}
    truth_group = np.array([group[o] for o in truth])
    truth_occ = np.array(truth, dtype=object)
    rankings = _rankings(taxonomy, people, places)
    scores: dict[str, dict[str, list[float]]] = {
        name: {"recall": [], "ndcg": []} for name in ENGINES
    }
    infeasible = dict.fromkeys(ENGINES, 0)
    dropped = 0
    for v_i, (place, occupation) in enumerate(zip(places, chosen, strict=True)):
        can = np.array([feasible(p, place) for p in people])
        own = (truth_occ == occupation) & can
        dropped += int(((truth_occ == occupation) & ~can).sum())
        gains_all = np.where(own, 1.0, np.where((truth_group == group[occupation]) & can, 0.5, 0.0))
        relevant = int(own.sum())
        ideal = _dcg(sorted(gains_all, reverse=True)[:K])
        for name in ENGINES:
            top = rankings[name][v_i]
            infeasible[name] += int((~can[top]).sum())
            if relevant:
                hits = int(own[top[:K]].sum())
                scores[name]["recall"].append(hits / min(K, relevant))
                scores[name]["ndcg"].append(_dcg(gains_all[top[:K]]) / ideal)
    return {
        "people": len(people),
        "places": len(places),
        "k": K,
        "recall_at_10": {n: round(float(np.mean(s["recall"])), 4) for n, s in scores.items()},
        "ndcg_at_10": {n: round(float(np.mean(s["ndcg"])), 4) for n, s in scores.items()},
        f"infeasible_in_top_{DEPTH}": infeasible,
        # People of a place's occupation who cannot take it (not true matches).
        "own_occupation_infeasible": dropped,
        "settings": dict(options),
        "weights": {
            "engine": Weights().as_dict(),
            "engine_without_soft_factors": {
                n: round(v, 4) for n, v in without_soft_factors().as_dict().items()
            },
        },
    }
