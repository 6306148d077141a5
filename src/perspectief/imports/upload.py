"""An import's upload, stored and read a piece at a time (issue #20: memory stays flat for a
file of a million rows).

The file holds BSNs: every piece (:data:`PIECE` bytes of the file) is encrypted on its own
with the BSN keys (:func:`perspectief.core.bsn.encrypt_bytes`) and stored as an
:class:`~perspectief.imports.models.UploadChunk`. The job's ``upload_encrypted`` is then
empty (not None): the upload is kept, in pieces. A job stored before (the whole file in
``upload_encrypted``, one token) is still read, whole.

:func:`opener` gives the runner a way to read the file as a stream, as often as it needs
(the encoding, the number of rows, the rows): one piece is fetched and decrypted at a
time. :func:`drop` deletes the pieces when the upload is dropped.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from django.db import transaction
from django.db.models import QuerySet

from perspectief.core import bsn as bsn_lib
from perspectief.core.tabular import TableError

from .models import ImportJob, UploadChunk

#: Bytes of the file in one piece.
PIECE = 1024 * 1024
#: ``upload_encrypted`` of a job whose upload is kept in pieces.
IN_PIECES = b""
#: Why a job ends when its upload was dropped before it finished (Dutch, English).
UPLOAD_DROPPED = (
    "het bestand is na 24 uur verwijderd voordat het importeren klaar was; importeer de "
    "rijen die nog niet verwerkt zijn opnieuw",
    "the file was removed after 24 hours before the import finished; import the rows not "
    "yet processed again",
)


class UploadDropped(TableError):
    """The upload's pieces were dropped while a worker read them: the rest of the file is
    gone, which must not read as its end (the import would look complete)."""

    def __init__(self) -> None:
        super().__init__(*UPLOAD_DROPPED)


def store(job: ImportJob, source: BinaryIO | bytes) -> None:
    """Store the upload of a saved job, a piece at a time (``source``: an open file, or
    the bytes of a small one), in the caller's transaction or its own."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    if stream.seekable():
        stream.seek(0)  # an uploaded file a form looked at
    with transaction.atomic():
        number = 0
        while piece := stream.read(PIECE):
            UploadChunk.objects.create(job=job, number=number, data=bsn_lib.encrypt_bytes(piece))
            number += 1
        job.upload_encrypted = IN_PIECES
        ImportJob.objects.filter(pk=job.pk).update(upload_encrypted=IN_PIECES)


class PieceStream(io.RawIOBase):
    """The upload of a job kept in pieces, as a binary stream: a piece is fetched and
    decrypted when the reader gets to it; only that piece is held."""

    def __init__(self, job_id: int) -> None:
        super().__init__()
        self.job_id = job_id
        self.number = 0
        self.piece = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self.piece:
            token = (
                UploadChunk.objects.filter(job_id=self.job_id, number=self.number)
                .values_list("data", flat=True)
                .first()
            )
            if token is None:
                # The end of the file — unless the upload was dropped meanwhile (its
                # pieces and the job's marker go in one transaction).
                if not ImportJob.objects.filter(
                    pk=self.job_id, upload_encrypted__isnull=False
                ).exists():
                    raise UploadDropped
                return 0
            self.number += 1
            self.piece = memoryview(bsn_lib.decrypt_bytes(bytes(token)))
        size = min(len(buffer), len(self.piece))
        buffer[:size] = self.piece[:size]
        self.piece = self.piece[size:]
        return size


def opener(job: ImportJob) -> Callable[[], BinaryIO]:
    """A function that opens the job's upload as a new stream each time it is called (a
    stream over its pieces, or over the whole file of a job stored before). Empty once
    the upload is dropped."""
    stored = job.upload_encrypted
    if stored is None or bytes(stored) != IN_PIECES:
        whole = job.content or b""
        return lambda: io.BytesIO(whole)
    return lambda: io.BufferedReader(PieceStream(job.pk), buffer_size=64 * 1024)


def drop(jobs: QuerySet[ImportJob] | Iterable[int]) -> None:
    """Delete the pieces of the uploads of ``jobs`` (a query of jobs, or their ids); the
    caller sets their ``upload_encrypted`` to None."""
    if isinstance(jobs, QuerySet):
        UploadChunk.objects.filter(job_id__in=jobs.values_list("pk", flat=True)).delete()
    else:
        UploadChunk.objects.filter(job_id__in=list(jobs)).delete()
