"""The runner of an import: the same for every kind (job seekers, places).

It reads the job's file (:mod:`perspectief.core.tabular`), gives every row to the kind
(:mod:`.kinds`) and writes the rows in batches, each in one transaction together with the
batch's rejected rows, access records and the job's progress: a crash or a kill leaves whole
rows only, and the job knows exactly how many rows are stored.

A running job holds a *lease*: the worker renews the job's last sign of life with every
batch. A job whose worker died stops renewing it and counts as interrupted (noticed by
:func:`detect_interrupted`, which the watch runs every five minutes); it resumes after its
last committed batch (docs/import.md, "An interrupted import").
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.selectors import members_of
from perspectief.audit import access
from perspectief.core.tabular import TableError, read_table
from perspectief.notifications.constants import Kind
from perspectief.notifications.services import notify

from . import kinds, upload
from .constants import ImportStatus
from .models import ImportJob, ImportRejection
from .rows import Counts, Rejected

BATCH_SIZE = 1000
#: Pauses (seconds) before a batch is written again after the database connection failed.
RETRY_PAUSES = (1.0, 5.0, 15.0)

logger = logging.getLogger(__name__)

#: Why a job stopped when its worker did; the page adds what was stored.
INTERRUPTED_ERROR = (
    "het importeren is onderbroken; de verwerkte rijen zijn compleet en het importeren kan "
    "verder waar het stopte / the import was interrupted; the processed rows are complete "
    "and the import can resume where it stopped"
)


class ImportAlreadyRun(Exception):
    """The job is finished (done or failed): a redelivered task leaves it as it is."""


class ImportStillRunning(ImportAlreadyRun):
    """Another worker holds the job's lease (it gave a sign of life recently)."""


class ImportLeaseLost(Exception):
    """This worker's lease was taken over (it was too slow and the job was found
    interrupted, or another worker resumed it): it stops, the batch in hand is not kept."""


def lease_cutoff(now: datetime | None = None) -> datetime:
    """A running job whose last sign of life is older than this has lost its worker."""
    return (now or timezone.now()) - timedelta(seconds=settings.IMPORT_LEASE_SECONDS)


def columns_for(
    headers: list[str],
    mapping: dict[str, str] | None,
    columns: tuple[str, ...],
    required: tuple[str, ...],
) -> dict[str, int]:
    """Position of every known column in the file, through the saved mapping if any."""
    lookup = {h: i for i, h in enumerate(headers)}
    positions = {}
    for column in columns:
        header = (mapping or {}).get(column, column).strip().lower()
        if header in lookup:
            positions[column] = lookup[header]
    missing = [c for c in required if c not in positions]
    if missing:
        raise TableError(
            f"verplichte kolom ontbreekt: {', '.join(missing)} (gevonden: {', '.join(headers)})",
            f"required column missing: {', '.join(missing)} (found: {', '.join(headers)})",
        )
    return positions


# -- the lease -----------------------------------------------------------------------------


def claim(job: ImportJob) -> None:
    """Take the job's lease: a waiting job starts, an interrupted one (or one whose worker
    stopped giving signs of life) resumes after its last committed batch. Raises
    :class:`ImportStillRunning` when a live worker has it, :class:`ImportAlreadyRun` when
    it is finished. Compare-and-set on status and attempt: two workers never both win."""
    now = timezone.now()
    current = ImportJob.objects.defer("upload_encrypted").get(pk=job.pk)
    if current.status in (ImportStatus.DONE, ImportStatus.FAILED):
        raise ImportAlreadyRun(str(job.uuid))
    if current.status == ImportStatus.RUNNING and (
        current.heartbeat_at and current.heartbeat_at >= lease_cutoff(now)
    ):
        raise ImportStillRunning(str(job.uuid))
    claimed = ImportJob.objects.filter(
        pk=job.pk,
        status=current.status,
        attempt=current.attempt,
        upload_encrypted__isnull=False,
    ).update(
        status=ImportStatus.RUNNING,
        started_at=current.started_at or now,
        heartbeat_at=now,
        attempt=current.attempt + 1,
        error="",
        finished_at=None,
        updated_at=now,
    )
    if not claimed:
        current.refresh_from_db(fields=["status"])
        if current.status == ImportStatus.RUNNING:
            raise ImportStillRunning(str(job.uuid))
        raise ImportAlreadyRun(str(job.uuid))  # its file was dropped meanwhile
    job.refresh_from_db()


