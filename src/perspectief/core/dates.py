"""Dates as the pages show them, for messages written by services and in reports."""

from datetime import date


def short_date(day: date) -> str:
    """Day-month-year without leading zeros, like the templates' ``j-n-Y`` (1-3-2027)."""
    return f"{day.day}-{day.month}-{day.year}"
