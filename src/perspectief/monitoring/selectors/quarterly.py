"""What the quarterly progress report of a region says, in the order of the programme's
quarterly progress collection: the action plan as in force at the quarter's end, the
results of the quarter and since the plan started, the additional matches against the
baseline and the ambition, the activities with budget, spend and results, the
Werkgeversservicepunt, the plan's revisions in the quarter with their reasons, and the
lessons of the quarter (from the apps that register into
:data:`perspectief.monitoring.panels.QUARTER_LESSONS`). The results come with the matches
per month and the funnel, the same numbers as the dashboard's chart and funnel.

For the ministry (``suppressed``) aggregates only: the region's row of the national table,
no totals since a date and no ambition (see :mod:`perspectief.monitoring.selectors.national`).
The PDF is drawn by :mod:`perspectief.monitoring.reports.quarterly`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.core.dates import add_months, day_month_year
from perspectief.monitoring.models import ActionPlan, PlanActivity, PlanRevision, Spend
from perspectief.monitoring.panels import ReportItem, quarter_lessons
from perspectief.monitoring.periods import provisional_reason, quarter_bounds
from perspectief.monitoring.selectors import indicators
from perspectief.monitoring.selectors.national import national_table
from perspectief.monitoring.selectors.net_effect import NetEffect, net_effect
from perspectief.monitoring.selectors.plans import PlanVersion, plan_as_of, plan_during
from perspectief.monitoring.selectors.progress import Progress, progress
from perspectief.monitoring.selectors.wsp import wsp
from perspectief.regions.models import Region


@dataclass
class Quarterly:
    region: Region
    year: int
    quarter: int
    start: date
    end: date
    suppressed: bool
    plan: PlanVersion | None
    #: The plan's start (of the version in force), or 1 January: where "since" counts from.
    since: date
    #: (label, this quarter, since the plan's start or 1 January)
    results: list[tuple[str, int | None, int | None]] = field(default_factory=list)
    progress: Progress | None = None
    #: The plan's net effect to the end of the last completed quarter by this one's end.
    net_effect: NetEffect | None = None
    activities: list[dict] = field(default_factory=list)
    wsp: dict = field(default_factory=dict)
    revisions: list[PlanRevision] = field(default_factory=list)
    #: Matches per month from ``since`` to the quarter's end (not for the ministry: it gets
    #: numbers per quarter only), as the dashboard's chart counts them.
    by_month: list[tuple[date, int]] = field(default_factory=list)
    #: The quarter's funnel (indicators.funnel of the quarter's numbers as shown).
    funnel: list[dict] = field(default_factory=list)
    #: The quarter's lessons (None: no app contributes them).
    lessons: list[ReportItem] | None = None
    #: Why the numbers can still change (empty: the quarter has settled).
    provisional: str = ""
    made_on: date | None = None


def quarterly(region, year: int, quarter: int, *, suppressed: bool) -> Quarterly:
    """The report of a region's quarter (up to today for a running one); a quarter outside
    1-4 is a ``ValueError``."""
    start, end = quarter_bounds(year, quarter)
    today = timezone.localdate()
    plan = plan_during(region.pk, start, end)
    until = min(end, today)
    in_force = plan_as_of(plan, until) if plan else None
    since = in_force.period_start if in_force else date(year, 1, 1)
    data = Quarterly(
        region=region,
        year=year,
        quarter=quarter,
        start=start,
        end=end,
        suppressed=suppressed,
        plan=in_force,
        since=since,
        results=_results(region, start, until, since, suppressed=suppressed),
        wsp=wsp(region.pk, start, until),
        provisional=provisional_reason(end, today),
        made_on=today,
    )
    quarter_counts = {
        key: n for key, (_label, n, _c) in zip(indicators.KEYS, data.results, strict=True)
    }
    data.funnel = indicators.funnel(quarter_counts)
    data.lessons = quarter_lessons(region, start, end, shared_only=suppressed)
    if suppressed:
        for key in [k for k in data.wsp if k.startswith("bulk_")]:
            data.wsp.pop(key)
    else:
        data.by_month = indicators.by_month(
            indicators.Filters(max(since, add_months(start, -21)), until, region_id=region.pk)
        )
    if plan is not None and not suppressed:
        data.progress = progress(in_force, today=until)
        data.net_effect = net_effect(plan, today=today, cap=end)
    if plan is not None and in_force is not None:  # the one is there with the other
        data.activities = _activities(plan, in_force, start, end)
        data.revisions = list(
            plan.revisions.filter(revised_at__date__gte=start, revised_at__date__lte=end)
            .select_related("revised_by")
            .order_by("version")
        )
    return data


def _results(region, start: date, until: date, since: date, *, suppressed: bool) -> list:
    """(label, this quarter, since ``since``) per indicator."""
    quarter_counts: Mapping[str, int | None]
    cumulative: Mapping[str, int | None]
    if suppressed:
        # Aggregates only: the region's row of the national table (with its secondary
        # suppression), and no totals since a date, which would give a hidden quarter away
        # by subtracting the previous report's.
        _regions, shown, _totals = national_table(start, until)
        quarter_counts = shown[region.code]
        cumulative = {k: None for k in indicators.KEYS}
    else:
        quarter_counts = indicators.counts(indicators.Filters(start, until, region_id=region.pk))
        cumulative = indicators.counts(indicators.Filters(since, until, region_id=region.pk))
    return [(str(indicators.LABELS[k]), quarter_counts[k], cumulative[k]) for k in indicators.KEYS]


def _activities(plan: ActionPlan, in_force: PlanVersion, start: date, end: date) -> list[dict]:
    """The activities of the version in force, with what was spent on them in the quarter
    and in all by its end."""
    named = {a.name: a for a in plan.activities.all()}
    rows = []
    for activity in in_force.activities:
        recorded = named.get(activity["name"])
        spend = Spend.objects.filter(activity=recorded, spent_on__lte=end)
        in_quarter = spend.filter(spent_on__gte=start)
        rows.append(
            {
                **activity,
                "spent": spend.aggregate(s=Sum("amount"))["s"] or Decimal(0),
                "spent_quarter": in_quarter.aggregate(s=Sum("amount"))["s"] or Decimal(0),
                "result": activity_result(recorded, start, end),
            }
        )
    return rows


def activity_result(activity: PlanActivity | None, start: date, end: date) -> str:
    """What an activity achieved by the quarter's end, in words, as the report shows it
    under the activity's status, budget and spend: the result the plan's managers recorded
    (#19 "plans that learn") if they recorded it by the quarter's end, else whether it had
    started. A result recorded later belongs to a later report."""
    if activity is None:
        return ""
    parts = []
    if activity.started_on is not None and activity.started_on <= end:
        parts.append(_("started on %(day)s") % {"day": day_month_year(activity.started_on)})
    recorded = activity.result_at is not None and timezone.localdate(activity.result_at) <= end
    if recorded and activity.result:
        parts.append(str(activity.get_result_display()))
        if activity.result_note:
            parts.append(activity.result_note)
    if not parts:
        return str(_("not started"))
    return "; ".join(parts)
