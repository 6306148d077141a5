"""Reads of the regions' matching configurations (#18): the setting in force for a region,
a place or a person — the weights the engine ranks with and the minimum score a person
needs to be shown — the page's rows per criterion, the history of versions, and the check
that a proposed setting leaves some open place of the region reachable.

Weights are kept in points (they add up to 100); the engine takes fractions
(:class:`~perspectief.matching.engine.records.Weights`). The criteria are the keys of
``WEIGHT_BOUNDS``; the engine's ``Weights`` may know fewer of them (before the soft-factor
criteria were added to it): those are left out and the others scaled to add up to 1, so a
version stays usable whichever engine reads it."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cached_property
from itertools import pairwise

from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor, Permission
from perspectief.vacancies.constants import VacancyStatus
from perspectief.vacancies.models import Vacancy

from ..constants import (
    CRITERIA_TEXT,
    REACH_CHECK_PEOPLE,
    REACH_CHECK_PER_PLACE,
    REACH_CHECK_PLACES,
)
from ..engine.candidate_index import CandidateIndex
from ..engine.records import WEIGHT_BOUNDS, Match, Weights
from ..engine_records import (
    candidate_record,
    people_for_engine,
    places_for_engine,
    taxonomy,
    vacancy_record,
)
from ..models import MatchingConfiguration

#: The criteria a region sets, in the platform's order.
CRITERIA = tuple(WEIGHT_BOUNDS)


def bounds_in_points(name: str) -> tuple[int, int]:
    low, high = WEIGHT_BOUNDS[name]
    return round(100 * low), round(100 * high)


def platform_points() -> dict[str, int]:
    """The platform's default weights in points; a criterion the engine does not know
    (yet) has none."""
    defaults = Weights().as_dict()
    return {name: round(100 * defaults.get(name, 0.0)) for name in CRITERIA}


def engine_weights(points: dict[str, int]) -> Weights:
    """Points as the engine's weights: only the criteria the engine knows, scaled to add up
    to 1 (they already do when it knows every criterion)."""
    known = [f.name for f in fields(Weights)]
    values = {name: max(float(points.get(name) or 0), 0.0) for name in known}
    total = sum(values.values())
    if total <= 0:
        return Weights()
    return Weights(**{name: value / total for name, value in values.items()})


def shown_points(match: Match) -> int:
    """The score the minimum is compared with: in points, without the priority criterion.
    Organisations that do not serve a person see the score without it; comparing the full
    score would let what is left out show who got priority points."""
    return round(100 * (match.score - match.contributions.get("priority", 0.0)))


@dataclass(frozen=True)
class Setting:
    """The configuration in force somewhere: a version of a region, or the platform's
    defaults (``configuration`` is None)."""

    configuration: MatchingConfiguration | None
    points: dict[str, int]
    min_score: int

    @classmethod
    def of(cls, configuration: MatchingConfiguration | None) -> Setting:
        if configuration is None:
            return cls(None, platform_points(), 0)
        stored = configuration.weights or {}
        return cls(
            configuration,
            {name: int(stored.get(name) or 0) for name in CRITERIA},
            configuration.min_score,
        )

    @property
    def version(self) -> int | None:
        return self.configuration.version if self.configuration is not None else None

    @cached_property
    def weights(self) -> Weights:
        """What the engine ranks with."""
        return engine_weights(self.points)

    @cached_property
    def maxima(self) -> dict[str, int]:
        """Each criterion's maximum in points, as the engine applies it."""
        return {name: round(100 * w) for name, w in self.weights.as_dict().items()}

    def admits(self, match: Match) -> bool:
        return shown_points(match) >= self.min_score

    def keep(self, matches: list[Match]) -> list[Match]:
        """The matches at or above the minimum score, in their order."""
        if not self.min_score:
            return matches
        return [m for m in matches if self.admits(m)]


def current(region_id) -> MatchingConfiguration | None:
    """The region's latest version, or None (the platform's defaults)."""
    if region_id is None:
        return None
    return (
        MatchingConfiguration.objects.filter(region_id=region_id)
        .select_related("changed_by", "changed_for")
        .order_by("-version")
        .first()
    )


