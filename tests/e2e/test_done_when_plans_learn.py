"""In Debian's Chromium, end to end through the pages, the "done when" of plans that learn
(issue #19, item 4): the programme manager of Groot Amsterdam (pm.amsterdam) opens the
region's two-year action plan (the demo's), sees its ambition and matches per plan year,
records how an activity turned out (started on a date, partly succeeded, a short text),
adjusts the plan without writing a reason (the history keeps the new version, who made it,
what changed, and says no explanation was given), and adds what should last after the plan
(borging): what continues, the organisation that owns it, who pays and from when.

The ORM arranges the demo population and its plan (recorded through the services, as the
demo does), and checks the outcome: the activity's result, the revision without a reason,
the borging item, and the audit of each. Controls are found by their Dutch accessible names
(the wording looked up in the catalogue as the pages show it)."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import expect

from perspectief.audit.models import AuditEvent
from perspectief.demo.monitoring import TITLE, create_demo_plan
from perspectief.demo.population import create_demo_population
from perspectief.monitoring.models import ActionPlan, BorgingItem, PlanRevision
from perspectief.taxonomy.classifications import load_sectors

from .conftest import messages_text as _messages
from .conftest import screenshot
from .conftest import sign_in_as as _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVITY = "Praktijkleren logistiek"
RESULT_NOTE = "Dertig leerwerkplekken; de helft van de deelnemers bleef in dienst."
BORGING = "Leerwerkplekken in de logistiek blijven"


def _nl(msgid: str, context: str = "") -> str:
    """The Dutch wording of a text, as the pages show it."""
    with translation.override("nl"):
        return pgettext(context, msgid) if context else gettext(msgid)


def test_plans_that_learn(browser, live_server, demo_geography, settings):
    settings.DEMO_MODE = True  # the second factor's code is shown on the page
    create_demo_population()
    load_sectors()  # the SBI sectors the demo plan's ambition names
    assert create_demo_plan() == 2  # Groot Amsterdam's and Rijnmond's
    plan = ActionPlan.objects.get(title=TITLE)
    version = plan.version
    base = live_server.url
    today = timezone.localdate()
    started = today - timedelta(days=120)

    page = browser.new_context(locale="nl-NL").new_page()
    _sign_in(page, base, "pm.amsterdam")
    page.goto(base + "/monitoring/plan/")

    # A plan of two years: the ambition and the matches per plan year, and in total.
    years = page.get_by_role("table", name=_nl("Ambition and matches per plan year"))
    expect(years.locator("tbody tr")).to_have_count(2)
    expect(years.locator("tfoot")).to_contain_text(_nl("The whole plan"))

    # How an activity turned out.
    results = page.get_by_role("table", name=_nl("How the activities turned out"))
    row = results.locator("tr", has=page.get_by_role("rowheader", name=ACTIVITY))
    row.locator("summary").click()
    form = row.locator("form")
    form.get_by_label(_nl("Started on")).fill(started.isoformat())
    form.get_by_label(_nl("How did it turn out?")).select_option(label=_nl("partly succeeded"))
    form.get_by_label(_nl("About the result")).fill(RESULT_NOTE)
    form.get_by_role("button", name=_nl("Save")).click()
    expect(page.locator(".messages")).to_contain_text(_nl("Result recorded."))
    row = page.get_by_role("table", name=_nl("How the activities turned out")).locator(
        "tr", has=page.get_by_role("rowheader", name=ACTIVITY)
    )
    expect(row).to_contain_text(RESULT_NOTE)
    expect(row).to_contain_text(_nl("partly succeeded"))

    # Adjust the plan without a reason.
    page.get_by_role("link", name=_nl("Revise the plan")).click()
    page.get_by_label(_nl("Ambition: extra matches a year"), exact=True).fill("200")
    assert page.get_by_label(_nl("Reason for this change")).input_value() == ""
    page.get_by_role("button", name=_nl("Save")).click()
    page.wait_for_url(base + "/monitoring/plan/")
    assert str(version + 2) in _messages(page)
    history = page.get_by_role("table", name=_nl("History"))
    newest = history.locator("tbody tr").first
    expect(newest).to_contain_text(_nl("no explanation given"))
    expect(newest).to_contain_text(_nl("ambition"))
    expect(newest).to_contain_text("Marieke Dekker")

    # What lasts after the plan.
    page.get_by_text(_nl("Add what lasts after the plan")).click()
    add = page.locator("form", has=page.locator("input[name=action][value=borging]"))
    add.get_by_label(_nl("What continues after the programme")).fill(BORGING)
    add.get_by_label(_nl("Owner (organisation)")).select_option(label="Gemeente Amsterdam")
    add.get_by_label(_nl("Who pays")).fill("Gemeente Amsterdam, vaste begroting")
    add.get_by_label(_nl("Continues from")).fill("2028-01-01")
    add.get_by_role("button", name=_nl("Add")).click()
    expect(page.locator(".messages")).to_contain_text(_nl("Added to what lasts after the plan."))
    borging = page.get_by_role("table", name=_nl("What lasts after the plan (borging)"))
    item_row = borging.locator("tr", has=page.get_by_role("rowheader", name=BORGING))
    expect(item_row).to_contain_text("Gemeente Amsterdam, vaste begroting")
    expect(item_row).to_contain_text(_nl("planned"))
    screenshot(page, "plans-that-learn")

    # The outcome, in the database.
    plan.refresh_from_db()
    activity = plan.activities.get(name=ACTIVITY)
    assert (activity.started_on, activity.result, activity.result_note) == (
        started,
        "deels",
        RESULT_NOTE,
    )
    assert plan.ambition == 200
    adjusted = PlanRevision.objects.get(plan=plan, version=version + 2)
    assert adjusted.reason == "" and adjusted.changes == {"ambition": [220, 200]}
    assert adjusted.revised_by.username == "pm.amsterdam"
    item = BorgingItem.objects.get(plan=plan, what=BORGING)  # next to the demo's two
    assert (item.what, item.owner.name, item.status) == (BORGING, "Gemeente Amsterdam", "gepland")
    assert set(
        AuditEvent.objects.filter(
            event__in=["plan.activity_result", "plan.revised", "plan.borging_added"]
        ).values_list("event", flat=True)
    ) == {"plan.activity_result", "plan.revised", "plan.borging_added"}
