"""Calendar quarters and when their numbers have settled."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from perspectief.monitoring.periods import (
    completed_quarters,
    previous_quarter,
    provisional,
    provisional_reason,
    quarter_bounds,
    quarter_containing,
    quarter_of,
    recent_quarters,
    settles_on,
    years_between,
)


def test_quarters():
    assert quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    with pytest.raises(ValueError):
        quarter_bounds(2026, 0)


def test_a_quarter_is_published_once_it_has_settled(settings):
    """Hires dated back into a quarter arrive weeks after it: its aggregates wait for them."""
    settings.DISCLOSURE_SETTLE_DAYS = 31
    assert completed_quarters(2, today=date(2027, 1, 15)) == [(2026, 3), (2026, 2)]
    assert completed_quarters(1, today=date(2027, 1, 31)) == [(2026, 3)]
    assert completed_quarters(1, today=date(2027, 2, 1)) == [(2026, 4)]
    settings.DISCLOSURE_SETTLE_DAYS = 0
    assert completed_quarters(1, today=date(2027, 1, 1)) == [(2026, 4)]


def test_a_period_is_provisional_until_it_has_settled(settings):
    """The report's "provisional", the exports' status and the ministry's quarters follow
    one rule: settled ``DISCLOSURE_SETTLE_DAYS`` after the period's end."""
    settings.DISCLOSURE_SETTLE_DAYS = 31
    end = date(2026, 12, 31)
    assert settles_on(end) == date(2027, 2, 1)
    assert provisional(end, today=date(2027, 1, 31))
    assert not provisional(end, today=date(2027, 2, 1))
    # The quarter that has settled is the first the ministry is offered, that same day.
    assert completed_quarters(1, today=settles_on(end)) == [(2026, 4)]
    with translation.override("nl"):
        assert provisional_reason(end, date(2026, 12, 6)).startswith("Het kwartaal loopt nog")
        assert "tot en met 31-1-2027" in provisional_reason(end, date(2027, 1, 15))
        assert provisional_reason(end, date(2027, 2, 1)) == ""


def test_only_a_whole_settled_quarter_is_a_quarter(settings):
    settings.DISCLOSURE_SETTLE_DAYS = 31
    year, quarter = completed_quarters(1)[0]
    first, last = quarter_bounds(year, quarter)
    assert quarter_of(first, last) == (year, quarter)
    assert quarter_of(first, last - timedelta(days=1)) is None  # not the whole quarter
    assert quarter_of(first + timedelta(days=1), last) is None
    assert quarter_of(*quarter_bounds(*previous_quarter(year, quarter))) == previous_quarter(
        year, quarter
    )
    running = quarter_bounds(*quarter_containing(date.today()))
    assert quarter_of(*running) is None  # running: not settled
    assert quarter_of(date(1999, 1, 1), date(1999, 3, 31)) is None  # no quarters before 2000


def test_recent_quarters_say_which_reports_are_provisional(settings):
    settings.DISCLOSURE_SETTLE_DAYS = 31
    (year, quarter, running), (before_year, before, _settled) = recent_quarters()
    assert (year, quarter) == quarter_containing(date.today())
    assert (before_year, before) == previous_quarter(year, quarter)
    assert running is True
    assert years_between(date(2026, 1, 1), date(2026, 12, 31)) == 365 / 365.25
