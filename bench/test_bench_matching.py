"""Benchmarks of the matching engine against the targets of issue #5, on people and places
generated from ESCO's occupation–skill relations and the real PC4 coordinates (fixed seed).
Results in bench/results/matching.json.

- one vacancy against 1,000,000 candidates: median under 10 ms (index under 1 GB);
- all 25,000 vacancies of a large region against its 60,000 candidates: under 15 s;
- assignment of 60,000 × 25,000 with about 100 admissible pairs per candidate: under 30 s;
- one candidate against 500,000 vacancies (the reverse direction; recorded, no target).

Issue #20 tightened the targets — one vacancy against 1,000,000 candidates ≤ 1 ms median and
≤ 3 ms p95, one candidate against 500,000 vacancies ≤ 2 ms median (both beside the scipy CSR
product over everyone, measured in the same run), the region ≤ 3 s and the assignment ≤ 5 s
on the 2-core machine — and asks for a plain baseline measured in the same run: the region
against the scipy CSR
product of :mod:`plain_match`, the assignment against OR-Tools' own min-cost flow on the
same pairs (the same optimum required). Wall time moves with the machine's load: the CPU
time (of the process and its workers) is recorded beside it.
"""

import csv
import json
import os
import resource
import time
from pathlib import Path

import numpy as np
import pytest
from benchlib import DATA
from ortools.graph.python import min_cost_flow
from plain_match import skill_matrix, top_k
from scipy import sparse

from perspectief.matching.engine.assign import assign
from perspectief.matching.engine.candidate_index import CandidateIndex
from perspectief.matching.engine.records import Candidate, Vacancy
from perspectief.matching.engine.taxonomy import load_esco, load_occupation_skills
from perspectief.matching.engine.vacancy_index import VacancyIndex

RESULTS = Path(__file__).resolve().parent / "results" / "matching.json"
ESCO = DATA / "esco" / "v1.1.1"


def _occupation_skills(taxonomy):
    essential, optional = load_occupation_skills(ESCO)
    # 67 relations of the export name an occupation missing from it (data/SOURCES.md).
    occupations = sorted(
        o for o, s in essential.items() if len(s) >= 4 and o in taxonomy.occupations
    )
    return occupations, essential, optional


def _postcodes(region=None):
    with (DATA / "geo" / "pc4_centroids_nl_geonames.csv").open() as f:
        rows = [r for r in csv.DictReader(f) if region is None or r["am_code"] == region]
    return np.array([[float(r["lat"]), float(r["lon"])] for r in rows])


class World:
    def __init__(self, taxonomy, seed=20261123):
        self.rng = np.random.default_rng(seed)
        self.occupations, self.essential, self.optional = _occupation_skills(taxonomy)
        self.all_skills = sorted({s for v in self.essential.values() for s in v})

    def candidates(self, n, coords, prefix="c"):
        rng = self.rng
        occ = rng.integers(0, len(self.occupations), n)
        where = coords[rng.integers(0, len(coords), n)]
        hours = rng.choice([16, 24, 32, 36, 40], n)
        reach = rng.choice([10, 20, 30, 50], n)
        edu = rng.integers(1, 6, n)
        licence = rng.random(n) < 0.5
        priority = (rng.random(n) < 0.15).astype(float)
        noise = rng.integers(0, len(self.all_skills), (n, 2))
        people = []
        for i in range(n):
            o = self.occupations[occ[i]]
            ess = self.essential[o]
            keep = rng.random(len(ess)) < 0.7  # missing skills
            skills = [s for s, k in zip(ess, keep, strict=True) if k]
            skills += [self.all_skills[j] for j in noise[i]]  # other occupations' skills
            people.append(
                Candidate(
                    id=f"{prefix}{i:07d}",
                    lat=float(where[i, 0]),
                    lon=float(where[i, 1]),
                    hours=float(hours[i]),
                    max_distance_km=float(reach[i]),
                    education_level=int(edu[i]),
                    driving_licence=bool(licence[i]),
                    occupations=[o],
                    skills=list(dict.fromkeys(skills)),
                    priority=float(priority[i]),
                )
            )
        return people

    def vacancies(self, n, coords, prefix="v"):
        rng = self.rng
        out = []
        for i in range(n):
            o = self.occupations[rng.integers(0, len(self.occupations))]
            ess = self.essential[o][:10]
            lat, lon = coords[rng.integers(0, len(coords))]
            out.append(
                Vacancy(
                    id=f"{prefix}{i:06d}",
                    lat=float(lat),
                    lon=float(lon),
                    hours=32.0,
                    places=int(rng.integers(1, 6)),
                    min_education_level=int(rng.integers(0, 4)),
                    occupation=o,
                    essential_skills=ess,
                    optional_skills=self.optional.get(o, [])[:5],
                    teachable_skills=ess[:1] if rng.random() < 0.3 else [],
                )
            )
        return out


