"""Advisers' pages of ranked, explained matches: the best people for a place among everyone
the adviser may see, and the best open places for a person — each with its score, the
criteria's points and the skill gap (with training that closes it). People decide; nothing
is sent to anyone. :func:`explained` is also what the runs' pages show of a suggestion."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from perspectief.candidates.models import Candidate
from perspectief.core.authz import Permission
from perspectief.core.policies import requires
from perspectief.routes.selectors.courses import GapTraining
from perspectief.vacancies.models import Vacancy

from ..constants import OPEN_STATUSES, ProposalStatus
from ..engine.records import TEACHABLE_CREDIT, Weights
from ..engine_records import candidate_record, vacancy_record
from ..selectors import trained
from ..selectors.configuration import for_person, for_place
from ..selectors.explanation import essential_counts, explain_criteria, skills_to_label
from ..selectors.not_ranked import not_listed, why_not_ranked
from ..selectors.proposals import place_marks, shown_score
from ..selectors.ranking import (
    person_for_engine,
    place_for_engine,
    ranked_candidates,
    ranked_places,
    skill_labels,
)


def explained(
    match,
    labels,
    *,
    candidate,
    vacancy,
    show_priority: bool,
    training=None,
    person=None,
    weights=None,
) -> dict:
    """What the page shows of one match: score, criteria with their points, maximum and
    sentence (:func:`..selectors.explanation.explain_criteria`; ``candidate`` and
    ``vacancy`` are the pair's engine records), the gap.

    Without ``show_priority`` (an organisation that does not serve the person) the priority
    criterion is left out of the score and its maximum too — otherwise the score minus the
    criteria shown would reveal that the person belongs to a priority target group.
    ``weights``: those of the configuration ranked with (default: the platform's)."""
    parts = explain_criteria(
        match, candidate, vacancy, weights=weights, labels=labels, show_priority=show_priority
    )
    priority = match.contributions.get("priority", 0.0)
    score = shown_score(match.score, priority, served=show_priority)
    essential_total, _has, _related, _missing = essential_counts(match, vacancy)
    row = {
        "score": round(100 * score),
        "score_max": sum(p["max"] or 0 for p in parts),
        # The priority points left out of score and maximum: the page says a criterion is,
        # the same for everyone the organisation does not serve (nothing about the person;
        # the page does not name priority to an organisation that does not serve them).
        "priority_left_out": not show_priority and (weights or Weights()).priority > 0,
        "sort_score": score,
        "criteria": parts,
        "missing": [
            {"label": labels.get(m["skill"], m["skill"]), "teachable": m["teachable"]}
            for m in match.missing_essential
        ],
        # Credited in part through a related skill the person has: not missing.
        "related": [
            {"label": labels.get(r["skill"], r["skill"]), "via": labels.get(r["via"], r["via"])}
            for r in match.related_essential
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
    setting = for_place(vacancy)
    ranked = ranked_candidates(actor=actor, vacancy=vacancy, setting=setting)
    labels = skill_labels({uri for _c, m in ranked for uri in skills_to_label(m)})
    served, listed, proposed = place_marks(actor, vacancy, [c for c, _m in ranked])
    training = GapTraining(actor)
    place = place_for_engine(vacancy)
    rising = trained.for_place(actor, vacancy, ranked)
    rows = [
        {
            "candidate": c,
            "rising": rising[c.pk],
            "name": c.full_name if c.pk in served else c.partner_label,
            "shortlisted_by": listed.get(c.pk),
            "proposal": ProposalStatus(proposed[c.pk]).label if c.pk in proposed else None,
            "proposal_open": proposed.get(c.pk) in OPEN_STATUSES,
            **explained(
                m,
                labels,
                candidate=candidate_record(c),  # prefetched by the ranking
                vacancy=place,
                show_priority=c.pk in served,
                training=training,
                person=c,
                weights=setting.weights,
            ),
        }
        for c, m in ranked
    ]
    # In the order of the scores shown (the same as the engine's for serving organisations).
    rows.sort(key=lambda r: (-r["sort_score"], str(r["candidate"].uuid)))
    in_cohort = set(vacancy.cohort.values_list("candidate_id", flat=True))
    for row in rows:
        row["in_cohort"] = row["candidate"].pk in in_cohort
    context = {
        "vacancy": vacancy,
        "rows": rows,
        "is_bulk": vacancy.phases.exists(),
        # People of the cohort or shortlist the list leaves out: ask why, one click each.
        "not_listed": not_listed(actor=actor, vacancy=vacancy, ranked=[c for c, _m in ranked]),
        "setting": setting,
    }
    return render(request, "matching/ranking/vacancy_candidates.html", context)


@requires(Permission.VIEW_CANDIDATES)
@require_GET
def candidate_places_view(request, uuid):
    """Ranked open places for a person, explained."""
    actor = request.actor
    candidate = get_object_or_404(Candidate.objects.visible_to(actor), uuid=uuid)
    setting = for_person(candidate)
    ranked = ranked_places(actor=actor, candidate=candidate, setting=setting)
    labels = skill_labels({uri for _v, m in ranked for uri in skills_to_label(m)})
    serves = Candidate.objects.served_by(actor.organisation).filter(pk=candidate.pk).exists()
    training = GapTraining(actor)
    person = person_for_engine(candidate, actor)
    rising = trained.for_person(actor, candidate, ranked)
    rows = [
        {
            "vacancy": v,
            "rising": rising[v.pk],
            **explained(
                m,
                labels,
                candidate=person,
                vacancy=vacancy_record(v),  # prefetched by the ranking
                show_priority=serves,
                training=training,
                person=candidate,
                weights=setting.weights,
            ),
        }
        for v, m in ranked
    ]
    name = candidate.full_name if serves else candidate.partner_label
    matchable = Candidate.objects.matchable().filter(pk=candidate.pk).exists()
    # Say which of the two stops it: the status, or availability not reconfirmed.
    availability_due = (
        not matchable and Candidate.objects.reconfirmation_due().filter(pk=candidate.pk).exists()
    )
    return render(
        request,
        "matching/ranking/candidate_places.html",
        {
            "candidate": candidate,
            "name": name,
            "rows": rows,
            "matchable": matchable,
            "availability_due": availability_due,
            "setting": setting,
        },
    )


#: The longest partner code a person is looked up by ("K-3F9A0C"); longer input is refused.
CODE_MAX_LENGTH = 12
#: The longest name typed; longer input finds nobody.
NAME_MAX_LENGTH = 100
#: At most this many people of the same name are offered to choose from.
SAME_NAME_SHOWN = 10


def _named(actor, text: str) -> tuple[Candidate | None, list[Candidate]]:
    """The person the adviser names: by partner code among everyone the adviser may see, or
    by name among the people the adviser's organisation serves (the names it may see).
    Returns the one person, or else the people of that name to choose from (maybe none)."""
    code = text.upper()
    if not code.startswith("K-"):
        code = f"K-{code}"
    visible = Candidate.objects.visible_to(actor)
    if len(code) <= CODE_MAX_LENGTH:
        found = visible.filter(label=code).first()
        if found is not None:
            return found, []
    words = text.split()
    if not words or len(text) > NAME_MAX_LENGTH or actor.organisation is None:
        return None, []
    named = visible.served_by(actor.organisation)
    for word in words:
        named = named.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    people = list(
        named.select_related("postcode__municipality").order_by("last_name", "first_name", "id")[
            : SAME_NAME_SHOWN + 1
        ]
    )
    if len(people) == 1:
        return people[0], []
    return None, people[:SAME_NAME_SHOWN]


@requires(Permission.VIEW_CANDIDATES)
@require_GET
def not_ranked_view(request, uuid):
    """Why is this person not in the place's list? The adviser names a person they may see
    by code, or one their organisation serves by name; the page gives the hard conditions
    that stop the match, in words, or — when every condition is met — the person's
    explained score. The read is access-logged."""
    actor = request.actor
    vacancy = get_object_or_404(Vacancy.objects.visible_to(actor), uuid=uuid)
    text = " ".join((request.GET.get("person") or "").split())
    context: dict = {"vacancy": vacancy, "code": text[:NAME_MAX_LENGTH]}
    if not text:
        return render(request, "matching/ranking/not_ranked.html", context)
    candidate, same_name = _named(actor, text)
    if candidate is None:
        context["same_name"] = same_name
        if not same_name:
            context["error"] = _(
                "No job seeker with this code or name whom you may see. The code looks like "
                "K-3F9A0C; a name is found among the people your organisation supports."
            )
        return render(request, "matching/ranking/not_ranked.html", context)
    weights = for_place(vacancy).weights
    verdict = why_not_ranked(actor=actor, vacancy=vacancy, candidate=candidate, weights=weights)
    served = Candidate.objects.served_by(actor.organisation).filter(pk=candidate.pk).exists()
    context.update(
        candidate=candidate,
        name=candidate.full_name if served else candidate.partner_label,
        reasons=verdict.reasons,
        row=explained(
            verdict.match,
            verdict.labels,
            candidate=verdict.candidate_record,
            vacancy=verdict.vacancy_record,
            show_priority=served,
            weights=weights,
        )
        if verdict.match is not None
        else None,
    )
    return render(request, "matching/ranking/not_ranked.html", context)
