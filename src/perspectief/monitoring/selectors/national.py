"""The ministry's one view of the regions: regions × indicators per settled quarter, with
primary and secondary suppression and national totals.

Those who see aggregates only get them per **completed calendar quarter**, once it has
settled (:mod:`perspectief.monitoring.periods`), and then as first published (never an
arbitrary or running period, never a total since some date): two overlapping periods would
give a suppressed difference away by subtraction."""

from __future__ import annotations

from datetime import date

from perspectief.core.disclosure import suppress_columns
from perspectief.monitoring.selectors.indicators import KEYS, Filters, counts
from perspectief.monitoring.services.publishing import published
from perspectief.regions.models import Region


def national_table(start: date, end: date):
    """The ministry's one view of the regions for a period: regions × indicators, with
    primary and secondary suppression and national totals. Every number the ministry gets
    about a region (page, export, report, API) comes from this table, so that no other
    view can undo its secondary suppression; a completed quarter's is kept as first
    published (:func:`published`)."""
    regions = list(Region.objects.order_by("code"))

    def compute():
        raw = {r.code: counts(Filters(start, end, region_id=r.pk)) for r in regions}
        shown, totals = suppress_columns(raw, list(KEYS))
        return {"shown": shown, "totals": totals}

    content = published("NL", "region", start, end, compute)
    blank = dict.fromkeys(KEYS)  # a region added since: not in the table (x)
    # An indicator added since a table was published is not in it either (x).
    shown = {r.code: blank | content["shown"].get(r.code, {}) for r in regions}
    return regions, shown, blank | content["totals"]
