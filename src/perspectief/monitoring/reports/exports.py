"""The dashboard's numbers and the ministry's table as files: CSV (UTF-8 with a byte-order
mark and ``;``, as Excel opens it for Dutch users) and XLSX, with the same cells as the
pages ("x" where a number is suppressed)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from perspectief.core.dates import add_months
from perspectief.core.disclosure import MARK
from perspectief.monitoring.periods import provisional
from perspectief.monitoring.selectors import indicators
from perspectief.monitoring.selectors.breakdowns import Table, describe


def as_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # Excel opens UTF-8 with a BOM


def as_xlsx(rows: list[list], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append([("" if v is None else v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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
