"""A part of a run is claimed by the worker that ranks it (``MatchRunChunk.heartbeat_at``,
renewed at every progress step): a second delivery of the part, of the run's start or a
resume tick (``matching.resume_runs``) leaves a part a worker ranks now alone — it is not
ranked twice and not counted as an attempt — and queues again only a part whose claim has
expired (its worker was lost) or that was never claimed. All in this process: the tasks are
called directly, nothing is queued."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.matching import tasks
from perspectief.matching.engine.candidate_index import CandidateIndex
from perspectief.matching.models import MatchRun, MatchRunChunk
from perspectief.matching.services import run_chunks
from perspectief.matching.services import runs as run_services

from .test_distributed_run import people, places

NOTHING = {"started": 0, "parts": 0, "finished": 0}


@pytest.fixture
def queued(monkeypatch):
    """What the tasks queue, kept here instead of run eagerly."""
    kept: dict[str, list] = {"start": [], "part": [], "finish": []}
    for module in (run_services, tasks):
        monkeypatch.setattr(module, "run_chunk", SimpleNamespace(delay=kept["part"].append))
        monkeypatch.setattr(module, "finish_run", SimpleNamespace(delay=kept["finish"].append))
    monkeypatch.setattr(run_services, "run_matching", SimpleNamespace(delay=kept["start"].append))
    return kept


@pytest.fixture
def waiting(world, esco, make_member, settings, django_capture_on_commit_callbacks):
    """A run of two parts whose start task has not been delivered yet."""
    settings.MATCHING_RUN_CHUNK = 1
    places(world, esco, count=2)
    people(esco, make_member, count=3)
    with django_capture_on_commit_callbacks(execute=False):
        return run_services.run_start(actor=actor_for(make_member("accountmanager")))


def _quiet(run: MatchRun, seconds: float = 3600) -> None:
    MatchRun.objects.filter(pk=run.pk).update(
        updated_at=timezone.now() - timedelta(seconds=seconds)
    )


@pytest.mark.django_db
def test_a_run_started_late_is_not_taken_as_stalled(waiting, queued, settings):
    _quiet(waiting, settings.MATCHING_RUN_RESUME_AFTER + 60)  # waited long in a busy queue
    before = timezone.now()
    claimed = {}
    real_prepare = run_chunks.prepare

    def prepare(run, *, actor):
        claimed["updated_at"] = MatchRun.objects.get(pk=run.pk).updated_at
        return real_prepare(run, actor=actor)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(run_chunks, "prepare", prepare)
        tasks.run_matching(waiting.pk)  # delivered at last
    assert claimed["updated_at"] >= before  # the claim itself marks the run as moving
    assert len(queued["part"]) == 2
    assert tasks.resume_runs() == NOTHING
    assert queued["start"] == []


@pytest.mark.django_db
def test_a_part_a_worker_ranks_now_is_neither_queued_again_nor_an_attempt(
    waiting, queued, monkeypatch
):
    chunk_ids = run_services.start(waiting, actor=run_services.run_actor(waiting))
    first, second = chunk_ids
    seen: dict = {}
    real = CandidateIndex.top_blocks

    def ranking(self, *args, **kwargs):
        if not seen:  # while worker w1 ranks the first part:
            seen["busy"] = True
            seen["again"] = run_chunks.rank_chunk(first, worker="w2")  # delivered twice
            seen["attempts"] = MatchRunChunk.objects.get(pk=first).attempts
            tasks.run_matching(waiting.pk)  # the start delivered a second time
            seen["started_again"] = list(queued["part"])
            _quiet(waiting)
            seen["resumed"] = tasks.resume_runs()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(CandidateIndex, "top_blocks", ranking)
    assert run_chunks.rank_chunk(first, worker="w1") is False
    assert seen["again"] is False and seen["attempts"] == 1
    assert seen["started_again"] == [second]  # not the part w1 ranks
    assert seen["resumed"] == {"started": 0, "parts": 1, "finished": 0}
    chunk = MatchRunChunk.objects.get(pk=first)
    assert (chunk.status, chunk.attempts, chunk.worker) == ("done", 1, "w1")

    # A part at its last attempt that a worker ranks now: a delivery more does not fail the run.
    MatchRunChunk.objects.filter(pk=second).update(
        status="running", attempts=run_chunks.MAX_ATTEMPTS, heartbeat_at=timezone.now()
    )
    assert run_chunks.rank_chunk(second, worker="w3") is False
    waiting.refresh_from_db()
    assert waiting.status == "running"
    assert MatchRunChunk.objects.get(pk=second).attempts == run_chunks.MAX_ATTEMPTS


@pytest.mark.django_db
def test_a_part_whose_claim_expired_is_queued_again_and_ranked_once(waiting, queued, settings):
    first, second = run_services.start(waiting, actor=run_services.run_actor(waiting))
    assert run_chunks.rank_chunk(first) is False
    # The worker ranking the second part was lost long ago; nothing moved since.
    lost = timezone.now() - timedelta(seconds=settings.MATCHING_RUN_RESUME_AFTER + 60)
    MatchRunChunk.objects.filter(pk=second).update(
        status="running", attempts=1, worker="lost", heartbeat_at=lost
    )
    _quiet(waiting)
    assert tasks.resume_runs() == {"started": 0, "parts": 1, "finished": 0}
    assert queued["part"] == [second]
    assert run_chunks.rank_chunk(second, worker="w2") is True  # the last part
    assert run_chunks.rank_chunk(second, worker="w3") is True  # delivered twice: done already
    chunk = MatchRunChunk.objects.get(pk=second)
    assert (chunk.status, chunk.attempts, chunk.worker) == ("done", 2, "w2")
    _quiet(waiting)
    assert tasks.resume_runs() == {"started": 0, "parts": 0, "finished": 1}


@pytest.mark.django_db
def test_a_part_that_raised_is_released_for_its_retry(waiting, queued, monkeypatch):
    first, _second = run_services.start(waiting, actor=run_services.run_actor(waiting))

    def broken(self, *args, **kwargs):
        raise RuntimeError("engine")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CandidateIndex, "top_blocks", broken)
        with pytest.raises(RuntimeError):
            run_chunks.rank_chunk(first)
    assert MatchRunChunk.objects.get(pk=first).heartbeat_at is None
    assert run_chunks.rank_chunk(first) is False  # the retry ranks it at once
    chunk = MatchRunChunk.objects.get(pk=first)
    assert (chunk.status, chunk.attempts) == ("done", 2)
