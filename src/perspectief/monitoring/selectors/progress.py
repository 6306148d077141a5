"""The plan against what happened: its ambition against the matches realised (additional
matches over the baseline), in total and per plan year (a plan runs one to five years), and
its budget against the spend per activity. A match is counted as everywhere else on the
platform (:func:`perspectief.monitoring.selectors.indicators.counts`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from perspectief.core.dates import add_months
from perspectief.monitoring.selectors.indicators import Filters, counts


def whole(value: float) -> int:
    """A pro-rated number of matches as a whole number (a match is a person): rounded half
    up, 0.5 to 1 (not Python's half-to-even), so the same share always gives the same count."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def plan_years(plan) -> list[tuple[date, date]]:
    """The plan's years: twelve months at a time from its start, the last up to its end."""
    years = []
    start = plan.period_start
    number = 1
    while start <= plan.period_end:
        end = min(add_months(plan.period_start, 12 * number) - timedelta(days=1), plan.period_end)
        years.append((start, end))
        start, number = end + timedelta(days=1), number + 1
    return years


def _share_of_year(start: date, end: date, year_start: date) -> float:
    """The part of a full plan year (twelve months from ``year_start``) from start to end."""
    full = (add_months(year_start, 12) - year_start).days
    return max((end - start).days + 1, 0) / full


def pro_rata(plan, per_year: int, until: date) -> int:
    """``per_year`` (an ambition or a baseline a year) for the plan's days up to ``until``:
    per plan year its share of twelve months, rounded to whole matches, added up. THE one
    computation of "aimed for by now" (``until`` today) and "over the whole plan" (``until``
    the plan's end) — the card, the table per plan year, the plan page and the quarterly
    report all show its numbers."""
    return sum(
        whole(per_year * _share_of_year(start, min(end, until), start))
        for start, end in plan_years(plan)
        if until >= start
    )


@dataclass
class Progress:
    """The plan's ambition against what was realised, up to ``until`` (all whole matches)."""

    until: date
    matches: int
    baseline_per_year: int
    baseline_counted: bool  # counted from the platform (no baseline given in the plan)
    expected_baseline: int
    additional: int
    ambition_to_date: int
    ambition_total: int

    @property
    def share(self) -> int | None:
        if not self.ambition_to_date:
            return None
        return round(100 * self.additional / self.ambition_to_date)


def progress(plan, f: Filters | None = None, *, today: date | None = None) -> Progress:
    """Additional matches = matches in the plan's period so far − the baseline for the same
    length of time, set against the ambition for that time (and for the whole plan), each
    pro rata per plan year (:func:`pro_rata`). Without a baseline in the plan, it is counted
    from the platform's year before the plan."""
    today = today or date.today()
    until = min(plan.period_end, today)
    base = f or Filters(plan.period_start, until, region_id=plan.region_id)
    in_plan = base.shifted(plan.period_start, until)
    matches = counts(in_plan)["matches"] if until >= plan.period_start else 0
    baseline = plan.baseline
    counted = baseline is None
    if counted:
        year_before = base.shifted(
            plan.period_start - timedelta(days=365), plan.period_start - timedelta(days=1)
        )
        baseline = counts(year_before)["matches"]
    expected = pro_rata(plan, baseline, until)
    return Progress(
        until=until,
        matches=matches,
        baseline_per_year=baseline,
        baseline_counted=counted,
        expected_baseline=expected,
        additional=matches - expected,
        ambition_to_date=pro_rata(plan, plan.ambition, until),
        ambition_total=pro_rata(plan, plan.ambition, plan.period_end),
    )


def counted_periods(plan, *, today: date) -> list[Filters]:
    """The periods :func:`progress` and :func:`progress_per_year` count for the plan (for
    :func:`perspectief.monitoring.selectors.indicators.prefetch`: one read for all)."""
    until = min(plan.period_end, today)
    wanted = []
    if until >= plan.period_start:
        wanted.append(Filters(plan.period_start, until, region_id=plan.region_id))
    if plan.baseline is None:
        before = plan.period_start - timedelta(days=365), plan.period_start - timedelta(days=1)
        wanted.append(Filters(*before, region_id=plan.region_id))
    for start, end in plan_years(plan):
        if today >= start:
            wanted.append(Filters(start, min(end, today), region_id=plan.region_id))
    return wanted


@dataclass
class PlanYear:
    """One year of a plan (from its start, twelve months at a time; the last one may be
    shorter): the ambition for it, and once it has begun, the matches realised in it so far."""

    number: int
    start: date
    end: date
    #: The ambition for the whole plan year (pro rata for a shorter last year).
    ambition: int
    #: Up to which day it is counted (``None``: the year has not begun).
    until: date | None
    matches: int
    expected_baseline: int
    ambition_to_date: int

    @property
    def begun(self) -> bool:
        return self.until is not None

    @property
    def running(self) -> bool:
        return self.until is not None and self.until < self.end

    @property
    def additional(self) -> int:
        return self.matches - self.expected_baseline

    @property
    def share(self) -> int | None:
        if not self.begun or not self.ambition_to_date:
            return None
        return round(100 * self.additional / self.ambition_to_date)


def progress_per_year(plan, baseline_per_year: int, *, today: date | None = None) -> list[PlanYear]:
    """Per plan year: the ambition (extra matches a year; pro rata for a shorter last year),
    the matches realised in that year (up to today), the baseline for the same length of
    time and the additional matches. ``baseline_per_year``: as :func:`progress` found it.
    The rows add up to :func:`progress`'s numbers (both round per plan year)."""
    today = today or date.today()
    rows = []
    for number, (start, end) in enumerate(plan_years(plan), 1):
        until = min(end, today) if today >= start else None
        matches, expected, to_date = 0, 0, 0
        if until is not None:
            matches = counts(Filters(start, until, region_id=plan.region_id))["matches"]
            part = _share_of_year(start, until, start)
            expected, to_date = whole(baseline_per_year * part), whole(plan.ambition * part)
        rows.append(
            PlanYear(
                number=number,
                start=start,
                end=end,
                ambition=whole(plan.ambition * _share_of_year(start, end, start)),
                until=until,
                matches=matches,
                expected_baseline=expected,
                ambition_to_date=to_date,
            )
        )
    return rows


def years_total(rows: list[PlanYear]) -> dict:
    """The plan years added up: the whole plan's ambition, and what was realised so far."""
    return {
        "ambition": sum(r.ambition for r in rows),
        "matches": sum(r.matches for r in rows),
        "expected_baseline": sum(r.expected_baseline for r in rows),
        "additional": sum(r.additional for r in rows if r.begun),
        "ambition_to_date": sum(r.ambition_to_date for r in rows),
    }


def budget(plan) -> dict:
    """Budget, allocation and spend per activity. (The matches an activity's services
    contributed to are a number below region level: see breakdowns.activity_matches.)"""
    activities = plan.activities.select_related("owner", "funding_pot").annotate(
        spent=Sum("spend__amount")
    )
    rows = []
    for activity in activities.order_by("name", "id"):
        rows.append(
            {
                "activity": activity,
                "budget": activity.budget,
                "spent": activity.spent or Decimal(0),
                "left": activity.budget - (activity.spent or Decimal(0)),
            }
        )
    allocated = sum((r["budget"] for r in rows), Decimal(0))
    spent = sum((r["spent"] for r in rows), Decimal(0))
    return {
        "budget": plan.budget,
        "allocated": allocated,
        "unallocated": plan.budget - allocated,
        "spent": spent,
        "left": plan.budget - spent,
        "rows": rows,
    }
