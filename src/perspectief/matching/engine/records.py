"""The engine's records — people and places in, ranked matches out — and its weights.
Plain data; no Django."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TypedDict

#: Default reach when a person gave no maximum travel distance (km).
DEFAULT_REACH_KM = 25.0
#: Credit for an essential skill the employer will teach, for someone who lacks it.
TEACHABLE_CREDIT = 0.75

#: Support at work a person may need and a place may offer (#18): an adjusted place
#: (aangepaste plek), a jobcoach, flexible working hours.
SUPPORT = ("adjusted", "jobcoach", "flexible_hours")
#: Work demands a functional limitation can rule out (#18).
DEMANDS = (
    "heavy_lifting",  # zwaar tillen
    "long_standing",  # lang staan of lopen
    "night_shifts",  # nachtdiensten
    "noise",  # lawaai
    "time_pressure",  # hoge werkdruk of tijdsdruk
    "customer_contact",  # veel klantcontact
)
#: The sections (A-U) of the Standaard Bedrijfsindeling (SBI) a place's sector is one of.
SECTORS = tuple("ABCDEFGHIJKLMNOPQRSTU")


@dataclass
class Candidate:
    id: str
    lat: float | None = None
    lon: float | None = None
    hours: float | None = None
    max_distance_km: float | None = None
    education_level: int | None = None  # NLQF 0-8
    dutch_level: int | None = None  # 0 (none) .. 6 (C2/native)
    driving_licence: bool = False
    occupations: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    available_from: date | None = None
    priority: float = 0.0  # 0..1; 1 for the people furthest from the labour market
    # Soft factors (#18). Unknown is None (or empty): it never counts against a person.
    #: Work-readiness: 1.0 work-ready, 0.5 nearly, 0.0 not yet.
    readiness: float | None = None
    #: The day the person is (or is expected to be) work-ready: ready from then on.
    ready_from: date | None = None
    #: Hours a week the person can carry (belastbaarheid) — a hard limit, unlike ``hours``,
    #: the hours the person wants.
    max_hours: float | None = None
    #: The physical load the person can carry: 1 light, 2 medium, 3 heavy.
    max_load: int | None = None
    #: Motivation: 1.0 high, 0.6 medium, 0.2 low.
    motivation: float | None = None
    #: SBI sections (A-U) the person will not work in (a hard condition).
    excluded_sectors: list[str] = field(default_factory=list)
    #: Support the person needs at work, codes of :data:`SUPPORT`.
    needs: list[str] = field(default_factory=list)
    #: Work demands (codes of :data:`DEMANDS`) the person cannot meet because of a functional
    #: limitation. Filled only for a user who holds the health permission; a hard condition
    #: that is only ever shown as "fits / does not fit".
    limitations: list[str] = field(default_factory=list)


@dataclass
class Vacancy:
    id: str
    lat: float | None = None
    lon: float | None = None
    hours: float | None = None
    places: int = 1
    min_education_level: int | None = None
    dutch_level: int | None = None
    driving_licence_required: bool = False
    occupation: str | None = None
    essential_skills: list[str] = field(default_factory=list)
    optional_skills: list[str] = field(default_factory=list)
    teachable_skills: list[str] = field(default_factory=list)
    start_date: date | None = None
    # Soft factors (#18).
    #: The fewest hours a week the place accepts (part time); None: its full ``hours``.
    min_hours: float | None = None
    #: The physical load of the work: 1 light, 2 medium, 3 heavy.
    load: int | None = None
    #: The employer's SBI section (A-U).
    sector: str | None = None
    #: Support the place offers, codes of :data:`SUPPORT`.
    offers: list[str] = field(default_factory=list)
    #: What the work demands, codes of :data:`DEMANDS`.
    demands: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Weights:
    """How much each criterion counts; they add up to 1, so a score is between 0 and 1."""

    essential_skills: float = 0.32
    optional_skills: float = 0.08
    occupation: float = 0.18
    distance: float = 0.09
    hours: float = 0.06
    education: float = 0.05
    language: float = 0.04
    priority: float = 0.06
    # Soft factors (#18): work-readiness, motivation and the support a person needs.
    readiness: float = 0.05
    motivation: float = 0.03
    support: float = 0.04

    def __post_init__(self) -> None:
        values = [getattr(self, f.name) for f in fields(self)]
        if not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
            raise ValueError("weights must be finite numbers")
        if any(v < 0 for v in values):
            raise ValueError("weights cannot be negative")
        if abs(sum(values) - 1.0) > 1e-6:
            raise ValueError(f"weights must add up to 1 (they add up to {sum(values):.4f})")

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


CRITERIA = tuple(f.name for f in fields(Weights))
#: The soft-factor criteria (#18); the hard conditions that go with them are in
#: :func:`.scoring.combine`.
SOFT_CRITERIA = ("readiness", "motivation", "support")

#: The bounds the platform sets on each criterion's weight, as (lowest, highest), for a
#: region's configuration (#18). A region may switch a criterion off (weight 0) only where
#: the lowest is 0. Includes the soft-factor criteria that #18 adds to :class:`Weights`
#: (readiness, motivation, support); their defaults are in docs/matching.md.
WEIGHT_BOUNDS: dict[str, tuple[float, float]] = {
    "essential_skills": (0.15, 0.50),
    "optional_skills": (0.0, 0.20),
    "occupation": (0.05, 0.35),
    "distance": (0.0, 0.20),
    "hours": (0.0, 0.15),
    "education": (0.0, 0.15),
    "language": (0.0, 0.10),
    "priority": (0.0, 0.10),
    "readiness": (0.0, 0.15),
    "motivation": (0.0, 0.10),
    "support": (0.0, 0.10),
}


class MissingSkill(TypedDict):
    """An essential skill of the place that the person lacks, and whether the employer
    will teach it."""

    skill: str
    teachable: bool


class RelatedSkill(TypedDict):
    """An essential skill of the place the person does not have, credited in part through a
    related skill the person has (ESCO hierarchy or relation)."""

    skill: str
    via: str
    credit: float  # 0..1 of the skill's full credit


@dataclass
class Match:
    """One ranked result: the other side's id, the score, each criterion's contribution
    (rounded to six decimals) and the essential skills the person misses; essential skills
    credited in part through a related skill are in ``related_essential`` (not in
    ``missing_essential``). ``occupation_via`` says where the occupation points come from:
    "occupation" (a wanted occupation is the place's), "group" (one in its ISCO unit group),
    "skills" (the person holds a skill the place asks that is typical of its occupation,
    see :data:`.taxonomy.TYPICAL_MAX_OCCUPATIONS`) or
    None (no points)."""

    id: str
    score: float
    contributions: dict[str, float]
    missing_essential: list[MissingSkill]
    related_essential: list[RelatedSkill] = field(default_factory=list)
    occupation_via: str | None = None
