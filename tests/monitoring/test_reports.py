"""The exports (CSV, XLSX) and the quarterly report (PDF): the plan as in force then,
aggregates only for the ministry, provisional until the quarter has settled."""

import csv
import io
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from perspectief.core.dates import short_date
from perspectief.monitoring.models import PlanRevision
from perspectief.monitoring.periods import completed_quarters, quarter_bounds
from perspectief.monitoring.reports.quarterly import render_pdf
from perspectief.monitoring.selectors import indicators
from perspectief.monitoring.selectors.quarterly import quarterly
from perspectief.monitoring.services.activities import ActivityInput, activity_save
from perspectief.monitoring.services.plans import plan_save, plan_set_status

from .. import pdf
from ..conftest import sign_in
from ..factories import CandidateFactory, OrganisationFactory
from .helpers import END, last_quarter, plan_input, running_quarter, transition


def footer(number: int, total: int, language: str, day: date | None = None) -> str:
    """A report page's footer as ``language`` writes it: the day it was made and the page's
    number of the whole ("Made on 6-12-2026 · page 2 of 3")."""
    with translation.override(language):
        return gettext("Made on %(day)s · page %(n)s of %(total)s") % {
            "day": short_date(day or date.today()),
            "n": number,
            "total": total,
        }


@pytest.mark.django_db
def test_a_quarter_is_reported_with_the_plan_as_in_force_then(world, manager, gemeente):
    """A revision after the quarter does not rewrite the quarter's report."""
    year, quarter, day, first, _last = last_quarter()
    plan = plan_save(actor=manager, data=plan_input(gemeente, period_start=first))
    owner = OrganisationFactory(kind="intermediary", municipality=world.amsterdam)
    activity_save(
        actor=manager,
        plan=plan,
        data=ActivityInput("Basisbanen", "basisbanen", owner, Decimal("500000")),
    )
    plan_set_status(actor=manager, plan=plan, status="active")
    during = timezone.make_aware(datetime.combine(day, time(12)))
    PlanRevision.objects.filter(plan=plan).update(revised_at=during)  # decided in the quarter
    plan_save(
        actor=manager,
        data=plan_input(gemeente, period_start=first, ambition=220),
        plan=plan,
        reason="Minder vraag in de logistiek",
    )
    activity_save(
        actor=manager,
        plan=plan,
        data=ActivityInput("Basisbanen", "basisbanen", owner, Decimal("400000"), status="running"),
        activity=plan.activities.get(),
        reason="Minder budget",
    )
    then = quarterly(world.am18, year, quarter, suppressed=False)
    assert (then.plan.version, then.plan.ambition, then.plan.status) == (3, 300, "vastgesteld")
    assert [(a["name"], a["budget"], a["status"]) for a in then.activities] == [
        ("Basisbanen", Decimal("500000"), "gepland")
    ]
    # A whole plan year and the part of the second up to END, in whole matches.
    second = date(first.year + 1, first.month, 1)
    rest = ((END - second).days + 1) / (date(first.year + 2, first.month, 1) - second).days
    assert then.progress.ambition_total == 300 + round(300 * rest)
    assert [r.version for r in then.revisions] == [1, 2, 3]  # not the later ones
    assert render_pdf(then).startswith(b"%PDF")
    now = quarterly(world.am18, *running_quarter(), suppressed=False)
    assert (now.plan.version, now.plan.ambition) == (5, 220)
    assert [r.reason for r in now.revisions] == ["Minder vraag in de logistiek", "Minder budget"]


