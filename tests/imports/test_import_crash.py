"""An import whose worker dies (security promise 14): the batches written are whole, the job
is found interrupted (its lease runs out) and says what was stored, the upload is never in
the database in plain text and not kept longer than a day, and the import resumes from the
last committed batch without duplicates. A Celery redelivery is handled, not swallowed.

The kill is real: the import runs in a subprocess (the Celery task, as a worker runs it)
that is SIGKILLed in the middle of a batch's transaction. The subprocess reaches the test
database: on PostgreSQL the committed test database itself (transactional test), on SQLite
a file copy of the in-memory test database that is copied back after the kill.
"""

import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from perspectief.candidates import import_writer
from perspectief.candidates.models import Candidate
from perspectief.celery import app
from perspectief.imports import runner
from perspectief.imports.models import ImportJob
from perspectief.imports.tasks import import_actor, run_import

from ..conftest import sign_in

SRC = Path(__file__).resolve().parents[2] / "src"
HEADER = "bsn;voornaam;achternaam;geboortedatum;postcode"
ROWS = 50
BATCH = 10
KILLED_IN_BATCH = 4  # three batches (30 rows) committed, the fourth half-written

WORKER = r"""
import sys, time
import django
django.setup()
from perspectief.candidates import import_writer
from perspectief.imports import runner
from perspectief.imports.tasks import run_import

runner.BATCH_SIZE = int(sys.argv[2])
original = import_writer.BatchWriter.write
calls = {"n": 0}

def write(self, rows, counts):
    calls["n"] += 1
    refused = original(self, rows, counts)
    if calls["n"] == int(sys.argv[3]):
        print("mid-batch", flush=True)  # this batch's rows are written, not committed
        time.sleep(300)
    return refused

import_writer.BatchWriter.write = write
run_import(int(sys.argv[1]))
print("finished", flush=True)
"""


def bsn_for(n: int) -> str:
    """The n-th nine-digit number passing the elfproef (test data)."""
    base = 100_000_000 + n * 97
    while True:
        digits = f"{base:09d}"
        total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
        if (total - int(digits[8])) % 11 == 0:
            return digits
        base += 1


def _file(rows=ROWS) -> tuple[bytes, list[str]]:
    bsns = [bsn_for(i) for i in range(rows)]
    lines = [f"{b};Persoon{i};Achternaam{i};1990-01-01;1011" for i, b in enumerate(bsns)]
    return ("\n".join([HEADER, *lines]) + "\n").encode(), bsns


def _raw_job_row(job) -> bytes:
    """Everything the database holds for the job, as bytes (whatever the columns are)."""
    table = ImportJob._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [job.pk])
        row = cursor.fetchone()
    return b"|".join(
        bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
        for value in row
    )


class SharedDatabase:
    """The test database as a subprocess can reach it."""

    def __init__(self, tmp_path):
        self.sqlite = connection.vendor == "sqlite"
        self.path = tmp_path / "shared.sqlite3"

    def url(self) -> str:
        if self.sqlite:
            connection.ensure_connection()
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.close()
            return f"sqlite:///{self.path}"
        s = connection.settings_dict
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"

    def take_back(self) -> None:
        """After the subprocess: its committed writes into the test database (SQLite)."""
        if self.sqlite:
            source = sqlite3.connect(self.path)
            source.backup(connection.connection)
            source.close()


def _kill_half_way(job, shared: SharedDatabase) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "perspectief.conf.test",
        "DATABASE_URL": shared.url(),
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(job.pk), str(BATCH), str(KILLED_IN_BATCH)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        line = ""
        while time.monotonic() < deadline and worker.poll() is None:
            ready, _w, _x = select.select([worker.stdout], [], [], 1)
            if ready:
                line = worker.stdout.readline().strip()
                break
        assert line == "mid-batch", worker.stderr.read() if worker.poll() is not None else line
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    shared.take_back()


@pytest.fixture
def klantmanager(make_member):
    return make_member("klantmanager")


