"""The engine's records — people and places in, ranked matches out — and its weights.
Plain data; no Django."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import TypedDict

#: Default reach when a person gave no maximum travel distance (km).
DEFAULT_REACH_KM = 25.0
#: Credit for an essential skill the employer will teach, for someone who lacks it.
TEACHABLE_CREDIT = 0.75


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


@dataclass(frozen=True)
class Weights:
    """How much each criterion counts; they add up to 1, so a score is between 0 and 1."""

    essential_skills: float = 0.35
    optional_skills: float = 0.10
    occupation: float = 0.20
    distance: float = 0.10
    hours: float = 0.07
    education: float = 0.06
    language: float = 0.04
    priority: float = 0.08

    def __post_init__(self) -> None:
        values = [getattr(self, f.name) for f in fields(self)]
        if any(v < 0 for v in values):
            raise ValueError("weights cannot be negative")
        if abs(sum(values) - 1.0) > 1e-6:
            raise ValueError(f"weights must add up to 1 (they add up to {sum(values):.4f})")

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


CRITERIA = tuple(f.name for f in fields(Weights))


class MissingSkill(TypedDict):
    """An essential skill of the place that the person lacks, and whether the employer
    will teach it."""

    skill: str
    teachable: bool


@dataclass
class Match:
    """One ranked result: the other side's id, the score, each criterion's contribution
    (rounded to six decimals) and the essential skills the person misses."""

    id: str
    score: float
    contributions: dict[str, float]
    missing_essential: list[MissingSkill]
