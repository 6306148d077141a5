"""Faults during a matching run: the broker (Redis) restarted mid-run loses the queued parts —
Celery cannot bring back a queue Redis no longer has — and the platform queues them again
(``matching.resume_runs``); the run completes with what a run in one process stores, and never
ends half-written.

The test with real workers runs its own ``redis-server`` on port 6391 (never the machine's
Redis, which others use) and, like test_distributed_run.py, needs PostgreSQL."""

import shutil
import socket
import subprocess
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.matching.models import MatchRun, MatchRunChunk, MatchRunSnapshot, MatchSuggestion
from perspectief.matching.services import run_chunks
from perspectief.matching.services import runs as run_services
from perspectief.matching.tasks import resume_runs

from .test_distributed_run import (
    needs_postgresql,
    people,
    places,
    start_workers,
    stored,
    wait_for,
)

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
PORT = 6391
BROKER = f"redis://127.0.0.1:{PORT}/0"


def _quiet(run: MatchRun, seconds: float = 3600) -> None:
    MatchRun.objects.filter(pk=run.pk).update(
        updated_at=timezone.now() - timedelta(seconds=seconds)
    )


# -- in one process --------------------------------------------------------------------------


@pytest.mark.django_db
def test_parts_the_broker_lost_are_queued_again_and_the_run_completes(
    world, esco, make_member, settings, django_capture_on_commit_callbacks, monkeypatch
):
    places(world, esco)
    people(esco, make_member)
    am = actor_for(make_member("accountmanager"))
    with django_capture_on_commit_callbacks(execute=True):
        whole = run_services.run_start(actor=am)
    expected = stored(whole)
    assert expected["status"] == "done" and expected["suggestions"]
    settings.MATCHING_RUN_CHUNK = 3

    # The start task lost (the broker was down when the run was queued): it waits.
    with django_capture_on_commit_callbacks(execute=False):
        waiting = run_services.run_start(actor=am)
    assert resume_runs() == {"started": 0, "parts": 0, "finished": 0}  # not quiet long enough
    _quiet(waiting)
    assert resume_runs() == {"started": 1, "parts": 0, "finished": 0}
    assert stored(waiting) == expected
    assert resume_runs() == {"started": 0, "parts": 0, "finished": 0}

    # A run started, its parts queued, one ranked, and the queue lost: nothing moves.
    with django_capture_on_commit_callbacks(execute=False):
        running = run_services.run_start(actor=am)
    monkeypatch.setattr(run_chunks, "SNAPSHOT_PART", 4)  # the people in parts, as nationally
    chunk_ids = run_services.start(running, actor=run_services.run_actor(running))
    assert len(chunk_ids) == 3
    assert [len(s.people) for s in MatchRunSnapshot.objects.filter(run=running)] == [4, 4, 1]
    assert run_chunks.rank_chunk(chunk_ids[0]) is False
    _quiet(running)
    assert resume_runs() == {"started": 0, "parts": 2, "finished": 0}
    assert stored(running) == expected  # ranked against every part of the snapshot
    assert not MatchRunSnapshot.objects.filter(run=running).exists()
    assert MatchRunChunk.objects.get(pk=chunk_ids[0]).attempts == 1  # not ranked again


@pytest.mark.django_db
def test_a_run_whose_finishing_step_was_lost_is_finished(
    world, esco, make_member, django_capture_on_commit_callbacks
):
    places(world, esco, count=2)
    people(esco, make_member, count=2)
    am = actor_for(make_member("accountmanager"))
    with django_capture_on_commit_callbacks(execute=False):
        run = run_services.run_start(actor=am)
    for chunk_id in run_services.start(run, actor=run_services.run_actor(run)):
        run_chunks.rank_chunk(chunk_id)  # the finishing step never queued
    run.refresh_from_db()
    assert run.status == "running" and not MatchSuggestion.objects.filter(run=run).exists()
    _quiet(run)
    assert resume_runs() == {"started": 0, "parts": 0, "finished": 1}
    run.refresh_from_db()
    assert run.status == "done" and MatchSuggestion.objects.filter(run=run).exists()


# -- Redis restarted under two real workers --------------------------------------------------


def _listening() -> bool:
    try:
        socket.create_connection(("127.0.0.1", PORT), timeout=0.5).close()
    except OSError:
        return False
    return True


def _redis(tmp_path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [REDIS_SERVER, "--port", str(PORT), "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=(tmp_path / "redis.log").open("a"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 10
    while not _listening():
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("redis-server did not start:\n" + (tmp_path / "redis.log").read_text())
        time.sleep(0.05)
    return proc


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own on port 6391, without persistence: restarted, it
    has lost every queued task."""
    needs_postgresql()
    if not Path(REDIS_SERVER).exists():
        pytest.skip("redis-server is not installed")
    if _listening():
        pytest.skip(f"port {PORT} is in use")
    state = SimpleNamespace(proc=_redis(tmp_path))

    def restart() -> None:
        state.proc.kill()  # as a crash: nothing is saved
        state.proc.wait(timeout=10)
        time.sleep(1.0)  # the workers notice the broker is gone
        state.proc = _redis(tmp_path)

    state.restart = restart
    try:
        yield state
    finally:
        state.proc.kill()
        state.proc.wait(timeout=10)


# Runs beside the other multi-process tests, never at the same time (pytest-xdist).
@pytest.mark.xdist_group("processes")
@pytest.mark.django_db(transaction=True)
def test_a_run_completes_after_redis_restarted_mid_run(
    world, esco, make_member, own_redis, tmp_path, monkeypatch
):
    places(world, esco)
    people(esco, make_member)
    am = actor_for(make_member("accountmanager"))
    expected = stored(run_services.run_start(actor=am))  # in this process (eager)
    assert expected["status"] == "done" and expected["suggestions"]

    with start_workers(tmp_path, BROKER, PERSPECTIEF_MATCHING_RUN_RESUME_AFTER="3") as workers:
        monkeypatch.setattr(
            run_services,
            "run_matching",
            SimpleNamespace(
                delay=lambda run_id: workers.client.send_task("matching.run_matching", [run_id])
            ),
        )
        run = run_services.run_start(actor=am)
        deadline = time.monotonic() + 30
        while not (
            MatchRunChunk.objects.filter(run=run, status="running").exclude(worker="").exists()
        ):
            assert time.monotonic() < deadline, workers.logs()
            time.sleep(0.05)
        own_redis.restart()  # the parts still queued are gone
        assert MatchRunChunk.objects.filter(run=run).exclude(status="done").exists()

        # Beat, each few seconds instead of each minute: what was lost is queued again.
        deadline = time.monotonic() + 45
        run.refresh_from_db()
        while run.status in ("pending", "running"):
            assert time.monotonic() < deadline, f"still {run.status}:\n" + workers.logs()
            # Never half-written: a run not done has stored no suggestion.
            assert not MatchSuggestion.objects.filter(run=run).exists()
            try:
                workers.client.send_task("matching.resume_runs")
            except Exception:  # the client connects again on the next call
                pass
            time.sleep(2)
            run.refresh_from_db()
        wait_for(run, workers, seconds=5)
        assert stored(run) == expected, workers.logs()
