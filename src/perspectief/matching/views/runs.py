"""Pages of the regional batch run: start it, follow its progress, review its suggestions
place by place. People decide; the run itself sends nothing to anyone.

The runs page is a contribution point: :data:`RUNS_PAGE` holds the panels higher apps show
on it, registered in their ``AppConfig.ready()`` (``monitoring/panels.py`` shows the region's
matches of this year, counted by the one definition of a match, which lives in monitoring).
Each panel gets the request; it reads the actor from it and returns its context, or ``None``
to stay off the page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.contributions import Contributions, Panel, render_panels
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.policies import requires
from perspectief.routes.selectors.courses import GapTraining
from perspectief.vacancies.models import Vacancy

from ..constants import ProposalStatus, RunStatus, SuggestionStatus
from ..models import MatchSuggestion
from ..selectors.configuration import Setting, in_force
from ..selectors.explanation import skills_to_label
from ..selectors.proposals import place_marks
from ..selectors.ranking import place_for_engine, records_for_people, skill_labels
from ..selectors.runs import may_review, runs_visible, suggestion_match, suggestions_visible
from ..services.runs import run_cancel, run_start, suggestion_review
from .ranking import explained

#: The panels higher apps add to the runs page, under its introduction (see the docstring).
RUNS_PAGE = Contributions[Panel]("the matching runs page")

DONE_MESSAGES = {
    "shortlist": lambda: _("Put on the shortlist."),
    "propose": lambda: _("Proposed to the employer. The employer sees an anonymous profile."),
    "dismiss": lambda: _("Set aside."),
    "reopen": lambda: _("Back among the suggestions to review."),
}


def _reviewer(request):
    actor = request.actor
    if not may_review(actor):
        raise PermissionDenied
    return actor


@requires(Permission.VIEW_CANDIDATES)
def runs_view(request):
    """The region's runs; an account manager starts a new one here."""
    actor = _reviewer(request)
    if request.method == "POST":
        if not actor.has_perm(Permission.RUN_MATCHING):
            raise PermissionDenied
        try:
            run = run_start(actor=actor)
        except (ValidationError, DomainError) as exc:
            messages.error(request, user_message(exc))
            return redirect("matching:runs")
        return redirect("matching:run", uuid=run.uuid)
    runs = runs_visible(actor).select_related("started_for", "started_by")[:20]
    # A run's suggestions are no matches; the page says so. The region's matches themselves
    # are counted where a match is defined (monitoring), which adds its panel here.
    return render(
        request,
        "matching/runs/runs.html",
        {
            "runs": runs,
            "may_start": actor.has_perm(Permission.RUN_MATCHING),
            "panels": render_panels(RUNS_PAGE, request),
            "busy": any(r.status in (RunStatus.PENDING, RunStatus.RUNNING) for r in runs),
            "setting": in_force(actor.region_id),
        },
    )


@requires(Permission.VIEW_CANDIDATES)
@require_POST
def run_cancel_view(request, uuid):
    """Stop a waiting or running run (who may start runs may stop them): nothing is stored."""
    actor = _reviewer(request)
    if not actor.has_perm(Permission.RUN_MATCHING):
        raise PermissionDenied
    run = get_object_or_404(runs_visible(actor), uuid=uuid)
    try:
        run_cancel(actor=actor, run=run)
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, _("The matching run was cancelled; nothing was stored."))
    return redirect("matching:run", uuid=run.uuid)


@requires(Permission.VIEW_CANDIDATES)
@require_GET
def run_view(request, uuid):
    """Progress while running (htmx polls), then the places with their suggestions."""
    actor = _reviewer(request)
    run = get_object_or_404(runs_visible(actor).select_related("configuration"), uuid=uuid)
    context = {
        "run": run,
        "setting": Setting.of(run.configuration),
        # Only the organisation that started the run cancels it (services.runs.run_cancel).
        "may_cancel": actor.has_perm(Permission.RUN_MATCHING)
        and run.started_for_id == actor.organisation.pk,
    }
    if run.status == RunStatus.DONE:
        places = (
            suggestions_visible(actor, run)
            .values("vacancy")
            .annotate(
                total=Count("id"),
                assigned=Count("id", filter=Q(assigned=True)),
                open=Count("id", filter=Q(status=SuggestionStatus.OPEN)),
            )
            .order_by("-assigned", "vacancy")
        )
        page = params.page(request, places, 25)
        vacancies = Vacancy.objects.select_related("employer__organisation").in_bulk(
            [row["vacancy"] for row in page]
        )
        context["page"] = page
        context["places"] = [{**row, "place": vacancies[row["vacancy"]]} for row in page]
    template = "matching/runs/_run_status.html" if request.headers.get("HX-Request") else None
    return render(request, template or "matching/runs/run.html", context)


