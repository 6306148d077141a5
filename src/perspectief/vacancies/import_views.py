"""Import of places from a file: upload, progress, result and the rejected rows, on the
shared import runner and pages of the job-seeker import."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.candidates.import_views import (
    UploadForm,
    _job,
    job_context,
    recent_jobs,
    rejections_download,
    render_job,
    resume,
    start_import,
)
from perspectief.core.authz import Permission
from perspectief.core.policies import requires

from .importing import COLUMNS, REQUIRED

KIND = "places"


class PlaceUploadForm(UploadForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["mapping"]  # places come in the standard template
        self.fields["file"].help_text = _("The standard template for places (see below).")


@requires(Permission.MANAGE_PLACES)
def place_import_view(request):
    organisation = request.actor.organisation
    form = PlaceUploadForm(request.POST or None, request.FILES or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        job = start_import(request, form, KIND)
        return redirect("vacancies:import-detail", uuid=job.uuid)
    jobs = recent_jobs(organisation, KIND)
    return render(
        request,
        "vacancies/import.html",
        {"form": form, "jobs": jobs, "columns": COLUMNS, "required": REQUIRED},
    )


@requires(Permission.MANAGE_PLACES)
@require_GET
def place_import_detail_view(request, uuid):
    job = _job(request, uuid, KIND)
    return render_job(request, job, job_context(job, "vacancies", _("new places"), _("Title")))


@requires(Permission.MANAGE_PLACES)
@require_POST
def place_import_resume_view(request, uuid):
    return resume(request, _job(request, uuid, KIND), "vacancies")


@requires(Permission.MANAGE_PLACES)
@require_GET
def place_import_rejections_view(request, uuid):
    return rejections_download(request, _job(request, uuid, KIND))
