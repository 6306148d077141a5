"""In Debian's Chromium, the "done when" of #19 for the national support team: the team
(ot.landelijk) makes the progress questionnaire of the last completed quarter and publishes
it; the programme managers of Groot Amsterdam (pm.amsterdam) and Rijnmond (pm.rotterdam)
find it in their inbox and answer it — the platform's figures filled in and marked "uit het
platform", the written part typed; Amsterdam on time, Rotterdam after the deadline (accepted,
and told it is marked late); the team's overview shows one region answered on time, one
late, and Groningen not yet.

The ORM arranges only the demo population and moves the clock on between the two answers
(the deadline passes after Amsterdam submitted: its recorded submission and the deadline
are set back), since a browser test cannot wait for a day to pass."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from perspectief.demo.population import create_demo_population
from perspectief.monitoring.periods import completed_quarters
from perspectief.regions.models import Region
from perspectief.support.models import Questionnaire, Response

from .conftest import main_nav, screenshot, sign_in_as, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUALITATIVE = {
    "Welke initiatieven zijn dit kwartaal gestart, en hoe heeft dat uitgepakt?": (
        "De proefplaatsingen in de logistiek zijn gestart; twee van de drie liepen goed."
    ),
    "Knelpunten": "Werkgevers haken af door de administratie rond de loonkostensubsidie.",
    "Goede voorbeelden": "Een vast aanspreekpunt per werkgever werkt.",
}


def _answer(page, base, username):
    sign_in_as(page, base, username)
    page.goto(base + "/inbox/")
    page.get_by_role("link", name="Vul de voortgangsvragenlijst in").first.click()
    expect(page.get_by_text("uit het platform").first).to_be_visible()
    # The figures are shown, not offered as inputs.
    expect(page.get_by_label("Matches in het kwartaal")).to_have_count(0)
    for label, text in QUALITATIVE.items():
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_role("button", name="Indienen").click()


def test_the_team_publishes_two_regions_answer_and_the_overview_shows_one_late(
    page, live_server, demo_geography, settings
):
    settings.DEMO_MODE = True
    create_demo_population()
    base = live_server.url
    year, quarter = completed_quarters(1)[0]
    today = timezone.localdate()

    sign_in_as(page, base, "ot.landelijk")
    main_nav(page).get_by_role("link", name="Ondersteuningsteam").click()
    page.get_by_role("link", name="Nieuwe voortgangsvragenlijst").click()
    expect(page.get_by_label("Jaar")).to_have_value(str(year))
    page.get_by_label("Deadline").fill(today.isoformat())
    page.get_by_role("button", name="Concept maken").click()
    expect(page.get_by_role("heading", name=f"Voortgang {year} K{quarter}")).to_be_visible()
    page.get_by_role("button", name="Vragenlijst publiceren").click()
    expect(page.locator(".messages")).to_contain_text("Gepubliceerd")
    sign_out(page)

    _answer(page, base, "pm.amsterdam")
    expect(page.locator(".messages")).to_contain_text("Ingediend.")
    expect(page.get_by_text("uit het platform, berekend op").first).to_be_visible()
    sign_out(page)

    # The clock moves on: the deadline passes after Amsterdam submitted.
    questionnaire = Questionnaire.objects.get(year=year, quarter=quarter)
    Questionnaire.objects.filter(pk=questionnaire.pk).update(deadline=today - timedelta(days=1))
    Response.objects.filter(questionnaire=questionnaire).update(
        submitted_at=timezone.now() - timedelta(days=2)
    )

    _answer(page, base, "pm.rotterdam")
    expect(page.locator(".messages")).to_contain_text("te laat ingediend")
    sign_out(page)

    sign_in_as(page, base, "ot.landelijk")
    main_nav(page).get_by_role("link", name="Ondersteuningsteam").click()
    page.get_by_role("link", name=f"Voortgang {year} K{quarter}").click()
    expect(page.locator("#answer-counts")).to_contain_text("1 op tijd ingediend, 1 te laat")
    table = page.locator("#regions-answered")
    names = {code: Region.objects.get(code=code).name for code in ("AM18", "AM22", "AM01")}
    expect(table.get_by_role("row", name=names["AM18"])).to_contain_text("ingediend")
    expect(table.get_by_role("row", name=names["AM18"])).not_to_contain_text("te laat")
    expect(table.get_by_role("row", name=names["AM22"])).to_contain_text("te laat ingediend")
    expect(table.get_by_role("row", name=names["AM01"])).to_contain_text("nog niet")
    screenshot(page, "support-team-overview")
    # The late answer is the team's to read, marked as such.
    table.get_by_role("row", name=names["AM22"]).get_by_role("link").click()
    expect(page.get_by_text("te laat ingediend")).to_be_visible()
    expect(page.get_by_text(QUALITATIVE["Knelpunten"])).to_be_visible()
