"""In Debian's Chromium, under the platform's Content-Security-Policy: signing in, an htmx
search, a chart and the API documentation work, and the browser reports no violation."""

import pytest

from perspectief.demo.population import create_demo_population, demo_password

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
"""


def _violations(page, console):
    return page.evaluate("window.__violations") + [
        m for m in console if "Content Security Policy" in m
    ]


def test_pages_and_api_documentation_work_under_the_policy(
    page, live_server, demo_geography, settings
):
    settings.DEMO_MODE = True
    create_demo_population()
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(WATCH)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("km.amsterdam")
    page.get_by_label("Wachtwoord").fill(demo_password())
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/accounts/2fa/**")
    code = page.locator("#demo-code strong").inner_text()
    page.get_by_label("Zescijferige code uit uw authenticator-app").fill(code)
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(live_server.url + "/")
    assert _violations(page, console) == []
    header_bg = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert header_bg == "rgb(11, 61, 104)"  # the stylesheet applies

    # htmx still swaps in search results (it may not add its inline style or eval).
    page.goto(live_server.url + "/occupations/")
    with page.expect_response(lambda r: "/occupations/" in r.url and "q=" in r.url):
        page.locator("input[name=q]").fill("orderpicker")
    assert _violations(page, console) == []

    # The API documentation: Swagger UI renders the schema from its separate script.
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "Perspectief API" in page.locator(".swagger-ui .info .title").inner_text()
    assert _violations(page, console) == []
