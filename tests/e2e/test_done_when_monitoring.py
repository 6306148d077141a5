"""In Debian's Chromium, end to end through the pages, the "done when" of the monitoring
(issue #7): the programme manager of Groot Amsterdam records the region's action plan with
its ambition (120 extra matches a year, part of it per target group and sector) and its
budget (the form offers the centrumgemeente's Gemeente Amsterdam as the lead), puts it in
force, adds an activity with a budget and records spend on it; the history keeps every
version. The PoW-dashboard shows the matches counted from the platform's own outcomes
against the ambition: the matches in the plan's period, the baseline counted from the year
before, the additional matches; she downloads the region's report of the last completed
quarter (a PDF: the quarter, the totals since the plan started, the additional matches).
Every number on the dashboard equals a count of the records behind it: the ORM counts the
journey transitions, and a klantmanager of Gemeente Amsterdam drills down from each number
to the people behind it (her own by name, a partner's who shared a regional profile by
code) plus the remainder that other organisations serve; where a card counts people, each
person once (one of hers came in view twice), and so does the list. An analyst of the
ministry compares the regions per completed calendar quarter only (the last one by
default; the running quarter is not to be had): Groot Amsterdam's matches exactly,
Rijnmond's few matches as "x" (and, by secondary suppression, the next smallest region's
too, so that the total gives nothing away), nobody's name anywhere; she downloads the
table (CSV and Excel) and Groot Amsterdam's quarterly report (a PDF with the quarter's
numbers only: no totals since a date, no additional matches).

The ORM only arranges what has no page (the demo population, its geography with names,
postcodes, the SBI sectors) and the outcomes the dashboard counts: the people of three
regions, when they registered, and their dated journey transitions (in view, placed,
durable), in the last completed quarter (the plan starts on its first day), in the year
before it (the baseline) and one today (in the running quarter, which the ministry does not
see yet). Those are facts recorded by other pages (the matching's hires, the support plan's
six months); here they are created directly, as rows, so that the expected numbers are
known. The ORM also checks the outcome.

Controls are found by their Dutch accessible names (the UI is Dutch first)."""

import base64
import csv
import io
import re
import statistics
import tempfile
import zlib
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import dateformat, timezone, translation
from openpyxl import load_workbook

from perspectief.accounts.models import User
from perspectief.candidates.constants import JourneyStatus, TargetGroup
from perspectief.candidates.models import Candidate, JourneyTransition
from perspectief.core.dates import add_months
from perspectief.demo.population import create_demo_population
from perspectief.monitoring.models import ActionPlan, PlanRevision, Spend
from perspectief.monitoring.periods import completed_quarters, quarter_bounds
from perspectief.monitoring.selectors.progress import pro_rata
from perspectief.organisations.models import Organisation
from perspectief.regions.models import Municipality, Region
from perspectief.routes.models import SupportPlan
from perspectief.taxonomy.classifications import load_sectors
from perspectief.taxonomy.models import Sector
from perspectief.vacancies.models import EmployerRequest

from ..factories import CandidateFactory, PostcodeFactory
from .conftest import main_nav as _nav
from .conftest import messages_text as _messages
from .conftest import sign_in_as as _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "perspectief-e2e-monitoring"
S = JourneyStatus

GEMEENTE = "Gemeente Amsterdam"
UWV = "UWV Groot Amsterdam"
SW = "Amsterdam Werkt SW (demo)"
EMPLOYERS = "Werkgeversvereniging ORAM"
AMBITION, BUDGET = 120, 2_000_000
ACTIVITY = "Jobcoaching statushouders"
ACTIVITY_REASON = "Het programmabureau start met jobcoaching voor statushouders."

# The regions (the demo geography gives them random names) and a town of each.
REGIONS = {"AM18": "Groot Amsterdam", "AM22": "Rijnmond", "AM01": "Groningen"}
TOWNS = {
    "GM0363": ("Amsterdam", "1011"),
    "GM0599": ("Rotterdam", "3011"),
    "GM0014": ("Groningen", "9711"),
}

# Distinctive names: whether they appear on a page is what we check.
GM_PLACED = (  # Gemeente Amsterdam, placed in the last completed quarter
    ("Froukje", "Zwanenbeek"),
    ("Hidde", "Kloosterveen"),
    ("Ilse", "Drieschouwer"),
    ("Jurre", "Hazelhorst"),
    ("Lieke", "Ruigenhoek"),
    ("Menno", "Mossinkhof"),
    ("Nynke", "Wolderveld"),
)
STATUSHOUDERS = 5  # of the people placed in the quarter, status holders (statushouders)
GM_LAST_YEAR = (("Olof", "Plasmolen"), ("Pien", "Kruisselbrink"))  # the first durable now
GM_IN_VIEW = (("Quirijn", "Snijderink"), ("Roos", "Tolhuijsen"))  # the first came twice
UWV_PLACED = (  # UWV, placed in the quarter; the first shared a regional profile
    ("Sjoerd", "Brakenhoff"),
    ("Tessel", "Lammerschaag"),
    ("Ubbo", "Eikenhorst"),
)
UWV_LAST_YEAR = (("Vera", "Steenbakkersveld"),)
UWV_IN_VIEW = (("Wout", "Rietveldhoeve"),)  # today, in the running quarter
RIJNMOND_PLACED = (("Xandra", "Hofstedeweg"), ("Yorick", "Beukenhorst"), ("Zoë", "Dijkmeester"))
GRONINGEN_PLACED = (
    ("Auke", "Lindenhoff"),
    ("Baukje", "Oosterwoldinga"),
    ("Cees", "Marumerhorn"),
    ("Dieuwke", "Wedderbroek"),
    ("Eelco", "Zuidbroekstra"),
    ("Fokje", "Ommelanderweg"),
)
EVERYONE = (
    GM_PLACED
    + GM_LAST_YEAR
    + GM_IN_VIEW
    + UWV_PLACED
    + UWV_LAST_YEAR
    + UWV_IN_VIEW
    + RIJNMOND_PLACED
    + GRONINGEN_PLACED
)

