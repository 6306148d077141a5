"""Import pages: upload, progress and result, rejected rows to download and correct."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.audit import services as audit
from perspectief.core.authz import Permission
from perspectief.core.policies import requires

from . import importing
from .constants import ImportStatus
from .models import ColumnMapping, ImportJob

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("The standard template, or another layout with a saved column mapping."),
    )
    sheet = forms.CharField(
        label=_("Sheet (XLSX with several sheets)"), required=False, max_length=100
    )
    mapping = forms.ModelChoiceField(
        label=_("Column mapping"),
        queryset=ColumnMapping.objects.none(),
        required=False,
        empty_label=_("standard template"),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = ColumnMapping.objects.filter(organisation=organisation)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB; split it."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


def _job(request, uuid, kind="candidates") -> ImportJob:
    jobs = ImportJob.objects.filter(kind=kind, organisation=request.actor.organisation)
    # A job whose worker died is seen as interrupted at once, not only at the next watch.
    importing.detect_interrupted(jobs.filter(uuid=uuid))
    return get_object_or_404(jobs.select_related("organisation"), uuid=uuid)


def recent_jobs(organisation, kind: str):
    jobs = ImportJob.objects.filter(organisation=organisation, kind=kind)
    importing.detect_interrupted(jobs)
    return jobs.defer("upload_encrypted")[:20]


def start_import(request, form, kind: str, mapping=None) -> ImportJob:
    """Store the uploaded file as a job of ``kind`` and run it in the background once the
    job is committed (eagerly in the embedded setup)."""
    upload = form.cleaned_data["file"]
    job = ImportJob.objects.create(
        kind=kind,
        organisation=request.actor.organisation,
        started_by=request.user,
        channel="web",
        filename=upload.name[:255],
        sheet=form.cleaned_data["sheet"],
        mapping=mapping,
        content=upload.read(),
    )
    from .tasks import run_import

    transaction.on_commit(lambda: run_import.delay(job.pk))
    return job


def job_context(job, namespace: str, created_label, row_label) -> dict:
    """What the shared progress/result templates need for one kind of import."""
    rejections = list(job.rejections.all()[:200])
    return {
        "job": job,
        "rejections": rejections,
        "rejections_deleted": bool(job.rejected and not rejections),
        "keep_days": settings.IMPORT_REJECTIONS_DAYS,
        "status_url": reverse(f"{namespace}:import-detail", kwargs={"uuid": job.uuid}),
        "resume_url": reverse(f"{namespace}:import-resume", kwargs={"uuid": job.uuid}),
        "rejections_url": reverse(f"{namespace}:import-rejections", kwargs={"uuid": job.uuid}),
        "back_url": reverse(f"{namespace}:import"),
        "created_label": created_label,
        "row_label": row_label,
    }


def render_job(request, job, context):
    """Progress while running (htmx polls the page), the result when done."""
    template = (
        "candidates/_import_status.html"
        if request.headers.get("HX-Request")
        else "candidates/import_detail.html"
    )
    return render(request, template, context)


def resume(request, job, namespace: str):
    """Resume an interrupted import after its last committed batch (in the background)."""
    waiting = ImportJob.objects.filter(
        pk=job.pk, status=ImportStatus.INTERRUPTED, upload_encrypted__isnull=False
    ).update(status=ImportStatus.PENDING, error="", updated_at=timezone.now())
    if waiting:
        audit.record("import.resumed", actor=request.actor, target=job)
        from .tasks import run_import

        transaction.on_commit(lambda: run_import.delay(job.pk))
    else:
        messages.info(request, _("This import cannot be resumed."))
    return redirect(f"{namespace}:import-detail", uuid=job.uuid)


def rejections_download(request, job) -> HttpResponse:
    """The rejected rows as CSV (';', UTF-8 with BOM for spreadsheet programs)."""
    if not job.rejected or not job.rejections.exists():  # none, or deleted after their time
        raise Http404
    # The rejected rows may hold people's data (not yet in the register): audited.
    audit.record("import.rejections_downloaded", actor=request.actor, target=job)
    response = HttpResponse(
        "\ufeff" + importing.rejections_csv(job), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="afgewezen-{job.uuid}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@requires(Permission.MANAGE_CANDIDATES)
def import_view(request):
    organisation = request.actor.organisation
    form = UploadForm(request.POST or None, request.FILES or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        job = start_import(request, form, "candidates", mapping=form.cleaned_data["mapping"])
        return redirect("candidates:import-detail", uuid=job.uuid)
    jobs = recent_jobs(organisation, "candidates")
    return render(
        request,
        "candidates/import.html",
        {"form": form, "jobs": jobs, "columns": importing.ALL_COLUMNS},
    )


@requires(Permission.MANAGE_CANDIDATES)
@require_GET
def import_detail_view(request, uuid):
    """Progress while running (htmx polls this page), the result when done."""
    job = _job(request, uuid)
    if job.status == "done" and job.rejected and job.rejections.exists():
        # The page names the people of rejected rows (not in the register, so not in the
        # access log of a person): audited, as the download is.
        audit.record("import.rejections_shown", actor=request.actor, target=job)
    return render_job(request, job, job_context(job, "candidates", _("new job seekers"), _("Name")))


@requires(Permission.MANAGE_CANDIDATES)
@require_POST
def import_resume_view(request, uuid):
    return resume(request, _job(request, uuid), "candidates")


@requires(Permission.MANAGE_CANDIDATES)
@require_GET
def import_rejections_view(request, uuid):
    """The rejected rows as CSV (';', UTF-8 with BOM for spreadsheet programs)."""
    return rejections_download(request, _job(request, uuid))


class MappingForm(forms.Form):
    """Another file layout: for each standard column, the header used in the source's files."""

    name = forms.CharField(
        label=_("Name of the source"),
        max_length=100,
        help_text=_("For example: Suite4Sociaal export, Sonar export."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        for column in importing.ALL_COLUMNS:
            self.fields[f"col_{column}"] = forms.CharField(
                label=column,
                required=column in importing.REQUIRED_COLUMNS,
                max_length=100,
                help_text=_("Header in the file (empty: not in the file)."),
            )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if ColumnMapping.objects.filter(organisation=self.organisation, name=name).exists():
            raise forms.ValidationError(_("A mapping with this name already exists."))
        return name

    def columns(self) -> dict[str, str]:
        return {
            column: self.cleaned_data[f"col_{column}"].strip()
            for column in importing.ALL_COLUMNS
            if self.cleaned_data.get(f"col_{column}", "").strip()
        }


@requires(Permission.MANAGE_CANDIDATES)
def mapping_create_view(request):
    organisation = request.actor.organisation
    form = MappingForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        mapping = ColumnMapping.objects.create(
            organisation=organisation, name=form.cleaned_data["name"], columns=form.columns()
        )
        audit.record(
            "column_mapping.created",
            actor=request.actor,
            target=mapping,
            changes={"columns": [None, mapping.columns]},
        )
        messages.success(request, _("Column mapping saved; choose it when you import."))
        return redirect("candidates:import")
    return render(request, "candidates/mapping_form.html", {"form": form})
