"""A matching run on several workers (docs/deployment.md, "Matching runs on several
workers"): what a worker pays once per run — reading the snapshot of the people and building
the candidate index — against what one part of the run costs (ranking its places as
``services.run_chunks.rank_chunk`` does). A region's size: 60,000 people."""

import json
import time

import pytest
from test_bench_matching import ESCO, World, _postcodes, _write

from perspectief.matching.engine.candidate_index import CandidateIndex
from perspectief.matching.engine.taxonomy import load_esco
from perspectief.matching.services import run_chunks
from perspectief.matching.services.run_chunks import per_place


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
