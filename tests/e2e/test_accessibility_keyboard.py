"""#21 in Debian's Chromium with the demo population, under the real Content-Security-Policy:
signing in and the public request form by Tab and Enter only; after a failed submit the
focus is on the error summary, which links to its fields, and the title starts with
"Fout: "; Chromium's accessibility tree (what a screen reader reads) gives a field its help
text and error as its description; and at 320 px the busiest pages do not scroll sideways
(WCAG 1.4.10)."""

import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from perspectief.demo.population import create_demo_population, demo_password
from perspectief.regions.models import Municipality
from perspectief.vacancies.models import EmployerRequest

from ..factories import PostcodeFactory
from .conftest import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = "() => { const e = document.activeElement; return e.id || e.name || e.tagName; }"


def tab_to(page, element_id: str, limit: int = 40) -> None:
    for _i in range(limit):
        if page.evaluate(FOCUSED) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def test_sign_in_by_keyboard_and_the_error_summary_takes_the_focus(
    page, live_server, demo_geography, settings
):
    settings.DEMO_MODE = True
    create_demo_population()
    page.goto(live_server.url + "/accounts/login/")
    tab_to(page, "id_username")
    page.keyboard.type("km.amsterdam")
    tab_to(page, "id_password")
    page.keyboard.type(demo_password())
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/2fa/**")
    code = page.locator("#demo-code strong").inner_text()
    field = page.get_by_label("Zescijferige code uit uw authenticator-app")
    tab_to(page, field.get_attribute("id"))
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")

    # The person form, sent with an impossible date of birth and no name.
    page.goto(live_server.url + reverse("candidates:create"))
    page.get_by_label("Geboortedatum", exact=False).first.fill("31-02-1990")
    page.get_by_label("Geboortedatum", exact=False).first.press("Enter")
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert page.title().startswith("Fout: ")
    targets = summary.locator("a").evaluate_all("links => links.map(a => a.hash.slice(1))")
    assert "id_first_name" in targets and "id_date_of_birth" in targets, targets
    for target in targets:
        assert page.locator(f"#{target}").count() == 1, target
    # Every id an aria-describedby names is on the page.
    missing = page.evaluate(
        """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(
            (e) => e.getAttribute('aria-describedby').split(/\\s+/)
        ).filter((id) => !document.getElementById(id))"""
    )
    assert missing == []

    # What a screen reader reads for the date of birth: its name, help text and error.
    help_text = page.locator("#id_date_of_birth_helptext").inner_text().strip()
    error = page.locator("#id_date_of_birth_error").inner_text().strip()
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    born = [
        n
        for n in nodes
        if n.get("role", {}).get("value") == "textbox"
        and n.get("name", {}).get("value", "").startswith("Geboortedatum")
    ]
    assert born, "no textbox named Geboortedatum in the accessibility tree"
    description = born[0].get("description", {}).get("value", "")
    assert help_text in description and error in description, description
    invalid = {p["name"]: p["value"].get("value") for p in born[0].get("properties", [])}
    assert invalid.get("invalid") == "true"


def test_the_public_request_form_by_keyboard(page, live_server, demo_geography, settings):
    """Tab to each field, type, Tab to "Versturen", Enter: sent at once it is refused (too
    fast for a person) with the summary focused; a few seconds later, by keyboard again, sent."""
    PostcodeFactory(code="1013", municipality=Municipality.objects.get(code="GM0363"))
    page.goto(live_server.url + "/werkgeversservicepunt/")
    for field, text in [
        ("id_company_name", "Bakkerij Het Korenaar"),
        ("id_contact_name", "Sanne de Wit"),
        ("id_email", "sanne@korenaar.example"),
        ("id_postcode", "1013 AB"),
        ("id_message", "Wij zoeken twee bakkers in opleiding."),
    ]:
        tab_to(page, field)
        page.keyboard.type(text)
    tab_to(page, "BUTTON")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert not EmployerRequest.objects.exists()
    time.sleep(3.5)  # the form refuses what is sent faster than a person types
    tab_to(page, "BUTTON")
    page.keyboard.press("Enter")
    # expect() waits for the answer; wait_for_load_state() could read the old page still.
    expect(page.get_by_role("heading", level=1)).to_have_text("Dank u wel")
    assert EmployerRequest.objects.get().company_name == "Bakkerij Het Korenaar"


#: The five busiest pages, as the role that uses them most, and the public request form.
BUSY = [
    ("km.amsterdam", ["/", "/candidates/", "/candidates/new/", "/places/"]),
    ("pm.amsterdam", ["/monitoring/"]),
]


def test_the_busiest_pages_reflow_at_320_pixels(browser, live_server, demo_geography, settings):
    settings.DEMO_MODE = True
    create_demo_population()
    wide = []
    for username, paths in [(None, ["/werkgeversservicepunt/", "/accounts/login/"]), *BUSY]:
        context = browser.new_context(locale="nl-NL", viewport={"width": 320, "height": 640})
        page = context.new_page()
        if username:
            sign_in_as(page, live_server.url, username)
        for path in paths:
            assert page.goto(live_server.url + path).status == 200, path
            sizes = page.evaluate(
                """() => { const m = document.querySelector('main');
                   return [document.documentElement.scrollWidth, m.scrollWidth, m.clientWidth]; }"""
            )
            if sizes[0] > 320 or sizes[1] > sizes[2]:
                wide.append((path, sizes))
        context.close()
    assert wide == [], wide
