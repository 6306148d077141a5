"""In Debian's Chromium, the "done when" of #17 for the check: an account manager opens the
hire of a 57-year-old who had WW and sees LKV (oudere werknemer) with its yearly maximum and
three-year duration, the no-riskpolis, and the proefplaatsing that was possible before the
start, each with its reasons; adds what they know and sees the answer change; the page fits
a 320 px screen. The ORM arranges the hire; the session is the test client's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from perspectief.core.dates import add_months
from perspectief.instruments.loaders import load_instruments
from perspectief.matching.models import Proposal
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.models import Vacancy
from tests.conftest import sign_in
from tests.factories import (
    CandidateFactory,
    MembershipFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
)

from .conftest import SCREENSHOTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _serve_static_files(settings):
    settings.DEBUG = True


def _arrange(world, make_member):
    load_instruments()
    km = make_member("klantmanager")
    organisation = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    employer = EmployerAccount.objects.create(organisation=organisation, kvk_number="11112223")
    place = Vacancy.objects.create(
        employer=employer,
        title="Orderpicker",
        place_type="job",
        hours_per_week=32,
        contract="tijdelijk",
        postcode=world.amsterdam.postcodes.first(),
        places=2,
        status="open",
    )
    start = timezone.localdate() - datetime.timedelta(days=20)
    person = CandidateFactory(
        served_by=km.organisation,
        regional_consent=True,
        benefit="ww",
        date_of_birth=add_months(start, -12 * 57) - datetime.timedelta(days=40),
    )
    proposal = Proposal.objects.create(
        vacancy=place,
        candidate=person,
        proposed_for=km.organisation,
        status="hired",
        start_date=start,
        contract="tijdelijk",
    )
    uwv = OrganisationFactory(kind="uwv", municipality=world.amsterdam, region=world.am18)
    am = MembershipFactory(organisation=uwv, role="accountmanager")
    TOTPDeviceFactory(user=am.user)
    return am, proposal


def test_the_account_manager_sees_what_the_employer_can_get(
    page,
    live_server,
    client,
    world,
    make_member,
):
    am, proposal = _arrange(world, make_member)
    sign_in(client, am.user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + reverse("instruments:check-proposal", args=[proposal.uuid]))
    lkv = page.locator("#instrument-LKV")
    assert "categorie: oudere werknemer" in lkv.inner_text().lower() or "oudere werknemer" in (
        lkv.inner_text()
    )
    assert "6.000" in lkv.inner_text()
    assert "36" in lkv.inner_text()
    trial = page.locator("#instrument-PROEFPLAATSING").inner_text()
    assert "Toestemming van UWV vóór de start" in trial
    screenshot(page, "instruments-check-adviser")
    SCREENSHOTS.mkdir(exist_ok=True)
    lkv.screenshot(path=str(SCREENSHOTS / "instruments-check-lkv.png"))
    page.locator("#instrument-PROEFPLAATSING").screenshot(
        path=str(SCREENSHOTS / "instruments-check-trial.png")
    )
    # Add what the adviser knows: the person did not work here before.
    page.locator("#id_workedHereBefore").select_option("no")
    page.locator("#id_weeksOnBenefit").fill("60")
    page.locator("#fill-in ~ form button[type=submit]").click()
    page.wait_for_load_state()
    assert "workedHereBefore=no" in page.url
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "instruments-check-adviser-320")
    assert width <= 330, f"the page is {width}px wide at 320px"
