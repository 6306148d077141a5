"""Advisers' pages: propose a person for a place (or add them to a bulk request's cohort)
from the person's page, withdraw a proposal, record consent for an introduction."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from perspectief.candidates.models import Candidate
from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.ids import parse_uuid
from perspectief.core.policies import requires
from perspectief.organisations.models import EmployerAccount
from perspectief.routes.selectors import GapTraining
from perspectief.vacancies.constants import Contract
from perspectief.vacancies.models import Vacancy
from perspectief.vacancies.services import bulk

from . import services
from .constants import OPEN_STATUSES, ProposalStatus
from .engine.records import TEACHABLE_CREDIT, Weights
from .models import Proposal
from .selectors import shown_score


@requires(Permission.VIEW_CANDIDATES)
@require_POST
def propose_view(request, uuid):
    """From a person's page: propose them for a place, or add them to its cohort."""
    actor = request.actor
    candidate = get_object_or_404(Candidate.objects.visible_to(actor), uuid=uuid)
    vacancy = (
        Vacancy.objects.visible_to(actor)
        .filter(uuid=parse_uuid(request.POST.get("vacancy")))
        .first()
    )
    if vacancy is None:
        messages.error(request, _("Choose a place."))
        return redirect("candidates:detail", uuid=candidate.uuid)
    try:
        if request.POST.get("action") == "shortlist":
            services.shortlist_add(
                actor=actor,
                vacancy=vacancy,
                candidate=candidate,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("On the shortlist of %(place)s.") % {"place": vacancy})
        elif request.POST.get("action") == "cohort":
            bulk.cohort_add(
                actor=actor,
                vacancy=vacancy,
                candidate=candidate,
                preparation=request.POST.get("preparation", ""),
            )
            messages.success(request, _("Added to the cohort of %(place)s.") % {"place": vacancy})
        else:
            services.proposal_create(actor=actor, vacancy=vacancy, candidate=candidate)
            messages.success(
                request,
                _("Proposed for %(place)s. The employer sees an anonymous profile.")
                % {"place": vacancy},
            )
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    back = request.POST.get("back")
    if back == "ranked":
        return redirect("matching:candidates", uuid=vacancy.uuid)
    return redirect("candidates:detail", uuid=candidate.uuid)


@requires(Permission.VIEW_CANDIDATES)
@require_POST
def proposal_action_view(request, uuid):
    actor = request.actor
    proposal = get_object_or_404(
        Proposal.objects.filter(
            candidate__in=Candidate.objects.visible_to(actor),
            vacancy__in=Vacancy.objects.visible_to(actor),
        ),
        uuid=uuid,
    )
    try:
        if request.POST.get("action") == "introduce":
            services.introduction_record(
                actor=actor,
                proposal=proposal,
                method=request.POST.get("method", ""),
                statement_version=request.POST.get("statement_version", ""),
            )
            messages.success(
                request,
                _("Recorded: the employer now sees the person's name and contact details."),
            )
        elif request.POST.get("action") == "outcome":
            from .employer_views import _outcome

            _outcome(request, proposal)
            messages.success(request, _("Outcome recorded."))
        elif request.POST.get("action") == "withdraw":
            services.proposal_withdraw(actor=actor, proposal=proposal)
            messages.success(request, _("Proposal withdrawn."))
        else:
            messages.error(request, _("Unknown action."))
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    return redirect("candidates:detail", uuid=proposal.candidate.uuid)


CRITERIA_LABELS = {
    "essential_skills": gettext_lazy("essential skills"),
    "optional_skills": gettext_lazy("optional skills"),
    "occupation": gettext_lazy("occupation"),
    "distance": gettext_lazy("distance"),
    "hours": gettext_lazy("hours"),
    "education": gettext_lazy("education"),
    "language": gettext_lazy("Dutch language"),
    "priority": gettext_lazy("priority (furthest from work)"),
}


