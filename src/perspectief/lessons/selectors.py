"""Reading the leeragenda: search the lessons an actor sees, and the numbers of a lesson's
plan activity as the platform counts them (the plan page's own definition and its
disclosure control, never a second one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from perspectief.core.authz import Actor
from perspectief.core.disclosure import min_cell
from perspectief.instruments.models import Instrument, InstrumentVersion
from perspectief.monitoring.models import PlanActivity
from perspectief.monitoring.selectors import indicators
from perspectief.monitoring.selectors.breakdowns import Tables

from .constants import TEXT_FIELDS
from .models import Lesson


@dataclass
class Filters:
    text: str = ""
    outcome: str = ""
    pillar: str = ""
    target_group: str = ""
    sector: str = ""
    region: str = ""  # a region's code


def has_code(name: str, code: str) -> Q:
    """A comma-separated code field (core.codes) holding ``code``."""
    return (
        Q(**{name: code})
        | Q(**{f"{name}__startswith": f"{code},"})
        | Q(**{f"{name}__endswith": f",{code}"})
        | Q(**{f"{name}__contains": f",{code},"})
    )


def search(*, actor: Actor, filters: Filters) -> QuerySet[Lesson]:
    """The lessons the actor sees that match every filter, newest first: the outcome plays
    no part in the order (a failure is not sorted below a success)."""
    lessons = Lesson.objects.visible_to(actor)
    for word in filters.text.split():
        match = Q()
        for name in TEXT_FIELDS:
            match |= Q(**{f"{name}__icontains": word})
        lessons = lessons.filter(match)
    if filters.outcome:
        lessons = lessons.filter(outcome=filters.outcome)
    if filters.region:
        lessons = lessons.filter(region__code=filters.region)
    for name, code in (
        ("pillars", filters.pillar),
        ("target_groups", filters.target_group),
        ("sectors", filters.sector),
    ):
        if code:
            lessons = lessons.filter(has_code(name, code))
    return (
        lessons.select_related("region", "organisation")
        .annotate(
            adoption_count=Count("adoptions", distinct=True),
            reaction_count=Count("reactions", distinct=True),
        )
        .order_by("-created_at", "id")
    )


#: The activity's numbers a lesson shows (the plan page shows matches; these are events).
NUMBER_KEYS = ("matches", "durable", "dropped_out")


@dataclass
class ActivityNumbers:
    """What the platform counted for a plan activity, in the completed quarters of its plan:
    each number ``None`` when a quarter in it is hidden (under the threshold)."""

    activity: PlanActivity
    computed_on: date
    start: date | None = None  # the first day of the first quarter counted
    end: date | None = None  # the last day of the last one
    #: {key, label, value} per indicator of :data:`NUMBER_KEYS`
    rows: list[dict] = field(default_factory=list)
    min_cell: int = 0

    @property
    def counted(self) -> bool:
        return self.start is not None

    def value(self, key: str) -> int | None:
        return next(row["value"] for row in self.rows if row["key"] == key)


def activity_numbers(lesson: Lesson, *, today: date | None = None) -> ActivityNumbers | None:
    """The numbers of the lesson's plan activity, computed now from the platform: the sums
    of its cells in the activity tables of the completed quarters of its plan
    (``Tables.since``, as the plan page's matches per activity), suppressed there."""
    activity = lesson.activity
    if activity is None:
        return None
    today = today or timezone.localdate()
    plan = activity.plan
    tables = Tables(plan.region_id)
    numbers = ActivityNumbers(activity=activity, computed_on=today, min_cell=min_cell())
    for key in NUMBER_KEYS:
        since = tables.since(
            "activity", activity.pk, key, plan.period_start, plan.period_end, today
        )
        if since is None:
            return numbers
        numbers.start, numbers.end = since.start, since.end
        numbers.rows.append(
            {"key": key, "label": str(indicators.LABELS[key]), "value": since.value}
        )
    return numbers


def activity_choices(region_id) -> QuerySet[PlanActivity]:
    """The activities of the region's own plans, for a lesson to be about."""
    return (
        PlanActivity.objects.filter(plan__region_id=region_id)
        .select_related("plan")
        .order_by("plan__title", "name", "id")
    )


def instrument_choices(region_id) -> list[tuple[str, str]]:
    """(code, name) of the national instruments and the region's own, by name."""
    name = InstrumentVersion.objects.filter(instrument=OuterRef("pk")).order_by("-valid_from")
    rows = (
        Instrument.objects.filter(Q(region__isnull=True) | Q(region_id=region_id))
        .annotate(label=Subquery(name.values("name")[:1]))
        .values_list("code", "label")
    )
    return sorted(((code, label or code) for code, label in rows), key=lambda r: r[1].lower())
