"""Reads of the regional matching runs: who may review them, the runs of the actor's region
and the suggestions of people and places the actor may see, in the order of the scores the
actor sees."""

from __future__ import annotations

from django.db.models import Case, F, FloatField, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce

from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor, Permission
from perspectief.vacancies.models import Vacancy

from ..constants import RunStatus
from ..engine.records import Match
from ..engine_records import places_for_engine, vacancy_record
from ..models import MatchRun, MatchSuggestion
from .explanation import explain_criteria, skills_to_label
from .ranking import records_for_people, skill_labels


def may_review(actor: Actor) -> bool:
    return bool(
        actor is not None
        and actor.region_id
        and actor.has_perm(Permission.VIEW_CANDIDATES)
        and actor.has_perm(Permission.VIEW_EMPLOYERS)
    )


def runs_visible(actor: Actor):
    """The runs of the actor's region, for advisers who may see people and places."""
    if not may_review(actor):
        return MatchRun.objects.none()
    return MatchRun.objects.filter(region_id=actor.region_id)


def suggestions_visible(actor: Actor, run: MatchRun):
    """The suggestions of a finished run, of people and places the actor may see (the
    choke points)."""
    return MatchSuggestion.objects.filter(
        run=run,
        run__status=RunStatus.DONE,
        candidate__in=Candidate.objects.visible_to(actor),
        vacancy__in=Vacancy.objects.visible_to(actor),
    )


def suggestions_in_shown_order(actor: Actor, rows):
    """``rows`` (suggestions) ordered per place by the score the actor sees, best first.

    An organisation that does not serve a person sees the score without the priority
    criterion; ordering those rows by the full score (or the run's rank) would show who got
    the priority bonus through the order alone. Ties go by the person's random UUID."""
    served = Candidate.objects.served_by(actor.organisation).values("pk")
    priority = Coalesce(Cast(KT("contributions__priority"), FloatField()), Value(0.0))
    shown = Case(
        When(candidate__in=served, then=F("score")),
        default=F("score") - priority,
        output_field=FloatField(),
    )
    return rows.annotate(shown_score=shown).order_by(
        "vacancy_id", "-shown_score", "candidate__uuid"
    )


def suggestion_match(suggestion: MatchSuggestion) -> Match:
    """A stored suggestion as the engine's match (the run's points, skill gap and where
    the occupation points come from; for a run before that was kept, the explanation reads
    it from the points)."""
    return Match(
        str(suggestion.candidate.uuid),
        suggestion.score,
        suggestion.contributions,
        suggestion.missing,
        suggestion.related,
        suggestion.occupation_via or None,
    )


def with_explanations(suggestions) -> list:
    """Suggestions (already filtered by :func:`..vacancies.selectors.places.shown_people`,
    which sets ``served``) each with ``explanation``: the per-criterion list of
    :func:`.explanation.explain_criteria` — the run's points, the facts of now. The
    priority criterion only for an organisation that serves the person."""
    suggestions = list(suggestions)
    if not suggestions:
        return suggestions
    people = records_for_people([s.candidate for s in suggestions])
    places = {
        v.pk: vacancy_record(v)
        for v in places_for_engine(
            Vacancy.objects.filter(pk__in={s.vacancy_id for s in suggestions})
        )
    }
    matches = {s.pk: suggestion_match(s) for s in suggestions}
    labels = skill_labels({uri for m in matches.values() for uri in skills_to_label(m)})
    for s in suggestions:
        s.explanation = explain_criteria(
            matches[s.pk],
            people[s.candidate_id],
            places[s.vacancy_id],
            labels=labels,
            show_priority=getattr(s, "served", False),
        )
    return suggestions
