"""Ranked, explained matches for advisers: the best people for a place among those the
adviser may see, and the best open places for a person. Every person ranked is in the
access log. People decide; nothing here is sent to anyone."""

from __future__ import annotations

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor
from perspectief.taxonomy.models import Skill
from perspectief.vacancies.constants import VacancyStatus
from perspectief.vacancies.models import Vacancy

from ..engine.candidate_index import CandidateIndex
from ..engine.vacancy_index import VacancyIndex
from ..engine_records import (
    candidate_record,
    people_for_engine,
    places_for_engine,
    taxonomy,
    vacancy_record,
)


def _log_ranked(actor: Actor, person: Candidate) -> None:
    """A person shown in a ranking is in the access log; one whose functional limitations
    the ranking used is also logged under the health processing activity."""
    access.record_candidate(actor, person, ProcessingActivity.CANDIDATE_MATCHING)
    if person.health_visible and person.limitation_codes:
        access.record_candidate(actor, person, ProcessingActivity.CANDIDATE_HEALTH)


def ranked_candidates(*, actor: Actor, vacancy: Vacancy, k: int = 50):
    """The best people for the place among those the adviser may see and who can be
    matched now, each with the explanation; every person shown is access-logged. Their
    functional limitations count only where the adviser may see them (the health
    permission, for the people their organisation serves)."""
    people = list(people_for_engine(Candidate.objects.visible_to(actor).matchable(), actor=actor))
    if not people:
        return []
    by_id = {str(p.uuid): p for p in people}
    index = CandidateIndex(
        taxonomy(), [candidate_record(p, health=p.health_visible) for p in people]
    )
    ranked = index.top_for_vacancy(vacancy_record(vacancy), k)
    for match in ranked:
        _log_ranked(actor, by_id[match.id])
    return [(by_id[m.id], m) for m in ranked]


def ranked_places(*, actor: Actor, candidate: Candidate, k: int = 50):
    """The best open places in sight for the person, explained; the read is logged."""
    places = list(
        places_for_engine(Vacancy.objects.visible_to(actor).filter(status=VacancyStatus.OPEN))
    )
    person = people_for_engine(Candidate.objects.filter(pk=candidate.pk), actor=actor).get()
    _log_ranked(actor, person)
    if not places:
        return []
    by_id = {str(v.uuid): v for v in places}
    index = VacancyIndex(taxonomy(), [vacancy_record(v) for v in places])
    record = candidate_record(person, health=person.health_visible)
    return [(by_id[m.id], m) for m in index.top_for_candidate(record, k)]


def skill_labels(uris) -> dict[str, str]:
    """The labels of ESCO skills (for the skill gaps shown), by URI."""
    return {s.uri: s.label for s in Skill.objects.filter(uri__in=list(uris))}
