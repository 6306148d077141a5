"""Advisers' pages of ranked, explained matches: the best people for a place among everyone
the adviser may see, and the best open places for a person — each with its score, the
criteria's points and the skill gap (with training that closes it). People decide; nothing
is sent to anyone. :func:`explained` is also what the runs' pages show of a suggestion."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from perspectief.candidates.models import Candidate
from perspectief.core.authz import Permission
from perspectief.core.policies import requires
from perspectief.routes.selectors.courses import GapTraining
from perspectief.vacancies.models import Vacancy

from ..constants import OPEN_STATUSES, ProposalStatus
from ..engine.records import TEACHABLE_CREDIT, Weights
from ..selectors.proposals import place_marks, shown_score
from ..selectors.ranking import ranked_candidates, ranked_places, skill_labels

CRITERIA_LABELS = {
    "essential_skills": gettext_lazy("essential skills"),
    "optional_skills": gettext_lazy("optional skills"),
    "occupation": gettext_lazy("occupation"),
    "distance": gettext_lazy("distance"),
    "hours": gettext_lazy("hours"),
    "education": gettext_lazy("education"),
    "language": gettext_lazy("Dutch language"),
    "priority": gettext_lazy("priority (furthest from work)"),
    "readiness": gettext_lazy("work-readiness"),
    "motivation": gettext_lazy("motivation"),
    "support": gettext_lazy("support at work"),
}


def essential_count(vacancy) -> int:
    """How many essential skills the place asks (from prefetched skills where there are)."""
    return sum(1 for s in vacancy.skills.all() if s.relation == "essential")


#: Each criterion's maximum in points: its weight (the weights add up to 100 points).
CRITERIA_MAX = {name: round(100 * w) for name, w in Weights().as_dict().items()}


def explained(
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
    actor = request.actor
    vacancy = get_object_or_404(Vacancy.objects.visible_to(actor), uuid=uuid)
    ranked = ranked_candidates(actor=actor, vacancy=vacancy)
    labels = skill_labels({m["skill"] for _c, r in ranked for m in r.missing_essential})
    served, listed, proposed = place_marks(actor, vacancy, [c for c, _m in ranked])
    training = GapTraining(actor)
    essential_total = essential_count(vacancy)
    rows = [
        {
            "candidate": c,
            "name": c.full_name if c.pk in served else c.partner_label,
            "shortlisted_by": listed.get(c.pk),
            "proposal": ProposalStatus(proposed[c.pk]).label if c.pk in proposed else None,
            "proposal_open": proposed.get(c.pk) in OPEN_STATUSES,
            **explained(
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
    return render(request, "matching/ranking/vacancy_candidates.html", context)


@requires(Permission.VIEW_CANDIDATES)
@require_GET
def candidate_places_view(request, uuid):
    """Ranked open places for a person, explained."""
    actor = request.actor
    candidate = get_object_or_404(Candidate.objects.visible_to(actor), uuid=uuid)
    ranked = ranked_places(actor=actor, candidate=candidate)
    labels = skill_labels({m["skill"] for _v, r in ranked for m in r.missing_essential})
    serves = Candidate.objects.served_by(actor.organisation).filter(pk=candidate.pk).exists()
    training = GapTraining(actor)
    rows = [
        {
            "vacancy": v,
            **explained(
                m,
                labels,
                show_priority=serves,
                training=training,
                person=candidate,
                essential_total=essential_count(v),
            ),
        }
        for v, m in ranked
    ]
    name = candidate.full_name if serves else candidate.partner_label
    matchable = Candidate.objects.matchable().filter(pk=candidate.pk).exists()
    return render(
        request,
        "matching/ranking/candidate_places.html",
        {"candidate": candidate, "name": name, "rows": rows, "matchable": matchable},
    )