@requires(Permission.VIEW_CANDIDATES)
@require_GET
def run_place_view(request, uuid, vacancy):
    """One place's suggestions in a run, ranked and explained; every person shown is in
    the access log. Names only for organisations that serve the person."""
    actor = _reviewer(request)
    run = get_object_or_404(
        runs_visible(actor).select_related("configuration"), uuid=uuid, status=RunStatus.DONE
    )
    place = get_object_or_404(Vacancy.objects.visible_to(actor), uuid=vacancy)
    setting = Setting.of(run.configuration)
    suggestions = list(
        suggestions_visible(actor, run)
        .filter(vacancy=place)
        .select_related("candidate", "reviewed_by")
        .order_by("rank")
    )
    only_assigned = params.flag(request, "distribution")
    if only_assigned:
        suggestions = [s for s in suggestions if s.assigned]
    people = [s.candidate for s in suggestions]
    served, listed, proposed = place_marks(actor, place, people)
    matches = {s.pk: suggestion_match(s) for s in suggestions}
    labels = skill_labels({uri for m in matches.values() for uri in skills_to_label(m)})
    # Where the distribution put people it did not put here (places the adviser may see).
    elsewhere = dict(
        suggestions_visible(actor, run)
        .filter(candidate__in=people, assigned=True)
        .exclude(vacancy=place)
        .values_list("candidate_id", "vacancy__title")
    )
    training = GapTraining(actor)
    # The points are the run's; the sentences say the facts of the person and place now.
    place_record = place_for_engine(place)
    person_records = records_for_people(people)
    rows = []
    for s in suggestions:
        person = s.candidate
        access.record_candidate(actor, person, ProcessingActivity.CANDIDATE_MATCHING)
        rows.append(
            {
                "suggestion": s,
                "may_set_aside": person.pk in served or run.started_for_id == actor.organisation.pk,
                "elsewhere": elsewhere.get(person.pk),
                "candidate": s.candidate,
                "name": s.candidate.full_name
                if s.candidate_id in served
                else s.candidate.partner_label,
                "shortlisted_by": listed.get(s.candidate_id),
                "proposal": ProposalStatus(proposed[person.pk]).label
                if person.pk in proposed
                else None,
                **explained(
                    matches[s.pk],
                    labels,
                    candidate=person_records[person.pk],
                    vacancy=place_record,
                    show_priority=s.candidate_id in served,
                    training=training,
                    person=person,
                    weights=setting.weights,
                ),
            }
        )
    rows.sort(key=lambda r: (-r["sort_score"], str(r["candidate"].uuid)))
    return render(
        request,
        "matching/runs/run_place.html",
        {
            "run": run,
            "vacancy": place,
            "rows": rows,
            "only_assigned": only_assigned,
            "setting": setting,
        },
    )


@requires(Permission.VIEW_CANDIDATES)
@require_POST
def suggestion_view(request, uuid):
    actor = _reviewer(request)
    suggestion = get_object_or_404(
        MatchSuggestion.objects.filter(run__in=runs_visible(actor)).select_related(
            "run", "vacancy"
        ),
        uuid=uuid,
    )
    action = request.POST.get("action", "")
    try:
        suggestion_review(
            actor=actor, suggestion=suggestion, action=action, reason=request.POST.get("reason", "")
        )
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, DONE_MESSAGES[action]())
    url = reverse(
        "matching:run-place",
        kwargs={"uuid": suggestion.run.uuid, "vacancy": suggestion.vacancy.uuid},
    )
    return redirect(f"{url}#suggestion-{suggestion.uuid}")
