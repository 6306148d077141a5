"""Calendar quarters and when their numbers are final: what the disclosure control, the
indicators and the quarterly report share.

A quarter's numbers keep changing while it runs, and after its end records dated back into
it (a hire dated by its start of work) still arrive for ``DISCLOSURE_SETTLE_DAYS``
(``PERSPECTIEF_DISCLOSURE_SETTLE_DAYS``) days. Until then its numbers are *provisional*;
from then on the quarter has *settled* and its numbers are *final*. Aggregates for those who
may not see the people behind them are published per settled quarter only (see
:mod:`perspectief.monitoring.services.publishing`); the region's own report and exports say
"provisional" until then."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.core.dates import short_date


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """The first and last day of a calendar quarter (a quarter outside 1-4, or a year the
    platform has no quarters for, is a ``ValueError``)."""
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise ValueError("quarter")
    start = date(year, 3 * quarter - 2, 1)
    end = (date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - timedelta(days=1)
    return start, end


def quarter_containing(day: date) -> tuple[int, int]:
    """(year, quarter) of the calendar quarter a day lies in."""
    return day.year, (day.month - 1) // 3 + 1


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    """(year, quarter) of the quarter before."""
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def completed_quarters(count: int = 8, today: date | None = None) -> list[tuple[int, int]]:
    """The last ``count`` calendar quarters that have ended and settled (``DISCLOSURE_SETTLE_
    DAYS`` after their end: records dated back into them have mostly arrived), newest
    first: the quarters whose aggregates can be published."""
    settled = (today or timezone.localdate()) - timedelta(days=settings.DISCLOSURE_SETTLE_DAYS)
    # The quarter holding the settled day has not settled itself: start from the one before.
    year, quarter = quarter_containing(settled)
    out = []
    for _i in range(count):
        year, quarter = previous_quarter(year, quarter)
        out.append((year, quarter))
    return out


def recent_quarters(count: int = 2) -> list[tuple[int, int, bool]]:
    """The current quarter and the ones before it, newest first: (year, quarter, whether
    its report is provisional — running, or not yet settled)."""
    year, quarter = quarter_containing(timezone.localdate())
    out = []
    for _i in range(count):
        out.append((year, quarter, provisional(quarter_bounds(year, quarter)[1])))
        year, quarter = previous_quarter(year, quarter)
    return out


def settles_on(end: date) -> date:
    """The first day a period ending on ``end`` counts as settled (the same rule as
    :func:`completed_quarters`): until then its numbers are provisional."""
    return end + timedelta(days=settings.DISCLOSURE_SETTLE_DAYS + 1)


def provisional(end: date, today: date | None = None) -> bool:
    """Whether numbers of a period ending on ``end`` can still change: it is running, or
    records dated back into it can still arrive."""
    return (today or timezone.localdate()) < settles_on(end)


def provisional_reason(end: date, today: date) -> str:
    """Why a quarter's numbers are provisional, or "" once it has settled (the rule the
    ministry's numbers wait for: ``DISCLOSURE_SETTLE_DAYS`` after the quarter's end)."""
    if today <= end:
        return _("The quarter is still running (until %(end)s): the numbers will change.") % {
            "end": short_date(end)
        }
    if provisional(end, today):
        return _(
            "The quarter has ended, but records dated back into it can still arrive until "
            "%(day)s: the numbers can still change."
        ) % {"day": short_date(settles_on(end) - timedelta(days=1))}
    return ""


def quarter_of(start: date, end: date) -> tuple[int, int] | None:
    """(year, quarter) when start and end are exactly one completed calendar quarter."""
    if start.day != 1 or start.month not in (1, 4, 7, 10):
        return None
    key = quarter_containing(start)
    # The settled quarters are all those up to the last one (tuples compare year first).
    if key > completed_quarters(1)[0]:
        return None
    try:
        bounds = quarter_bounds(*key)
    except ValueError:  # a year the platform has no quarters for (before 2000): none
        return None
    return key if bounds == (start, end) else None


def years_between(start: date, end: date) -> float:
    """The length of a period (both days included) in years: what an ambition a year is
    multiplied by."""
    return max((end - start).days + 1, 0) / 365.25
