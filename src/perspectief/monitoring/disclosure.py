"""Disclosure control of the monitoring's aggregates, for whoever may not see the people
behind them (the ministry; any table narrowed below a region). The rule for one table is in
:mod:`perspectief.core.disclosure`; here: which tables, for which periods, kept how.

Those who see aggregates only get them per **completed calendar quarter**, once it has
settled (``DISCLOSURE_SETTLE_DAYS``), and then as first published (never an
arbitrary or running period, never a total since some date): two overlapping periods would
give a suppressed difference away by subtraction."""

from __future__ import annotations

from datetime import date

from perspectief.core.disclosure import MARK, hide, min_cell, suppress_columns

__all__ = [
    "MARK",
    "completed_quarters",
    "hide",
    "min_cell",
    "national_table",
    "published",
    "quarter_of",
    "suppress_columns",
]


def completed_quarters(count: int = 8, today: date | None = None) -> list[tuple[int, int]]:
    """The last ``count`` calendar quarters that have ended and settled (``DISCLOSURE_SETTLE_
    DAYS`` after their end: records dated back into them have mostly arrived), newest
    first: the quarters whose aggregates can be published."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    settled = (today or timezone.localdate()) - timedelta(days=settings.DISCLOSURE_SETTLE_DAYS)
    # The quarter holding the settled day has not settled itself: start from the one before.
    year, quarter = settled.year, (settled.month - 1) // 3 + 1
    out = []
    for _i in range(count):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        out.append((year, quarter))
    return out


def settles_on(end: date) -> date:
    """The first day a period ending on ``end`` counts as settled (the same rule as
    :func:`completed_quarters`): until then its numbers are provisional."""
    from datetime import timedelta

    from django.conf import settings

    return end + timedelta(days=settings.DISCLOSURE_SETTLE_DAYS + 1)


def provisional(end: date, today: date | None = None) -> bool:
    """Whether numbers of a period ending on ``end`` can still change: it is running, or
    records dated back into it can still arrive."""
    from django.utils import timezone

    return (today or timezone.localdate()) < settles_on(end)


def quarter_of(start: date, end: date) -> tuple[int, int] | None:
    """(year, quarter) when start and end are exactly one completed calendar quarter."""
    from .report import quarter_bounds

    if start.day != 1 or start.month not in (1, 4, 7, 10):
        return None
    key = (start.year, (start.month - 1) // 3 + 1)
    # The settled quarters are all those up to the last one (tuples compare year first).
    if key > completed_quarters(1)[0]:
        return None
    try:
        bounds = quarter_bounds(*key)
    except ValueError:  # a year the platform has no quarters for (before 2000): none
        return None
    return key if bounds == (start, end) else None


def published(scope: str, dimension: str, start: date, end: date, compute):
    """The content of a suppressed table: for a settled quarter as it was first published
    (:class:`PublishedTable`), computed and kept the first time it is asked for; for any
    other period, computed anew. ``compute`` returns JSON-able content."""
    from django.db import IntegrityError, transaction

    from .models import PublishedTable

    if quarter_of(start, end) is None:  # not a settled quarter: nothing to keep yet
        return compute()
    kept = PublishedTable.objects.filter(
        scope=scope, dimension=dimension, start=start, end=end
    ).first()
    if kept is not None:
        return kept.content
    content = compute()
    try:
        with transaction.atomic():
            PublishedTable.objects.create(
                scope=scope, dimension=dimension, start=start, end=end, content=content
            )
    except IntegrityError:  # published by another request meanwhile: that one holds
        return PublishedTable.objects.get(
            scope=scope, dimension=dimension, start=start, end=end
        ).content
    return content


def national_table(start: date, end: date):
    """The ministry's one view of the regions for a period: regions × indicators, with
    primary and secondary suppression and national totals. Every number the ministry gets
    about a region (page, export, report, API) comes from this table, so that no other
    view can undo its secondary suppression; a completed quarter's is kept as first
    published (:func:`published`)."""
    from perspectief.regions.models import Region

    from . import indicators

    regions = list(Region.objects.order_by("code"))

    def compute():
        raw = {
            r.code: indicators.counts(indicators.Filters(start, end, region_id=r.pk))
            for r in regions
        }
        shown, totals = suppress_columns(raw, list(indicators.KEYS))
        return {"shown": shown, "totals": totals}

    content = published("NL", "region", start, end, compute)
    blank = dict.fromkeys(indicators.KEYS)  # a region added since: not in the table (x)
    # An indicator added since a table was published is not in it either (x).
    shown = {r.code: blank | content["shown"].get(r.code, {}) for r in regions}
    return regions, shown, blank | content["totals"]
