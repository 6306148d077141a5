"""Where ORM rows meet the engine: job seekers and places as the engine's plain records
(:mod:`perspectief.matching.engine.records`), the querysets that load what a record needs,
and the ESCO taxonomy the platform matches with. The ranked, explained results an adviser
reads are in :mod:`perspectief.matching.selectors.ranking`."""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from pathlib import Path

from django.db.models import BooleanField, CharField, Prefetch, Value

from perspectief.candidates.constants import (
    CAPACITY_HOURS,
    Motivation,
    TargetGroup,
    WorkReadiness,
)
from perspectief.candidates.models import (
    Candidate,
    CandidateSkill,
    CandidateTargetGroup,
    HealthInformation,
)
from perspectief.core import codes
from perspectief.taxonomy.constants import PhysicalLoad
from perspectief.vacancies.models import Vacancy

from .engine import records
from .engine.taxonomy import Taxonomy, load_esco

ESCO_DIR = Path(__file__).resolve().parents[1] / "data" / "esco" / "v1.1.1"

#: Dutch language levels as the engine's 0-6 scale.
LANGUAGE = {"A0": 0, "A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "moedertaal": 6}

#: Target groups that count as furthest from the labour market (the priority criterion).
PRIORITY_GROUPS = {
    TargetGroup.LONG_TERM,
    TargetGroup.BANENAFSPRAAK,
    TargetGroup.YOUNG_WITHOUT_SK,
    TargetGroup.STATUSHOUDER,
}

# -- soft factors (#18; docs/matching.md, "Zachte factoren: waar ze vandaan komen") ----------

#: Work-readiness as the engine's 0..1.
READINESS: dict[str, float] = {
    WorkReadiness.READY: 1.0,
    WorkReadiness.NEARLY: 0.5,
    WorkReadiness.NOT_YET: 0.0,
}

#: Motivation as the engine's 0..1.
MOTIVATION: dict[str, float] = {Motivation.HIGH: 1.0, Motivation.MEDIUM: 0.6, Motivation.LOW: 0.2}


#: Physical load as the engine's 1 (light) .. 3 (heavy).
LOAD: dict[str, int] = {PhysicalLoad.LIGHT: 1, PhysicalLoad.MEDIUM: 2, PhysicalLoad.HEAVY: 3}


_taxonomy: list[Taxonomy] = []
_taxonomy_lock = threading.Lock()


def taxonomy() -> Taxonomy:
    """The ESCO taxonomy of the shipped export (once per process, about a second of CPU).

    Loaded once also when several threads of a web worker ask at the same time (they wait
    for the first instead of each loading it: under load four threads of a cold worker
    each spent seconds on it, #20); the web server loads it when a worker starts
    (``perspectief.wsgi``), before the worker takes requests."""
    if _taxonomy:
        return _taxonomy[0]
    with _taxonomy_lock:
        if not _taxonomy:
            _taxonomy.append(load_esco(ESCO_DIR))
    return _taxonomy[0]


def _level(level) -> int | None:
    if level is None:
        return None
    digits = re.match(r"\d", level.nlqf or "")
    if digits:
        return int(digits.group())
    return level.eqf


def _known(uris, known) -> list[str]:
    # A concept loaded from a newer ESCO than the engine's is left out of matching, not an error.
    return [u for u in uris if u in known]


def _max_hours(c: Candidate) -> float | None:
    if c.max_hours_per_week is not None:
        return c.max_hours_per_week
    return CAPACITY_HOURS.get(c.capacity)


def _limitations(c: Candidate) -> list[str]:
    """The codes of the person's functional limitations, as :func:`people_for_engine` loaded
    them for an actor (``limitation_codes``); a person loaded otherwise costs a query."""
    if hasattr(c, "limitation_codes"):
        return codes.split(c.limitation_codes)
    return codes.split(
        HealthInformation.objects.filter(candidate=c).values_list("limitations", flat=True).first()
    )


def candidate_record(c: Candidate, *, health: bool = False) -> records.Candidate:
    """The person as the engine reads them. Their functional limitations (what work may
    not ask of them) are in it only with ``health``: pass it only for a user who holds the
    health permission for this person (``health_visible`` of :func:`people_for_engine`)."""
    tx = taxonomy()
    return records.Candidate(
        id=str(c.uuid),
        lat=c.postcode.latitude if c.postcode is not None else None,
        lon=c.postcode.longitude if c.postcode is not None else None,
        hours=c.hours_per_week,
        max_distance_km=c.max_travel_km,
        education_level=_level(c.education_level),
        dutch_level=LANGUAGE.get(c.dutch_level),
        driving_licence=bool(c.driving_licence),
        occupations=_known([o.uri for o in c.occupations.all()], tx.occupations),
        skills=_known([s.skill.uri for s in c.skills.all()], tx.skills),
        available_from=c.available_from,
        priority=1.0 if {g.group for g in c.target_group_rows.all()} & PRIORITY_GROUPS else 0.0,
        readiness=READINESS.get(c.work_readiness),
        ready_from=c.ready_from,
        max_hours=_max_hours(c),
        max_load=LOAD.get(c.max_physical_load),
        motivation=MOTIVATION.get(c.motivation),
        excluded_sectors=codes.split(c.excluded_sectors),
        needs=codes.split(c.support_needs),
        limitations=_limitations(c) if health else [],
    )


def vacancy_record(v: Vacancy) -> records.Vacancy:
    tx = taxonomy()
    rows = list(v.skills.all())
    essential = _known([s.skill.uri for s in rows if s.relation == "essential"], tx.skills)
    return records.Vacancy(
        id=str(v.uuid),
        lat=v.postcode.latitude,
        lon=v.postcode.longitude,
        hours=v.hours_per_week,
        places=v.places_open,
        min_education_level=_level(v.min_education),
        dutch_level=LANGUAGE.get(v.dutch_level),
        driving_licence_required=v.driving_licence,
        occupation=v.occupation.uri
        if v.occupation is not None and v.occupation.uri in tx.occupations
        else None,
        essential_skills=essential,
        optional_skills=_known([s.skill.uri for s in rows if s.relation == "optional"], tx.skills),
        teachable_skills=[s.skill.uri for s in rows if s.teachable and s.skill.uri in essential],
        start_date=v.start_date,
        min_hours=v.min_hours_per_week,
        load=LOAD.get(v.physical_load),
        sector=v.employer.sector.code if v.employer.sector is not None else None,
        offers=v.support_offered_list,
        demands=v.work_demand_list,
    )


def people_for_engine(queryset, *, actor=None):
    """Job seekers with everything :func:`candidate_record` reads, in a fixed number of
    queries. For an ``actor``, each person also says whether the actor may use their
    functional limitations (``health_visible``) and carries only those
    (``CandidateQuerySet.with_health_for``)."""
    if actor is not None:
        queryset = queryset.with_health_for(actor)
    return queryset.select_related("postcode", "education_level").prefetch_related(
        "occupations",
        "target_group_rows",
        Prefetch("skills", queryset=CandidateSkill.objects.select_related("skill")),
    )


def places_for_engine(queryset):
    """Places with everything :func:`vacancy_record` reads, in a fixed number of queries."""
    return queryset.select_related(
        "postcode", "occupation", "min_education", "employer__sector"
    ).prefetch_related("skills__skill")


#: What :func:`people_records` reads of each person, in one query (no model instances).
_PERSON_COLUMNS = (
    "pk",
    "uuid",
    "postcode__latitude",
    "postcode__longitude",
    "hours_per_week",
    "max_travel_km",
    "education_level_id",
    "education_level__nlqf",
    "education_level__eqf",
    "dutch_level",
    "driving_licence",
    "available_from",
    "work_readiness",
    "ready_from",
    "max_hours_per_week",
    "capacity",
    "max_physical_load",
    "motivation",
    "excluded_sectors",
    "support_needs",
    "health_visible",
    "limitation_codes",
)


#: People whose related rows :func:`people_records` reads in one query (SQLite allows
#: 32,766 parameters in a query).
_CHUNK = 5000


def _grouped(rows, found: dict[int, list]) -> None:
    """Add each (person, value) row to the person's list in ``found``, in row order."""
    for person, value in rows:
        found[person].append(value)


def people_records(queryset, *, actor=None) -> list[tuple[int, records.Candidate]]:
    """(primary key, engine record) of everyone in ``queryset``: the same records as
    :func:`candidate_record` of :func:`people_for_engine` (functional limitations only where
    the actor may use them), read as plain values in four queries (three more per further
    5,000 people) — no model instance per person, which was most of the time of a ranking
    over a region's people (#20)."""
    tx = taxonomy()
    people = (
        queryset.with_health_for(actor)
        if actor is not None
        else queryset.annotate(
            health_visible=Value(False, output_field=BooleanField()),
            limitation_codes=Value(None, output_field=CharField()),
        )
    )
    rows = list(people.order_by().values_list(*_PERSON_COLUMNS))
    if not rows:
        return []
    # The people's occupations, skills and target groups by their keys, a chunk at a time:
    # index look-ups, not the people's query again as a subquery for each (on PostgreSQL
    # with the national population each repeat cost half a second, #20).
    occupations: dict[int, list] = defaultdict(list)
    skills: dict[int, list] = defaultdict(list)
    groups: dict[int, list] = defaultdict(list)
    for start in range(0, len(rows), _CHUNK):
        chosen = [row[0] for row in rows[start : start + _CHUNK]]
        _grouped(
            Candidate.occupations.through.objects.filter(candidate_id__in=chosen)
            .order_by("occupation__label_nl", "occupation_id")
            .values_list("candidate_id", "occupation__uri"),
            occupations,
        )
        _grouped(
            CandidateSkill.objects.filter(candidate_id__in=chosen)
            .order_by("candidate_id", "id")
            .values_list("candidate_id", "skill__uri"),
            skills,
        )
        _grouped(
            CandidateTargetGroup.objects.filter(candidate_id__in=chosen).values_list(
                "candidate_id", "group"
            ),
            groups,
        )
    found = []
    for row in rows:
        values = dict(zip(_PERSON_COLUMNS, row, strict=True))
        pk = values["pk"]
        found.append((pk, _record_of(values, occupations[pk], skills[pk], groups[pk], tx)))
    return found


def _record_of(v: dict, occupations, skills, groups, tx: Taxonomy) -> records.Candidate:
    """:func:`candidate_record` of one row of :func:`people_records`."""
    level = None
    if v["education_level_id"] is not None:
        digits = re.match(r"\d", v["education_level__nlqf"] or "")
        level = int(digits.group()) if digits else v["education_level__eqf"]
    max_hours = v["max_hours_per_week"]
    return records.Candidate(
        id=str(v["uuid"]),
        lat=v["postcode__latitude"],
        lon=v["postcode__longitude"],
        hours=v["hours_per_week"],
        max_distance_km=v["max_travel_km"],
        education_level=level,
        dutch_level=LANGUAGE.get(v["dutch_level"]),
        driving_licence=bool(v["driving_licence"]),
        occupations=_known(occupations, tx.occupations),
        skills=_known(skills, tx.skills),
        available_from=v["available_from"],
        priority=1.0 if set(groups) & PRIORITY_GROUPS else 0.0,
        readiness=READINESS.get(v["work_readiness"]),
        ready_from=v["ready_from"],
        max_hours=max_hours if max_hours is not None else CAPACITY_HOURS.get(v["capacity"]),
        max_load=LOAD.get(v["max_physical_load"]),
        motivation=MOTIVATION.get(v["motivation"]),
        excluded_sectors=codes.split(v["excluded_sectors"]),
        needs=codes.split(v["support_needs"]),
        limitations=codes.split(v["limitation_codes"]) if v["health_visible"] else [],
    )
