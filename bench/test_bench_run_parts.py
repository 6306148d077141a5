"""A matching run on several workers (docs/deployment.md, "Matching runs on several
workers"): what a worker pays once per run — reading the snapshot of the people and building
the candidate index — against what one part of the run costs (ranking its places as
``services.run_chunks.rank_chunk`` does). A region's size: 60,000 people."""

import json
import os
import time
from dataclasses import asdict
from pathlib import Path

import pytest
from test_bench_matching import ESCO, World, _postcodes, _write

from perspectief.matching.engine.candidate_index import CandidateIndex
from perspectief.matching.engine.taxonomy import load_esco
from perspectief.matching.selectors import fairness
from perspectief.matching.services import run_chunks
from perspectief.matching.services.fairness import BestScores
from perspectief.matching.services.run_chunks import per_place

#: Places per part (``settings.MATCHING_RUN_CHUNK``'s default).
PART = 200
RUN_PARTS = Path(__file__).resolve().parent / "results" / "run_parts.json"


@pytest.mark.bench
def test_bench_index_build_against_one_part():
    taxonomy = load_esco(ESCO)
    world = World(taxonomy, seed=7)
    coords = _postcodes("AM18")
    people = world.candidates(60_000, coords)
    places = world.vacancies(200, coords)  # one part (PERSPECTIEF_MATCHING_RUN_CHUNK)
    snapshot = json.dumps([[i, run_chunks._encoded(p)] for i, p in enumerate(people)])
    start = time.perf_counter()
    records = [run_chunks.candidate_from(r) for _pk, r in json.loads(snapshot)]
    index = CandidateIndex(taxonomy, records)
    build = time.perf_counter() - start
    start = time.perf_counter()
    for place in places:
        index.top_for_vacancy(place, max(per_place(place.places), 50))
    part = time.perf_counter() - start
    _write(
        "run_part",
        {
            "people": len(people),
            "snapshot_mb": round(len(snapshot) / 1e6, 1),
            "index_build_seconds": round(build, 2),
            "part_places": len(places),
            "part_seconds": round(part, 2),
        },
    )
    assert records == people  # the snapshot's JSON loses nothing the engine reads


def _one_place_at_a_time(index, places):
    """A part ranked as ``run_chunks._rank`` did before the blocks: ``top_for_vacancy`` per
    place, every one of the top 50 explained; the kept ones stored."""
    best, result = BestScores(), []
    for place in places:
        kept = per_place(place.places)
        matches = index.top_for_vacancy(place, max(kept, fairness.RANKED))
        best.add([(m.id, m.score) for m in matches])
        result.append([asdict(m) for m in matches[:kept]])
    return result, best.best


def _in_blocks(index, places):
    """A part ranked as ``run_chunks._rank`` ranks it: ``top_blocks``, only the kept
    explained (and stored without ``asdict``'s deep copy)."""
    best, result = BestScores(), []
    kept = [per_place(p.places) for p in places]
    tops = [None] * len(places)
    for block in index.top_blocks(places, [max(n, fairness.RANKED) for n in kept], kept):
        for i, top in block:
            tops[i] = top
    for top in tops:
        best.add(top.ranking)
        result.append([run_chunks.stored(m) for m in top.matches])
    return result, best.best


def _parts(rank):
    """A run's parts of 200 places (``MATCHING_RUN_CHUNK``), each ranked by ``rank``."""

    def ranked(index, places):
        out = [rank(index, places[start : start + PART]) for start in range(0, len(places), PART)]
        best: dict = {}
        for _result, part_best in out:
            for pid, (score, rank_) in part_best.items():
                old_score, old_rank = best.get(pid, (score, rank_))
                best[pid] = (max(score, old_score), min(rank_, old_rank))
        return [r for result, _best in out for r in result], best

    return ranked


@pytest.mark.bench
def test_bench_a_part_in_blocks_against_one_place_at_a_time():
    """The CPU seconds of ranking a run's parts (the bench's region: 60,000 people, 2,000
    places = ten parts of 200), before (one place at a time, the top 50 explained) and
    after (blocks, only the kept explained), alternated so both see the same load; the
    stored results compared. Beside them the floor: ``rank_many`` (no explanations)."""
    taxonomy = load_esco(ESCO)
    world = World(taxonomy, seed=7)
    coords = _postcodes("AM18")
    index = CandidateIndex(taxonomy, world.candidates(60_000, coords))
    places = world.vacancies(2_000, coords)
    load = [round(os.getloadavg()[0], 1)]
    cpu: dict[str, list[float]] = {"one_place_at_a_time": [], "blocks": [], "ranking_only": []}
    out = {}
    for _round in range(3):
        for name, rank in (
            ("one_place_at_a_time", _parts(_one_place_at_a_time)),
            ("blocks", _parts(_in_blocks)),
        ):
            start = time.process_time()
            out[name] = rank(index, places)
            cpu[name].append(round(time.process_time() - start, 2))
        # The floor: the same blocks ranking the top 50 without any explanation.
        start = time.process_time()
        index.rank_many(places, fairness.RANKED)
        cpu["ranking_only"].append(round(time.process_time() - start, 2))
        load.append(round(os.getloadavg()[0], 1))
    before, after = min(cpu["one_place_at_a_time"]), min(cpu["blocks"])
    same = out["blocks"] == out["one_place_at_a_time"]
    figures = {
        "people": 60_000,
        "places": len(places),
        "cpu_seconds_per_round": cpu,
        "before_cpu_ms_per_place": round(1000 * before / len(places), 3),
        "after_cpu_ms_per_place": round(1000 * after / len(places), 3),
        "ratio": round(before / after, 2),
        "ranking_only_cpu_ms_per_place": round(1000 * min(cpu["ranking_only"]) / len(places), 3),
        "stored_results_and_best_scores_identical": same,
        "machine_load_1min": load,
        "command": "PYTHONPATH=src .venv/bin/pytest -m bench -s bench/test_bench_run_parts.py"
        " -k blocks",
    }
    RUN_PARTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    assert same
