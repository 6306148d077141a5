"""The dashboard's numbers and the ministry's table as files.

- CSV (UTF-8 with a byte-order mark and ``;``, as Excel opens it for Dutch users): one list
  with the same cells as the pages ("x" where a number is suppressed).
- XLSX (:mod:`perspectief.core.spreadsheets`): one sheet per table, numbers as numbers and
  dates as dates, a suppressed number an empty cell with the reason in the row's note
  column, and one long ("tidy") sheet of every number with its period, table, value and
  indicator, ready for a pivot table."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from perspectief.core.dates import add_months
from perspectief.core.disclosure import MARK, min_cell
from perspectief.core.spreadsheets import Cell, Sheet
from perspectief.monitoring.periods import provisional
from perspectief.monitoring.selectors import indicators
from perspectief.monitoring.selectors.breakdowns import Table, describe


def as_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # Excel opens UTF-8 with a BOM


def cell_text(value):
    """A cell as the files show it: "x" for a suppressed number, ISO for a date."""
    if value is None:
        return MARK
    return value.isoformat() if isinstance(value, date) else value


def _breakdown_rows(region, breakdowns: dict[str, Table]) -> list[list]:
    """The region's suppressed tables of the quarter: every indicator per municipality and
    target group, matches per sector."""
    rows = []
    for dimension, table in breakdowns.items():
        keys = indicators.KEYS if dimension in ("municipality", "target_group") else ["matches"]
        for value, cells in sorted(table.cells.items(), key=lambda t: table.labels[t[0]]):
            for k in keys:
                rows.append(
                    [
                        region.code,
                        table.start,
                        table.end,
                        f"{indicators.DIMENSIONS[dimension]}: {table.labels[value]}",
                        str(indicators.LABELS[k]),
                        cells[k],
                    ]
                )
    return rows


def dashboard_rows(
    region, f: indicators.Filters, counts: dict, breakdowns: dict[str, Table]
) -> list[list]:
    """The dashboard's numbers with the page's filters: each indicator, matches per month
    (for the region itself), and the region's suppressed tables of the quarter, each row
    with its status — provisional while its period can still change, else final."""
    # A header, then cells of any kind (dates, numbers, text) until cell_text() writes them.
    rows: list[list[Any]] = [
        [_("Region"), _("From"), _("Until"), _("Narrowed to"), _("Indicator"), _("Number")]
    ]
    shown_as = describe(f)
    rows += [
        [region.code, f.start, f.end, shown_as, str(indicators.LABELS[k]), counts[k]]
        for k in indicators.KEYS
    ]
    if not f.narrowing():
        matches = str(indicators.LABELS["matches"])
        rows += [
            [region.code, month, add_months(month, 1) - timedelta(days=1), "", matches, n]
            for month, n in indicators.by_month(f)
        ]
    rows += _breakdown_rows(region, breakdowns)
    # Whether each row can still change: its period runs, or has not settled (see
    # periods.provisional); the file's name says so when any row is provisional.
    rows[0].append(_("Status"))
    for row in rows[1:]:
        row.append(_("provisional") if provisional(row[2]) else _("final"))
    return [[cell_text(v) for v in row] for row in rows]


def national_rows(regions, shown: dict, totals: dict) -> list[list]:
    """The ministry's table of the regions with the national totals, suppressed."""
    rows = [[_("Region"), *[str(indicators.LABELS[k]) for k in indicators.KEYS]]]
    rows += [
        [f"{r.code} {r.name}", *[cell_text(shown[r.code][k]) for k in indicators.KEYS]]
        for r in regions
    ]
    rows.append([str(_("The Netherlands")), *[cell_text(totals[k]) for k in indicators.KEYS]])
    return rows


# --- XLSX: one sheet per table, typed cells, and one long sheet for a pivot table --------


def _not_shown(keys: list[str]) -> str:
    """The note beside a row with suppressed numbers: which, and why."""
    if not keys:
        return ""
    return _("Not shown (under %(n)s, or it could be worked out from a total): %(which)s") % {
        "n": min_cell(),
        "which": ", ".join(str(indicators.LABELS[k]) for k in keys),
    }


def _status(end: date) -> str:
    return str(_("provisional") if provisional(end) else _("final"))


def _tidy_header() -> list[str]:
    return [
        _("Region"),
        _("From"),
        _("Until"),
        _("Table"),
        _("Value"),
        _("Indicator"),
        _("Number"),
        _("Not shown"),
    ]


