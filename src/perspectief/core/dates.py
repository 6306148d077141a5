"""Dates as the pages show them, for messages written by services and in reports.

One way to write a date (docs/development.md, "Dates"):

- in full: Django's localized ``date`` filter or ``formats.date_format`` with ``"j F Y"``
  (6 december 2026 / 6 December 2026);
- in figures: ``short_date`` here, like the templates' ``j-n-Y`` (6-12-2026);
- with the month abbreviated, where room is short (chart labels, lists): ``day_month`` /
  ``day_month_year`` / ``month_abbr`` here, or the template filters of the same names
  (``{% load dates %}``). Django's ``M`` gives "Dec" on a Dutch page and ``strftime``
  writes English month names whatever the language; neither is used.

And one way to read a date a person typed (a form, an API field, a cell of an import file):
:func:`parse_date`, with the formats of :data:`DATE_FORMATS`. Whoever checks a date further
(a date of birth, a place's start date) parses it here first, so every path accepts the
same ways of writing it.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy

# The abbreviations as each language writes them: Dutch with a full stop, none after "mei".
_MONTH_ABBREVIATIONS = {
    1: pgettext_lazy("abbreviated month", "Jan"),
    2: pgettext_lazy("abbreviated month", "Feb"),
    3: pgettext_lazy("abbreviated month", "Mar"),
    4: pgettext_lazy("abbreviated month", "Apr"),
    5: pgettext_lazy("abbreviated month", "May"),
    6: pgettext_lazy("abbreviated month", "Jun"),
    7: pgettext_lazy("abbreviated month", "Jul"),
    8: pgettext_lazy("abbreviated month", "Aug"),
    9: pgettext_lazy("abbreviated month", "Sep"),
    10: pgettext_lazy("abbreviated month", "Oct"),
    11: pgettext_lazy("abbreviated month", "Nov"),
    12: pgettext_lazy("abbreviated month", "Dec"),
}


def _day(value: date | datetime) -> date:
    """The calendar day; a moment is taken in local time (as the ``date`` filter does)."""
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def short_date(day: date) -> str:
    """Day-month-year without leading zeros, like the templates' ``j-n-Y`` (1-3-2027)."""
    return f"{day.day}-{day.month}-{day.year}"


def month_abbr(value: date | datetime) -> str:
    """The month abbreviated in the active language: "dec." (nl), "Dec" (en)."""
    return str(_MONTH_ABBREVIATIONS[_day(value).month])


def day_month(value: date | datetime) -> str:
    """Day and abbreviated month: "6 dec." (nl), "6 Dec" (en)."""
    day = _day(value)
    return f"{day.day} {month_abbr(day)}"


def day_month_year(value: date | datetime) -> str:
    """Day, abbreviated month and year: "6 dec. 2026" (nl), "6 Dec 2026" (en)."""
    day = _day(value)
    return f"{day_month(day)} {day.year}"


def quarter_short(quarter: int) -> str:
    """A quarter of the year, short: "K4" (nl), "Q4" (en)."""
    return gettext("Q%(quarter)s") % {"quarter": quarter}


def quarter_label(year: int, quarter: int) -> str:
    """A quarter with its year, short, as the monitoring's reports name it: "2026 K4" (nl),
    "2026 Q4" (en)."""
    return f"{year} {quarter_short(quarter)}"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the last day of a shorter month)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


#: The ways a typed date may be written: ISO, and day-month-year with ``-`` or ``/`` as the
#: Dutch write it (docs/import.md).
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


def parse_date(value: str) -> date:
    """The date a person typed in one of :data:`DATE_FORMATS` (surrounding spaces ignored).
    Raises ``ValueError`` for anything else, an impossible date (31-02-1990) included; the
    caller says why in its own words."""
    text = value.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable date {value!r}")
