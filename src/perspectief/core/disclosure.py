"""Statistical disclosure control for counts shown to whoever may not see the people behind
them: the monitoring's tables (monitoring/disclosure.py) and the matching's fairness report.

A count from 1 to ``MIN_CELL - 1`` (``PERSPECTIEF_DISCLOSURE_MIN_CELL``) is suppressed
(``None``, shown as "x", the mark statistics offices use, for primary and secondary
suppression alike so that the two cannot be told apart). Where a column total is known, a
column with a suppressed cell gets cells of at least ``MIN_CELL`` suppressed with it until
no hidden cell can be worked out from their sum, even by someone who knows this rule
(:func:`suppress_columns`). Zero reveals nobody and is shown."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

from django.conf import settings

#: Rows of a table: a row key (a region, a municipality, …) → column → count.
Table = Mapping[Hashable, Mapping[str, int]]


def min_cell() -> int:
    return int(settings.DISCLOSURE_MIN_CELL)


def hide(value: int | None) -> int | None:
    if value is None:
        return None
    return None if 0 < value < min_cell() else value


def suppress_columns(
    rows: Table, columns: Iterable[str], *, total_published: bool = False
) -> tuple[dict[Hashable, dict[str, int | None]], dict[str, int | None]]:
    """Rows (regions, municipalities, …) × columns (indicators) → the same with cells
    suppressed, and the column totals.

    Primary: a count from 1 to ``MIN_CELL - 1`` is hidden. Secondary, per column: while the
    hidden cells' sum (which the total gives away) would pin a small one down, the smallest
    shown cell of ``MIN_CELL`` or more is hidden too (:func:`_pinned`). Without such a cell
    left, the whole column is hidden, zeros included, and its total too unless that is
    published elsewhere anyway (``total_published``: the region's own number, above the
    rows of a table below it)."""
    shown = {row: {c: hide(v) for c, v in values.items()} for row, values in rows.items()}
    totals: dict[str, int | None] = {}
    for column in columns:
        values = {row: rows[row].get(column, 0) for row in rows}
        total: int | None = sum(values.values())
        hidden = _secondary(values)
        if hidden is None:
            # No cell left to hide with the small ones: the whole column goes, and the
            # total where it is this table's own (hiding only the small ones and the total
            # would tell, to someone who knows this rule, that this case arose).
            hidden = set(values)
            if not total_published:
                total = None
        for row in hidden:
            shown[row][column] = None
        totals[column] = hide(total)
    return shown, totals


def _secondary(values: Mapping[Hashable, int]) -> set[Hashable] | None:
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


def _pinned(
    values: Mapping[Hashable, int],
    hidden: set[Hashable],
    small: set[Hashable],
    ceiling: int | None,
) -> bool:
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
