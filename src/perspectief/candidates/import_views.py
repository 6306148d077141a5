"""Import pages: upload, progress and result, rejected rows to download and correct."""

from django import forms
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from perspectief.accounts.constants import Permission
from perspectief.accounts.policies import requires

from . import importing
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


def _job(request, uuid) -> ImportJob:
    return get_object_or_404(
        ImportJob.objects.select_related("organisation"),
        uuid=uuid,
        organisation=request.actor.organisation,
    )


@requires(Permission.MANAGE_CANDIDATES)
def import_view(request):
    organisation = request.actor.organisation
    form = UploadForm(request.POST or None, request.FILES or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            organisation=organisation,
            started_by=request.user,
            channel="web",
            filename=upload.name[:255],
            sheet=form.cleaned_data["sheet"],
            mapping=form.cleaned_data["mapping"],
            content=upload.read(),
        )
        from .tasks import run_import

        transaction.on_commit(lambda: run_import.delay(job.pk))
        return redirect("candidates:import-detail", uuid=job.uuid)
    jobs = ImportJob.objects.filter(organisation=organisation).defer("content")[:20]
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
    template = (
        "candidates/_import_status.html"
        if request.headers.get("HX-Request")
        else "candidates/import_detail.html"
    )
    return render(
        request,
        template,
        {"job": job, "rejections": job.rejections.all()[:200]},
    )


@requires(Permission.MANAGE_CANDIDATES)
@require_GET
def import_rejections_view(request, uuid):
    """The rejected rows as CSV (';', UTF-8 with BOM for spreadsheet programs)."""
    job = _job(request, uuid)
    if not job.rejected:
        raise Http404
    response = HttpResponse(
        "\ufeff" + importing.rejections_csv(job), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="afgewezen-{job.uuid}.csv"'
    response["Cache-Control"] = "no-store"
    return response
