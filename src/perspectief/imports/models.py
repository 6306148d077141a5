"""An import of a file: the job with its progress and outcome, its rejected rows, and the
column mappings of organisations whose files have another layout."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.core import bsn as bsn_lib
from perspectief.core.models import BaseModel
from perspectief.core.refusals import in_language

from .constants import ImportKind, ImportStatus


class ColumnMapping(BaseModel):
    """How another file layout maps to the standard columns, saved per source."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="column_mappings"
    )
    name = models.CharField(_("name"), max_length=100)
    columns = models.JSONField(
        _("columns"), help_text=_("Standard column → the header in this source's files.")
    )

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="columnmapping_unique")
        ]

    def __str__(self):
        return self.name


class ImportJob(BaseModel):
    """One import of a file (job seekers, or an employer's places), with its progress and
    outcome. What a row means is up to the kind of import (:mod:`perspectief.imports.kinds`).

    The uploaded file holds BSNs: it is stored only encrypted (``upload_encrypted``, with the
    BSN keys) and read and written through :attr:`content`; it is dropped when the import is
    done or failed, and after a day whatever the state (docs/import.md). A running job
    holds a lease: the worker renews ``heartbeat_at`` with every batch, and ``attempt``
    says which worker holds it, so a job whose worker died is found and can be resumed.
    When it is done or failed, the person who started it is told (e-mail and inbox) until
    they open its page (``seen_at``)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    started_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=ImportKind.choices, default="candidates"
    )
    channel = models.CharField(_("channel"), max_length=10, default="web")
    filename = models.CharField(_("file"), max_length=255)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    mapping = models.ForeignKey(
        ColumnMapping, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    upload_encrypted = models.BinaryField(_("file (encrypted)"), null=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=0)
    #: When the person who started the import first saw its outcome (its page, once done
    #: or failed): until then the outcome waits in their inbox.
    seen_at = models.DateTimeField(_("outcome seen"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename

    @property
    def content(self) -> bytes | None:
        """The uploaded file, decrypted (in memory only); None once it is dropped. Stored
        whole in ``upload_encrypted`` by this setter (small files, tests, jobs stored before
        uploads were kept in pieces); :mod:`perspectief.imports.upload` stores and reads it
        in pieces instead (``upload_encrypted`` is then empty, not None)."""
        if self.upload_encrypted is None:
            return None
        stored = bytes(self.upload_encrypted)
        if not stored:  # kept in pieces
            pieces = UploadChunk.objects.filter(job=self).order_by("number")
            return b"".join(bsn_lib.decrypt_bytes(bytes(p.data)) for p in pieces)
        return bsn_lib.decrypt_bytes(stored)

    @content.setter
    def content(self, data: bytes | None) -> None:
        self.upload_encrypted = None if data is None else bsn_lib.encrypt_bytes(data)

    @property
    def resumable(self) -> bool:
        return self.status == ImportStatus.INTERRUPTED and self.upload_encrypted is not None

    @property
    def progress(self) -> int:
        """Share of the rows processed; a finished import without rows is done (100), a
        failed one is not (what it processed before it stopped)."""
        if not self.total_rows:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def error_text(self) -> str:
        """Why the import failed, in the active language (stored in Dutch and English)."""
        return in_language(self.error)


class UploadChunk(models.Model):
    """A piece of an import's upload, encrypted on its own with the BSN keys
    (:mod:`perspectief.imports.upload`): the file is stored and read a piece at a time, so
    neither the web process nor the worker ever holds the whole file."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="upload_chunks")
    number = models.PositiveIntegerField(_("number"))
    data = models.BinaryField(_("data (encrypted)"))

    objects: ClassVar[models.Manager["UploadChunk"]] = models.Manager()

    class Meta:
        verbose_name = _("piece of an upload")
        verbose_name_plural = _("pieces of uploads")
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="uploadchunk_unique")]

    def __str__(self):
        return f"{self.job_id}/{self.number}"


class ImportRejection(models.Model):
    """A row that was not imported, kept with its line, reason and values to correct."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rejections")
    line = models.PositiveIntegerField(_("line"))
    reason_nl = models.TextField(_("reason (Dutch)"))
    reason_en = models.TextField(_("reason (English)"))
    values = models.JSONField(_("values"))

    class Meta:
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")
        ordering = ["line"]

    def __str__(self):
        return f"{self.line}: {self.reason_nl}"
