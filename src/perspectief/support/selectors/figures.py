"""The platform's figures a questionnaire asks for, with the monitoring's own definitions.

Counts of people and events come from the one suppressed table the ministry's view reads
(:func:`perspectief.monitoring.selectors.national.national_table`): the support team is
national and sees aggregates only, so a region's small count is "x" here exactly as it is
there (and a cell hidden there to protect another is hidden here too). The plan's ambition
and the spend on its activities are about money and intentions, not people, and are shown
as the plan says them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from perspectief.monitoring.models import Spend
from perspectief.monitoring.selectors.national import national_table
from perspectief.monitoring.selectors.plans import plan_as_of, plan_during

from ..constants import Figure

#: Figures counted from people's journeys (suppressed where small).
COUNTED = {Figure.MATCHES: "matches", Figure.IN_VIEW: "in_view", Figure.DURABLE: "durable"}


@dataclass(frozen=True)
class Value:
    """A figure's value; ``None`` with ``suppressed`` is "x", without it: not known (no
    plan in force)."""

    number: Decimal | None
    suppressed: bool = False


def figures(region, start: date, end: date, wanted: set[str]) -> dict[str, Value]:
    """The ``wanted`` figures of a region for a period."""
    out: dict[str, Value] = {}
    if wanted & set(COUNTED):
        _regions, shown, _totals = national_table(start, end)
        row = shown.get(region.code, {})
        for figure, key in COUNTED.items():
            if figure in wanted:
                value = row.get(key)
                out[figure] = Value(
                    None if value is None else Decimal(value), suppressed=value is None
                )
    if Figure.AMBITION in wanted:
        plan = plan_during(region.pk, start, end)
        ambition = plan_as_of(plan, end).ambition if plan is not None else None
        out[Figure.AMBITION] = Value(None if ambition is None else Decimal(ambition))
    if Figure.SPEND in wanted:
        spent = Spend.objects.filter(
            activity__plan__region_id=region.pk, spent_on__gte=start, spent_on__lte=end
        ).aggregate(s=Sum("amount"))["s"]
        out[Figure.SPEND] = Value(spent or Decimal(0))
    return out
