"""Statistical disclosure control for aggregates shown to whoever may not see the people
behind them (the ministry; any table narrowed below a region).

A count from 1 to ``MIN_CELL - 1`` is suppressed (``None``, shown as "x", the mark
statistics offices use, for primary and secondary suppression alike so that the two cannot
be told apart). Where a column total is known, a column with a suppressed cell gets cells of
at least ``MIN_CELL`` suppressed with it until no hidden cell can be worked out from their
sum, even by someone who knows this rule (:func:`suppress_columns`). Zero reveals nobody
and is shown.

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

    Primary: a count from 1 to ``MIN_CELL - 1`` is hidden. Secondary, per column: while the
    hidden cells' sum (which the total gives away) would pin a small one down, the smallest
    shown cell of ``MIN_CELL`` or more is hidden too (:func:`_pinned`). Without such a cell
    left, the total is hidden; where the total is published elsewhere (``total_published``:
    the region's own number, above the rows of a table below it), the whole column is
    hidden instead, zeros included."""
    shown = {row: {c: hide(v) for c, v in values.items()} for row, values in rows.items()}
    totals: dict[str, int | None] = {}
    for column in columns:
        values = {row: rows[row].get(column, 0) for row in rows}
        total = sum(values.values())
        hidden = _secondary(values)
        if hidden is None:
            if total_published:
                hidden = set(values)
            else:
                hidden, total = {r for r, v in values.items() if 0 < v < min_cell()}, None
        for row in hidden:
            shown[row][column] = None
        totals[column] = hide(total)
    return shown, totals


def _secondary(values: dict) -> set | None:
    """The cells of one column to hide so that no small one can be worked out from their
    sum; None when that cannot be done by hiding cells (no cell of MIN_CELL or more left)."""
    small = {row for row, v in values.items() if 0 < v < min_cell()}
    if not small:
        return set()
    hidden = set(small)
    large = [
        row for _v, _k, row in sorted((v, str(r), r) for r, v in values.items() if v >= min_cell())
    ]
    while True:
        still_shown = [row for row in large if row not in hidden]
        ceiling = values[still_shown[0]] if still_shown else None
        if len(hidden) > len(small) and not _pinned(values, hidden, small, ceiling):
            return hidden
        if not still_shown:
            return None
        hidden.add(still_shown[0])


def _pinned(values: dict, hidden: set, small: set, ceiling: int | None) -> bool:
    """Whether a small hidden cell has only one possible value for an attacker who knows
    the hidden cells' sum, which of them are small (1 to MIN_CELL - 1), and that the others
    lie between MIN_CELL and ``ceiling`` (the smallest shown cell of MIN_CELL or more: the
    rule hides the smallest first; None: no bound)."""
    total = sum(values[row] for row in hidden)
    big = total if ceiling is None else ceiling
    low = {row: 1 if row in small else min_cell() for row in hidden}
    high = {row: min_cell() - 1 if row in small else big for row in hidden}
    all_low, all_high = sum(low.values()), sum(high.values())
    for row in small:
        can_be_low = max(low[row], total - (all_high - high[row]))
        can_be_high = min(high[row], total - (all_low - low[row]))
        if can_be_high <= can_be_low:
            return True
    return False


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


def published(scope: str, dimension: str, start: date, end: date, compute):
    """The content of a suppressed table: for a completed quarter as it was first published
    (:class:`PublishedTable`), computed and kept the first time it is asked for; for a
    period that has not ended, computed anew. ``compute`` returns JSON-able content."""
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from .models import PublishedTable

    if end >= timezone.localdate():
        return compute()
    kept = PublishedTable.objects.filter(
        scope=scope, dimension=dimension, start=start, end=end
    ).first()
    if kept is not None:
        return kept.content
    content = compute()
    try:
        with transaction.atomic():
            PublishedTable.objects.create(
                scope=scope, dimension=dimension, start=start, end=end, content=content
            )
    except IntegrityError:  # published by another request meanwhile: that one holds
        return PublishedTable.objects.get(
            scope=scope, dimension=dimension, start=start, end=end
        ).content
    return content


def national_table(start: date, end: date):
    """The ministry's one view of the regions for a period: regions × indicators, with
    primary and secondary suppression and national totals. Every number the ministry gets
    about a region (page, export, report, API) comes from this table, so that no other
    view can undo its secondary suppression; a completed quarter's is kept as first
    published (:func:`published`)."""
    from perspectief.regions.models import Region

    from . import indicators

    regions = list(Region.objects.order_by("code"))

    def compute():
        raw = {
            r.code: indicators.counts(indicators.Filters(start, end, region_id=r.pk))
            for r in regions
        }
        shown, totals = suppress_columns(raw, list(indicators.KEYS))
        return {"shown": shown, "totals": totals}

    content = published("NL", "region", start, end, compute)
    blank = dict.fromkeys(indicators.KEYS, 0)  # a region added since: nothing counted then
    shown = {r.code: content["shown"].get(r.code, blank) for r in regions}
    return regions, shown, content["totals"]
