"""Reads of imports: an organisation's recent imports, a job's rejected rows to download,
and a job's report (the command's and the task's)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db.models import QuerySet

from perspectief.core.spreadsheets import safe_cell

from . import kinds
from .models import ImportJob
from .runner import detect_interrupted


def jobs_of(organisation: Any, kind: str, *, uuid: Any = None) -> QuerySet[ImportJob]:
    """The organisation's imports of ``kind`` (or the one with ``uuid``); a job whose
    worker died is seen as interrupted at once, not only at the next watch."""
    jobs = ImportJob.objects.filter(organisation=organisation, kind=kind)
    if uuid is not None:
        jobs = jobs.filter(uuid=uuid)
    detect_interrupted(jobs)
    return jobs


def recent_jobs(organisation: Any, kind: str) -> QuerySet[ImportJob]:
    """The organisation's last 20 imports of ``kind``, without their files."""
    return jobs_of(organisation, kind).defer("upload_encrypted")[:20]


def rejections_csv(job: ImportJob) -> str:
    """The rejected rows with a 'reden' column, in the standard template, to fix and re-import."""
    kind = kinds.get(job.kind)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([*kind.columns, "regel", "reden"])
    for rejection in job.rejections.all():
        values = kind.shown_values(rejection.values)
        writer.writerow(
            [safe_cell(values.get(c, "")) for c in kind.columns]
            + [rejection.line, safe_cell(rejection.reason_nl)]
        )
    return buffer.getvalue()


def report(job: ImportJob) -> dict[str, Any]:
    """The job's outcome with every rejected row (Dutch and English)."""
    return {
        "import": str(job.uuid),
        "status": job.status,
        "file": job.filename,
        **{name: getattr(job, name) for name in ("created", "updated", "unchanged", "rejected")},
        "rejected_rows": [
            {"line": r.line, "reason": r.reason_nl, "reason_en": r.reason_en}
            for r in job.rejections.all()
        ],
    }
