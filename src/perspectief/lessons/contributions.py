"""What the leeragenda adds to the apps below it: the lessons about a plan activity on the
plan's page (``monitoring.about.ACTIVITY_ABOUT``) and the lessons of a quarter in its
quarterly report (``monitoring.panels.QUARTER_LESSONS``). Both read lessons through the one
visibility rule (:meth:`LessonQuerySet.visible_to`) or, for a report, the region's own and
shared lessons as the report's reader may see them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perspectief.core.authz import Actor
from perspectief.monitoring.about import ACTIVITY_ABOUT, ActivityAbout, ActivityLink
from perspectief.monitoring.models import PlanActivity
from perspectief.monitoring.panels import QUARTER_LESSONS, ReportItem

from .constants import Visibility
from .models import Lesson

#: How much of a lesson's result the quarterly report quotes.
REPORT_RESULT_CHARS = 300


def activity_lessons(
    actor: Actor, activities: Sequence[PlanActivity]
) -> dict[int, list[ActivityLink]]:
    """Per activity id, the lessons about it that the actor may see, newest first."""
    out: dict[int, list[ActivityLink]] = {}
    lessons = Lesson.objects.visible_to(actor).filter(activity__in=list(activities))
    for lesson in lessons.order_by("-created_at", "id"):
        text = f"{lesson.title} ({lesson.get_outcome_display()})"
        url = reverse("lessons:detail", kwargs={"uuid": lesson.uuid})
        out.setdefault(lesson.activity_id, []).append(ActivityLink(text=text, url=url))
    return out


def quarter_lessons(region, start: date, end: date, *, shared_only: bool) -> list[ReportItem]:
    """The region's lessons written in the quarter, for its quarterly report: all of them
    for the region's own report, only shared ones for the ministry's."""
    lessons = Lesson.objects.filter(
        region=region, created_at__date__gte=start, created_at__date__lte=end
    )
    if shared_only:
        lessons = lessons.filter(visibility=Visibility.SHARED)
    items = []
    for lesson in lessons.order_by("created_at", "id"):
        result = lesson.result.strip()
        if len(result) > REPORT_RESULT_CHARS:
            result = result[: REPORT_RESULT_CHARS - 1].rstrip() + "…"
        items.append(
            ReportItem(title=lesson.title, text=result, label=str(lesson.get_outcome_display()))
        )
    return items


def register() -> None:
    ACTIVITY_ABOUT.register(
        "lessons", ActivityAbout(heading=_("Lessons about this activity"), links=activity_lessons)
    )
    QUARTER_LESSONS.register("lessons", quarter_lessons)