# Runs beside the other multi-process tests, never at the same time (pytest-xdist).
@pytest.mark.xdist_group("processes")
@pytest.mark.django_db(transaction=True)
def test_a_killed_import_is_found_interrupted_and_resumes_without_duplicates(
    client, klantmanager, tmp_path, django_capture_on_commit_callbacks
):
    content, bsns = _file()
    job = ImportJob.objects.create(
        organisation=klantmanager.organisation,
        started_by=klantmanager.user,
        filename="klanten.csv",
        content=content,
        channel="web",
    )
    for bsn in bsns[:3]:  # the upload is never in the database in plain text
        assert bsn.encode() not in _raw_job_row(job)

    _kill_half_way(job, SharedDatabase(tmp_path))

    # The batches committed before the kill are whole; nothing of the half-written one.
    assert Candidate.objects.count() == (KILLED_IN_BATCH - 1) * BATCH
    for candidate in Candidate.objects.all():
        assert candidate.servings.count() == 1
    job.refresh_from_db()
    assert job.processed_rows == job.created == (KILLED_IN_BATCH - 1) * BATCH
    assert all(bsn.encode() not in _raw_job_row(job) for bsn in bsns)

    # Once the worker's lease has run out, the periodic watch finds the job interrupted.
    assert "candidates.watch_imports" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    later = timezone.now() + timedelta(seconds=settings.IMPORT_LEASE_SECONDS + 60)
    with time_machine.travel(later, tick=False):
        app.tasks["candidates.watch_imports"]()
    job.refresh_from_db()
    assert job.status == "interrupted"
    assert job.upload_encrypted  # kept (encrypted) so the import can resume

    # The page says so, with what was stored, and offers to resume; it no longer polls.
    sign_in(client, klantmanager.user)
    page = client.get(reverse("candidates:import-detail", args=[job.uuid])).content.decode()
    assert "<strong>onderbroken</strong>" in page
    assert "onderbroken na 30 van 50 rijen" in page and "30 nieuw" in page
    assert 'hx-trigger="every' not in page  # the header's inbox count loads once
    resume = reverse("candidates:import-resume", args=[job.uuid])
    assert resume in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resume)
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.created) == ("done", ROWS, ROWS)
    assert job.upload_encrypted is None  # dropped once the import is done
    assert Candidate.objects.count() == ROWS
    assert Candidate.objects.values("bsn_index").distinct().count() == ROWS

    # A redelivered task for the finished job changes nothing and says why.
    report = run_import(job.pk)
    assert report["status"] == "done" and report["redelivered"] == "finished"
    assert Candidate.objects.count() == ROWS


def _job(organisation, rows=25):
    content, _bsns = _file(rows)
    return ImportJob.objects.create(
        organisation=organisation, filename="klanten.csv", content=content, channel="test"
    )


@pytest.mark.django_db
def test_the_upload_is_stored_encrypted(klantmanager):
    content, bsns = _file(3)
    job = ImportJob.objects.create(
        organisation=klantmanager.organisation, filename="k.csv", content=content
    )
    raw = _raw_job_row(job)
    assert not any(bsn.encode() in raw for bsn in bsns)
    assert b"Persoon1" not in raw
    job.refresh_from_db()
    assert job.content == content  # the runner reads it back


@pytest.mark.django_db
def test_a_redelivered_task_of_a_running_job_leaves_it_to_its_worker(klantmanager, caplog):
    job = _job(klantmanager.organisation)
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    with caplog.at_level("WARNING", logger="perspectief"):
        report = run_import(job.pk)
    assert report["status"] == "running" and report["redelivered"] == "running"
    assert "still running" in caplog.text
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_a_redelivered_task_of_a_dead_worker_resumes_the_job(klantmanager, monkeypatch):
    """Celery redelivers the task of a worker that died (acks_late): the job resumes."""
    monkeypatch.setattr(runner, "BATCH_SIZE", 10)
    job = _job(klantmanager.organisation)
    original = import_writer.BatchWriter.write
    calls = {"n": 0}

    def dies_in_second_batch(self, rows, counts):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker lost")  # like a killed worker: not an import error
        return original(self, rows, counts)

    monkeypatch.setattr(import_writer.BatchWriter, "write", dies_in_second_batch)
    with pytest.raises(SystemExit):
        run_import(job.pk)
    job.refresh_from_db()
    assert (job.status, job.processed_rows) == ("interrupted", 10)
    assert job.upload_encrypted
    monkeypatch.setattr(import_writer.BatchWriter, "write", original)
    report = run_import(job.pk)
    assert report["status"] == "done" and report["created"] == 25
    assert Candidate.objects.count() == 25


@pytest.mark.django_db
def test_a_worker_that_lost_its_lease_stops_without_writing(klantmanager, monkeypatch):
    """A worker too slow for its lease: the job was taken over; its next batch is not kept."""
    monkeypatch.setattr(runner, "BATCH_SIZE", 10)
    job = _job(klantmanager.organisation)

    def taken_over(current):
        if current.processed_rows == 10:
            ImportJob.objects.filter(pk=current.pk).update(
                status="interrupted", attempt=current.attempt + 1
            )

    with pytest.raises(runner.ImportLeaseLost):
        runner.run(
            job,
            actor=import_actor(klantmanager.organisation, None, channel="test"),
            progress=taken_over,
        )
    job.refresh_from_db()
    assert (job.status, job.processed_rows) == ("interrupted", 10)
    assert Candidate.objects.count() == 10


@pytest.mark.django_db
def test_the_retention_removes_any_upload_older_than_a_day(klantmanager):
    now = timezone.now()
    pending, running, interrupted, fresh = (_job(klantmanager.organisation) for _ in range(4))
    ImportJob.objects.filter(pk=running.pk).update(status="running", heartbeat_at=now)
    ImportJob.objects.filter(pk=interrupted.pk).update(status="interrupted", processed_rows=10)
    ImportJob.objects.exclude(pk=fresh.pk).update(created_at=now - timedelta(hours=25))
    app.tasks["candidates.watch_imports"]()
    for job in (pending, running, interrupted):
        job.refresh_from_db()
        assert job.upload_encrypted is None
        assert job.status == "failed" and "24" in job.error
    fresh.refresh_from_db()
    assert fresh.upload_encrypted and fresh.status == "pending"
