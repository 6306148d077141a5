"""One way to read a typed date: a date of birth (forms, API, import) and a plain date cell
of an import (availability, a place's start and closing date) accept the same ways of
writing it (core/dates.py); what each checks beyond that is its own."""

from datetime import date

import pytest
from django.utils import translation

from perspectief.candidates import parsing
from perspectief.candidates.importers import available_from
from perspectief.core.dates import DATE_FORMATS, parse_date
from perspectief.imports.rows import plain_date

TODAY = date.today()
DAY = date(TODAY.year - 30, 3, 9)  # a plausible date of birth, and a date in every format
WRITTEN = [
    DAY.isoformat(),
    DAY.strftime("%d-%m-%Y"),
    DAY.strftime("%d/%m/%Y"),
    f"  {DAY.strftime('%d-%m-%Y')} ",
]
REFUSED = ["31-02-1990", "1990/03/09", "09.03.1990", "9 maart 1990", "03-09", "gisteren", "1e3"]


def _accepts(parser, value) -> bool:
    try:
        parser(value)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("value", WRITTEN + REFUSED)
def test_a_date_of_birth_and_a_date_cell_accept_the_same_inputs(value):
    by_birth_date = _accepts(parsing.birth_date, value)
    by_cell = _accepts(plain_date, value)
    assert by_birth_date == by_cell == _accepts(parse_date, value) == (value in WRITTEN)
    if by_cell:
        assert parsing.birth_date(value) == plain_date(value) == DAY


def test_the_formats_are_iso_and_day_month_year_with_dash_or_slash():
    assert DATE_FORMATS == ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


def test_an_availability_date_with_slashes_is_read_now():
    """Behaviour note (#15): the import's date cells took YYYY-MM-DD and DD-MM-YYYY only; they
    now also take DD/MM/YYYY, as the date of birth always did."""
    soon = date(TODAY.year, TODAY.month, 1)
    assert available_from(soon.strftime("%d/%m/%Y")) == soon


def test_each_path_refuses_in_its_own_words():
    with pytest.raises(ValueError) as birth:
        parsing.birth_date("31-02-1990")
    with translation.override("en"):
        assert "impossible or unreadable date '31-02-1990'" in str(birth.value)
    with pytest.raises(ValueError, match=r"onleesbare datum '31-02-1990'.* / unreadable date"):
        plain_date("31-02-1990")
