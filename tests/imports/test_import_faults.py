"""Imports at national scale (issue #20): the database connection dropping during an import
(the batch in flight rolls back; the batch is written again on a new connection, or the job
stops interrupted saying exactly which rows are stored — nothing lost, nothing twice), the
upload stored and read a piece at a time, and the duplicate check that stays small."""

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from perspectief.audit.models import AccessRecord, AuditEvent
from perspectief.candidates import import_writer
from perspectief.candidates.models import Candidate
from perspectief.imports import runner, services, upload
from perspectief.imports.models import ImportJob, ImportRejection, UploadChunk
from perspectief.imports.rows import SeenKeys
from perspectief.imports.tasks import import_actor

from .test_import_crash import _file, _raw_job_row

ROWS, BATCH = 50, 10


@pytest.fixture
def organisation(make_member):
    return make_member("klantmanager").organisation


@pytest.fixture
def quick(monkeypatch):
    """Batches of ten, and no pauses before a batch is written again."""
    monkeypatch.setattr(runner, "BATCH_SIZE", BATCH)
    monkeypatch.setattr(runner, "RETRY_PAUSES", (0.0, 0.0, 0.0))


def _job(organisation, rows=ROWS):
    content, _bsns = _file(rows)
    job = ImportJob.objects.create(organisation=organisation, filename="k.csv", channel="test")
    upload.store(job, content)
    return job


def _fail_writes(monkeypatch, *, calls):
    """The database fails while a batch is written, on the given calls of the writer
    (after the batch's rows went in, before the commit)."""
    original, seen = import_writer.BatchWriter.write, {"n": 0}

    def write(self, rows, counts):
        seen["n"] += 1
        refused = original(self, rows, counts)
        if seen["n"] in calls:
            raise OperationalError("server closed the connection unexpectedly")
        return refused

    monkeypatch.setattr(import_writer.BatchWriter, "write", write)


def _run(job):
    runner.run(job, actor=import_actor(job.organisation, None, channel="test"))


def _stored(organisation):
    """What the import left: people, their servings, audit events, access records."""
    people = Candidate.objects.served_by(organisation)
    return (
        people.count(),
        people.values("bsn_index").distinct().count(),
        AuditEvent.objects.filter(event="candidate.registered").count(),
        AccessRecord.objects.filter(activity="candidate.import").count(),
    )


@pytest.mark.django_db
def test_a_batch_whose_connection_failed_is_written_again_once(organisation, quick, monkeypatch):
    _fail_writes(monkeypatch, calls={3})  # the third batch rolls back, then goes again
    job = _job(organisation)
    _run(job)
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.created, job.rejected) == ("done", ROWS, ROWS, 0)
    assert _stored(organisation) == (ROWS, ROWS, ROWS, ROWS)


@pytest.mark.django_db
def test_a_connection_that_stays_down_leaves_the_job_interrupted_with_what_is_stored(
    organisation, quick, monkeypatch
):
    _fail_writes(monkeypatch, calls=set(range(3, 100)))  # from the third batch on
    job = _job(organisation)
    with pytest.raises(OperationalError):
        _run(job)
    job.refresh_from_db()
    # Exactly the two committed batches are stored, counted and logged; nothing of the third.
    assert job.status == "interrupted" and job.resumable
    assert (job.processed_rows, job.created) == (2 * BATCH, 2 * BATCH)
    assert "onderbroken" in job.error and "resume" in job.error
    assert _stored(organisation) == (2 * BATCH,) * 4
    assert UploadChunk.objects.filter(job=job).exists()  # kept: the import can resume

    monkeypatch.undo()
    monkeypatch.setattr(runner, "BATCH_SIZE", BATCH)
    services.resume(actor=import_actor(organisation, None, channel="test"), job=job)
    job.refresh_from_db()
    assert job.status == "pending"
    _run(job)
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.created) == ("done", ROWS, ROWS)
    assert _stored(organisation) == (ROWS, ROWS, ROWS, ROWS)  # nothing twice
    assert not UploadChunk.objects.filter(job=job).exists()  # dropped once done


@pytest.mark.django_db
def test_a_connection_lost_after_the_commit_does_not_write_the_batch_twice(
    organisation, quick, monkeypatch
):
    original, seen = runner.Batches._write_batch, {"n": 0}

    def write_batch(self):
        seen["n"] += 1
        original(self)
        if seen["n"] == 2:  # committed, but the answer never came
            raise OperationalError("connection lost after COMMIT")

    monkeypatch.setattr(runner.Batches, "_write_batch", write_batch)
    job = _job(organisation)
    _run(job)
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.created, job.unchanged) == ("done", ROWS, ROWS, 0)
    assert _stored(organisation) == (ROWS, ROWS, ROWS, ROWS)


