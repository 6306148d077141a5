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

from ..engine import records
from ..engine.candidate_index import CandidateIndex
from ..engine.vacancy_index import VacancyIndex
from ..engine_records import (
    candidate_record,
    people_for_engine,
    people_records,
    places_for_engine,
    taxonomy,
    vacancy_record,
)
from ..within_reach import could_rank, places_within_reach
from .configuration import Setting, for_person, for_place


def _log_ranked(actor: Actor, person: Candidate) -> None:
    """A person shown in a ranking is in the access log; one whose functional limitations
    the ranking used is also logged under the health processing activity."""
    access.record_candidate(actor, person, ProcessingActivity.CANDIDATE_MATCHING)
    if getattr(person, "health_visible", False) and getattr(person, "limitation_codes", ""):
        access.record_candidate(actor, person, ProcessingActivity.CANDIDATE_HEALTH)


def ranked_candidates(
    *,
    actor: Actor,
    vacancy: Vacancy,
    k: int = 50,
    setting: Setting | None = None,
    everyone: bool = False,
):
    """The best people for the place among those the adviser may see and who can be
    matched now, each with the explanation; every person shown is access-logged (and only
    they: the others are read for the ranking, not shown). Their
    functional limitations count only where the adviser may see them (the health
    permission, for the people their organisation serves). ``setting``: the configuration
    to rank with (default: the place's region's).

    Only the people the engine could admit for the place are read (:mod:`..within_reach`:
    within their reach of it, meeting its plain hard conditions), the same ranking as over
    everyone; ``everyone`` reads everyone instead (what the tests and benches compare with)."""
    setting = setting or for_place(vacancy)
    place = vacancy_record(vacancy)
    candidates = Candidate.objects.visible_to(actor).matchable()
    near = None if everyone else could_rank(place)
    if near is not None:
        candidates = candidates.filter(near)
    # Read as plain values into the engine's records; only the people shown are read as
    # model instances, with what the page shows of them (#20).
    people = people_records(candidates, actor=actor)
    if not people:
        return []
    index = CandidateIndex(taxonomy(), [record for _pk, record in people], setting.weights)
    ranked = setting.keep(index.top_for_vacancy(place, k))
    pk_of = {record.id: pk for pk, record in people}
    shown = Candidate.objects.filter(pk__in=[pk_of[m.id] for m in ranked])
    by_id = {str(p.uuid): p for p in people_for_engine(shown, actor=actor)}
    for match in ranked:
        _log_ranked(actor, by_id[match.id])
    return [(by_id[m.id], m) for m in ranked]


def ranked_places(
    *,
    actor: Actor,
    candidate: Candidate,
    k: int = 50,
    setting: Setting | None = None,
    everyone: bool = False,
):
    """The best open places in sight for the person, explained; the read is logged.
    ``setting``: the configuration to rank with (default: the person's region's).

    Only the places within the person's reach are read (:func:`..within_reach.places_within_reach`;
    a person without a location is admitted nowhere), the same ranking as over every open
    place; ``everyone`` reads them all instead (what the tests compare with)."""
    setting = setting or for_person(candidate)
    person = people_for_engine(Candidate.objects.filter(pk=candidate.pk), actor=actor).get()
    _log_ranked(actor, person)
    record = candidate_record(person, health=person.health_visible)
    open_places = Vacancy.objects.visible_to(actor).filter(status=VacancyStatus.OPEN)
    if not everyone:
        near = places_within_reach(record)
        if near is None:
            return []
        open_places = open_places.filter(near)
    places = list(places_for_engine(open_places))
    if not places:
        return []
    by_id = {str(v.uuid): v for v in places}
    index = VacancyIndex(taxonomy(), [vacancy_record(v) for v in places], setting.weights)
    ranked = setting.keep(index.top_for_candidate(record, k))
    return [(by_id[m.id], m) for m in ranked]


def place_for_engine(vacancy: Vacancy):
    """The place's engine record (read with everything it needs)."""
    return vacancy_record(places_for_engine(Vacancy.objects.filter(pk=vacancy.pk)).get())


def person_for_engine(candidate: Candidate, actor: Actor | None = None):
    """The person's engine record (read with everything it needs), with the functional
    limitations only where ``actor`` may use them — as in the actor's rankings."""
    person = people_for_engine(Candidate.objects.filter(pk=candidate.pk), actor=actor).get()
    return candidate_record(person, health=getattr(person, "health_visible", False))


def records_for_people(people, actor: Actor | None = None) -> dict[int, records.Candidate]:
    """Engine records of many people by primary key, in a fixed number of queries (the
    functional limitations as in :func:`person_for_engine`)."""
    found = people_for_engine(Candidate.objects.filter(pk__in=[p.pk for p in people]), actor=actor)
    return {p.pk: candidate_record(p, health=getattr(p, "health_visible", False)) for p in found}


def skill_labels(uris) -> dict[str, str]:
    """The labels of ESCO skills (for the skill gaps shown), by URI."""
    return {s.uri: s.label for s in Skill.objects.filter(uri__in=list(uris))}
