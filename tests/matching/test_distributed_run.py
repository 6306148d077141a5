"""A matching run shared by several workers stores exactly what a run in one process stores —
also when a worker dies halfway through its part — and a run can be cancelled.

The test with real workers starts two ``celery worker`` processes against the machine's Redis
and the test database; it runs on PostgreSQL (CI) and is skipped on SQLite, whose test
database pytest-django keeps in memory, out of the workers' reach."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from celery import Celery
from django.core.exceptions import ValidationError
from django.db import connection

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.core.exceptions import PermissionDeniedError
from perspectief.matching.models import (
    MatchRun,
    MatchRunChunk,
    MatchRunSnapshot,
    MatchSuggestion,
    RunScore,
)
from perspectief.matching.services import run_chunks
from perspectief.matching.services import runs as run_services
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.models import Vacancy, VacancySkill
from tests.conftest import matchable_person, redis_reachable
from tests.factories import OrganisationFactory

ROOT = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/7"
#: Places per part in the workers' runs (the run in one process keeps one part of 200).
CHUNK = 3


def places(world, esco, count=8):
    occupation, skills = esco
    for i in range(count):
        employer = EmployerAccount.objects.create(
            organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
            kvk_number=f"5656{i:04d}",
        )
        place = Vacancy.objects.create(
            employer=employer,
            title=f"Plek {i}",
            place_type="job",
            occupation=occupation,
            hours_per_week=24 + i,
            contract="vast",
            postcode=world.amsterdam.postcodes.first(),
            places=1 + i % 3,
            status="open",
        )
        for j, skill in enumerate(skills):
            if (i + j) % 3 != 2:
                VacancySkill.objects.create(
                    vacancy=place, skill=skill, relation="essential" if j != i % 3 else "optional"
                )


def people(esco, make_member, count=9):
    _occupation, skills = esco
    km = make_member("klantmanager")
    for i in range(count):
        matchable_person(km, skills[: i % 4], last_name=f"Persoon{i}", hours_per_week=20 + 2 * i)


def stored(run: MatchRun) -> dict:
    """What a run stores, without what differs between any two runs (ids, times)."""
    run.refresh_from_db()
    suggestions = list(
        MatchSuggestion.objects.filter(run=run)
        .order_by("vacancy_id", "rank")
        .values(
            "vacancy_id",
            "candidate_id",
            "rank",
            "score",
            "assigned",
            "contributions",
            "missing",
            "related",
            "occupation_via",
        )
    )
    scores = list(
        RunScore.objects.filter(run=run)
        .order_by("candidate_id")
        .values_list("candidate_id", "score", "best_rank")
    )
    return {
        "status": run.status,
        "figures": (
            run.places_total,
            run.places_done,
            run.candidates,
            run.suggestions_count,
            run.assigned,
            run.total_score,
        ),
        "suggestions": suggestions,
        "scores": scores,
    }


# -- in one process (the embedded default: tasks run eagerly) -----------------------------


@pytest.mark.django_db
def test_a_run_in_parts_stores_what_a_run_in_one_part_stores(
    world, esco, make_member, settings, django_capture_on_commit_callbacks
):
    places(world, esco)
    people(esco, make_member)
    am = actor_for(make_member("accountmanager"))
    whole = run_services.run_start(actor=am)  # not committed in this test: run it here
    run_services.execute(whole, actor=run_services.run_actor(whole))
    settings.MATCHING_RUN_CHUNK = CHUNK
    with django_capture_on_commit_callbacks(execute=True):
        parts = run_services.run_start(actor=am)  # the tasks, run eagerly
    assert MatchRunChunk.objects.filter(run=parts).count() == 3  # 8 places in parts of 3
    expected, got = stored(whole), stored(parts)
    assert got["status"] == "done" and got["suggestions"] and got["scores"]
    assert got == expected
    # The people read for the run are not kept once it is stored.
    assert not MatchRunChunk.objects.filter(run=parts).exclude(result=[]).exists()
    assert not MatchRunSnapshot.objects.filter(run=parts).exists()


@pytest.mark.django_db
def test_a_run_can_be_cancelled_by_who_may_start_runs(
    world, esco, make_member, django_capture_on_commit_callbacks
):
    places(world, esco, count=2)
    people(esco, make_member, count=2)
    am = actor_for(make_member("accountmanager"))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        run = run_services.run_start(actor=am)
    with pytest.raises(PermissionDeniedError):
        run_services.run_cancel(actor=actor_for(make_member("klantmanager")), run=run)
    run_services.run_cancel(actor=am, run=run)
    for callback in queued:  # the queued start task arrives after the cancel: it does nothing
        callback()
    run.refresh_from_db()
    assert run.status == "cancelled" and not MatchSuggestion.objects.filter(run=run).exists()
    assert AuditEvent.objects.filter(event="match_run.cancelled").count() == 1
    with pytest.raises(ValidationError):
        run_services.run_cancel(actor=am, run=run)
    # A part of a cancelled run stops without storing anything.
    running = MatchRun.objects.create(
        region=run.region, started_for=run.started_for, status="running"
    )
    chunk = MatchRunChunk.objects.create(run=running, number=0, places=[])
    MatchRun.objects.filter(pk=running.pk).update(status="cancelled")
    assert run_chunks.rank_chunk(chunk.pk) is False
    chunk.refresh_from_db()
    assert chunk.status == "pending" and chunk.attempts == 0


# -- on two real workers ---------------------------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def start_workers(tmp_path, broker: str = BROKER, **env_extra: str):
    """Two worker processes (``--concurrency=1``) on ``broker`` and the test database."""
    client = Celery("perspectief-test-client", broker=broker, set_as_current=False)
    with client.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # no task left over from an earlier test
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "perspectief.conf.test",
        "DATABASE_URL": _database_url(),
        "PERSPECTIEF_CELERY_EAGER": "false",
        "PERSPECTIEF_CELERY_BROKER_URL": broker,
        "PERSPECTIEF_MATCHING_RUN_CHUNK": str(CHUNK),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        **env_extra,
    }
    procs = {}
    for name in ("w1@test", "w2@test"):
        log = (tmp_path / f"{name}.log").open("w")
        procs[name] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.matching.celery_workers",
                "worker",
                "--concurrency=1",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO",
                "-n",
                name,
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed with its pool child
        )
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            answered = {h for reply in client.control.ping(timeout=1.0) for h in reply}
            if answered >= set(procs):
                break
        else:
            pytest.fail("the workers did not start:\n" + _logs(tmp_path))
        yield SimpleNamespace(client=client, procs=procs, logs=lambda: _logs(tmp_path))
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        with contextlib.suppress(Exception), client.connection_for_write() as conn:
            conn.default_channel.client.flushdb()


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "the workers need the test database from outside this process: run on "
            "PostgreSQL (SQLite's test database is in memory)"
        )


@pytest.fixture
def workers(tmp_path):
    """Two worker processes on Redis db 7 of the machine's Redis and the test database."""
    needs_postgresql()
    if not redis_reachable():
        pytest.skip("Redis is not reachable at 127.0.0.1:6379 (the workers' broker)")
    # A killed worker's part is delivered again after the visibility timeout (12 s): its
    # claim has expired by then, so the other worker ranks it (``run_chunks.rank_chunk``).
    with start_workers(tmp_path, PERSPECTIEF_MATCHING_RUN_RESUME_AFTER="5") as started:
        yield started