def place_marks(actor, vacancy, people) -> tuple[set[int], dict, dict]:
    """For people shown on a place: the ones the actor's organisation serves, who put them
    on the place's shortlist (organisation name) and the status of their proposal there."""
    from .models import ShortlistEntry

    ids = [p.pk for p in people]
    served = set(
        Candidate.objects.served_by(actor.organisation)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    listed = dict(
        ShortlistEntry.objects.filter(vacancy=vacancy).values_list(
            "candidate_id", "added_for__name"
        )
    )
    proposed = dict(
        Proposal.objects.filter(vacancy=vacancy, candidate_id__in=ids).values_list(
            "candidate_id", "status"
        )
    )
    return served, listed, proposed


def _essential_count(vacancy) -> int:
    """How many essential skills the place asks (from prefetched skills where there are)."""
    return sum(1 for s in vacancy.skills.all() if s.relation == "essential")


#: Each criterion's maximum in points: its weight (the weights add up to 100 points).
CRITERIA_MAX = {name: round(100 * w) for name, w in Weights().as_dict().items()}


def _explained(
    match, labels, *, show_priority: bool, training=None, person=None, essential_total: int
) -> dict:
    """What the page shows of one match: score, criteria with their points and maximum, the
    gap.

    Without ``show_priority`` (an organisation that does not serve the person) the priority
    criterion is left out of the score and its maximum too — otherwise the score minus the
    criteria shown would reveal that the person belongs to a priority target group."""
    parts = [
        {
            "label": CRITERIA_LABELS[name],
            "points": round(100 * value),
            "max": CRITERIA_MAX[name],
        }
        for name, value in match.contributions.items()
        if show_priority or name != "priority"
    ]
    priority = match.contributions.get("priority", 0.0)
    score = shown_score(match.score, priority, served=show_priority)
    row = {
        "score": round(100 * score),
        "score_max": sum(p["max"] for p in parts),
        "sort_score": score,
        "criteria": parts,
        "missing": [
            {"label": labels.get(m["skill"], m["skill"]), "teachable": m["teachable"]}
            for m in match.missing_essential
        ],
        "essential_total": essential_total,
        # Points for essential skills the person lacks come from these (taught on the job).
        "taught_missing": sum(1 for m in match.missing_essential if m["teachable"]),
        "teachable_percent": round(100 * TEACHABLE_CREDIT),
        # Training in the catalogue that closes the gap (the skills not taught on the job).
        "training": training.for_gap(
            [m["skill"] for m in match.missing_essential if not m["teachable"]],
            near=person.postcode if person is not None and person.postcode_id else None,
            reach_km=person.max_travel_km if person is not None else None,
        )
        if training is not None
        else [],
        "gap_size": sum(1 for m in match.missing_essential if not m["teachable"]),
        "asks_skills": essential_total > 0,
        # A course can go on the route in one action by an organisation serving the person.
        "plan_for": person
        if show_priority and person is not None and training is not None and training.may_plan
        else None,
    }
    if row["plan_for"] is not None and row["training"]:
        row["route_offers"] = training.on_route(person)
    return row


@requires(Permission.VIEW_CANDIDATES)
@require_GET
def vacancy_candidates_view(request, uuid):
    """Ranked candidates for a place, from everyone the adviser may see, with the
    explanation and skill gap per person. People decide; nothing is sent to anyone."""
    from . import adapters

    actor = request.actor
    vacancy = get_object_or_404(Vacancy.objects.visible_to(actor), uuid=uuid)
    ranked = adapters.ranked_candidates(actor=actor, vacancy=vacancy)
    labels = adapters.skill_labels({m["skill"] for _c, r in ranked for m in r.missing_essential})
    served, listed, proposed = place_marks(actor, vacancy, [c for c, _m in ranked])
    training = GapTraining(actor)
    essential_total = _essential_count(vacancy)
    rows = [
        {
            "candidate": c,
            "name": c.full_name if c.pk in served else c.partner_label,
            "shortlisted_by": listed.get(c.pk),
            "proposal": ProposalStatus(proposed[c.pk]).label if c.pk in proposed else None,
            "proposal_open": proposed.get(c.pk) in OPEN_STATUSES,
            **_explained(
                m,
                labels,
                show_priority=c.pk in served,
                training=training,
                person=c,
                essential_total=essential_total,
            ),
        }
        for c, m in ranked
    ]
    # In the order of the scores shown (the same as the engine's for serving organisations).
    rows.sort(key=lambda r: (-r["sort_score"], str(r["candidate"].uuid)))
    in_cohort = set(vacancy.cohort.values_list("candidate_id", flat=True))
    for row in rows:
        row["in_cohort"] = row["candidate"].pk in in_cohort
    context = {"vacancy": vacancy, "rows": rows, "is_bulk": vacancy.phases.exists()}
    return render(request, "matching/vacancy_candidates.html", context)


@requires(Permission.VIEW_CANDIDATES)
@require_GET
def candidate_places_view(request, uuid):
    """Ranked open places for a person, explained."""
    from . import adapters

    actor = request.actor
    candidate = get_object_or_404(Candidate.objects.visible_to(actor), uuid=uuid)
    ranked = adapters.ranked_places(actor=actor, candidate=candidate)
    labels = adapters.skill_labels({m["skill"] for _v, r in ranked for m in r.missing_essential})
    serves = Candidate.objects.served_by(actor.organisation).filter(pk=candidate.pk).exists()
    training = GapTraining(actor)
    rows = [
        {
            "vacancy": v,
            **_explained(
                m,
                labels,
                show_priority=serves,
                training=training,
                person=candidate,
                essential_total=_essential_count(v),
            ),
        }
        for v, m in ranked
    ]
    name = candidate.full_name if serves else candidate.partner_label
    matchable = Candidate.objects.matchable().filter(pk=candidate.pk).exists()
    return render(
        request,
        "matching/candidate_places.html",
        {"candidate": candidate, "name": name, "rows": rows, "matchable": matchable},
    )


@requires(Permission.VIEW_CANDIDATES)
@require_POST
def shortlist_entry_view(request, uuid):
    """Take someone off a shortlist (the organisation that added them, or a serving one)."""
    from .models import ShortlistEntry

    actor = request.actor
    entry = get_object_or_404(
        ShortlistEntry.objects.filter(
            candidate__in=Candidate.objects.visible_to(actor),
            vacancy__in=Vacancy.objects.visible_to(actor),
        ),
        uuid=uuid,
    )
    try:
        services.shortlist_remove(actor=actor, entry=entry)
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, _("Taken off the shortlist."))
    return redirect("vacancies:detail", uuid=entry.vacancy.uuid)


