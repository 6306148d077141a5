"""Shared by the monitoring tests: a plan's input, dated transitions, the quarters."""

from datetime import date, timedelta
from decimal import Decimal

from perspectief.candidates.models import JourneyTransition
from perspectief.monitoring.periods import completed_quarters, quarter_bounds
from perspectief.monitoring.services.plans import PlanInput

START, END = date(2026, 1, 1), date(2027, 12, 31)


def last_quarter():
    """(year, quarter, a day in it, its first day, its last day) of the last completed one."""
    year, quarter = completed_quarters(1)[0]
    first, last = quarter_bounds(year, quarter)
    return year, quarter, first + timedelta(days=20), first, last


def running_quarter():
    today = date.today()
    return today.year, (today.month - 1) // 3 + 1


def plan_input(gemeente, **changes):
    data = {
        "title": "Doe-agenda Groot Amsterdam 2026-2027",
        "period_start": START,
        "period_end": END,
        "lead": gemeente,
        "employer_lead": "Werkgeversvereniging Amsterdam",
        "ambition": 300,
        "budget": Decimal("2000000"),
    }
    data.update(changes)
    return PlanInput(**data)


def transition(person, to, on, cause=None, reference=""):
    # A placement is always a recorded hire and durable work a confirmation (only those
    # count); the rest follows the route.
    return JourneyTransition.objects.create(
        candidate=person,
        from_status="in_beeld",
        to_status=to,
        occurred_on=on,
        cause=cause or {"geplaatst": "hire", "duurzaam": "durable"}.get(to, "route"),
        reference=reference,
    )