# The dashboard's indicators in Dutch, in their order (indicators.INDICATORS).
CARDS = {
    "in_view": "in beeld",
    "work_ready": "werkfit",
    "in_training": "in scholing",
    "placeable": "bemiddelbaar",
    "matches": "matches (plaatsingen)",
    "durable": "duurzame plaatsingen (6 maanden)",
    "not_confirmed": "niet bevestigd na 6 maanden",
    "dropped_out": "uitgevallen",
}
STATUS = {
    "in_view": S.IN_VIEW,
    "work_ready": S.WORK_READY,
    "in_training": S.IN_TRAINING,
    "placeable": S.PLACEABLE,
    "matches": S.PLACED,
    "durable": S.DURABLE,
    "dropped_out": S.DROPPED_OUT,
}
HIDDEN = re.compile(r"Nog (\d+) (?:persoon is|mensen zijn) meegeteld")


def _shot(page, name: str) -> None:
    """Screenshots go outside the repository (other engineers work in it)."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _dutch_date(day) -> str:
    with translation.override("nl"):
        return dateformat.format(day, "j F Y")


def _month(day) -> str:
    with translation.override("nl"):
        return dateformat.format(day, "F Y")


def _short(day) -> str:
    """A date as the monitoring pages show it (``j-n-Y``)."""
    return f"{day.day}-{day.month}-{day.year}"


def _decimal(value: float) -> str:
    """A number with one decimal as the Dutch pages write it (9,1)."""
    return f"{value:.1f}".replace(".", ",")


def _euro(value) -> str:
    """An amount as the Dutch pages write it (€ 12.500,00)."""
    return "€ " + f"{Decimal(value):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _spread(start: date, end: date, n: int) -> list[date]:
    """``n`` days from ``start`` to ``end`` (both included), evenly apart."""
    span = (end - start).days
    return [start + timedelta(days=span * i // max(n - 1, 1)) for i in range(n)]


def _arrange(start: date, end: date, today: date) -> dict:
    """The demo population with named regions, and the outcomes the dashboard counts: the
    people of Groot Amsterdam (Gemeente Amsterdam's and UWV's), Rijnmond and Groningen, and
    their transitions, dated in the last completed quarter (``start`` to ``end``), in the
    year before it, and ``today``."""
    load_sectors()  # the SBI sectors a plan's ambition can name
    for code, name in REGIONS.items():
        Region.objects.filter(code=code).update(name=name)
    postcodes = {}
    for code, (name, postcode) in TOWNS.items():
        town = Municipality.objects.get(code=code)
        town.name = name
        town.save(update_fields=["name"])
        postcodes[code] = PostcodeFactory(code=postcode, municipality=town, place_names=name)
    # The demo employers' places need a postcode in their municipality.
    PostcodeFactory(code="1181", municipality=Municipality.objects.get(code="GM0362"))
    create_demo_population()

    def organisation(name):
        return Organisation.objects.get(name=name)

    # Six months in work reached early in the quarter (the plan's first): the placement
    # before it counts in the baseline (the year before the plan), its six months as durable.
    durable_on = start + timedelta(days=40)
    last_year = [add_months(durable_on, -6), add_months(start, -9)]

    def people(names, organisation, postcode, **extra):
        return [
            CandidateFactory(
                first_name=first,
                last_name=last,
                email=f"{first.lower()}.{last.lower()}@example.invalid",
                postcode=postcode,
                served_by=organisation,
                availability_confirmed_at=timezone.now(),
                **extra,
            )
            for first, last in names
        ]

    def move(person, organisation, to, on, frm, cause):
        JourneyTransition.objects.create(
            candidate=person,
            from_status=frm,
            to_status=to,
            occurred_on=on,
            cause=cause,
            organisation=organisation,
        )
        person.status = to
        person.save(update_fields=["status"])

    def placed(persons, organisation, days):
        for i, (person, on) in enumerate(zip(persons, days, strict=True)):
            move(person, organisation, S.PLACED, on, S.PLACEABLE, "hire")
            # Registered some weeks before (the lead time), as taken over from a file.
            registered = timezone.make_aware(datetime.combine(on, time(12)))
            Candidate.objects.filter(pk=person.pk).update(
                created_at=registered - timedelta(days=30 + 15 * i)
            )

    amsterdam, uwv = organisation(GEMEENTE), organisation(UWV)
    km = {"klantmanager": User.objects.get(username="km.amsterdam")}
    km_uwv = {"klantmanager": User.objects.get(username="km.uwv.amsterdam")}
    here = postcodes["GM0363"]
    out = {}
    out["gm_placed"] = people(GM_PLACED, amsterdam, here, **km)
    placed(out["gm_placed"], amsterdam, _spread(start, end, len(GM_PLACED)))
    for person in out["gm_placed"][:STATUSHOUDERS]:
        person.target_group_rows.create(group=TargetGroup.STATUSHOUDER)
    out["gm_last_year"] = people(GM_LAST_YEAR, amsterdam, here, **km)
    placed(out["gm_last_year"], amsterdam, last_year)
    move(out["gm_last_year"][0], amsterdam, S.DURABLE, durable_on, S.PLACED, "durable")
    out["gm_in_view"] = people(GM_IN_VIEW, amsterdam, here, **km)
    twice, once = out["gm_in_view"]
    # In view, gone, and back in view within the quarter: one person, counted once.
    move(twice, amsterdam, S.IN_VIEW, start, S.REGISTERED, "manual")
    move(twice, amsterdam, S.LEFT, start + timedelta(days=20), S.IN_VIEW, "manual")
    move(twice, amsterdam, S.IN_VIEW, start + timedelta(days=45), S.LEFT, "manual")
    move(once, amsterdam, S.IN_VIEW, end, S.REGISTERED, "manual")

    out["uwv_placed"] = people(UWV_PLACED[:1], uwv, here, regional_consent=True, **km_uwv)
    out["uwv_placed"] += people(UWV_PLACED[1:], uwv, here, **km_uwv)
    placed(out["uwv_placed"], uwv, _spread(start, end, len(UWV_PLACED)))
    out["uwv_last_year"] = people(UWV_LAST_YEAR, uwv, here, **km_uwv)
    placed(out["uwv_last_year"], uwv, [add_months(start, -5)])
    out["uwv_in_view"] = people(UWV_IN_VIEW, uwv, here, **km_uwv)
    move(out["uwv_in_view"][0], uwv, S.IN_VIEW, today, S.REGISTERED, "manual")

    rotterdam = organisation("Gemeente Rotterdam")
    out["rijnmond"] = people(RIJNMOND_PLACED, rotterdam, postcodes["GM0599"])
    placed(out["rijnmond"], rotterdam, _spread(start, end, len(RIJNMOND_PLACED)))
    groningen = organisation("Gemeente Groningen")
    out["groningen"] = people(GRONINGEN_PLACED, groningen, postcodes["GM0014"])
    placed(out["groningen"], groningen, _spread(start, end, len(GRONINGEN_PLACED)))
    return out


@pytest.fixture
def second_browser(browser):
    """More browsers, one per user (each signs in once: a second sign-in of the same user
    within one 30-second step would offer a spent one-time code)."""
    contexts = []

    def open_page():
        context = browser.new_context(locale="nl-NL")
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _table_rows(table, cells="td") -> list[list[str]]:
    return [
        [cell.strip() for cell in row.locator(cells).all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]


def _dd(page, term: str) -> str:
    return page.locator(f"dt:text-is('{term}') + dd").first.inner_text().strip()


def _cards(page) -> dict[str, str]:
    """The indicator cards of the dashboard: label → the number shown."""
    out = {}
    for card in page.locator("ul.cards > li").all():
        figure, label = (p.strip() for p in card.locator("p").all_inner_texts())
        out[label] = figure
    return out


def _region_counts(region, start, end) -> dict[str, int]:
    """What is behind each card, counted straight from the journey transitions."""
    rows = JourneyTransition.objects.filter(
        candidate__region=region, occurred_on__gte=start, occurred_on__lte=end
    )
    out = {}
    for key, status in STATUS.items():
        behind = rows.filter(to_status=status)
        if key in ("matches", "durable", "dropped_out"):  # events
            out[key] = behind.count()
        else:  # people
            out[key] = behind.values("candidate").distinct().count()
    # Placements past six months that nobody confirmed (support plans, not transitions).
    out["not_confirmed"] = sum(
        1
        for plan in SupportPlan.objects.filter(candidate__region=region)
        if plan.not_confirmed and start <= plan.durable_due_on <= end
    )
    return {key: out[key] for key in CARDS}


def test_plan_dashboard_national_comparison_and_quarterly_report(
    page, second_browser, live_server, demo_geography, settings
):
    settings.DEMO_MODE = True  # the second factor's code is shown on the page
    base = live_server.url
    today = timezone.localdate()
    # The last completed quarter (what the ministry gets by default); the plan starts on
    # its first day, so the dashboard's default period (the plan's, to today) holds it.
    year, quarter = completed_quarters(1)[0]
    q_start, q_end = quarter_bounds(year, quarter)
    running = (today.year, (today.month - 1) // 3 + 1)
    assert q_end < today and running != (year, quarter)
    period_end = date(q_start.year + 1, 12, 31)
    title = f"Doe-agenda Groot Amsterdam {q_start.year}–{q_start.year + 1}"
    people = _arrange(q_start, q_end, today)
    am18 = Region.objects.get(code="AM18")
    sector = Sector.objects.get(code="H")
    sector_label = sector.short_name or sector.name
    km_page, szw = second_browser(), second_browser()
    server_errors = []
    for browser_page in (page, km_page, szw):
        browser_page.on(
            "response",
            lambda r: (
                server_errors.append(f"{r.status} {r.request.method} {r.url}")
                if r.status >= 500
                else None
            ),
        )
    pm = page  # the programme manager's browser

    # 1. The programme manager opens the dashboard: no plan yet, so she records it.
    _sign_in(pm, base, "pm.amsterdam")
    _nav(pm).get_by_role("link", name="PoW-dashboard").click()
    pm.wait_for_url(base + "/monitoring/")
    assert pm.get_by_role("heading", level=1).inner_text() == "PoW-dashboard"
    assert pm.get_by_role("heading", name="Ambitie tegenover realisatie").count() == 0
    pm.get_by_role("link", name="Actieplan vastleggen").click()
    pm.wait_for_url(base + "/monitoring/plan/new/")
    assert pm.get_by_role("heading", level=1).inner_text() == "Actieplan vastleggen"
    pm.get_by_label("Titel").fill(title)
    pm.get_by_label("Van", exact=True).fill(q_start.isoformat())
    pm.get_by_label("Tot", exact=True).fill(period_end.isoformat())
    lead = pm.get_by_label("Trekker (centrumgemeente)")
    assert sorted(lead.locator("option").all_inner_texts())[1:] == sorted(
        ["Gemeente Amsterdam", "Gemeente Amstelveen"]
    )
    # The lead offered: the gemeente of the region's centrumgemeente (Amsterdam).
    assert am18.centrumgemeente.code == "GM0363"
    assert lead.locator("option:checked").inner_text() == GEMEENTE
    pm.get_by_label("Vertegenwoordiger van de werkgevers").fill(EMPLOYERS)
    for partner in (UWV, SW):
        pm.get_by_role("checkbox", name=partner).check()
    pm.get_by_label("Ambitie: extra matches per jaar").fill(str(AMBITION))
    pm.get_by_label("Budget (€)").fill(str(BUDGET))
    pm.get_by_label("Ambitie per doelgroep of sector").fill("statushouder 40\nH 25")
    _shot(pm, "01-plan-form")
    pm.get_by_role("button", name="Opslaan").click()
    pm.wait_for_url(base + "/monitoring/plan/")
    assert "Het actieplan is opgeslagen (versie 1)." in _messages(pm)

    # The plan page: what she recorded, a draft in its first version.
    heading = pm.get_by_role("heading", level=2).first.inner_text()
    assert heading.startswith(title) and "concept" in heading and "versie 1" in heading
    assert _dd(pm, "Periode") == f"{_dutch_date(q_start)} – {_dutch_date(period_end)}"
    assert _dd(pm, "Trekker (centrumgemeente)") == GEMEENTE
    assert _dd(pm, "Vertegenwoordiger van de werkgevers") == EMPLOYERS
    assert _dd(pm, "Partners") == f"{SW}, {UWV}"
    assert _dd(pm, "Ambitie") == (
        f"{AMBITION} extra matches per jaar; statushouder: 40; {sector_label}: 25"
    )
    assert _dd(pm, "Nulmeting") == "geteld uit het jaar vóór het plan"
    assert _dd(pm, "Budget") == "€ 2.000.000,00"

    # She puts it in force, adds an activity with its budget, and records spend on it.
    pm.get_by_role("button", name="Plan vaststellen").click()
    pm.wait_for_load_state()
    assert "De status van het plan is gewijzigd." in _messages(pm)
    heading = pm.get_by_role("heading", level=2).first.inner_text()
    assert "vastgesteld" in heading and "versie 2" in heading
    assert pm.get_by_role("button", name="Plan vaststellen").count() == 0

    add = pm.locator("details").filter(has=pm.get_by_text("Activiteit toevoegen", exact=True))
    add.get_by_text("Activiteit toevoegen", exact=True).click()
    add.get_by_label("Naam").fill(ACTIVITY)
    add.get_by_label("Soort").select_option(label="jobcoaching en begeleiding op het werk")
    # The activity's owner (the form labels it "Accounthouder", the table "Eigenaar").
    add.get_by_label(re.compile(r"^(Accounthouder|Eigenaar)$")).select_option(label=SW)
    add.get_by_label("Status").select_option(label="bezig")
    add.get_by_label("Budget (€)").fill("250000")
    add.get_by_label("Reden voor deze wijziging").fill(ACTIVITY_REASON)
    add.get_by_role("button", name="Toevoegen").click()
    pm.wait_for_load_state()
    assert "Activiteit toegevoegd." in _messages(pm)

    spend = pm.locator("details").filter(has=pm.get_by_text("Uitgave vastleggen", exact=True))
    spend.get_by_text("Uitgave vastleggen", exact=True).click()
    spend.get_by_label("Activiteit").select_option(label=ACTIVITY)
    spend.get_by_label("Datum").fill(today.isoformat())
    spend.get_by_label("Bedrag (€)").fill("12500")
    spend.get_by_label("Waarvoor").fill("Eerste maand jobcoaching")
    spend.get_by_role("button", name="Vastleggen", exact=True).click()
    pm.wait_for_load_state()
    assert "Uitgave vastgelegd." in _messages(pm)

    activities = pm.get_by_role("table", name="Activiteiten")
    # (the status cell also holds a closed "Wijzigen" form: its first line is the status)
    assert [[c.splitlines()[0] for c in r] for r in _table_rows(activities)] == [
        [
            ACTIVITY,
            "jobcoaching en begeleiding op het werk",
            SW,
            "bezig",
            "€ 250.000,00",
            "€ 12.500,00",
            "0",
        ]
    ]
    totals = [c.strip() for c in activities.locator("tfoot td").all_inner_texts()]
    assert totals[:2] == ["€ 250.000,00 / € 2.000.000,00", "€ 12.500,00"]
    # The history: every version, newest first, with its reason and what changed.
    history = _table_rows(pm.get_by_role("table", name="Geschiedenis"))
    assert [(r[0], r[2], r[3], r[4]) for r in history] == [
        # Which activity changed is said with it (#19).
        ("3", "Marieke Dekker", ACTIVITY_REASON, f"activiteiten ({ACTIVITY})"),
        ("2", "Marieke Dekker", "Vastgesteld.", "status"),
        ("1", "Marieke Dekker", "Eerste versie.", "—"),
    ]
    assert {r[1] for r in history} == {_short(today)}
    _shot(pm, "02-plan-in-force")

    plan = ActionPlan.objects.get(region=am18)
    assert (plan.title, plan.period_start, plan.period_end) == (title, q_start, period_end)
    assert (plan.status, plan.version, plan.ambition, plan.baseline) == ("active", 3, 120, None)
    assert (plan.lead.name, plan.budget) == (GEMEENTE, Decimal(BUDGET))
    assert sorted(plan.ambitions.values_list("key", "matches")) == [("H", 25), ("statushouder", 40)]
    assert PlanRevision.objects.filter(plan=plan).count() == 3
    assert list(Spend.objects.values_list("activity__name", "amount", "spent_on")) == [
        (ACTIVITY, Decimal("12500.00"), today)
    ]

    # 2. The dashboard: matches from the platform's outcomes against the ambition.
    pm.get_by_role("link", name="Terug naar het dashboard").click()
    pm.wait_for_url(base + "/monitoring/")
    assert f"Periode: {_short(q_start)} tot en met {_short(today)}." in pm.content()
    behind = _region_counts(am18, q_start, today)
    placed_here = len(GM_PLACED) + len(UWV_PLACED)
    assert behind["matches"] == placed_here == 10
    assert behind["durable"] == 1 and behind["in_view"] == len(GM_IN_VIEW + UWV_IN_VIEW) == 3
    in_view_events = JourneyTransition.objects.filter(
        candidate__region=am18, to_status=S.IN_VIEW, occurred_on__gte=q_start
    )
    assert in_view_events.count() == 4  # one of them came in view twice
    year_before = JourneyTransition.objects.filter(
        candidate__region=am18,
        to_status=S.PLACED,
        occurred_on__gte=q_start - timedelta(days=365),
        occurred_on__lt=q_start,
    ).count()
    assert year_before == len(GM_LAST_YEAR) + len(UWV_LAST_YEAR) == 3

    ambition = pm.locator("section.card").filter(
        has=pm.get_by_role("heading", name="Ambitie tegenover realisatie")
    )
    # Pro rata per plan year in whole matches, rounded half up: the one computation every page
    # shows (its rounding is tested in tests/monitoring/test_progress_rounding.py).
    expected = pro_rata(plan, year_before, today)
    assert f"“{title}”: {AMBITION} extra matches per jaar." in ambition.inner_text()
    assert _dd(ambition, "Matches tot nu toe in de periode van het plan") == str(behind["matches"])
    assert _dd(ambition, "Verwacht zonder het plan (nulmeting)") == (
        f"{expected} ({year_before} per jaar, geteld uit het jaar vóór het plan)"
    )
    additional = behind["matches"] - expected
    to_date, whole = pro_rata(plan, AMBITION, today), pro_rata(plan, AMBITION, period_end)
    assert _dd(ambition, "Extra matches") == (
        f"{additional} van {to_date} beoogd tot nu toe ({whole} over het hele plan)"
    )
    share = round(100 * additional / to_date)
    assert ambition.get_by_role("progressbar", name="Deel van de ambitie gerealiseerd")
    assert ambition.inner_text().strip().endswith(f"{share}%")

    # Per group: a number below region level, so counted in completed quarters (here the
    # one the plan started with) and measured against the ambition up to that quarter's end.
    parts = _table_rows(
        ambition.get_by_role(
            "table",
            name="Ambitie per doelgroep en sector (plaatsingen in de afgesloten kwartalen sinds "
            "de start van het plan)",
        )
    )
    statushouders = (
        JourneyTransition.objects.filter(
            candidate__region=am18,
            to_status=S.PLACED,
            occurred_on__gte=q_start,
            occurred_on__lte=today,
            candidate__target_group_rows__group=TargetGroup.STATUSHOUDER,
        )
        .distinct()
        .count()
    )
    assert statushouders == STATUSHOUDERS
    quarters = f"{_short(q_start)} – {_short(q_end)}"
    assert parts == [  # none was hired through a place of the sector (no hire behind them)
        ["statushouder", quarters, str(statushouders), str(pro_rata(plan, 40, q_end))],
        [sector_label, quarters, "0", str(pro_rata(plan, 25, q_end))],
    ]

    # Every card equals the count of the transitions behind it.
    cards = _cards(pm)
    assert cards == {CARDS[key]: str(n) for key, n in behind.items()}
    assert pm.locator("ul.cards").get_by_role("link").count() == 0  # she sees no people
    funnel = _table_rows(
        pm.get_by_role("table", name="Trechter: deel van de mensen in beeld dat elke stap bereikte")
    )
    assert funnel == [
        [CARDS[key], str(behind[key]), f"{round(100 * behind[key] / behind['in_view'])}%"]
        for key in ("in_view", "work_ready", "in_training", "placeable", "matches", "durable")
    ]
    # The lead time: the median of registration to placement, over the placements counted.
    lead_times = [
        (on - created.date()).days
        for on, created in JourneyTransition.objects.filter(
            candidate__region=am18, to_status=S.PLACED, occurred_on__gte=q_start
        ).values_list("occurred_on", "candidate__created_at")
    ]
    assert len(lead_times) == behind["matches"]
    assert (
        f"Van aanmelding tot plaatsing: {_decimal(statistics.median(lead_times))} dagen "
        "(mediaan)." in pm.content()
    )
    # Matches per month: the bars' values are the placements of each month of the period.
    months = Counter(
        on.replace(day=1)
        for on in JourneyTransition.objects.filter(
            candidate__region=am18, to_status=S.PLACED, occurred_on__gte=q_start
        ).values_list("occurred_on", flat=True)
    )
    month, expected_bars = q_start, []
    while month <= today:
        expected_bars.append(f"{_month(month)}: {months.get(month, 0)}")
        month = add_months(month, 1)
    bars = pm.get_by_role("img", name="Matches per maand").locator("rect title")
    assert bars.all_text_contents() == expected_bars
    by_town = _table_rows(pm.get_by_role("table", name="Gemeente", exact=True))
    assert by_town == [["Amsterdam", str(behind["matches"])]]
    by_group = _table_rows(pm.get_by_role("table", name="Doelgroep", exact=True))
    assert by_group == [
        ["geen doelgroep", str(behind["matches"] - statushouders)],
        ["statushouder", str(statushouders)],
    ]
    money = _table_rows(pm.get_by_role("table", name="Budget en uitgaven"))
    spent = sum(Spend.objects.filter(activity__plan=plan).values_list("amount", flat=True))
    assert money == [[ACTIVITY, "€ 250.000,00", _euro(spent), _euro(Decimal(250_000) - spent), "0"]]
    assert EmployerRequest.objects.filter(region=am18).count() == 0
    assert "0 vragen van werkgevers, 0 beantwoord, 0 binnen de toegezegde tijd." in pm.content()
    _shot(pm, "03-dashboard-programme-manager")

    # She downloads the region's report of the last completed quarter: the quarter's
    # numbers, the totals since the plan started and the additional matches by its end.
    report_name = f"voortgangsrapportage-AM18-{year}-K{quarter}.pdf"
    with pm.expect_download() as download:
        pm.get_by_role("link", name=f"Kwartaalrapportage {year} K{quarter} (PDF)").click()
    assert download.value.suggested_filename == report_name
    drawn = _pdf_strings(Path(download.value.path()).read_bytes())
    assert drawn[0] == "Kwartaalrapportage Perspectief op Werk"
    assert drawn[1].startswith(f"AM18 Groot Amsterdam — {year}, kwartaal {quarter} ")
    assert "Alleen totalen" not in " ".join(drawn)
    in_quarter = _region_counts(am18, q_start, q_end)
    since = in_quarter  # the plan started with the quarter: its totals are the same
    assert _drawn_row(drawn, "Indicator", "Dit kwartaal", f"sinds {_short(q_start)}")
    for key, label in CARDS.items():
        row = (label, str(in_quarter[key]), str(since[key]))
        assert _drawn_row(drawn, *row), (row, drawn)
    assert "3. Extra matches tegenover de ambitie" in drawn
    assert _drawn_row(drawn, "Matches tot nu toe in de periode van het plan", str(since["matches"]))
    assert _drawn_row(
        drawn,
        "Extra matches",
        str(since["matches"] - pro_rata(plan, year_before, q_end)),
    )

    # 3. A klantmanager of Gemeente Amsterdam sees the same numbers and the people behind
    # each: her own by name, UWV's who shared a regional profile by code, and the rest
    # (other organisations serve them) as a count only. Where the card counts people, the
    # list and the count of the rest do too: each person once.
    _sign_in(km_page, base, "km.amsterdam")
    _nav(km_page).get_by_role("link", name="PoW-dashboard").click()
    km_page.wait_for_url(base + "/monitoring/")
    assert _cards(km_page) == cards
    matches_so_far = _dd(km_page, "Matches tot nu toe in de periode van het plan")
    assert matches_so_far == str(behind["matches"])
    shared = people["uwv_placed"][0]
    for key, label in CARDS.items():
        km_page.locator("ul.cards").get_by_role("link", name=label, exact=True).click()
        km_page.wait_for_url(f"**/monitoring/list/{key}/**")
        assert km_page.get_by_role("heading", level=1).inner_text() == label
        rows = _table_rows(km_page.get_by_role("table", name=label)) if behind[key] else []
        note = HIDDEN.search(km_page.content())
        hidden = int(note.group(1)) if note else 0
        assert len(rows) + hidden == behind[key], (key, rows, hidden)
        if not rows:
            assert "Er is niemand die je mag zien." in km_page.content()
        if key == "matches":
            names = sorted(r[1] for r in rows)
            assert names == sorted(
                [f"{first} {last}" for first, last in GM_PLACED] + [shared.partner_label]
            )
            assert hidden == len(UWV_PLACED) - 1
            assert {r[4] for r in rows} == {GEMEENTE, UWV}
            assert {r[2] for r in rows} == {"bemiddelbaar"}
            html = km_page.content()
            for _first, last in UWV_PLACED + UWV_LAST_YEAR + UWV_IN_VIEW:
                assert last not in html
            _shot(km_page, "04-drill-matches")
        if key == "durable":
            assert [r[1] for r in rows] == [" ".join(GM_LAST_YEAR[0])]
        if key == "in_view":  # 4 transitions, 3 people: Quirijn once, by his latest
            assert sorted(r[1] for r in rows) == sorted(" ".join(n) for n in GM_IN_VIEW)
            assert hidden == len(UWV_IN_VIEW)
            assert len(rows) + hidden < in_view_events.count()
            latest = {r[1]: r[0] for r in rows}[" ".join(GM_IN_VIEW[0])]
            assert latest == _short(q_start + timedelta(days=45))
        km_page.get_by_role("link", name="Terug naar het dashboard").click()
        km_page.wait_for_url(base + "/monitoring/**")

    # 4. The ministry's analyst compares the regions: aggregates only, per completed
    # calendar quarter, small cells hidden.
    _sign_in(szw, base, "szw.analist")
    assert _nav(szw).get_by_role("link", name="PoW-dashboard").count() == 0
    _nav(szw).get_by_role("link", name="Regio's vergeleken").click()
    szw.wait_for_url(base + "/monitoring/national/")
    assert szw.get_by_role("heading", level=1).inner_text() == "Regio's vergeleken"
    # No period of her own: a quarter that has ended, the last one by default.
    assert szw.get_by_label("Van", exact=True).count() == 0
    assert szw.get_by_label("Tot", exact=True).count() == 0
    choose = szw.get_by_label("Kwartaal")
    assert choose.input_value() == f"{year}-{quarter}"
    assert choose.locator("option").all_inner_texts() == [
        f"{y} kwartaal {q}" for y, q in completed_quarters()
    ]
    choose.select_option(label=f"{year} kwartaal {quarter}")
    szw.get_by_role("button", name="Tonen").click()
    szw.wait_for_url(f"{base}/monitoring/national/?quarter={year}-{quarter}")
    table = szw.get_by_role("table", name=f"Van {_short(q_start)} tot en met {_short(q_end)}")
    header = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert header == ["Regio", *CARDS.values()]
    report_link = f"rapportage {year} K{quarter} (PDF)"
    national = {}
    for row in table.locator("tbody tr").all():
        region = row.locator("th").inner_text().splitlines()[0].strip()
        national[region] = dict(
            zip(CARDS, (c.strip() for c in row.locator("td").all_inner_texts()), strict=True)
        )
        assert row.get_by_role("link", name=report_link).count() == 1
    assert list(national) == ["AM01 Groningen", "AM18 Groot Amsterdam", "AM22 Rijnmond"]
    per_region = {
        code: _region_counts(Region.objects.get(code=code), q_start, q_end) for code in REGIONS
    }
    # The quarter holds what the dashboard counts, but Wout, in view today (the running
    # quarter), is not counted for the ministry yet.
    assert per_region["AM18"] == {**behind, "in_view": behind["in_view"] - len(UWV_IN_VIEW)}
    assert per_region["AM22"]["matches"] == len(RIJNMOND_PLACED) == 3
    assert per_region["AM01"]["matches"] == len(GRONINGEN_PLACED) == 6
    # Groot Amsterdam's 10 matches exactly; Rijnmond's 3 hidden, and with them the next
    # smallest (Groningen's 6), or the national total would give Rijnmond's away. Both
    # are marked alike ("x"), so which one is small cannot be told.
    assert national["AM18 Groot Amsterdam"]["matches"] == "10"
    assert national["AM22 Rijnmond"]["matches"] == "x"
    assert national["AM01 Groningen"]["matches"] == "x"
    assert table.locator("abbr").first.get_attribute("title") == (
        "Niet getoond: minder dan 5, of af te leiden uit een totaal."
    )
    # A small cell in a column with nothing else to hide: the whole column goes, zeros and
    # total included (hiding only the small cell and the total would say that this
    # happened, which only a 1 beside zeros can make happen).
    assert national["AM18 Groot Amsterdam"]["in_view"] == "x"  # 2
    assert national["AM18 Groot Amsterdam"]["durable"] == "x"  # 1
    assert national["AM22 Rijnmond"]["durable"] == "x"  # 0
    assert national["AM01 Groningen"]["work_ready"] == "0"  # a column of zeros reveals nobody
    totals = [c.strip() for c in table.locator("tfoot td").all_inner_texts()]
    assert table.locator("tfoot th").inner_text().strip() == "Nederland"
    assert dict(zip(CARDS, totals, strict=True)) == {
        "in_view": "x",
        "work_ready": "0",
        "in_training": "0",
        "placeable": "0",
        "matches": str(sum(r["matches"] for r in per_region.values())),
        "durable": "x",
        "not_confirmed": "0",
        "dropped_out": "0",
    }
    html = szw.content()
    for _first, last in EVERYONE:
        assert last not in html, last
    _shot(szw, "05-regions-compared")
    # The running quarter is not to be had: not the page, the export (a quarter the choice
    # does not offer is a bad parameter: 400), nor the report (no such page: 404).
    now = f"{running[0]}-{running[1]}"
    for path, refused in (
        (f"/monitoring/national/?quarter={now}", 400),
        (f"/monitoring/national/export.csv?quarter={now}", 400),
        (f"/monitoring/national/AM18/report/{running[0]}/{running[1]}/", 404),
    ):
        assert szw.request.get(base + path).status == refused, path

    # She downloads the table of the quarter (CSV, and the same as Excel) ...
    csv_link = szw.get_by_role("link", name="CSV", exact=True)
    assert csv_link.get_attribute("href") == (
        f"/monitoring/national/export.csv?quarter={year}-{quarter}"
    )
    with szw.expect_download() as download:
        csv_link.click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Regio", *CARDS.values()]
    column = rows[0].index(CARDS["matches"])
    assert {r[0]: r[column] for r in rows[1:]} == {
        "AM01 Groningen": "x",
        "AM18 Groot Amsterdam": "10",
        "AM22 Rijnmond": "x",
        "Nederland": "19",
    }
    for _first, last in EVERYONE:
        assert last not in text
    href = szw.get_by_role("link", name="Excel (XLSX)").get_attribute("href")
    assert href == f"/monitoring/national/export.xlsx?quarter={year}-{quarter}"
    response = szw.request.get(base + href)
    assert response.ok
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.body())).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    # One row per region and the national total, typed: a hidden number is an empty cell
    # with a note saying why (not an "x" that makes the column text).
    header = values[0]
    assert header[:2] == ["Code", "Regio"] and set(CARDS.values()) <= set(header)
    assert [f"{r[0]} {r[1]}" for r in values[1:-1]] == list(national)
    assert values[-1][:2] == ["NL", "Nederland"]
    matches = header.index(CARDS["matches"])
    assert values[2][matches] == 10 and values[3][matches] is None
    assert values[3][header.index("Toelichting")]

    # ... and Groot Amsterdam's quarterly report, a PDF: the quarter's numbers only.
    am18_row = table.locator("tbody tr").filter(has_text="AM18 Groot Amsterdam")
    with szw.expect_download() as download:
        am18_row.get_by_role("link", name=report_link).click()
    assert download.value.suggested_filename == report_name
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    href = am18_row.get_by_role("link", name=report_link).get_attribute("href")
    assert href == f"/monitoring/national/AM18/report/{year}/{quarter}/"
    response = szw.request.get(base + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    drawn = _pdf_strings(pdf)
    assert drawn[0] == "Kwartaalrapportage Perspectief op Werk"
    assert drawn[1].startswith(f"AM18 Groot Amsterdam — {year}, kwartaal {quarter} ")
    assert (
        "Alleen totalen, voor het kwartaal: x staat voor een aantal onder 5, of een aantal "
        "dat uit een totaal af te leiden zou zijn." in " ".join(drawn)
    )
    assert _drawn_row(drawn, "Plan", title) and _drawn_row(drawn, "Versie", "3 (vastgesteld)")
    # Recorded today, after the quarter: no version was in force then, and the report says so.
    assert _drawn_row(drawn, "Vastgelegd", "na dit kwartaal: getoond zoals het nu is")
    # The results of the quarter, suppressed; no totals since a date (the previous
    # report's subtracted would give a hidden quarter away), so no additional matches.
    assert _drawn_row(drawn, "2. Resultaten", "Indicator", "Dit kwartaal", CARDS["in_view"])
    for key, label in CARDS.items():
        row = (label, _suppressed(in_quarter[key]))
        assert _drawn_row(drawn, *row), (row, drawn)
    assert not [text for text in drawn if text.startswith("sinds ")]
    for gone in (
        "3. Extra matches tegenover de ambitie",
        "Matches tot nu toe in de periode van het plan",
        "Extra matches",
    ):
        assert gone not in drawn, gone
    for _first, last in EVERYONE:
        assert not any(last in text for text in drawn)

    assert server_errors == []


def _suppressed(n: int) -> str:
    """A count as the ministry sees it: 1 to 4 as "x"."""
    return "x" if 0 < n < 5 else str(n)


def _pdf_strings(content: bytes) -> list[str]:
    """The text a ReportLab PDF draws, piece by piece in order (its page streams are
    ASCII85- and Flate-encoded; the standard fonts use the Windows-1252 encoding)."""
    pieces = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        data = zlib.decompress(base64.a85decode(stream.strip().removesuffix(b"~>")))
        for text in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", data, re.S):
            raw = re.sub(
                rb"\\([0-7]{1,3}|.)",
                lambda m: bytes([int(m.group(1), 8)]) if m.group(1)[:1].isdigit() else m.group(1),
                text,
            )
            pieces.append(raw.decode("cp1252"))
    return pieces


def _drawn_row(pieces: list[str], *cells: str) -> bool:
    """Whether a table row with these cells is drawn (its cells one after the other)."""
    n = len(cells)
    return any(tuple(pieces[i : i + n]) == cells for i in range(len(pieces) - n + 1))