def _logs(tmp_path) -> str:
    return "\n".join(p.read_text()[-3000:] for p in sorted(tmp_path.glob("*.log")))


def wait_for(run: MatchRun, workers, seconds=40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status not in ("pending", "running"):
            return
        time.sleep(0.2)
    pytest.fail(f"the run is still {run.status}:\n" + workers.logs())


# Runs beside the other multi-process tests, never at the same time (pytest-xdist).
@pytest.mark.xdist_group("processes")
@pytest.mark.django_db(transaction=True)
def test_workers_store_what_one_process_stores_also_when_one_dies(
    world, esco, make_member, workers, monkeypatch
):
    places(world, esco)
    people(esco, make_member)
    am = actor_for(make_member("accountmanager"))
    # The run in one process: committed at once here, so the start task runs eagerly.
    expected = stored(run_services.run_start(actor=am))
    assert expected["status"] == "done" and expected["suggestions"]
    # From here on the start task goes to the workers instead of running in this process.
    monkeypatch.setattr(
        run_services,
        "run_matching",
        SimpleNamespace(
            delay=lambda run_id: workers.client.send_task("matching.run_matching", [run_id])
        ),
    )

    shared = run_services.run_start(actor=am)
    wait_for(shared, workers)
    assert stored(shared) == expected, workers.logs()
    chunks = MatchRunChunk.objects.filter(run=shared)
    assert chunks.count() == 3 and {c.worker for c in chunks} <= set(workers.procs)

    # A worker killed while it ranks a part: Redis gives the part to the other worker.
    interrupted = run_services.run_start(actor=am)
    deadline = time.monotonic() + 30
    busy = None
    while busy is None and time.monotonic() < deadline:
        busy = (
            MatchRunChunk.objects.filter(run=interrupted, status="running")
            .exclude(worker="")
            .first()
        )
        time.sleep(0.05)
    assert busy is not None, workers.logs()
    killed = busy.worker
    os.killpg(workers.procs[killed].pid, signal.SIGKILL)
    wait_for(interrupted, workers)
    assert stored(interrupted) == expected, workers.logs()
    busy.refresh_from_db()
    assert busy.status == "done" and busy.attempts >= 2  # delivered again
    assert busy.worker != killed and busy.worker in workers.procs