def _clock() -> tuple[float, float]:
    """(wall, CPU) seconds; the CPU of this process and of its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    return time.perf_counter(), cpu


def _since(start: tuple[float, float]) -> tuple[float, float]:
    now = _clock()
    return round(now[0] - start[0], 2), round(now[1] - start[1], 2)


def _plain_region(people, places, k):
    """The plain approach's top k for every place (see :mod:`plain_match`)."""
    vocabulary: dict[str, int] = {}
    cand = {
        "skills": skill_matrix([c.skills for c in people], vocabulary),
        "lat": np.radians([c.lat for c in people]),
        "lon": np.radians([c.lon for c in people]),
        "reach": np.array([c.max_distance_km or np.nan for c in people], float),
        "education": np.array([c.education_level for c in people], float),
    }
    vac = {
        "skills": skill_matrix(
            [v.essential_skills + v.optional_skills for v in places], vocabulary
        ),
        "lat": np.radians([v.lat for v in places]),
        "lon": np.radians([v.lon for v in places]),
        "min_education": np.array([v.min_education_level or 0 for v in places], float),
    }
    return top_k(cand, vac, k)


def _plain_assignment(nc, nv, caps, ec, ev, es) -> int:
    """OR-Tools' min-cost flow on the same pairs, built plainly: source → person → place →
    sink with a bypass; the optimum in millionths (the engine's scale)."""
    solver = min_cost_flow.SimpleMinCostFlow()
    c_node, v_node = 2 + np.arange(nc), 2 + nc + np.arange(nv)
    flow = int(min(nc, caps.sum()))
    solver.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.zeros(nc, np.int64), c_node[ec], v_node, [0]]),
        np.concatenate([c_node, v_node[ev], np.ones(nv, np.int64), [1]]),
        np.concatenate([np.ones(nc + len(ec), np.int64), caps, [flow]]),
        np.concatenate(
            [
                np.zeros(nc, np.int64),
                -np.round(es * 1e6).astype(np.int64),
                np.zeros(nv + 1, np.int64),
            ]
        ),
    )
    supplies = np.zeros(2 + nc + nv, np.int64)
    supplies[0], supplies[1] = flow, -flow
    solver.set_nodes_supplies(np.arange(len(supplies)), supplies)
    assert solver.solve() == solver.OPTIMAL
    return int(-solver.optimal_cost())


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _write(key, value):
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[key] = value
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps({key: value}, indent=2))


@pytest.mark.bench
def test_bench_one_vacancy_against_a_million_candidates():
    taxonomy = load_esco(ESCO)
    world = World(taxonomy)
    people = world.candidates(1_000_000, _postcodes())
    start = time.perf_counter()
    index = CandidateIndex(taxonomy, people)
    build = time.perf_counter() - start
    del people
    places = world.vacancies(300, _postcodes())
    for v in places[:20]:  # warm up
        index.top_for_vacancy(v, 50)
    times, cpu = [], []
    for v in places[20:]:
        t, c = time.perf_counter(), time.process_time()
        index.top_for_vacancy(v, 50)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    ranking_only = []
    for v in places[20:]:
        t = time.perf_counter()
        index.rank_for_vacancy(v, 50)
        ranking_only.append((time.perf_counter() - t) * 1000)
    # The plain approach for comparison: a CSR product over everyone, then argpartition.
    csr = index.credits.tocsr()
    plain, plain_cpu = [], []
    for v in places[20:70]:
        cols = [taxonomy.skills[s] for s in v.essential_skills]
        q = np.zeros(taxonomy.n_skills, np.float32)
        q[cols] = 1.0
        t, c = time.perf_counter(), time.process_time()
        scores = csr @ q
        np.argpartition(-scores, 50)[:50]
        plain.append((time.perf_counter() - t) * 1000)
        plain_cpu.append((time.process_time() - c) * 1000)
    # One profile changes: it counts from the next query on.
    changed = Candidate(
        **{
            **people_sample(index, world),
            "lat": places[0].lat,
            "lon": places[0].lon,
            "occupations": [places[0].occupation],
            "skills": places[0].essential_skills,
        }
    )
    t = time.perf_counter()
    index.upsert(changed)
    upsert_ms = (time.perf_counter() - t) * 1000
    found = [m.id for m in index.top_for_vacancy(places[0], 50)]
    _write(
        "one_vacancy_1M_candidates",
        {
            "candidates": 1_000_000,
            "index_build_seconds": round(build, 1),
            "index_megabytes": round(index.nbytes() / 2**20, 1),
            "process_peak_rss_megabytes": round(_rss_mb()),
            "query_median_ms": round(float(np.median(times)), 2),
            "query_p95_ms": round(float(np.percentile(times, 95)), 2),
            # CPU time of the process: less moved by other users of a shared machine.
            "query_median_cpu_ms": round(float(np.median(cpu)), 2),
            "ranking_only_median_ms": round(float(np.median(ranking_only)), 2),
            "queries": len(times),
            "machine_load_1min": round(os.getloadavg()[0], 1),
            "query_p95_cpu_ms": round(float(np.percentile(cpu, 95)), 2),
            "plain_csr_product_median_ms": round(float(np.median(plain)), 2),
            "plain_csr_product_median_cpu_ms": round(float(np.median(plain_cpu)), 2),
            "upsert_one_profile_ms": round(upsert_ms, 2),
            "changed_profile_found": changed.id in found,
            # #20's; the assertion below keeps #5's ceiling (the wall time of a shared
            # machine moves with its load).
            "targets": {"query_median_ms": 1, "query_p95_ms": 3, "index_megabytes": 1024},
        },
    )
    assert np.median(times) < 10
    assert index.nbytes() < 2**30


