"""The plan against what happened: its ambition against the matches realised (additional
matches over the baseline), and its budget against the spend per activity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from perspectief.monitoring.periods import years_between
from perspectief.monitoring.selectors.indicators import Filters, counts


@dataclass
class Progress:
    """The plan's ambition against what was realised, up to ``until``."""

    until: date
    matches: int
    baseline_per_year: int
    baseline_counted: bool  # counted from the platform (no baseline given in the plan)
    expected_baseline: float
    additional: float
    ambition_to_date: float
    ambition_total: float

    @property
    def share(self) -> int | None:
        if not self.ambition_to_date:
            return None
        return round(100 * self.additional / self.ambition_to_date)


def progress(plan, f: Filters | None = None, *, today: date | None = None) -> Progress:
    """Additional matches = matches in the plan's period so far − the baseline for the same
    length of time, set against the ambition for that time (and for the whole plan). Without
    a baseline in the plan, it is counted from the platform's year before the plan."""
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
    elapsed = years_between(plan.period_start, until) if until >= plan.period_start else 0.0
    expected = baseline * elapsed
    return Progress(
        until=until,
        matches=matches,
        baseline_per_year=baseline,
        baseline_counted=counted,
        expected_baseline=round(expected, 1),
        additional=round(matches - expected, 1),
        ambition_to_date=round(plan.ambition * elapsed, 1),
        ambition_total=round(plan.ambition * years_between(plan.period_start, plan.period_end), 1),
    )


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
