"""In Debian's Chromium, the "done when" of issue #14 items 10 and 11, under the demo's
settings (DEBUG off, demo mode on): the public request form sent at once says why it was not
sent and keeps what was typed; ``/monitoring/national/?quarter=abc`` shows a Dutch 400 page in
the site's layout — no debug page, no URL patterns — with a way back to the page.

Controls are found by their Dutch accessible names (the UI is Dutch first)."""

import time

from perspectief.demo.population import create_demo_population
from perspectief.regions.models import Municipality
from perspectief.vacancies.models import EmployerRequest

from ..factories import PostcodeFactory
from .conftest import screenshot, sign_in_as


def _demo_settings(settings):
    settings.DEBUG = False  # as perspectief.conf.dev, which `perspectief demo` runs under
    settings.DEMO_MODE = True


def _watch(page):
    failures = []
    page.on(
        "response",
        lambda r: (
            failures.append(f"{r.status} {r.url}")
            if r.status >= 500 or ("/static/" in r.url and r.status != 200)
            else None
        ),
    )
    return failures


def test_the_public_form_sent_at_once_says_why_it_was_not_sent(
    page, live_server, demo_geography, settings
):
    _demo_settings(settings)
    PostcodeFactory(code="1013", municipality=Municipality.objects.get(code="GM0363"))
    failures = _watch(page)
    base = live_server.url
    page.goto(base + "/werkgeversservicepunt/")
    page.get_by_label("Bedrijfsnaam").fill("Bakkerij Het Korenaar")
    page.get_by_label("Uw naam").fill("Sanne de Wit")
    page.get_by_label("E-mailadres").fill("sanne@korenaar.example")
    page.get_by_label("Postcode van uw bedrijf").fill("1013 AB")
    page.get_by_label("Wat kunnen we voor u doen?").fill("Wij zoeken twee bakkers in opleiding.")
    page.get_by_role("button", name="Versturen").click()  # at once, as autofill would
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "Uw aanvraag is niet verstuurd" in alert.inner_text()
    assert "binnen enkele seconden" in alert.inner_text()
    screenshot(page, "errors-01-form-too-fast")
    assert page.get_by_label("Bedrijfsnaam").input_value() == "Bakkerij Het Korenaar"
    assert page.get_by_label("Wat kunnen we voor u doen?").input_value() == (
        "Wij zoeken twee bakkers in opleiding."
    )
    assert not EmployerRequest.objects.exists()
    time.sleep(3.5)  # read the message, check the form, send again
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_load_state()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Dank u wel", page.inner_text("main")
    assert EmployerRequest.objects.get().company_name == "Bakkerij Het Korenaar"
    assert not failures, failures


def test_a_bad_quarter_is_a_dutch_400_page_in_the_demo(page, live_server, demo_geography, settings):
    _demo_settings(settings)
    create_demo_population()
    failures = _watch(page)
    base = live_server.url
    sign_in_as(page, base, "szw.analist")  # the demo's shown second-factor code still works
    response = page.goto(base + "/monitoring/national/?quarter=abc")
    assert response.status == 400
    assert page.get_by_role("heading", level=1).inner_text() == "Dit adres kan niet worden gebruikt"
    main = page.inner_text("main")
    assert "De waarde “abc” van “quarter” is niet bruikbaar" in main
    assert "URLconf" not in page.content() and "Traceback" not in page.content()
    assert page.get_by_role("navigation", name="Hoofdnavigatie").count() == 1  # site layout
    screenshot(page, "errors-02-bad-quarter")
    page.get_by_role("link", name="Open de pagina zonder deze waarden").click()
    page.wait_for_url(base + "/monitoring/national/")
    missing = page.goto(base + "/monitoring/bestaat-niet/")
    assert missing.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Pagina niet gevonden"
    assert not failures, failures
