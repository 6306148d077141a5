"""Statistical disclosure control for aggregates shown to whoever may not see the people
behind them (the ministry; any table narrowed below a region).

A count from 1 to ``MIN_CELL - 1`` is suppressed (``None``, shown as "x", the mark
statistics offices use, for primary and secondary suppression alike so that the two cannot
be told apart). Where a column total is known, a column with a suppressed cell gets a
second one suppressed (the smallest cell of at least ``MIN_CELL``), so that no hidden cell can
be worked out by subtraction (:func:`suppress_columns`). Zero reveals nobody and is shown.

Those who see aggregates only get them per **completed calendar quarter** (never an
arbitrary or running period, never a total since some date): two overlapping periods would
give a suppressed difference away by subtraction."""

from __future__ import annotations

from datetime import date

from django.conf import settings


def min_cell() -> int:
    return settings.DISCLOSURE_MIN_CELL


def hide(value: int | None) -> int | None:
    if value is None:
        return None
    return None if 0 < value < min_cell() else value


def suppress_columns(
    rows: dict, columns, *, total_published: bool = False
) -> tuple[dict, dict[str, int | None]]:
    """Rows (regions, municipalities, …) × columns (indicators) → the same with cells
    suppressed, and the column totals.

    Primary: a count from 1 to ``MIN_CELL - 1`` is hidden. Secondary, per column: where a
    cell is hidden, the smallest shown cell of ``MIN_CELL`` or more is hidden too, so that the
    hidden cells' sum (which the total gives away) can be split in more than one way, and
    never only into ones. Without such a cell the total is hidden; where the total is
    published elsewhere (``total_published``: the region's own number, above the rows of a
    table below it), the whole column is hidden instead, zeros included."""
    shown = {row: {c: hide(v) for c, v in values.items()} for row, values in rows.items()}
    totals: dict[str, int | None] = {}
    for column in columns:
        total = sum(values.get(column, 0) for values in rows.values())
        if any(shown[row].get(column) is None for row in rows):
            large = sorted(
                ((rows[row][column], str(row)), row)
                for row in rows
                if shown[row].get(column) not in (None, 0)
            )
            if large:
                shown[large[0][1]][column] = None
            elif total_published:
                for row in rows:
                    shown[row][column] = None
            else:
                total = None
        totals[column] = hide(total)
    return shown, totals


MARK = "x"


def completed_quarters(count: int = 8, today: date | None = None) -> list[tuple[int, int]]:
    """The last ``count`` calendar quarters that have ended, newest first."""
    from django.utils import timezone

    today = today or timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    out = []
    for _i in range(count):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        out.append((year, quarter))
    return out


def quarter_of(start: date, end: date) -> tuple[int, int] | None:
    """(year, quarter) when start and end are exactly one completed calendar quarter."""
    from .report import quarter_bounds

    if start.day != 1 or start.month not in (1, 4, 7, 10):
        return None
    key = (start.year, (start.month - 1) // 3 + 1)
    if quarter_bounds(*key) != (start, end) or key not in completed_quarters(400):
        return None
    return key


def national_table(start: date, end: date):
    """The ministry's one view of the regions for a period: regions × indicators, with
    primary and secondary suppression and national totals. Every number the ministry gets
    about a region (page, export, report, API) comes from this table, so that no other
    view can undo its secondary suppression."""
    from perspectief.regions.models import Region

    from . import indicators

    regions = list(Region.objects.order_by("code"))
    raw = {
        r.code: indicators.counts(indicators.Filters(start, end, region_id=r.pk)) for r in regions
    }
    shown, totals = suppress_columns(raw, list(indicators.KEYS))
    return regions, shown, totals
