import os
from pathlib import Path

import pytest

from perspectief.demo.population import demo_password

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's Chromium (/usr/bin/chromium) is required in CI")
        pytest.skip("Debian's Chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the Django test database is
    # prepared before and not touched from inside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _serve_static_files(settings):
    """pytest-django's live server serves /static/ through Django's static view, which
    answers only with DEBUG on (production serves them through WhiteNoise)."""
    settings.DEBUG = True


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- shared steps of the end-to-end scenarios ----------------------------------------------
def sign_in_as(page, base, username, *, second_factor=True):
    """Sign in through the login page as a demo user (with the demo's shown 2FA code)."""
    page.goto(base + "/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(demo_password())
    page.get_by_role("button", name="Inloggen").click()
    if second_factor:
        page.wait_for_url("**/accounts/2fa/**")
        code = page.locator("#demo-code strong").inner_text()
        page.get_by_label("Zescijferige code uit uw authenticator-app").fill(code)
        page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(base + "/")


def sign_out(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def main_nav(page):
    return page.get_by_role("navigation", name="Hoofdnavigatie")


def messages_text(page) -> str:
    return page.locator(".messages").inner_text()