def renew(job: ImportJob, **values: Any) -> None:
    """A sign of life, with the job's progress: only while this worker holds the lease."""
    now = timezone.now()
    values = {"heartbeat_at": now, "updated_at": now, **values}
    held = ImportJob.objects.filter(
        pk=job.pk, status=ImportStatus.RUNNING, attempt=job.attempt
    ).update(**values)
    if not held:
        raise ImportLeaseLost(str(job.uuid))
    for name, value in values.items():
        setattr(job, name, value)


def end(job: ImportJob, status: str, *, error: str = "", keep_upload: bool = False) -> None:
    """Record how the job ended, if this worker still holds it. The upload is dropped,
    except when the job can resume (interrupted). A job done or failed tells who started
    it (:func:`tell_starter`), in the same transaction."""
    now = timezone.now()
    values: dict[str, Any] = {
        "status": status,
        "error": error,
        "finished_at": now,
        "updated_at": now,
    }
    if not keep_upload:
        values["upload_encrypted"] = None
    with transaction.atomic():
        ended = ImportJob.objects.filter(
            pk=job.pk, status=ImportStatus.RUNNING, attempt=job.attempt
        ).update(**values)
        if ended and not keep_upload:
            upload.drop([job.pk])
        for name, value in values.items():
            setattr(job, name, value)
        if ended and status in ENDED:
            tell_starter(job)


#: How a job ends for good: its outcome is told to who started it.
ENDED = (ImportStatus.DONE, ImportStatus.FAILED)


def tell_starter(job: ImportJob) -> None:
    """E-mail the person who started the import that it is done or failed, with a link to
    its page (through their membership in the job's organisation that may see that page);
    its inbox item waits until they open the page. Call it in the transaction that ends
    the job. An import without a starter (a command without --user) tells nobody."""
    if job.started_by_id is None:
        return
    kind = kinds.get(job.kind)
    memberships = members_of(job.organisation, permission=kind.pages.permission).filter(
        user_id=job.started_by_id
    )
    notify(kind=Kind.IMPORT_DONE, memberships=memberships, url=job_url(job))


def job_url(job: ImportJob) -> str:
    """The page of the job's progress and result."""
    namespace = kinds.get(job.kind).pages.namespace
    return reverse(f"{namespace}:import-detail", kwargs={"uuid": job.uuid})


def detect_interrupted(jobs: QuerySet[ImportJob], *, now: datetime | None = None) -> int:
    """Mark the running jobs among ``jobs`` whose worker gave no sign of life within the
    lease interrupted (the watch does it for all; a look at a job between two watches for
    that job). Returns how many."""
    now = now or timezone.now()
    return jobs.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=lease_cutoff(now)).update(
        status=ImportStatus.INTERRUPTED, error=INTERRUPTED_ERROR, finished_at=now, updated_at=now
    )


def reconnect() -> None:
    """After a failed query: close the connection if it is broken, so the next query opens
    a new one (outside a transaction; a connection that still works is kept)."""
    if connection.in_atomic_block:
        return
    if connection.connection is not None and not connection.is_usable():
        connection.close()


# -- running -------------------------------------------------------------------------------


def run(
    job: ImportJob, *, actor: Any, progress: Callable[[ImportJob], None] | None = None
) -> Counts:
    """Import the job's file, or resume it after its last committed batch. Renews the
    job's lease with every batch. A problem with the file fails the job; any other stop
    (an error, a signal) leaves it interrupted and resumable; the upload is dropped when the
    job is done or failed. A killed worker cannot say so: its lease runs out and
    :func:`perspectief.imports.services.watch` marks the job interrupted."""
    claim(job)
    try:
        counts = Batches(job, actor=actor, progress=progress).run()
    except ImportLeaseLost:
        raise  # the job is no longer this worker's to record
    except TableError as exc:
        end(job, ImportStatus.FAILED, error=str(exc))
        raise
    except BaseException:
        try:
            reconnect()
            end(job, ImportStatus.INTERRUPTED, error=INTERRUPTED_ERROR, keep_upload=True)
        except Exception:  # the database is gone too: the lease runs out instead
            logger.exception("import %s: could not record the interruption", job.uuid)
        raise
    end(job, ImportStatus.DONE)
    return counts


