"""``{% load dates %}``: dates with the month abbreviated as the active language writes it
("6 dec." on a Dutch page), from ``perspectief.core.dates``. Empty values give ""."""

from collections.abc import Callable
from datetime import date

from django import template

from perspectief.core import dates

register = template.Library()


def _or_empty(render: Callable[[date], str]) -> Callable[[date | None], str]:
    def apply(value: date | None) -> str:
        return render(value) if value else ""

    apply.__name__ = render.__name__
    return apply


register.filter("day_month", _or_empty(dates.day_month))
register.filter("day_month_year", _or_empty(dates.day_month_year))
register.filter("month_abbr", _or_empty(dates.month_abbr))
