"""In Debian's Chromium: a demo user signs in (password, then the second factor) and sees
the home page with the navigation of their role."""

import pytest

from perspectief.demo.population import create_demo_population, demo_password

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_klantmanager_signs_in_with_second_factor_and_sees_home(
    page,
    live_server,
    demo_geography,
    settings,
):
    settings.DEMO_MODE = True
    create_demo_population()
    page.goto(live_server.url + "/")
    assert page.url.endswith("/accounts/login/?next=/")
    page.get_by_label("Gebruikersnaam").fill("km.amsterdam")
    page.get_by_label("Wachtwoord").fill(demo_password())
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/accounts/2fa/**")
    code = page.locator("#demo-code strong").inner_text()
    page.get_by_label("Zescijferige code uit uw authenticator-app").fill(code)
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom")
    nav = page.get_by_role("navigation", name="Hoofdnavigatie")
    assert nav.get_by_role("link", name="Organisaties").is_visible()
    assert nav.get_by_role("link", name="Gebruikers").count() == 0  # not for a klantmanager
    # The stylesheet is served by the platform (the header has its colour).
    header_bg = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert header_bg == "rgb(11, 61, 104)"
    # The skip link is the first thing a keyboard user reaches.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    screenshot(page, "home-klantmanager")


def test_employer_signs_in_without_second_factor(page, live_server, demo_geography):
    create_demo_population()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("wg.westpoort")
    page.get_by_label("Wachtwoord").fill(demo_password())
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server.url + "/")
    assert "Distributiecentrum Westpoort" in page.locator(".context-bar").inner_text()
    screenshot(page, "home-werkgever")
