"""Pages for bulk requests: the region's overview, intake phases and the cohort."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Min, OuterRef, Q, Subquery, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.policies import requires

from ..constants import PREPARING, CohortStage
from ..models import CohortMember, OutsideFill, Vacancy
from ..services import bulk
from .places import render_detail


@requires(Permission.VIEW_EMPLOYERS)
@require_GET
def bulk_list_view(request):
    """Every place with intake phases: how far it is filled, when the next intake is and how
    many people are being prepared, so training and coaching can be planned."""
    today = timezone.localdate()
    rows = (
        Vacancy.objects.visible_to(request.actor)
        .filter(phases__isnull=False)
        .select_related("employer__organisation", "occupation")
        .annotate(
            next_intake=Min("phases__starts_on", filter=Q(phases__starts_on__gte=today)),
            preparing=Count("cohort", filter=Q(cohort__stage__in=PREPARING), distinct=True),
            ready=Count("cohort", filter=Q(cohort__stage=CohortStage.READY), distinct=True),
            # A subquery: summed over the joins above it would count each fill many times.
            outside=Subquery(
                OutsideFill.objects.filter(vacancy=OuterRef("pk"))
                .order_by()
                .values("vacancy")
                .annotate(n=Sum("places"))
                .values("n")[:1]
            ),
        )
        .distinct()
        .order_by("next_intake", "title", "id")
    )
    return render(request, "vacancies/bulk_list.html", {"rows": rows})


def _manageable(request, uuid):
    return get_object_or_404(Vacancy.objects.visible_to(request.actor), uuid=uuid)


@requires(Permission.MANAGE_PLACES)
@require_POST
def phase_add_view(request, uuid):
    vacancy = _manageable(request, uuid)
    error = None
    try:
        starts_on = date.fromisoformat(request.POST.get("starts_on", ""))
        places = int(request.POST.get("places", ""))
    except ValueError:
        error = _("Give the intake date and the number of places.")
    else:
        try:
            bulk.phase_add(
                actor=request.actor,
                vacancy=vacancy,
                starts_on=starts_on,
                places=places,
                note=request.POST.get("note", ""),
            )
        except (ValidationError, DomainError) as exc:
            error = user_message(exc)
    if error:
        # Back to the form with the message beside it and what was typed kept.
        return render_detail(
            request, vacancy, status=400, phase_error=error, phase_values=request.POST
        )
    messages.success(request, _("Intake phase added."))
    return redirect(reverse("vacancies:detail", kwargs={"uuid": vacancy.uuid}) + "#phases")


@requires(Permission.MANAGE_PLACES)
@require_POST
def phase_remove_view(request, uuid, phase):
    vacancy = _manageable(request, uuid)
    found = get_object_or_404(vacancy.phases, pk=phase)
    try:
        bulk.phase_remove(actor=request.actor, phase=found)
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, _("Intake phase removed."))
    return redirect("vacancies:detail", uuid=vacancy.uuid)


@requires(Permission.VIEW_CANDIDATES)
@require_POST
def cohort_member_view(request, uuid, member):
    vacancy = _manageable(request, uuid)
    found = get_object_or_404(CohortMember.objects.filter(vacancy=vacancy), uuid=member)
    try:
        if request.POST.get("action") == "remove":
            bulk.cohort_remove(actor=request.actor, member=found)
        else:
            phase = request.POST.get("phase") or None
            bulk.cohort_update(
                actor=request.actor,
                member=found,
                stage=request.POST.get("stage", ""),
                phase=int(phase) if phase and phase.isdigit() else None,
                preparation=request.POST.get("preparation"),
            )
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect("vacancies:detail", uuid=vacancy.uuid)