def _tidy(region: str, start: date, end: date, table: str, value: str, k: str, n) -> list[Cell]:
    """One number of the long sheet: empty and marked "yes" where it is not shown."""
    hidden = str(_("yes") if n is None else _("no"))
    return [region, start, end, table, value, str(indicators.LABELS[k]), n, hidden]


def _breakdown_sheet(region, dimension: str, table: Table, tidy: list[list[Cell]]) -> Sheet:
    """One suppressed table of the quarter: a row per value, a column per indicator."""
    keys = list(indicators.KEYS if dimension in ("municipality", "target_group") else ["matches"])
    name = str(indicators.DIMENSIONS[dimension])
    header = [
        _("Region"),
        _("From"),
        _("Until"),
        name,
        *[str(indicators.LABELS[k]) for k in keys],
        _("Explanation"),
        _("Status"),
    ]
    rows: list[list[Cell]] = []
    status = _status(table.end)
    for value, cells in sorted(table.cells.items(), key=lambda t: table.labels[t[0]]):
        label = table.labels[value]
        numbers = [cells.get(k) for k in keys]
        hidden = [k for k, n in zip(keys, numbers, strict=True) if n is None]
        rows.append(
            [region.code, table.start, table.end, label, *numbers, _not_shown(hidden), status]
        )
        tidy += [
            _tidy(region.code, table.start, table.end, name, label, k, n)
            for k, n in zip(keys, numbers, strict=True)
        ]
    return Sheet(name, header, rows)


def dashboard_sheets(
    region, f: indicators.Filters, counts: dict, breakdowns: dict[str, Table]
) -> list[Sheet]:
    """The dashboard's numbers as a workbook: the indicators with the page's filters,
    matches per month (for the region itself), one sheet per suppressed table of the
    quarter, and the long sheet of all of them."""
    shown_as = describe(f)
    tidy: list[list[Cell]] = []
    status = _status(f.end)
    indicator_rows: list[list[Cell]] = []
    for k in indicators.KEYS:
        n = counts[k]
        note = _not_shown([k] if n is None else [])
        indicator_rows.append(
            [region.code, f.start, f.end, shown_as, str(indicators.LABELS[k]), n, note, status]
        )
        tidy.append(_tidy(region.code, f.start, f.end, shown_as or _("Region"), "", k, n))
    sheets = [
        Sheet(
            _("Indicators"),
            [
                _("Region"),
                _("From"),
                _("Until"),
                _("Narrowed to"),
                _("Indicator"),
                _("Number"),
                _("Explanation"),
                _("Status"),
            ],
            indicator_rows,
        )
    ]
    if not f.narrowing():
        months: list[list[Cell]] = []
        per_month = str(_("Matches per month"))
        for month, n in indicators.by_month(f):
            last = add_months(month, 1) - timedelta(days=1)
            months.append([region.code, month, last, n, _status(last)])
            tidy.append(_tidy(region.code, month, last, per_month, "", "matches", n))
        header = [_("Region"), _("Month"), _("Until"), _("Matches"), _("Status")]
        sheets.append(Sheet(per_month, header, months))
    sheets += [
        _breakdown_sheet(region, dimension, table, tidy) for dimension, table in breakdowns.items()
    ]
    sheets.append(Sheet(_("All numbers (long)"), _tidy_header(), tidy))
    return sheets


def national_sheets(regions, shown: dict, totals: dict, start: date, end: date) -> list[Sheet]:
    """The ministry's table of the regions with the national totals, suppressed, and the
    long sheet of the same numbers."""
    keys = list(indicators.KEYS)
    header = [
        _("Code"),
        _("Region"),
        _("From"),
        _("Until"),
        *[str(indicators.LABELS[k]) for k in keys],
        _("Explanation"),
    ]
    rows: list[list[Cell]] = []
    tidy: list[list[Cell]] = []
    named = [(r.code, r.name, shown[r.code]) for r in regions]
    named.append(("NL", str(_("The Netherlands")), totals))
    for code, name, cells in named:
        numbers = [cells[k] for k in keys]
        hidden = [k for k, n in zip(keys, numbers, strict=True) if n is None]
        rows.append([code, name, start, end, *numbers, _not_shown(hidden)])
        table = str(_("Regions compared"))
        tidy += [
            _tidy(code, start, end, table, name, k, n) for k, n in zip(keys, numbers, strict=True)
        ]
    return [
        Sheet(_("Regions compared"), header, rows),
        Sheet(_("All numbers (long)"), _tidy_header(), tidy),
    ]