@pytest.mark.django_db
def test_exports_and_the_quarterly_report(client, world, make_member, gemeente):
    km = make_member("klantmanager")
    for _i in range(6):
        transition(CandidateFactory(served_by=km.organisation), "geplaatst", date.today())
    transition(CandidateFactory(served_by=km.organisation), "duurzaam", date.today())
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    response = client.get(reverse("monitoring:export", kwargs={"fmt": "csv"}))
    assert response["Content-Disposition"].startswith('attachment; filename="pow-AM18-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_label = {r[4]: r[5] for r in rows[1:8]}
    assert by_label[str(indicators.LABELS["matches"])] == "6"
    assert by_label[str(indicators.LABELS["durable"])] == "1"  # region level: exact
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("monitoring:export", kwargs={"fmt": "xlsx"})).content)
    )
    indicators_sheet = workbook.worksheets[0]
    assert indicators_sheet.max_row == 1 + len(indicators.KEYS)
    assert {r[4].value: r[5].value for r in indicators_sheet.iter_rows(min_row=2)}[
        str(indicators.LABELS["matches"])
    ] == 6  # a number, not the text "6"
    assert client.get(reverse("monitoring:export", kwargs={"fmt": "doc"})).status_code == 404
    # The quarterly report: a PDF; the data behind it as the dashboard counts.
    year, quarter = date.today().year, (date.today().month - 1) // 3 + 1
    pdf = client.get(reverse("monitoring:report", kwargs={"year": year, "quarter": quarter}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert (
        client.get(reverse("monitoring:report", kwargs={"year": year, "quarter": 5})).status_code
        == 404
    )
    future = reverse("monitoring:report", kwargs={"year": year + 1, "quarter": quarter})
    assert client.get(future).status_code == 400  # see test_report_files
    data = quarterly(world.am18, year, quarter, suppressed=True)
    suppressed = dict((label, q) for label, q, _c in data.results)
    assert suppressed[str(indicators.LABELS["matches"])] == 6
    assert suppressed[str(indicators.LABELS["durable"])] is None  # aggregates only: hidden
    # The ministry: a region's report and the national table as a file, suppressed.
    analyst = make_member("analist_szw")
    sign_in(client, analyst.user)
    last_year, last_q, day, _first, _last = last_quarter()
    for _i in range(7):
        transition(CandidateFactory(served_by=km.organisation), "geplaatst", day)
    transition(CandidateFactory(served_by=km.organisation), "duurzaam", day)
    national = client.get(reverse("monitoring:national-export", kwargs={"fmt": "csv"}))
    table = list(csv.reader(io.StringIO(national.content.decode("utf-8-sig")), delimiter=";"))
    am18 = next(r for r in table if r[0].startswith("AM18"))
    assert am18[table[0].index(str(indicators.LABELS["durable"]))] == "x"
    assert am18[table[0].index(str(indicators.LABELS["matches"]))] == "7"
    region_report = reverse(
        "monitoring:national-report",
        kwargs={"code": "AM18", "year": last_year, "quarter": last_q},
    )
    assert client.get(region_report).content.startswith(b"%PDF")
    running = reverse(
        "monitoring:national-report", kwargs={"code": "AM18", "year": year, "quarter": quarter}
    )
    assert client.get(running).status_code == 404  # only completed quarters
    data = quarterly(world.am18, last_year, last_q, suppressed=True)
    assert all(cumulative is None for _l, _q, cumulative in data.results)
    assert data.progress is None  # no totals since a date for aggregate-only readers
    # The WSP's answers to employers, yes; the bulk places filled (people placed), no.
    assert "requests" in data.wsp and "bulk_filled" not in data.wsp


@pytest.mark.django_db
def test_a_running_quarter_is_marked_provisional_on_every_page(
    client, world, manager, gemeente, settings
):
    """#14 item 5: the report of a quarter whose numbers can still change says so on every
    page of the PDF (with the day it was made), on the page that offers it and in the
    export; a settled quarter's report does not."""
    settings.DISCLOSURE_SETTLE_DAYS = 31
    year, quarter = running_quarter()
    first, _last = quarter_bounds(year, quarter)
    plan = plan_save(actor=manager, data=plan_input(gemeente, period_start=first))
    plan_set_status(actor=manager, plan=plan, status="active")
    # Revisions enough to fill more than one page.
    for n in range(40):
        plan_save(
            actor=manager,
            data=plan_input(gemeente, period_start=first, ambition=300 + n + 1),
            plan=plan,
            reason=f"Bijstelling {n + 1}: de vraag in de logistiek verandert van week tot week.",
        )
    sign_in(client, manager.user)
    running = client.get(reverse("monitoring:report", kwargs={"year": year, "quarter": quarter}))
    assert running["Content-Disposition"].endswith(f'-{year}-K{quarter}-voorlopig.pdf"')
    pages = pdf.pages(running.content)
    assert len(pages) >= 2
    assert pages[0][0] == "Kwartaalrapportage Perspectief op Werk"  # the page's own first
    for number, page in enumerate(pages, start=1):
        assert "VOORLOPIG" in page, number
        assert any(text.startswith("Het kwartaal loopt nog") for text in page), number
        assert footer(number, len(pages), "nl") in page, number
    # The page that offers it says so.
    dashboard = client.get(reverse("monitoring:dashboard")).content.decode()
    assert f"Kwartaalrapportage {year} K{quarter} (PDF) — voorlopig" in dashboard
    # The export of a period that has not settled says so on every row and in its name.
    export = client.get(reverse("monitoring:export", kwargs={"fmt": "csv"}))
    assert export["Content-Disposition"].endswith('-voorlopig.csv"')
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-1] == "Status"
    assert rows[1][-1] == "voorlopig"  # the region's numbers up to today
    # A quarter that has ended but not settled: records can still arrive, also provisional.
    previous = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    settings.DISCLOSURE_SETTLE_DAYS = 400
    ended = pdf.pages(
        client.get(
            reverse("monitoring:report", kwargs={"year": previous[0], "quarter": previous[1]})
        ).content
    )
    assert all("VOORLOPIG" in page for page in ended)
    assert any(text.startswith("Het kwartaal is voorbij") for text in ended[0])
    settings.DISCLOSURE_SETTLE_DAYS = 31
    # A settled quarter: no mark, but the day it was made on every page.
    settled_year, settled_quarter = completed_quarters(1)[0]
    final = client.get(
        reverse("monitoring:report", kwargs={"year": settled_year, "quarter": settled_quarter})
    )
    assert not final["Content-Disposition"].endswith('-voorlopig.pdf"')
    final_pages = pdf.pages(final.content)
    for number, page in enumerate(final_pages, start=1):
        assert "VOORLOPIG" not in page
        assert footer(number, len(final_pages), "nl") in page
    assert f"Kwartaalrapportage {settled_year} K{settled_quarter} (PDF) — voorlopig" not in (
        dashboard
    )
    assert not quarterly(world.am18, settled_year, settled_quarter, suppressed=False).provisional


@pytest.mark.django_db
def test_every_page_says_its_number_of_the_whole(world, manager, gemeente):
    """Every page of the report, in either language, says which page it is of how many
    ("page 2 of 3"), with the day the report was made; nothing else on the page changes."""
    year, quarter = running_quarter()
    first, _last = quarter_bounds(year, quarter)
    plan = plan_save(actor=manager, data=plan_input(gemeente, period_start=first))
    plan_set_status(actor=manager, plan=plan, status="active")
    for n in range(60):  # revisions enough for three pages
        plan_save(
            actor=manager,
            data=plan_input(gemeente, period_start=first, ambition=300 + n + 1),
            plan=plan,
            reason=f"Bijstelling {n + 1}: de vraag in de logistiek verandert van week tot week.",
        )
    today = date.today()
    with translation.override("en"):
        pages = pdf.pages(render_pdf(quarterly(world.am18, year, quarter, suppressed=False)))
    assert len(pages) >= 3
    made = f"Made on {today.day}-{today.month}-{today.year}"
    for number, page in enumerate(pages, start=1):
        assert f"{made} · page {number} of {len(pages)}" in page, number
        assert page[-1] == f"{made} · page {number} of {len(pages)}"  # drawn after the content
        assert sum("· page " in text for text in page) == 1, number
    assert pages[0][0] == "Quarterly progress report Perspectief op Werk"
    with translation.override("nl"):
        dutch = pdf.pages(render_pdf(quarterly(world.am18, year, quarter, suppressed=True)))
    for number, page in enumerate(dutch, start=1):
        assert footer(number, len(dutch), "nl") in page, number
