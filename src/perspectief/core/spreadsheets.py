"""Helpers for files people open in a spreadsheet."""


def safe_cell(value: object) -> str:
    """Neutralise spreadsheet formulas in a downloaded file (CSV injection): a value that
    starts with =, +, - or @ gets a leading apostrophe, so Excel shows it as text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
