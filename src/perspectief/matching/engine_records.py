"""Where ORM rows meet the engine: job seekers and places as the engine's plain records
(:mod:`perspectief.matching.engine.records`), the querysets that load what a record needs,
and the ESCO taxonomy the platform matches with. The ranked, explained results an adviser
reads are in :mod:`perspectief.matching.selectors.ranking`."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from django.db.models import Prefetch

from perspectief.candidates.constants import TargetGroup
from perspectief.candidates.models import Candidate, CandidateSkill
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


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    """The ESCO taxonomy of the shipped export (once per process, about a second)."""
    return load_esco(ESCO_DIR)


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


def candidate_record(c: Candidate) -> records.Candidate:
    tx = taxonomy()
    return records.Candidate(
        id=str(c.uuid),
        lat=c.postcode.latitude if c.postcode_id else None,
        lon=c.postcode.longitude if c.postcode_id else None,
        hours=c.hours_per_week,
        max_distance_km=c.max_travel_km,
        education_level=_level(c.education_level),
        dutch_level=LANGUAGE.get(c.dutch_level),
        driving_licence=bool(c.driving_licence),
        occupations=_known([o.uri for o in c.occupations.all()], tx.occupations),
        skills=_known([s.skill.uri for s in c.skills.all()], tx.skills),
        available_from=c.available_from,
        priority=1.0 if {g.group for g in c.target_group_rows.all()} & PRIORITY_GROUPS else 0.0,
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
        if v.occupation_id and v.occupation.uri in tx.occupations
        else None,
        essential_skills=essential,
        optional_skills=_known([s.skill.uri for s in rows if s.relation == "optional"], tx.skills),
        teachable_skills=[s.skill.uri for s in rows if s.teachable and s.skill.uri in essential],
        start_date=v.start_date,
    )


def people_for_engine(queryset):
    """Job seekers with everything :func:`candidate_record` reads, in a fixed number of
    queries."""
    return queryset.select_related("postcode", "education_level").prefetch_related(
        "occupations",
        "target_group_rows",
        Prefetch("skills", queryset=CandidateSkill.objects.select_related("skill")),
    )


def places_for_engine(queryset):
    """Places with everything :func:`vacancy_record` reads, in a fixed number of queries."""
    return queryset.select_related("postcode", "occupation", "min_education").prefetch_related(
        "skills__skill"
    )
