"""The ministry's one view of the regions: regions × indicators per settled quarter, with
primary and secondary suppression and national totals.

Those who see aggregates only get them per **completed calendar quarter**, once it has
settled (:mod:`perspectief.monitoring.periods`), and then as first published (never an
arbitrary or running period, never a total since some date): two overlapping periods would
give a suppressed difference away by subtraction.

The trend (:func:`trend`) sets each region's cells of the last quarters against the plan
in force then: it reads the same tables, so it adds nothing they hide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from perspectief.core.disclosure import suppress_columns
from perspectief.monitoring.periods import (
    completed_quarters,
    previous_quarter,
    quarter_bounds,
    quarter_containing,
    years_between,
)
from perspectief.monitoring.selectors.indicators import KEYS, Filters, counts
from perspectief.monitoring.selectors.plans import decided_plans, plan_as_of
from perspectief.monitoring.services.publishing import published
from perspectief.regions.models import Region


def national_table(start: date, end: date):
    """The ministry's one view of the regions for a period: regions × indicators, with
    primary and secondary suppression and national totals. Every number the ministry gets
    about a region (page, export, report, API) comes from this table, so that no other
    view can undo its secondary suppression; a completed quarter's is kept as first
    published (:func:`published`)."""
    regions = list(Region.objects.order_by("code"))

    def compute():
        raw = {r.code: counts(Filters(start, end, region_id=r.pk)) for r in regions}
        shown, totals = suppress_columns(raw, list(KEYS))
        return {"shown": shown, "totals": totals}

    content = published("NL", "region", start, end, compute)
    blank = dict.fromkeys(KEYS)  # a region added since: not in the table (x)
    # An indicator added since a table was published is not in it either (x).
    shown = {r.code: blank | content["shown"].get(r.code, {}) for r in regions}
    return regions, shown, blank | content["totals"]


# --- The trend: per region, ambition against realised over the last quarters ------------


@dataclass
class TrendCell:
    """One region's quarter: its matches (the cell of the national table; None: hidden)
    against what its plan in force aimed for in the quarter."""

    start: date
    end: date
    matches: int | None
    #: extra matches the plan aimed for in the quarter (None: no plan in force)
    ambition: float | None = None
    #: the baseline for the quarter plus the ambition: the matches aimed for in all
    target: float | None = None
    #: the national total only: how many regions' aims ``target`` adds up, and those
    #: regions' matches together (None: one of them is hidden)
    regions: int = 0
    planned_matches: int | None = None


@dataclass
class TrendRow:
    code: str
    name: str
    cells: list[TrendCell]
    #: the plan in force at the end of the last quarter (its title), "" without one
    plan: str = ""
    #: where the baseline came from: "plan" (set in it), "counted" (the region's matches of
    #: the four quarters before the plan, from this same table) or "" (unknown: a quarter
    #: of them hidden, or no plan)
    baseline_from: str = ""


@dataclass
class Trend:
    quarters: list[tuple[int, int]]  # oldest first
    rows: list[TrendRow]
    total: TrendRow


def _plans_by_region(start: date, end: date) -> dict[int, list]:
    """Every region's :func:`decided_plans` overlapping ``start``–``end``, in one query."""
    plans: dict[int, list] = {}
    for plan in decided_plans(start, end):
        plans.setdefault(plan.region_id, []).append(plan)
    return plans


def _plan_quarter(plans: list, start: date, end: date):
    """The plan as in force at the end of a quarter (its version then), or None: of the
    region's ``plans`` (latest start first) the one :func:`plan_during` gives."""
    plan = next((p for p in plans if p.period_start <= end and p.period_end >= start), None)
    return plan_as_of(plan, end) if plan is not None else None


def _baseline(code: str, version, tables) -> tuple[float | None, str]:
    """(matches a year without the plan, where that came from): the plan's own baseline,
    else the region's matches in the four quarters before the one the plan starts in, as
    the national table shows them (unknown when one of them is hidden)."""
    if version.baseline is not None:
        return float(version.baseline), "plan"
    year, quarter = quarter_containing(version.period_start)
    cells = []
    for _i in range(4):
        year, quarter = previous_quarter(year, quarter)
        cells.append(tables(*quarter_bounds(year, quarter))[code]["matches"])
    if any(n is None for n in cells):
        return None, ""
    return float(sum(cells)), "counted"


def trend(count: int = 6) -> Trend:
    """Per region, for the last ``count`` settled quarters: the matches (each the region's
    cell of :func:`national_table`, so nothing can be worked out that the table hides)
    against the plan in force then — the extra matches it aimed for and, with the
    baseline, the matches it aimed for in all — and the national total."""
    quarters = list(reversed(completed_quarters(count)))
    made: dict[tuple[date, date], dict] = {}

    def tables(start: date, end: date) -> dict:
        if (start, end) not in made:
            _regions, shown, totals = national_table(start, end)
            made[(start, end)] = {**shown, "NL": totals}
        return made[(start, end)]

    regions = list(Region.objects.order_by("code"))
    # The plans of all regions in one query, not one per region and quarter.
    plans = _plans_by_region(quarter_bounds(*quarters[0])[0], quarter_bounds(*quarters[-1])[1])
    rows = [_trend_row(region, quarters, tables, plans.get(region.pk, [])) for region in regions]
    total_cells = []
    for i, (year, quarter) in enumerate(quarters):
        start, end = quarter_bounds(year, quarter)
        planned = [r.cells[i] for r in rows if r.cells[i].target is not None]
        cell = TrendCell(start, end, tables(start, end)["NL"]["matches"])
        if planned:
            # Only the regions whose plan's aim is known, set against their own matches
            # (a sum of shown cells: nothing the table hides; unknown when one is hidden).
            cell.regions = len(planned)
            cell.target = round(sum(c.target or 0 for c in planned), 1)
            cell.ambition = round(sum(c.ambition or 0 for c in planned), 1)
            matches = [c.matches for c in planned]
            cell.planned_matches = None if None in matches else sum(m or 0 for m in matches)
        total_cells.append(cell)
    return Trend(quarters, rows, TrendRow("NL", "", total_cells))


def _trend_row(region: Region, quarters: list[tuple[int, int]], tables, plans) -> TrendRow:
    row = TrendRow(region.code, region.name, [])
    for year, quarter in quarters:
        start, end = quarter_bounds(year, quarter)
        cell = TrendCell(start, end, tables(start, end)[region.code]["matches"])
        version = _plan_quarter(plans, start, end)
        if version is not None:
            first, last = max(start, version.period_start), min(end, version.period_end)
            share = years_between(first, last)
            cell.ambition = round(version.ambition * share, 1)
            baseline, row.baseline_from = _baseline(region.code, version, tables)
            if baseline is not None:
                cell.target = round((baseline + version.ambition) * share, 1)
            row.plan = version.title
        row.cells.append(cell)
    return row