def people_sample(index, world) -> dict:
    """An existing person's record, as a dict (the index keeps arrays, not records)."""
    row = int(np.flatnonzero(index.located)[0])
    return {
        "id": str(index.ids[row]),
        "lat": float(np.degrees(index.lat[row])),
        "lon": float(np.degrees(index.lon[row])),
        "hours": 32.0,
        "max_distance_km": 50.0,
        "education_level": 4,
        "driving_licence": True,
        "occupations": [],
        "skills": [],
    }


@pytest.mark.bench
def test_bench_one_candidate_against_half_a_million_vacancies():
    """The reverse direction: the best 50 places for one person among 500,000 (no target in
    the issue; recorded so that a regression shows)."""
    taxonomy = load_esco(ESCO)
    world = World(taxonomy, seed=5)
    coords = _postcodes()
    places = world.vacancies(500_000, coords)
    start = time.perf_counter()
    index = VacancyIndex(taxonomy, places)
    build = time.perf_counter() - start
    del places
    people = world.candidates(220, coords)
    for c in people[:20]:  # warm up
        index.top_for_candidate(c, 50)
    times, cpu = [], []
    for c in people[20:]:
        t, p = time.perf_counter(), time.process_time()
        index.top_for_candidate(c, 50)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - p) * 1000)
    # The plain approach in the same run: the places' skills (CSR) times the person's held
    # skills over every place, then argpartition.
    csr = (index.essential + index.optional).tocsr()
    plain, plain_cpu = [], []
    for c in people[20:70]:
        q = np.zeros(taxonomy.n_skills, np.float32)
        q[[taxonomy.skills[s] for s in c.skills]] = 1.0
        t, p = time.perf_counter(), time.process_time()
        scores = csr @ q
        np.argpartition(-scores, 50)[:50]
        plain.append((time.perf_counter() - t) * 1000)
        plain_cpu.append((time.process_time() - p) * 1000)
    _write(
        "one_candidate_500k_vacancies",
        {
            "vacancies": 500_000,
            "index_build_seconds": round(build, 1),
            "query_median_ms": round(float(np.median(times)), 2),
            "query_p95_ms": round(float(np.percentile(times, 95)), 2),
            "query_median_cpu_ms": round(float(np.median(cpu)), 2),
            "query_p95_cpu_ms": round(float(np.percentile(cpu, 95)), 2),
            "queries": len(times),
            "machine_load_1min": round(os.getloadavg()[0], 1),
            "plain_csr_product_median_ms": round(float(np.median(plain)), 2),
            "plain_csr_product_median_cpu_ms": round(float(np.median(plain_cpu)), 2),
            "targets": {"query_median_ms": 2},
        },
    )


