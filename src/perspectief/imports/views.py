"""Import pages, the same for every kind: upload, progress and result, the rejected rows to
download and correct, resuming an interrupted import, and (for kinds that allow another file
layout) a new column mapping.

Each kind gets its own set of views (:func:`views_for`), guarded by the kind's permission
and mounted under the kind's app by :func:`perspectief.imports.urls.import_urls`, so the
pages keep their paths and names (``candidates:import``, ``vacancies:import-detail`` …).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.audit import services as audit
from perspectief.core.policies import requires

from . import kinds, selectors, services
from .constants import ImportStatus
from .forms import MappingForm, UploadForm
from .kinds import Kind
from .models import ImportJob

View = Any  # a Django view function
#: A request past the access policy: the middleware set ``request.actor`` (accounts.Actor).
Request = Any


@dataclass(frozen=True)
class RejectedRow:
    """A rejected row as the import's page lists it."""

    line: int
    name: str
    reason_nl: str
    reason_en: str


def _job(request: Request, uuid: Any, kind: type[Kind]) -> ImportJob:
    """One of the organisation's imports of this kind (404 otherwise)."""
    jobs = selectors.jobs_of(request.actor.organisation, kind.kind, uuid=uuid)
    return get_object_or_404(jobs.select_related("organisation"))


def job_context(job: ImportJob, kind: type[Kind]) -> dict[str, Any]:
    """What the shared progress/result templates need for one kind of import."""
    namespace = kind.pages.namespace
    rejections = [
        RejectedRow(r.line, kind.row_name(r.values), r.reason_nl, r.reason_en)
        for r in job.rejections.all()[:200]
    ]
    return {
        "job": job,
        "rejections": rejections,
        "rejections_deleted": bool(job.rejected and not rejections),
        "keep_days": settings.IMPORT_REJECTIONS_DAYS,
        "status_url": reverse(f"{namespace}:import-detail", kwargs={"uuid": job.uuid}),
        "resume_url": reverse(f"{namespace}:import-resume", kwargs={"uuid": job.uuid}),
        "rejections_url": reverse(f"{namespace}:import-rejections", kwargs={"uuid": job.uuid}),
        "back_url": reverse(f"{namespace}:import"),
        "created_label": kind.pages.created_label,
        "row_label": kind.pages.row_label,
    }


def upload_page(request: Request, kind: type[Kind]) -> HttpResponse:
    """The upload form with the organisation's recent imports; a valid upload starts a job
    and shows its progress."""
    organisation = request.actor.organisation
    form = UploadForm(
        request.POST or None, request.FILES or None, organisation=organisation, kind=kind
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = services.start(
            actor=request.actor,
            kind=kind.kind,
            filename=upload.name,
            content=upload,  # stored a piece at a time
            sheet=form.cleaned_data["sheet"],
            mapping=form.cleaned_data.get("mapping"),
        )
        return redirect(f"{kind.pages.namespace}:import-detail", uuid=job.uuid)
    context = {
        "form": form,
        "jobs": selectors.recent_jobs(organisation, kind.kind),
        "columns": kind.columns,
        "required": kind.required,
    }
    return render(request, kind.pages.template, context)


def detail_page(request: Request, uuid: Any, kind: type[Kind]) -> HttpResponse:
    """Progress while running (htmx polls this page), the result when done. The person who
    started the import has seen its outcome once this page shows it (its inbox item goes)."""
    job = _job(request, uuid, kind)
    if (
        kind.pages.personal_data
        and job.status == ImportStatus.DONE
        and job.rejected
        and job.rejections.exists()
    ):
        # The page names the people of rejected rows (not in the register, so not in the
        # access log of a person): audited, as the download is.
        audit.record("import.rejections_shown", actor=request.actor, target=job)
    services.mark_seen(actor=request.actor, job=job)
    template = (
        "imports/_status.html" if request.headers.get("HX-Request") else "imports/detail.html"
    )
    return render(request, template, job_context(job, kind))


def resume(request: Request, uuid: Any, kind: type[Kind]) -> HttpResponse:
    """Resume an interrupted import after its last committed batch (in the background)."""
    job = _job(request, uuid, kind)
    if not services.resume(actor=request.actor, job=job):
        messages.info(request, _("This import cannot be resumed."))
    return redirect(f"{kind.pages.namespace}:import-detail", uuid=job.uuid)


def rejections_download(request: Request, uuid: Any, kind: type[Kind]) -> HttpResponse:
    """The rejected rows as CSV (';', UTF-8 with BOM for spreadsheet programs)."""
    job = _job(request, uuid, kind)
    if not job.rejected or not job.rejections.exists():  # none, or deleted after their time
        raise Http404
    # The rejected rows may hold people's data (not yet in the register): audited.
    audit.record("import.rejections_downloaded", actor=request.actor, target=job)
    response = HttpResponse(
        "\ufeff" + selectors.rejections_csv(job), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="afgewezen-{job.uuid}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def mapping_page(request: Request, kind: type[Kind]) -> HttpResponse:
    """Save another file layout of the organisation's source system."""
    form = MappingForm(request.POST or None, organisation=request.actor.organisation, kind=kind)
    if request.method == "POST" and form.is_valid():
        services.save_mapping(
            actor=request.actor, name=form.cleaned_data["name"], columns=form.columns()
        )
        messages.success(request, _("Column mapping saved; choose it when you import."))
        return redirect(f"{kind.pages.namespace}:import")
    context = {"form": form, "back_url": reverse(f"{kind.pages.namespace}:import")}
    return render(request, "imports/mapping_form.html", context)


@dataclass(frozen=True)
class KindViews:
    """The views of one kind's import pages."""

    upload: View
    detail: View
    rejections: View
    resume: View
    mapping: View | None


def views_for(name: str) -> KindViews:
    """The import pages of the kind called ``name``, each guarded by its permission."""
    kind = kinds.get(name)
    allowed = requires(kind.pages.permission)

    @allowed
    def import_view(request: Request) -> HttpResponse:
        return upload_page(request, kind)

    @allowed
    @require_GET
    def import_detail_view(request: Request, uuid: Any) -> HttpResponse:
        return detail_page(request, uuid, kind)

    @allowed
    @require_GET
    def import_rejections_view(request: Request, uuid: Any) -> HttpResponse:
        return rejections_download(request, uuid, kind)

    @allowed
    @require_POST
    def import_resume_view(request: Request, uuid: Any) -> HttpResponse:
        return resume(request, uuid, kind)

    @allowed
    def mapping_create_view(request: Request) -> HttpResponse:
        return mapping_page(request, kind)

    return KindViews(
        upload=import_view,
        detail=import_detail_view,
        rejections=import_rejections_view,
        resume=import_resume_view,
        mapping=mapping_create_view if kind.pages.mappings else None,
    )
