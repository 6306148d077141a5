"""In Debian's Chromium: an occupation field suggests ESCO occupations as a klantmanager
types (with a typo), and one is chosen with the keyboard only; the field keeps what was
typed before it (several occupations, separated by ";")."""

import re

import pytest
from playwright.sync_api import expect

from perspectief.demo.population import create_demo_population

from ..factories import OccupationFactory
from .conftest import screenshot, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_klantmanager_chooses_a_suggested_occupation_with_the_keyboard(
    page, live_server, demo_geography, settings
):
    settings.DEMO_MODE = True
    create_demo_population()
    OccupationFactory(
        label_nl="orderpicker", label_en="order picker", alt_labels_nl="orderverzamelaar"
    )
    OccupationFactory(label_nl="heftruckchauffeur", label_en="forklift driver")
    sign_in_as(page, live_server.url, "km.amsterdam")
    page.goto(live_server.url + "/candidates/new/")
    field = page.get_by_label("Gewenste beroepen", exact=False).first
    field.fill("heftruckchauffeur; orderpiker")
    field.press("End")  # an input event, as typing gives
    suggestion = page.get_by_role("button", name="orderpicker")
    suggestion.wait_for()
    status = page.locator("#id_occupations-suggestions-status")
    assert re.match(r"1 ESCO", status.inner_text())  # read out by the live region
    assert "id_occupations-suggestions-status" in field.get_attribute("aria-describedby")
    screenshot(page, "esco-suggestions")
    # Tab from the field reaches the first suggestion; Enter chooses it.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "orderpicker"
    page.keyboard.press("Enter")
    # Playwright's own wait (a predicate string would be eval'ed: the CSP forbids that).
    expect(page.locator("#id_occupations")).to_be_focused()
    assert page.locator("#id_occupations").input_value() == ("heftruckchauffeur; orderpicker; ")
    assert page.get_by_role("button", name="orderpicker").count() == 0