class Batches:
    """One run over a job's file: rows parsed by the kind, written in batches."""

    def __init__(
        self,
        job: ImportJob,
        *,
        actor: Any,
        progress: Callable[[ImportJob], None] | None = None,
    ) -> None:
        self.job = job
        self.progress = progress
        self.importer = kinds.get(job.kind)(job=job, actor=actor)
        self.counts = Counts(
            created=job.created,
            updated=job.updated,
            unchanged=job.unchanged,
            rejected=job.rejected,
        )
        self.batch: list[Any] = []

    def rows(self) -> Iterable[tuple[int, dict[str, str]]]:
        """The file's rows with a value, by standard column (through the job's mapping)."""
        job, importer = self.job, self.importer
        table = read_table(upload.opener(job), job.filename, job.sheet or None)
        positions = columns_for(
            table.headers,
            job.mapping.columns if job.mapping else None,
            importer.columns,
            importer.required,
        )
        renew(job, total_rows=table.total)
        for line, cells in table.rows:
            yield line, {col: (cells[i] if i < len(cells) else "") for col, i in positions.items()}

    def run(self) -> Counts:
        """Parse every row; write the rows not stored before in batches. Rows committed
        before an interruption are parsed again (so a duplicate of one of them is still
        found) but not written again."""
        done_before = self.job.processed_rows
        for seen, (line, raw) in enumerate(self.rows(), start=1):
            parsed = self.importer.parse(line, raw)
            if seen <= done_before:
                if seen % BATCH_SIZE == 0:
                    renew(self.job)
                continue
            self.batch.append(parsed)
            if len(self.batch) >= BATCH_SIZE:
                self.flush()
        self.flush()
        renew(self.job)
        self.importer.finish()
        renew(self.job, total_rows=self.job.processed_rows)
        return self.counts

    def flush(self) -> None:
        """Write the batch in one transaction. When the database connection fails (it
        dropped, the server restarted), the transaction rolls back: the batch is written
        again on a new connection, after a pause, up to ``len(RETRY_PAUSES)`` times; the
        counts and access records of the failed attempt are dropped, so nothing is counted
        or stored twice. Before each new attempt the job's stored progress is asked whether
        the failed one committed after all (the answer can be lost after the commit); while
        the database does not answer, nothing is written. When it keeps failing the error
        goes up and the job is left interrupted after its last committed batch
        (:func:`run`)."""
        job = self.job
        pauses = list(RETRY_PAUSES)
        while True:
            counts, since, done = replace(self.counts), access.mark(), job.processed_rows
            try:
                self._write_batch()
                break
            except (OperationalError, InterfaceError) as exc:
                if self._settle(done + len(self.batch), pauses, exc):
                    break  # it failed after the commit: the batch is stored
                self.counts, job.processed_rows = counts, done
                access.discard(since)
        self.batch.clear()
        if self.progress:
            self.progress(self.job)

    def _settle(self, processed: int, pauses: list[float], failure: Exception) -> bool:
        """After a failed write: True when the batch is stored after all; False when it is
        known not to be, and may be written again (after a pause). While the database does
        not say, wait and ask again; raises ``failure`` when the pauses run out."""
        while True:
            reconnect()
            stored = self._committed(processed)
            if stored:
                return True
            if not pauses:
                raise failure
            pause = pauses.pop(0)
            logger.warning(
                "import %s: the database failed writing a batch (%s); %s in %.0f s",
                self.job.uuid,
                "not stored" if stored is False else "no answer whether it was stored",
                "writing it again" if stored is False else "asking again",
                pause,
                exc_info=failure,
            )
            time.sleep(pause)
            if stored is False:
                return False

    def _committed(self, processed: int) -> bool | None:
        """Whether the job's stored progress says the batch committed (a connection can
        fail after the commit, before the answer came); None when the database does not
        answer."""
        try:
            stored = (
                ImportJob.objects.filter(pk=self.job.pk, attempt=self.job.attempt)
                .values_list("processed_rows", flat=True)
                .first()
            )
        except (OperationalError, InterfaceError):
            return None
        return stored == processed

    def _write_batch(self) -> None:
        """The batch's rows, its rejected rows, its access records and the job's progress
        commit together."""
        parsed = [r for r in self.batch if not isinstance(r, Rejected)]
        rejected = [r for r in self.batch if isinstance(r, Rejected)]
        job, counts = self.job, self.counts
        with transaction.atomic():
            rejected += self.importer.write(parsed, counts)
            ImportRejection.objects.bulk_create(
                ImportRejection(
                    job=job,
                    line=r.line,
                    reason_nl=r.reason_nl,
                    reason_en=r.reason_en,
                    values=self.importer.stored_values(r.raw),
                )
                for r in rejected
            )
            counts.rejected += len(rejected)
            access.flush()
            renew(job, processed_rows=job.processed_rows + len(self.batch), **counts.as_dict())
