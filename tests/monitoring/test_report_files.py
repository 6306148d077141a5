"""#19 item 5, reports people use: the XLSX read back with openpyxl (typed numbers, real
dates, a suppressed number an empty cell with a note, frozen headers, widths, a long sheet
for a pivot table); the PDF read back (the charts, the lessons, the activity results); a
quarter that has not begun refused in Dutch with nothing kept."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from perspectief.monitoring.models import PublishedTable
from perspectief.monitoring.panels import QUARTER_LESSONS, ReportItem
from perspectief.monitoring.periods import quarter_bounds
from perspectief.monitoring.reports import exports
from perspectief.monitoring.reports.quarterly import render_pdf
from perspectief.monitoring.selectors import indicators
from perspectief.monitoring.selectors.quarterly import quarterly
from perspectief.monitoring.services.activities import ActivityInput, activity_save
from perspectief.monitoring.services.plans import plan_save, plan_set_status

from .. import pdf
from ..conftest import sign_in
from ..factories import CandidateFactory, OrganisationFactory
from .helpers import last_quarter, plan_input, running_quarter, transition


def _rows(sheet) -> list[dict]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, [c.value for c in row], strict=True)) for row in sheet.iter_rows(2)]


@pytest.fixture
def placed_last_quarter(world, make_member):
    """7 placements in Amsterdam and 2 of people without a postcode in the last completed
    quarter: the municipality table hides the 2 (under 5) and the 7 with it."""
    km = make_member("klantmanager")
    _y, _q, day, _first, _last = last_quarter()
    for _i in range(7):
        transition(CandidateFactory(served_by=km.organisation), "geplaatst", day)
    for _i in range(2):
        person = CandidateFactory(served_by=km.organisation, postcode=None, region=world.am18)
        transition(person, "geplaatst", day)
    return km


@pytest.mark.django_db
def test_the_xlsx_has_typed_numbers_real_dates_and_empty_suppressed_cells(
    client, world, make_member, placed_last_quarter
):
    year, quarter, _day, first, last = last_quarter()
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    period = {"start": str(first), "end": str(last)}
    response = client.get(reverse("monitoring:export", kwargs={"fmt": "xlsx"}), period)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    names = book.sheetnames
    # One sheet per table: the indicators, matches per month, each table below the region,
    # and the long one.
    assert len(names) == 6
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title  # the header stays in view
        assert all(cell.font.b for cell in sheet[1]), sheet.title
        for letter, dimension in sheet.column_dimensions.items():
            assert 6 <= dimension.width <= 62, (sheet.title, letter)
    matches = str(indicators.LABELS["matches"])
    cards = {row[str(_t("Indicator"))]: row for row in _rows(book.worksheets[0])}
    assert cards[matches][str(_t("Number"))] == 9  # an int, not "9"
    # Dates are dates (openpyxl reads them back as datetimes), not text.
    assert cards[matches][str(_t("From"))].date() == first
    assert book.worksheets[0].cell(2, 2).number_format == "dd-mm-yyyy"
    per_month = _rows(book.worksheets[1])
    assert sum(row[str(_t("Matches"))] for row in per_month) == 9
    assert all(isinstance(row[str(_t("Matches"))], int) for row in per_month)
    # The municipality table: the hidden cells are empty, and the note says which and why.
    municipalities = _rows(book.worksheets[2])
    amsterdam = next(
        r for r in municipalities if r[str(indicators.DIMENSIONS["municipality"])] == "Amsterdam"
    )
    assert amsterdam[matches] is None
    assert matches in amsterdam[str(_t("Explanation"))] and "5" in amsterdam[str(_t("Explanation"))]
    assert all(
        not isinstance(row[matches], str) for row in municipalities
    )  # no "x" among the numbers
    # The long sheet: one number a row, for a pivot table.
    tidy = _rows(book.worksheets[-1])
    assert {row[str(_t("Indicator"))] for row in tidy} >= {matches}
    assert all(
        row[str(_t("Number"))] is None or isinstance(row[str(_t("Number"))], int) for row in tidy
    )
    hidden = [row for row in tidy if row[str(_t("Number"))] is None]
    assert hidden and all(row[str(_t("Not shown"))] == str(_t("yes")) for row in hidden)
    assert any(
        row[str(_t("Value"))] == "Amsterdam" and row[str(_t("Indicator"))] == matches
        for row in hidden
    )
    # The CSV keeps the pages' cells ("x") in one list.
    csv_body = client.get(reverse("monitoring:export", kwargs={"fmt": "csv"}), period).content
    assert b";x;" in csv_body
    # The ministry's file: the same table of regions, typed, with the national total.
    analyst = make_member("analist_szw")
    sign_in(client, analyst.user)
    national = client.get(
        reverse("monitoring:national-export", kwargs={"fmt": "xlsx"}),
        {"quarter": f"{year}-{quarter}"},
    )
    book = load_workbook(io.BytesIO(national.content))
    rows = {row[str(_t("Code"))]: row for row in _rows(book.worksheets[0])}
    assert rows["AM18"][matches] == 9 and rows["NL"][matches] == 9
    assert rows["AM22"][matches] == 0  # zero reveals nobody
    assert rows["AM18"][str(_t("Until"))].date() == last
    assert book.worksheets[0].freeze_panes == "A2"


def _t(text):
    """A text as the pages and files write it (the request's language: Dutch)."""
    with translation.override("nl"):
        return translation.gettext(text)


@pytest.mark.django_db
def test_the_pdf_draws_the_charts_the_activity_results_and_the_lessons(
    world, manager, gemeente, placed_last_quarter
):
    year, quarter, _day, first, _last = last_quarter()
    plan = plan_save(
        actor=manager, data=plan_input(gemeente, period_start=first - timedelta(days=90))
    )
    owner = OrganisationFactory(kind="intermediary", municipality=world.amsterdam)
    activity_save(
        actor=manager,
        plan=plan,
        data=ActivityInput("Basisbanen <Noord>", "basisbanen", owner, Decimal("500000")),
    )
    plan_set_status(actor=manager, plan=plan, status="active")
    seen = []

    def lessons(region, start, end, *, shared_only):
        seen.append((region.code, start, end, shared_only))
        return [ReportItem("Werkfit in de wijk", "Kleine groepen werkten beter.", "gelukt")]

    QUARTER_LESSONS.register("test.lessons", lessons)
    try:
        data = quarterly(world.am18, year, quarter, suppressed=False)
        pages = pdf.pages(render_pdf(data))
        ministry = pdf.pages(render_pdf(quarterly(world.am18, year, quarter, suppressed=True)))
    finally:
        QUARTER_LESSONS._items.pop("test.lessons")
    drawn = [text for page in pages for text in page]
    # The funnel with the quarter's number, and the matches per month with theirs.
    assert any(text.startswith("Trechter") or text.startswith("Funnel") for text in drawn)
    assert "9" in drawn
    assert [n for _m, n in data.by_month][-3:] == [
        n
        for _m, n in indicators.by_month(
            indicators.Filters(*quarter_bounds(year, quarter), region_id=world.am18.pk)
        )
    ]
    assert sum(n for _m, n in data.by_month) == 9
    assert data.funnel[4]["value"] == 9  # matches, the dashboard's funnel of the quarter
    # The activity with its status (a name with "<" does not break the report).
    assert pdf.row_drawn(drawn, "Basisbanen <", "Noord", ">")
    # The lessons, from whatever registered (monitoring does not know the leeragenda).
    assert "Werkfit in de wijk" in drawn
    assert seen == [
        ("AM18", *quarter_bounds(year, quarter), False),
        ("AM18", *quarter_bounds(year, quarter), True),
    ]
    # The ministry: numbers per quarter only, so no matches per month.
    assert not quarterly(world.am18, year, quarter, suppressed=True).by_month
    assert ministry


@pytest.mark.django_db
def test_a_quarter_that_has_not_begun_is_refused_in_dutch(client, make_member, settings):
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    year, quarter = running_quarter()
    next_year, next_quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    before = PublishedTable.objects.count()
    response = client.get(
        reverse("monitoring:report", kwargs={"year": next_year, "quarter": next_quarter})
    )
    assert response.status_code == 400
    body = response.content.decode()
    first, _last = quarter_bounds(next_year, next_quarter)
    said = _t(
        "Quarter %(q)s of %(year)s has not begun yet: there is nothing to report. "
        "Its report can be made from %(day)s."
    ) % {"q": next_quarter, "year": next_year, "day": f"{first.day}-{first.month}-{first.year}"}
    assert escape(said) in body
    assert PublishedTable.objects.count() == before  # nothing kept
    # Its way out leads to a page that works, not to the same address again (walk of #19).
    dashboard = reverse("monitoring:dashboard")
    assert f'<a href="{dashboard}">' in body
    assert f'<a href="{response.request["PATH_INFO"]}">' not in body
    assert client.get(dashboard).status_code == 200
    # The running quarter is offered (marked provisional: see test_reports).
    running = client.get(reverse("monitoring:report", kwargs={"year": year, "quarter": quarter}))
    assert running.status_code == 200
    assert date.today() >= quarter_bounds(year, quarter)[0]


def test_the_column_saying_why_a_number_is_hidden_is_a_toelichting_in_dutch():
    """Not "Notitie" (a note about a person elsewhere in Perspectief): it explains the row."""
    totals = dict.fromkeys(indicators.KEYS, None)
    with translation.override("nl"):
        [table, _tidy] = exports.national_sheets(
            [], {}, totals, date(2026, 7, 1), date(2026, 9, 30)
        )
        header = [str(h) for h in table.header]
        assert header[-1] == "Toelichting" and "Notitie" not in header
        assert table.rows[-1][-1]  # the national row, all hidden: it says why
