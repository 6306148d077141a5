"""Published once: the suppressed tables of a settled quarter, kept as first published.

Records keep arriving for a quarter that has ended (a hire dated back to its start of work,
a corrected postcode or target group), and a table counted anew would change with them: a
cell hidden on Monday and shown on Tuesday gives Monday's away. So the first time a settled
quarter's table is needed it is kept (:class:`PublishedTable`), and every page, export,
report and API answer reads that one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction

from perspectief.monitoring.models import PublishedTable
from perspectief.monitoring.periods import quarter_of


def published(scope: str, dimension: str, start: date, end: date, compute):
    """The content of a suppressed table: for a settled quarter as it was first published
    (:class:`PublishedTable`), computed and kept the first time it is asked for; for any
    other period, computed anew. ``compute`` returns JSON-able content."""
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


def kept(scope: str, keys: Iterable[tuple[str, date, date]]) -> dict[tuple[str, date, date], dict]:
    """The content of the tables among ``keys`` ((dimension, start, end)) that were published
    already, read in one query: a page that shows several reads them together, as
    :func:`published` would have returned each. Tables not published yet are not in it."""
    wanted = {key for key in keys if quarter_of(key[1], key[2]) is not None}
    if not wanted:
        return {}
    rows = PublishedTable.objects.filter(
        scope=scope,
        dimension__in={dimension for dimension, _start, _end in wanted},
        start__in={start for _dimension, start, _end in wanted},
    ).values_list("dimension", "start", "end", "content")
    return {
        (dimension, start, end): content
        for dimension, start, end, content in rows
        if (dimension, start, end) in wanted
    }