class OutsideHireForm(forms.Form):
    """A hire into a job found outside the platform: the evidence every match carries."""

    employer = forms.ModelChoiceField(
        label=gettext_lazy("Employer with an account here"),
        queryset=EmployerAccount.objects.none(),
        required=False,
        empty_label="—",
    )
    employer_name = forms.CharField(
        label=gettext_lazy("Or the employer's name"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("When the employer has no account here."),
    )
    job_title = forms.CharField(label=gettext_lazy("Job"), max_length=200)
    contract = forms.ChoiceField(
        label=gettext_lazy("Contract"), choices=[("", "—"), *Contract.choices]
    )
    start_date = forms.DateField(
        label=gettext_lazy("Starts work on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = (
            EmployerAccount.objects.visible_to(actor)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        self.fields["employer"].label_from_instance = lambda account: account.organisation.name


@requires(Permission.MANAGE_CANDIDATES)
def outside_hire_view(request, uuid):
    """From the person's page: record a hire into a job the person found outside the
    platform (no place, no proposal). The person becomes *geplaatst* and the support plan
    starts, as with any hire."""
    from perspectief.candidates import selectors as candidate_selectors

    actor = request.actor
    try:
        candidate, level = candidate_selectors.candidate_get_for_actor(actor=actor, uuid=uuid)
    except DomainError:
        raise Http404() from None
    if (
        level != candidate_selectors.FULL
        or not Candidate.objects.served_by(actor.organisation).filter(pk=candidate.pk).exists()
    ):
        raise Http404()
    form = OutsideHireForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            hire = services.outside_hire_record(
                actor=actor, candidate=candidate, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except DomainError as exc:
            messages.error(request, user_message(exc))
        else:
            messages.success(
                request,
                _("The hire is recorded: %(name)s is placed and the support at work has started.")
                % {"name": candidate.full_name},
            )
            return redirect("route:support-plan", uuid=hire.support_plan.uuid)
    return render(request, "matching/outside_hire.html", {"candidate": candidate, "form": form})