def in_force(region_id) -> Setting:
    return Setting.of(current(region_id))


def for_place(vacancy: Vacancy) -> Setting:
    """The setting of the place's region (its employer's), for people ranked for it."""
    region_id = (
        Vacancy.objects.filter(pk=vacancy.pk)
        .values_list("employer__organisation__region_id", flat=True)
        .first()
    )
    return in_force(region_id)


def for_person(candidate: Candidate) -> Setting:
    """The setting of the person's region, for places ranked for them."""
    return in_force(candidate.region_id)


def may_see(actor: Actor) -> bool:
    """Who reads the configuration: whoever sees rankings, the fairness report or sets it."""
    return bool(
        actor is not None
        and actor.region_id
        and any(
            actor.has_perm(p)
            for p in (
                Permission.VIEW_CANDIDATES,
                Permission.MATCHING_REPORT,
                Permission.CONFIGURE_MATCHING,
            )
        )
    )


def criteria_rows(setting: Setting) -> list[dict]:
    """Per criterion: its name, what it means, its weight in force, bounds and default."""
    defaults = platform_points()
    rows = []
    for name in CRITERIA:
        label, description = CRITERIA_TEXT[name]
        low, high = bounds_in_points(name)
        rows.append(
            {
                "name": name,
                "label": label,
                "description": description,
                "weight": setting.points[name],
                "low": low,
                "high": high,
                "default": defaults[name],
                "off": setting.points[name] == 0,
            }
        )
    return rows


def changes_between(before: Setting, after: Setting) -> list[dict]:
    """What a version changed against the one before it: criterion, old and new points."""
    rows = [
        {"label": CRITERIA_TEXT[name][0], "old": before.points[name], "new": after.points[name]}
        for name in CRITERIA
        if before.points[name] != after.points[name]
    ]
    if before.min_score != after.min_score:
        rows.append({"label": None, "old": before.min_score, "new": after.min_score})
    return rows


def history(region_id) -> list[dict]:
    """The region's versions, newest first, each with what it changed (the first against
    the platform's defaults)."""
    versions = list(
        MatchingConfiguration.objects.filter(region_id=region_id)
        .select_related("changed_by", "changed_for")
        .order_by("version")
    )
    settings = [Setting.of(None), *(Setting.of(v) for v in versions)]
    rows = [
        {"configuration": after.configuration, "changes": changes_between(before, after)}
        for before, after in pairwise(settings)
    ]
    return rows[::-1]


def previous_of(configuration: MatchingConfiguration) -> Setting:
    """The setting a version replaced (the platform's defaults for the first)."""
    return Setting.of(
        MatchingConfiguration.objects.filter(
            region_id=configuration.region_id, version__lt=configuration.version
        )
        .order_by("-version")
        .first()
    )


def best_shown_score(region_id, setting: Setting) -> int | None:
    """The highest score (in points, without priority) any person reaches for any open
    place of the region under ``setting``, over a sample (``REACH_CHECK_*``: the most recent
    open places and the most recently confirmed people of the region). None when no pair is
    ranked at all — then the setting is not what leaves the places without people. Stops
    as soon as a place reaches the setting's minimum. Nothing is shown of anyone: no
    access record."""
    places = [
        v
        for v in places_for_engine(
            Vacancy.objects.filter(
                status=VacancyStatus.OPEN,
                employer__organisation__region_id=region_id,
                postcode__isnull=False,
            )
        ).order_by("-created_at", "-id")[:REACH_CHECK_PLACES]
        if v.places_open > 0
    ]
    people = list(
        people_for_engine(Candidate.objects.matchable().filter(region_id=region_id)).order_by(
            "-availability_confirmed_at", "-id"
        )[:REACH_CHECK_PEOPLE]
    )
    if not places or not people:
        return None
    index = CandidateIndex(taxonomy(), [candidate_record(p) for p in people], setting.weights)
    best: int | None = None
    for place in places:
        for match in index.top_for_vacancy(vacancy_record(place), REACH_CHECK_PER_PLACE):
            points = shown_points(match)
            best = points if best is None else max(best, points)
        if best is not None and best >= setting.min_score:
            break
    return best
