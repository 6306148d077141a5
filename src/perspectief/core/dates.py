"""Dates as the pages show them, for messages written by services and in reports."""

import calendar
from datetime import date


def short_date(day: date) -> str:
    """Day-month-year without leading zeros, like the templates' ``j-n-Y`` (1-3-2027)."""
    return f"{day.day}-{day.month}-{day.year}"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the last day of a shorter month)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
