"""A part of a matching run ranks its places in blocks (``CandidateIndex.top_blocks``) and
explains only the suggestions it keeps: it stores the same suggestions and best scores as
ranking one place at a time with ``top_for_vacancy`` did, writes its progress after each
block, and stops between blocks once the run no longer runs."""

import json
from dataclasses import asdict
from types import SimpleNamespace

import pytest

from perspectief.accounts.actor import actor_for
from perspectief.matching.engine import candidate_batch
from perspectief.matching.engine.candidate_index import CandidateIndex
from perspectief.matching.models import MatchRun, MatchRunChunk
from perspectief.matching.selectors import fairness
from perspectief.matching.selectors.configuration import Setting
from perspectief.matching.services import run_chunks
from perspectief.matching.services import runs as run_services
from perspectief.matching.services.fairness import BestScores

from .test_distributed_run import people, places


@pytest.fixture
def part(world, esco, make_member, settings, monkeypatch, django_capture_on_commit_callbacks):
    """A run of one part of eight places, started (its part queued, not ranked), ranked
    three places at a time."""
    monkeypatch.setattr(run_services, "run_chunk", SimpleNamespace(delay=lambda _pk: None))
    monkeypatch.setattr(candidate_batch, "BLOCK_PLACES", 3)
    settings.MATCHING_RUN_CHUNK = 200
    places(world, esco, count=8)
    people(esco, make_member, count=9)
    with django_capture_on_commit_callbacks(execute=False):
        run = run_services.run_start(actor=actor_for(make_member("accountmanager")))
    [chunk_id] = run_services.start(run, actor=run_services.run_actor(run))
    return run, chunk_id


def _one_place_at_a_time(run: MatchRun, chunk: MatchRunChunk):
    """What a part stored before the blocks: ``top_for_vacancy`` per place."""
    index, _built = run_chunks.index_for(run)
    setting = Setting.of(run.configuration)
    best = BestScores()
    result = []
    for pk, record in chunk.places:
        place = run_chunks.vacancy_from(record)
        kept = run_chunks.per_place(place.places)
        matches = index.top_for_vacancy(place, max(kept, fairness.RANKED))
        best.add([(m.id, m.score) for m in matches])
        result.append([pk, [asdict(m) for m in setting.keep(matches[:kept])]])
    # As stored (JSON).
    return json.loads(json.dumps([result, best.best]))


@pytest.mark.django_db
def test_a_part_in_blocks_stores_what_one_place_at_a_time_stored(part, monkeypatch):
    run, chunk_id = part
    chunk = MatchRunChunk.objects.select_related("run__configuration").get(pk=chunk_id)
    expected_result, expected_best = _one_place_at_a_time(run, chunk)
    assert any(matches for _pk, matches in expected_result)
    written = []
    real = run_chunks._progress

    def progress(r):
        written.append(MatchRunChunk.objects.get(pk=chunk_id).places_done)
        return real(r)

    monkeypatch.setattr(run_chunks, "_progress", progress)
    assert run_chunks.rank_chunk(chunk_id) is True  # its only part
    chunk.refresh_from_db()
    assert chunk.status == "done"
    assert chunk.result == expected_result
    assert chunk.best == expected_best
    assert written == [3, 6, 8, 8]  # after each block of three, then when it is done


@pytest.mark.django_db
def test_a_part_stops_between_blocks_once_the_run_is_cancelled(part, monkeypatch):
    run, chunk_id = part
    blocks = []
    real = CandidateIndex.top_blocks

    def ranking(self, *args, **kwargs):
        for block in real(self, *args, **kwargs):
            blocks.append(len(block))
            if len(blocks) == 2:  # cancelled while the second block was ranked
                MatchRun.objects.filter(pk=run.pk).update(status="cancelled")
            yield block

    monkeypatch.setattr(CandidateIndex, "top_blocks", ranking)
    assert run_chunks.rank_chunk(chunk_id) is False
    assert blocks == [3, 3]  # the third block is not ranked
    chunk = MatchRunChunk.objects.get(pk=chunk_id)
    assert (chunk.status, chunk.places_done, chunk.result) == ("running", 6, [])
