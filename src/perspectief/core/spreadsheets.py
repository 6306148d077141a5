"""Helpers for files people open in a spreadsheet: neutralised text (:func:`safe_cell`) and
workbooks that work as data (:func:`workbook`): one sheet per table, numbers stored as
numbers and dates as dates, the header row frozen and bold, columns as wide as their
contents. A number that may not be shown is an empty cell (never a letter in a column of
numbers, which would turn the column into text); the sheet says why in a note column."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

#: How a date cell is shown (the value stays a date: sorting and filtering work).
DATE_FORMAT = "dd-mm-yyyy"
#: Widths in characters: at least the header's, at most this.
MAX_WIDTH = 60


def safe_cell(value: object) -> str:
    """Neutralise spreadsheet formulas in a downloaded file (CSV injection): a value that
    starts with =, +, - or @ gets a leading apostrophe, so Excel shows it as text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


Cell = str | int | float | Decimal | date | None


@dataclass
class Sheet:
    """One table of a workbook: a title (at most 31 characters, Excel's limit), the header
    and the rows. A cell is text, a number, a date or None (an empty cell)."""

    title: str
    header: Sequence[str]
    rows: list[list[Cell]] = field(default_factory=list)


def _value(value: Cell) -> object:
    """A cell as openpyxl stores it: numbers and dates typed, text neutralised."""
    if value is None or isinstance(value, int | float | Decimal | date):
        return value
    return safe_cell(value)


def _shown_length(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, date | datetime):
        return len(DATE_FORMAT)
    return len(str(value))


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an XLSX file, each with its header row bold and frozen."""
    book = Workbook()
    book.remove(book.active)
    for spec in sheets:
        sheet = book.create_sheet(spec.title[:31])
        sheet.append([safe_cell(h) for h in spec.header])
        for row in spec.rows:
            sheet.append([_value(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index in range(1, len(spec.header) + 1):
            letter = get_column_letter(index)
            column = sheet[letter]
            for cell in column[1:]:
                if isinstance(cell.value, date):
                    cell.number_format = DATE_FORMAT
            widest = max(_shown_length(cell.value) for cell in column)
            sheet.column_dimensions[letter].width = min(max(widest, 6) + 2, MAX_WIDTH)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
