"""Ranked, explained matches for advisers: the best people for a place among those the
adviser may see, and the best open places for a person. Every person ranked is in the
access log. People decide; nothing here is sent to anyone.

Each ranking uses the region's matching configuration (``selectors.configuration``): of the
place's region for people ranked for a place, of the person's region for places ranked for a
person. Its weights rank; matches below its minimum score are left out."""

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
from .configuration import Setting, for_person, for_place


def ranked_candidates(
    *, actor: Actor, vacancy: Vacancy, k: int = 50, setting: Setting | None = None
):
    """The best people for the place among those the adviser may see and who can be
    matched now, each with the explanation; every person shown is access-logged.
    ``setting``: the configuration to rank with (default: the place's region's)."""
    setting = setting or for_place(vacancy)
    people = list(people_for_engine(Candidate.objects.visible_to(actor).matchable()))
    if not people:
        return []
    by_id = {str(p.uuid): p for p in people}
    index = CandidateIndex(taxonomy(), [candidate_record(p) for p in people], setting.weights)
    ranked = setting.keep(index.top_for_vacancy(vacancy_record(vacancy), k))
    for match in ranked:
        access.record_candidate(actor, by_id[match.id], ProcessingActivity.CANDIDATE_MATCHING)
    return [(by_id[m.id], m) for m in ranked]


def ranked_places(
    *, actor: Actor, candidate: Candidate, k: int = 50, setting: Setting | None = None
):
    """The best open places in sight for the person, explained; the read is logged.
    ``setting``: the configuration to rank with (default: the person's region's)."""
    setting = setting or for_person(candidate)
    places = list(
        places_for_engine(Vacancy.objects.visible_to(actor).filter(status=VacancyStatus.OPEN))
    )
    access.record_candidate(actor, candidate, ProcessingActivity.CANDIDATE_MATCHING)
    if not places:
        return []
    by_id = {str(v.uuid): v for v in places}
    index = VacancyIndex(taxonomy(), [vacancy_record(v) for v in places], setting.weights)
    person = people_for_engine(Candidate.objects.filter(pk=candidate.pk)).get()
    ranked = setting.keep(index.top_for_candidate(candidate_record(person), k))
    return [(by_id[m.id], m) for m in ranked]


def place_for_engine(vacancy: Vacancy):
    """The place's engine record (read with everything it needs)."""
    return vacancy_record(places_for_engine(Vacancy.objects.filter(pk=vacancy.pk)).get())


def person_for_engine(candidate: Candidate):
    """The person's engine record (read with everything it needs)."""
    return candidate_record(people_for_engine(Candidate.objects.filter(pk=candidate.pk)).get())


def records_for_people(people) -> dict[int, object]:
    """Engine records of many people by primary key, in a fixed number of queries."""
    found = people_for_engine(Candidate.objects.filter(pk__in=[p.pk for p in people]))
    return {p.pk: candidate_record(p) for p in found}


def skill_labels(uris) -> dict[str, str]:
    """The labels of ESCO skills (for the skill gaps shown), by URI."""
    return {s.uri: s.label for s in Skill.objects.filter(uri__in=list(uris))}