@pytest.mark.bench
def test_bench_region_and_assignment():
    taxonomy = load_esco(ESCO)
    world = World(taxonomy, seed=7)
    coords = _postcodes("AM18")
    people = world.candidates(60_000, coords)
    places = world.vacancies(25_000, coords)
    index = CandidateIndex(taxonomy, people)
    start = time.perf_counter()
    explained = [index.top_for_vacancy(v, 50) for v in places[:1000]]
    explained_ms = 1000 * (time.perf_counter() - start) / 1000
    start = time.perf_counter()
    single_cpu = time.process_time()
    single = index.rank_many(places[:5000], 50)
    single_ms = 1000 * (time.perf_counter() - start) / 5000
    single_cpu_ms = 1000 * (time.process_time() - single_cpu) / 5000
    start = _clock()
    ranked = index.rank_many(places, 50, workers=2)
    region_seconds, region_cpu = _since(start)
    start = _clock()
    plain = _plain_region(people, places, 50)
    plain_seconds, plain_cpu = _since(start)
    assert len(plain) == len(places)
    assert ranked[:5000] == single and [(m.id, m.score) for m in explained[0]] == single[0]
    # Assignment on a sparse instance: about 100 admissible pairs per candidate.
    rng = np.random.default_rng(11)
    nc, nv, per = 60_000, 25_000, 100
    ec = np.repeat(np.arange(nc), per)
    ev = rng.integers(0, nv, nc * per)
    pairs = sparse.coo_matrix((np.ones(len(ec)), (ec, ev)), shape=(nc, nv)).tocsr()
    pairs.sum_duplicates()
    ec, ev = pairs.nonzero()
    es = np.round(rng.random(len(ec)), 6) + 0.000001
    caps = rng.integers(1, 3, nv)  # fewer places than people: the floor has to bite
    prio = rng.random(nc) < 0.15
    instance = ([f"c{i}" for i in range(nc)], [f"v{j}" for j in range(nv)], caps, ec, ev, es)
    start = _clock()
    result = assign(*instance, priority=prio)
    assign_seconds, assign_cpu = _since(start)
    start = _clock()
    plain_optimum = _plain_assignment(nc, nv, caps, ec, ev, es)
    plain_assign_seconds, plain_assign_cpu = _since(start)
    # The engine's optimum on the same scale: its chosen pairs' scores in millionths.
    keys = ec.astype(np.int64) * nv + ev  # sorted: the pairs come in CSR order
    chosen = np.array([int(c[1:]) * nv + int(v[1:]) for c, v, _s in result.pairs], np.int64)
    optimum = int(np.round(es[np.searchsorted(keys, chosen)] * 1e6).astype(np.int64).sum())
    start = time.perf_counter()
    # Every priority candidate with a pair placed (others may lose their place).
    floor = assign(*instance, priority=prio, min_priority=int(prio[np.unique(ec)].sum()))
    floor_seconds = time.perf_counter() - start
    _write(
        "region_and_assignment",
        {
            "region_candidates": 60_000,
            "region_vacancies": 25_000,
            "region_top50_all_vacancies_seconds_2_processes": region_seconds,
            "region_cpu_seconds": region_cpu,
            "plain_csr_region_seconds_1_process": plain_seconds,
            "plain_csr_region_cpu_seconds": plain_cpu,
            "region_ms_per_vacancy_one_process": round(single_ms, 2),
            "region_cpu_ms_per_vacancy_one_process": round(single_cpu_ms, 3),
            "region_ms_per_vacancy_with_explanation": round(explained_ms, 2),
            "vacancies_with_50_results": sum(len(r) == 50 for r in ranked),
            "assignment_pairs": len(ec),
            "assignment_places": int(caps.sum()),
            "assignment_seconds": assign_seconds,
            "assignment_cpu_seconds": assign_cpu,
            "plain_ortools_assignment_seconds": plain_assign_seconds,
            "plain_ortools_assignment_cpu_seconds": plain_assign_cpu,
            "assignment_optimum_equals_plain": optimum == plain_optimum,
            "machine_load_1min": round(os.getloadavg()[0], 1),
            "assignment_total_score": result.total_score,
            "assignment_places_filled": result.places_filled,
            "assignment_with_priority_floor_seconds": round(floor_seconds, 1),
            "priority_placed_without_floor": result.priority_placed,
            "priority_placed_with_floor": floor.priority_placed,
            "total_score_with_floor": floor.total_score,
            "targets": {"region_seconds": 3, "assignment_seconds": 5},
        },
    )
    assert optimum == plain_optimum  # the same optimum as OR-Tools on the plain network
    # The issue #5 ceilings; #20's (3 s, 5 s) are recorded above, not asserted: on a
    # shared machine the wall time moves with the load.
    assert region_seconds < 15
    assert assign_seconds < 30
