"""What people and the scheduler do with imports: start one, resume it, save a column
mapping, and the watch and purge that keep uploads and rejected rows no longer than
needed (docs/import.md)."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from perspectief.audit import services as audit

from . import upload
from .constants import ImportStatus
from .models import ColumnMapping, ImportJob, ImportRejection
from .runner import ENDED, detect_interrupted, tell_starter
from .tasks import run_import

logger = logging.getLogger(__name__)

#: Why a job ended when its upload was dropped after a day.
UPLOAD_DROPPED_ERROR = " / ".join(upload.UPLOAD_DROPPED)
#: An upload is kept at most this long, whatever the state of its job.
UPLOAD_KEPT = timedelta(days=1)


def start(
    *,
    actor: Any,
    kind: str,
    filename: str,
    content: bytes | BinaryIO,
    sheet: str = "",
    mapping: ColumnMapping | None = None,
) -> ImportJob:
    """Store an uploaded file (encrypted, a piece at a time: ``content`` may be an open
    file) as a job of ``kind`` for the actor's organisation and run it in the background
    once the job is committed (eagerly in the embedded setup)."""
    job = ImportJob(
        kind=kind,
        organisation=actor.organisation,
        started_by=actor.user,
        channel="web",
        filename=filename[:255],
        sheet=sheet,
        mapping=mapping,
    )
    # The job and its upload in one transaction: an upload that fails half-way (a read
    # error, the database) leaves no job waiting for a file that never came.
    with transaction.atomic():
        job.save()
        upload.store(job, content)  # encrypted, in pieces
        transaction.on_commit(lambda: run_import.delay(job.pk))
    return job


def resume(*, actor: Any, job: ImportJob) -> bool:
    """Resume an interrupted import after its last committed batch (in the background);
    False when it cannot be resumed (not interrupted, or its file was dropped)."""
    waiting = ImportJob.objects.filter(
        pk=job.pk, status=ImportStatus.INTERRUPTED, upload_encrypted__isnull=False
    ).update(status=ImportStatus.PENDING, error="", updated_at=timezone.now())
    if not waiting:
        return False
    audit.record("import.resumed", actor=actor, target=job)
    transaction.on_commit(lambda: run_import.delay(job.pk))
    return True


def mark_seen(*, actor: Any, job: ImportJob) -> bool:
    """Record that the person who started the job has seen its outcome (done or failed):
    its inbox item goes. Someone else looking changes nothing. True when recorded now."""
    if job.started_by_id is None or job.started_by_id != actor.user.pk:
        return False
    seen = ImportJob.objects.filter(pk=job.pk, status__in=ENDED, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )
    return bool(seen)


def save_mapping(*, actor: Any, name: str, columns: dict[str, str]) -> ColumnMapping:
    """Save another file layout of the actor's organisation (audited)."""
    mapping = ColumnMapping.objects.create(
        organisation=actor.organisation, name=name, columns=columns
    )
    audit.record(
        "column_mapping.created",
        actor=actor,
        target=mapping,
        changes={"columns": [None, mapping.columns]},
    )
    return mapping


def watch(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic watch over imports (Celery beat, every five minutes):

    - a running job whose worker gave no sign of life within the lease is marked
      interrupted (the rows of its committed batches are whole; it can resume);
    - an upload older than a day is dropped whatever the state of its job; a job that had
      not finished then fails, saying which rows were not processed."""
    now = now or timezone.now()
    interrupted = detect_interrupted(ImportJob.objects.all(), now=now)
    old = ImportJob.objects.filter(upload_encrypted__isnull=False, created_at__lt=now - UPLOAD_KEPT)
    unfinished = list(
        old.exclude(status__in=(ImportStatus.DONE, ImportStatus.FAILED)).defer("upload_encrypted")
    )
    ended = 0
    for job in unfinished:
        with transaction.atomic():
            # Compare-and-set: a worker that finished the job meanwhile keeps its outcome.
            if not ImportJob.objects.filter(pk=job.pk, status=job.status).update(
                status=ImportStatus.FAILED,
                error=UPLOAD_DROPPED_ERROR,
                finished_at=now,
                upload_encrypted=None,
                updated_at=now,
            ):
                continue
            upload.drop([job.pk])
            ended += 1
            tell_starter(job)
    with transaction.atomic():
        # Only ended jobs lose their upload here: a job a worker claimed since the list
        # above was read fails by the step above at the next watch, not under its reader.
        ended_jobs = old.filter(status__in=(ImportStatus.DONE, ImportStatus.FAILED))
        upload.drop(ended_jobs)
        dropped = ended_jobs.update(upload_encrypted=None, updated_at=now)
    if interrupted or ended:
        logger.warning("imports: %d interrupted, %d failed (file dropped)", interrupted, ended)
    return {"interrupted": interrupted, "uploads_dropped": ended + dropped}


def purge_rejections(*, today: date | None = None) -> int:
    """Delete the rejected rows of imports finished more than ``IMPORT_REJECTIONS_DAYS`` ago:
    kept to be corrected, not for ever (they may hold people's data). The import keeps its
    counts; its page says the rows are gone. Returns the number of rows deleted."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.IMPORT_REJECTIONS_DAYS)
    deleted, _per_model = ImportRejection.objects.filter(job__finished_at__date__lt=cutoff).delete()
    return deleted