@pytest.mark.django_db(transaction=True)
def test_postgresql_connection_terminated_mid_import(organisation, quick, monkeypatch):
    """For real: another connection ends the import's connection (pg_terminate_backend)
    while a batch is being written; the import reconnects and writes that batch again."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    original, seen = import_writer.BatchWriter.write, {"n": 0}

    def write(self, rows, counts):
        seen["n"] += 1
        refused = original(self, rows, counts)
        if seen["n"] == 3:
            pid = connection.connection.info.backend_pid

            def terminate():
                other = connections.create_connection("default")
                with other.cursor() as cursor:
                    cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                other.close()

            thread = threading.Thread(target=terminate)
            thread.start()
            thread.join()
        return refused

    monkeypatch.setattr(import_writer.BatchWriter, "write", write)
    job = _job(organisation)
    _run(job)
    job.refresh_from_db()
    assert seen["n"] == ROWS // BATCH + 2  # five batches, the closing empty one, the third again
    assert (job.status, job.processed_rows, job.created) == ("done", ROWS, ROWS)
    assert _stored(organisation) == (ROWS, ROWS, ROWS, ROWS)


@pytest.mark.django_db
def test_the_upload_is_stored_and_read_in_encrypted_pieces(organisation, monkeypatch):
    monkeypatch.setattr(upload, "PIECE", 200)  # a 50-row file in several pieces
    content, bsns = _file(ROWS)
    job = services.start(
        actor=import_actor(organisation, None, channel="web"),
        kind="candidates",
        filename="k.csv",
        content=content,
    )
    pieces = list(UploadChunk.objects.filter(job=job).order_by("number"))
    assert len(pieces) == -(-len(content) // 200) > 5
    stored = b"".join(bytes(p.data) for p in pieces) + _raw_job_row(job)
    assert not any(bsn.encode() in stored for bsn in bsns)  # never in plain text
    job.refresh_from_db()
    with upload.opener(job)() as stream:
        assert stream.read() == content  # read back a piece at a time
    _run(job)
    job.refresh_from_db()
    assert (job.status, job.created) == ("done", ROWS)
    assert job.upload_encrypted is None and not UploadChunk.objects.filter(job=job).exists()


@pytest.mark.django_db
def test_the_watch_drops_the_pieces_of_an_upload_older_than_a_day(organisation):
    job = _job(organisation)
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - services.UPLOAD_KEPT * 2)
    assert services.watch()["uploads_dropped"] == 1
    assert not UploadChunk.objects.filter(job=job).exists()


def test_seen_keys_find_the_first_line_of_a_key_also_after_merging(monkeypatch):
    monkeypatch.setattr(SeenKeys, "MERGE", 100)
    seen = SeenKeys()
    for line in range(2, 1002):
        key = ("bsn", f"{line:09d}")
        assert seen.get(key) is None
        seen[key] = line
    assert len(seen) == 1000
    assert seen.get(("bsn", f"{7:09d}")) == 7  # merged into the sorted arrays
    assert seen.get(("bsn", f"{1001:09d}")) == 1001  # still among the newest
    assert seen.get(("bsn", "000000001")) is None


@pytest.mark.django_db
def test_a_commit_whose_answer_was_lost_while_the_database_was_away_is_not_written_again(
    organisation, quick, monkeypatch
):
    """The answer to the second batch's commit is lost, and the database does not answer
    the first question whether it was stored: the runner waits and asks again, and does not
    write the batch a second time."""
    original, seen = runner.Batches._write_batch, {"n": 0}

    def write_batch(self):
        seen["n"] += 1
        original(self)
        if seen["n"] == 2:
            raise OperationalError("connection lost after COMMIT")

    asked, committed = [], runner.Batches._committed

    def ask(self, processed):
        asked.append(processed)
        return None if len(asked) == 1 else committed(self, processed)  # first: no answer

    monkeypatch.setattr(runner.Batches, "_write_batch", write_batch)
    monkeypatch.setattr(runner.Batches, "_committed", ask)
    job = _job(organisation)
    _run(job)
    job.refresh_from_db()
    assert asked == [2 * BATCH, 2 * BATCH]
    assert seen["n"] == ROWS // BATCH + 1  # five batches and the closing empty one: none twice
    assert (job.status, job.processed_rows, job.created, job.unchanged) == ("done", ROWS, ROWS, 0)
    assert _stored(organisation) == (ROWS, ROWS, ROWS, ROWS)
    assert ImportRejection.objects.filter(job=job).count() == 0


@pytest.mark.django_db
def test_an_upload_dropped_while_it_is_read_is_not_taken_for_its_end(organisation, monkeypatch):
    monkeypatch.setattr(upload, "PIECE", 100)
    job = _job(organisation)
    assert UploadChunk.objects.filter(job=job).count() > 3
    stream = upload.PieceStream(job.pk)
    assert stream.read(100)  # the first piece
    with transaction.atomic():  # what the watch does to an upload older than a day
        upload.drop([job.pk])
        ImportJob.objects.filter(pk=job.pk).update(upload_encrypted=None)
    with pytest.raises(upload.UploadDropped) as refused:
        stream.read(100)
    assert "verwijderd" in refused.value.nl and "removed" in refused.value.en
    # A whole upload read to its end is just that: the end.
    other = _job(organisation, rows=3)
    whole = upload.PieceStream(other.pk)
    assert whole.read() and whole.read() == b""


@pytest.mark.django_db
def test_a_failed_upload_leaves_no_job_waiting(organisation, monkeypatch):
    def broken(job, source):
        raise OSError("read error")

    monkeypatch.setattr(upload, "store", broken)
    with pytest.raises(OSError):
        services.start(
            actor=import_actor(organisation, None, channel="web"),
            kind="candidates",
            filename="k.csv",
            content=b"bsn\n",
        )
    assert not ImportJob.objects.exists()
