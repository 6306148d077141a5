"""Pages for places: the region's places (or an employer's own), one place, create/edit."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.core import codes, params
from perspectief.core.authz import Actor, Permission
from perspectief.core.contributions import render_panels
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.policies import requires
from perspectief.organisations.models import EmployerAccount

from ..constants import OUTSIDE_REASONS, CohortStage
from ..forms.places import FilterForm, VacancyForm
from ..models import Vacancy
from ..panels import PLACE_COHORT, PLACE_PAGE
from ..selectors import bulk
from ..selectors.places import hires
from ..services import places as services


def _vacancies(actor: Actor):
    return Vacancy.objects.visible_to(actor).select_related(
        "employer__organisation", "occupation", "postcode__municipality"
    )


@requires(Permission.VIEW_EMPLOYERS)
@require_GET
def vacancy_list_view(request):
    form = params.form(request, FilterForm)
    qs = _vacancies(request.actor)
    if form.is_bound:
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(
                Q(title__icontains=data["q"]) | Q(employer__organisation__name__icontains=data["q"])
            )
        if data["place_type"]:
            qs = qs.filter(place_type=data["place_type"])
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["sector"]:
            qs = qs.filter(employer__sector=data["sector"])
        if data["occupation"]:
            qs = qs.filter(
                Q(occupation__label_nl__icontains=data["occupation"])
                | Q(occupation__label_en__icontains=data["occupation"])
            )
    page = params.page(request, qs.order_by("-created_at", "id"), 50)
    return render(
        request,
        "vacancies/vacancy_list.html",
        {
            "form": form,
            "page": page,
            "can_manage": request.actor.has_perm(Permission.MANAGE_PLACES),
        },
    )


@requires(Permission.VIEW_EMPLOYERS)
@require_GET
def vacancy_detail_view(request, uuid):
    vacancy = get_object_or_404(_vacancies(request.actor), uuid=uuid)
    return render_detail(request, vacancy)


def render_detail(request, vacancy, *, status=200, **extra):
    """The place's page; ``extra`` carries a form's errors and values back to it."""
    context = _place_context(request.actor, vacancy)
    if request.actor.has_perm(Permission.VIEW_CANDIDATES):
        context.update(_people_context(request, vacancy, context["phases"]))
    context.update(extra)
    return render(request, "vacancies/vacancy_detail.html", context, status=status)


def _place_context(actor: Actor, vacancy) -> dict:
    """What everyone who sees the place sees: the place, its fill and its intake phases."""
    points = bulk.fill_series(vacancy)
    outside = bulk.outside_fills(vacancy)
    return {
        "vacancy": vacancy,
        "outside_fills": outside,
        "filled_outside": sum(o.places for o in outside),
        "outside_reasons": OUTSIDE_REASONS,
        "skills": vacancy.skills.select_related("skill"),
        "can_manage": actor.has_perm(Permission.MANAGE_PLACES),
        "phases": list(vacancy.phases.all()),
        "planning": bulk.planning(vacancy),
        "fill_points": [(p, p.rate(vacancy.places)) for p in points],
        "chart": bulk.chart(points, vacancy.places),
        "fill_via_platform": len(hires(vacancy)),
        "stages": CohortStage.choices,
        "is_employer": actor.has_perm(Permission.EMPLOYER_PORTAL),
    }


def _people_context(request, vacancy, phases) -> dict:
    """For those who may see job seekers: the cohort as the actor may see it, and the
    blocks other apps add about the people of the place (see ``panels.py``)."""
    cohort, hidden = bulk.cohort_visible(actor=request.actor, vacancy=vacancy)
    return {
        "cohort": cohort,
        "cohort_hidden": hidden,
        "cohort_panels": render_panels(
            PLACE_COHORT, request, vacancy=vacancy, cohort=cohort, phases=phases
        ),
        "place_panels": render_panels(PLACE_PAGE, request, vacancy=vacancy),
    }


def _employer_choices(actor: Actor):
    return EmployerAccount.objects.visible_to(actor).select_related("organisation")


@requires(Permission.MANAGE_PLACES)
def vacancy_form_view(request, uuid=None):
    actor = request.actor
    vacancy = get_object_or_404(_vacancies(actor), uuid=uuid) if uuid else None
    employers = list(_employer_choices(actor))
    form = VacancyForm(request.POST or None, initial=_initial(vacancy))
    if request.method == "POST" and form.is_valid():
        employer = (
            vacancy.employer
            if vacancy
            else next((e for e in employers if str(e.uuid) == request.POST.get("employer")), None)
        )
        if employer is None:
            form.add_error(None, _("Choose the employer."))
        else:
            try:
                saved = services.vacancy_save(
                    actor=actor,
                    employer=employer,
                    vacancy=vacancy,
                    data=form.model_data(),
                    essential=form.cleaned_data["essential_skills"],
                    optional=form.cleaned_data["optional_skills"],
                    teachable=form.cleaned_data["teachable_skills"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Saved."))
                return redirect("vacancies:detail", uuid=saved.uuid)
    return render(
        request,
        "vacancies/vacancy_form.html",
        {"form": form, "vacancy": vacancy, "employers": employers},
    )


def _initial(vacancy):
    if vacancy is None:
        return {"places": 1, "hours_per_week": 32}
    skills = list(vacancy.skills.select_related("skill"))
    return {
        "title": vacancy.title,
        "place_type": vacancy.place_type,
        "occupation": vacancy.occupation.label_nl if vacancy.occupation else "",
        "description": vacancy.description,
        "places": vacancy.places,
        "hours_per_week": vacancy.hours_per_week,
        "contract": vacancy.contract,
        "wage_min": vacancy.wage_min,
        "wage_max": vacancy.wage_max,
        "postcode": vacancy.postcode.code,
        "min_education": vacancy.min_education,
        "dutch_level": vacancy.dutch_level,
        "driving_licence": vacancy.driving_licence,
        "start_date": vacancy.start_date,
        "closing_date": vacancy.closing_date,
        "min_hours_per_week": vacancy.min_hours_per_week,
        "physical_load": vacancy.physical_load,
        "support_offered": codes.split(vacancy.support_offered),
        "work_demands": vacancy.work_demand_list,
        "essential_skills": "; ".join(s.skill.uri for s in skills if s.relation == "essential"),
        "teachable_skills": "; ".join(s.skill.uri for s in skills if s.teachable),
        "optional_skills": "; ".join(s.skill.uri for s in skills if s.relation == "optional"),
    }


@requires(Permission.MANAGE_PLACES)
@require_POST
def vacancy_command_view(request, uuid):
    vacancy = get_object_or_404(_vacancies(request.actor), uuid=uuid)
    try:
        services.vacancy_command(
            actor=request.actor, vacancy=vacancy, command=request.POST.get("command", "")
        )
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Saved."))
    return redirect("vacancies:detail", uuid=vacancy.uuid)


@requires(Permission.MANAGE_PLACES)
@require_POST
def outside_fill_view(request, uuid):
    """Record places filled outside the platform (how many, when, why); a bad form comes
    back with its message beside it and what was typed kept."""
    vacancy = get_object_or_404(_vacancies(request.actor), uuid=uuid)
    error = None
    try:
        places = int(request.POST.get("places", ""))
        filled_on = date.fromisoformat(request.POST.get("filled_on", ""))
    except ValueError:
        error = _("Give the number of places and the date they were filled.")
    else:
        try:
            services.outside_fill_record(
                actor=request.actor,
                vacancy=vacancy,
                places=places,
                filled_on=filled_on,
                reason=request.POST.get("reason", ""),
                explanation=request.POST.get("explanation", ""),
            )
        except (ValidationError, DomainError) as exc:
            error = user_message(exc)
    if error:
        return render_detail(
            request, vacancy, status=400, outside_error=error, outside_values=request.POST
        )
    messages.success(request, _("Places filled outside the platform recorded."))
    return redirect(reverse("vacancies:detail", kwargs={"uuid": vacancy.uuid}) + "#fill")
