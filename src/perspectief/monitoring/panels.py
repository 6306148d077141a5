"""What monitoring adds to the pages of lower apps. The panels are registered in
:meth:`MonitoringConfig.ready() <perspectief.monitoring.apps.MonitoringConfig.ready>`.

- :data:`RUNS_MATCHES`, on the matching runs page
  (:data:`perspectief.matching.views.runs.RUNS_PAGE`): the region's matches of this year so
  far (1 January to today). A match is defined once, here in monitoring
  (:func:`perspectief.monitoring.selectors.indicators.counts`), so the runs page shows the
  same number as the PoW-dashboard, the API, the exports and the quarterly report for that
  period.

Declared here, filled by higher apps:

- :data:`QUARTER_LESSONS`: the lessons of a quarter in its report (the leeragenda registers
  into it; monitoring may not import it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from perspectief.core.authz import Permission
from perspectief.core.contributions import Contributions, Panel
from perspectief.monitoring.selectors import indicators


def runs_matches(request) -> dict:
    """The region's matches as the PoW-dashboard, the API, the exports and the report count
    them (one definition: placements of the region's people, dated by the start of work),
    for this year so far, with a link to the dashboard for who may open it."""
    actor = request.actor
    today = timezone.localdate()
    since = today.replace(month=1, day=1)
    matches = indicators.counts(indicators.Filters(since, today, region_id=actor.region_id))[
        "matches"
    ]
    return {
        "matches": matches,
        "since": since,
        "today": today,
        "may_dashboard": actor.has_perm(Permission.VIEW_INDICATORS),
    }


RUNS_MATCHES = Panel("monitoring/panels/runs_matches.html", runs_matches)


@dataclass(frozen=True)
class ReportItem:
    """A line a higher app adds to a section of the quarterly report: a title, a short
    text and a label (such as a lesson's outcome: "gelukt", "mislukt")."""

    title: str
    text: str = ""
    label: str = ""


#: ``lessons(region, start, end, *, shared_only) -> list[ReportItem]``: the lessons of a
#: region's quarter, for its quarterly report. ``shared_only`` for readers outside the
#: region (the ministry, the support team): only lessons shared with every region.
QuarterLessons = Callable[..., list[ReportItem]]

QUARTER_LESSONS: Contributions[QuarterLessons] = Contributions(
    "the lessons of a quarter in its report"
)


def quarter_lessons(
    region, start: date, end: date, *, shared_only: bool
) -> list[ReportItem] | None:
    """What the registered apps say about the quarter's lessons; None when no app
    contributes (the report then has no such section)."""
    if not len(QUARTER_LESSONS):
        return None
    items: list[ReportItem] = []
    for contribute in QUARTER_LESSONS:
        items += contribute(region, start, end, shared_only=shared_only)
    return items
