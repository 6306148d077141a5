"""Done when (#17): an employer uses the public Regelingenwijzer without signing in. In
Chromium, on a 320-pixel-wide screen, under the Content-Security-Policy: from the WSP form
to the questions, answered the issue's example (57, WW), to LKV for an older employee."""

import pytest

from perspectief.core.loading import DEFAULT_DATA_DIR
from perspectief.instruments.loaders import INSTRUMENTS_FILE, import_instruments

from .conftest import screenshot
from .test_content_security_policy import WATCH, _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_employer_finds_lkv_without_signing_in(browser, live_server, world):
    import_instruments(DEFAULT_DATA_DIR / INSTRUMENTS_FILE)
    context = browser.new_context(locale="en-GB", viewport={"width": 320, "height": 640})
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(WATCH)

    page.goto(live_server.url + "/werkgeversservicepunt/")
    page.get_by_role("link", name="Use the Regelingenwijzer").click()
    page.wait_for_url("**/werkgeversservicepunt/regelingen/")
    page.get_by_label("Or: gemeente or postcode of the workplace").fill("1011 AB")
    page.get_by_label("Age of the person").fill("57")
    benefit = page.get_by_role("group", name="Which benefit does the person have now?")
    benefit.get_by_label("WW (unemployment benefit from UWV)").check()
    worked = page.get_by_role(
        "group", name="Did the person work for you in the 6 months before the start?"
    )
    worked.get_by_label("No", exact=True).check()
    page.get_by_label("Hours per week").fill("32")
    page.get_by_role("button", name="Show the arrangements").click()
    page.wait_for_url("**/regelingen/?**")

    lkv = page.locator("li.card", has=page.get_by_role("heading", name="Loonkostenvoordeel"))
    assert "older employee" in lkv.locator("h4").inner_text()
    assert "May apply" in lkv.inner_text()
    assert "at most € 6,000.00 a year" in lkv.inner_text()
    assert "Not confirmed" in lkv.inner_text()
    # One column: nothing wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "regelingenwijzer-320")
    assert width <= 320, f"the page is {width} pixels wide on a 320-pixel screen"
    assert _violations(page, console) == []
    context.close()
