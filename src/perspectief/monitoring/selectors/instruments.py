"""Instruments per match on the PoW-dashboard: what employer instruments (LKV, LKS, the
no-riskpolis, …) the region's matches used and the euros they brought.

What is counted: the dashboard's matches (placements caused by a recorded hire, dated by
the start of work, of the region's people: :func:`indicators.transitions`) whose hire has an
instrument application recorded in Perspectief that was granted (or is running or ended).
*Granted* is the amount in those decisions; *paid* is the sum of the payments recorded on
them (never typed in); *per match* divides the euros paid by all the region's matches of
the period, with or without an instrument.

For the region as a whole, over the dashboard's own period, the summary is exact like the
other cards (the region's staff see the region's own numbers exactly, for any period); it
is left out when the dashboard is narrowed below the region.

Per instrument is a breakdown below region level (an instrument tells something of the
people who got it: their age, a disability), so it follows the dashboard's rule for those:
one **completed quarter** for the whole region, never an arbitrary period (two overlapping
periods would give a small number away by subtraction), and a count from 1 to
``MIN_CELL - 1`` is not shown, with its euros (:func:`perspectief.core.disclosure.hide`).
The instruments overlap (one match can have LKV and a no-riskpolis), so no row is the
difference of others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from perspectief.core.disclosure import hide
from perspectief.instruments.selectors.applications import (
    InstrumentUse,
    instrument_use,
    use_per_instrument,
)
from perspectief.monitoring.selectors import indicators


@dataclass
class Row:
    code: str
    name: str
    matches: int | None
    granted: Decimal | None
    paid: Decimal | None
    paid_per_match: Decimal | None


@dataclass
class InstrumentTable:
    start: date
    end: date
    matches: int
    rows: list[Row]


def _row(use: InstrumentUse, all_matches: int) -> Row:
    shown = hide(use.matches)
    if shown is None:
        return Row(use.code, use.name, None, None, None, None)
    per_match = (use.paid / all_matches).quantize(Decimal("0.01")) if all_matches else None
    return Row(use.code, use.name, shown, use.granted, use.paid, per_match)


def _references(f: indicators.Filters) -> list[str]:
    """The hires behind the filters' matches, each once (as the ``distinct()`` read did)."""
    return list(dict.fromkeys(ref for _on, ref, _created in indicators.match_rows(f)))


def instrument_table(region_id: int, start: date, end: date) -> InstrumentTable:
    """Per instrument, for the region's matches from ``start`` to ``end`` (a completed
    quarter): the matches with a granted application, euros granted, paid, paid per match."""
    f = indicators.Filters(start, end, region_id=region_id)
    references = _references(f)
    matches = indicators.counts(f)["matches"]
    return InstrumentTable(
        start,
        end,
        matches,
        [_row(use, matches) for use in use_per_instrument(references, region_id=region_id)],
    )


@dataclass
class Summary:
    """All instruments together, for the region over the dashboard's period."""

    matches: int
    with_instrument: int
    granted: Decimal
    paid: Decimal
    paid_per_match: Decimal | None


def instrument_summary(f: indicators.Filters, *, matches: int) -> Summary:
    """The region's matches of the period with any granted application, and their euros;
    ``matches`` is the dashboard's card for the same filters (the denominator)."""
    uses, hires = instrument_use(_references(f), region_id=f.region_id)
    paid = sum((use.paid for use in uses), Decimal(0))
    return Summary(
        matches=matches,
        with_instrument=hires,
        granted=sum((use.granted for use in uses), Decimal(0)),
        paid=paid,
        paid_per_match=(paid / matches).quantize(Decimal("0.01")) if matches else None,
    )
