"""Offline evaluation of the ranking (docs/matching-evaluation.md).

People are generated from ESCO occupations with realistic noise — some of the occupation's
essential skills missing, skills of other occupations added, the wanted occupation stated
only sometimes — and one place per occupation asks that occupation's skills. A person is
relevant for a place of their own occupation (gain 1) and somewhat for one in the same ISCO
unit group (gain 0.5). The engine is compared with a plain skill-overlap baseline (Jaccard
of the person's skills and the place's skills). All at one location, so that only what is
learnt from skills and occupations is measured.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from scipy import sparse

from .candidate_index import CandidateIndex
from .records import Candidate, Vacancy
from .taxonomy import Taxonomy

K = 10


def _dcg(gains: Iterable[float]) -> float:
    return float(sum(g / np.log2(i + 2) for i, g in enumerate(gains)))


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
    seed: int = 20261123,
) -> tuple[list[Candidate], list[str], list[Vacancy], list[str]]:
    rng = np.random.default_rng(seed)
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
        )
        for o in chosen
    ]
    return people, truth, places, chosen


def evaluate(
    taxonomy: Taxonomy,
    essential: dict[str, list[str]],
    optional: dict[str, list[str]],
    **options: Any,
) -> dict[str, Any]:
    people, truth, places, chosen = generate(taxonomy, essential, optional, **options)
    group = {o: int(taxonomy.occupation_group[taxonomy.occupations[o]]) for o in set(truth)}
    truth_group = np.array([group[o] for o in truth])
    truth_occ = np.array(truth, dtype=object)
    index = CandidateIndex(taxonomy, people)
    ids = np.array([p.id for p in people], dtype=object)
    position = {p.id: i for i, p in enumerate(people)}

    # Baseline: Jaccard overlap of skills (essential and optional together).
    skill_ids = taxonomy.skills

    def matrix(lists: list[list[str]]) -> Any:
        rows = [i for i, skills in enumerate(lists) for _ in skills]
        cols = [skill_ids[s] for skills in lists for s in skills]
        return sparse.csr_matrix(
            (np.ones(len(rows), np.float32), (rows, cols)), shape=(len(lists), taxonomy.n_skills)
        )

    people_m = matrix([p.skills for p in people])
    places_m = matrix([list(dict.fromkeys(v.essential_skills + v.optional_skills)) for v in places])
    inter = (places_m @ people_m.T).toarray()
    sizes_v = np.asarray(places_m.sum(axis=1)).ravel()[:, None]
    sizes_p = np.asarray(people_m.sum(axis=1)).ravel()[None, :]
    jaccard = inter / np.maximum(sizes_v + sizes_p - inter, 1)
    id_rank = np.argsort(np.argsort(ids.astype(str)))

    scores: dict[str, dict[str, list[float]]] = {
        "engine": {"recall": [], "ndcg": []},
        "jaccard": {"recall": [], "ndcg": []},
    }
    for v_i, (place, occupation) in enumerate(zip(places, chosen, strict=True)):
        gains_all = np.where(
            truth_occ == occupation, 1.0, np.where(truth_group == group[occupation], 0.5, 0.0)
        )
        relevant = int((truth_occ == occupation).sum())
        ideal = _dcg(sorted(gains_all, reverse=True)[:K])
        engine_top = [position[m.id] for m in index.top_for_vacancy(place, K)]
        order = np.lexsort((id_rank, -jaccard[v_i]))[:K]
        for name, top in (("engine", engine_top), ("jaccard", list(order))):
            hits = sum(1 for i in top if truth_occ[i] == occupation)
            scores[name]["recall"].append(hits / min(K, relevant))
            scores[name]["ndcg"].append(_dcg([gains_all[i] for i in top]) / ideal if ideal else 0.0)
    return {
        "people": len(people),
        "places": len(places),
        "k": K,
        "recall_at_10": {n: round(float(np.mean(s["recall"])), 4) for n, s in scores.items()},
        "ndcg_at_10": {n: round(float(np.mean(s["ndcg"])), 4) for n, s in scores.items()},
        "settings": {k: v for k, v in options.items()},
    }
