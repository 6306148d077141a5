"""In Debian's Chromium, the "done when" of issue #14 items 1 and 2: the durable count on the
PoW-dashboard equals the confirmed placements.

Four people of Gemeente Amsterdam were hired into jobs they found outside the platform
(recorded on the person's page: that page is test_durable_and_hires's), supported at work by
the SW company's jobcoach: three started more than six months ago, one two months ago. The
jobcoach's list says *niet bevestigd* for the two past six months that nobody confirmed yet
(a third was confirmed earlier by the employer). The jobcoach records, in the browser, that
she saw one of them at work; the other stays not confirmed. The programme manager's
dashboard then shows as durable exactly the confirmed placements, and the one not confirmed
as its own number — never as durable.

The ORM arranges what other pages record (the demo population, the hires, the earlier
confirmation, which organisation supports the plans) and the passing of time (start dates in
the past), and checks the outcome against the confirmations recorded.

Controls are found by their Dutch accessible names (the UI is Dutch first)."""

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.core.dates import add_months
from perspectief.demo.population import create_demo_population
from perspectief.matching.services import hires as matching
from perspectief.organisations.models import Organisation
from perspectief.regions.models import Municipality
from perspectief.routes import support
from perspectief.routes.models import SupportPlan, WorkConfirmation

from ..factories import CandidateFactory, PostcodeFactory
from .conftest import messages_text as _messages
from .conftest import sign_in_as as _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "perspectief-e2e-durable"
SW = "Amsterdam Werkt SW (demo)"
# (first, last, months in work)
PEOPLE = (
    ("Wendelien", "Oosterbroek", 8),  # confirmed earlier by the employer
    ("Fedde", "Kuipersma", 7),  # confirmed now, in the browser
    ("Maaike", "Dijkhuizen", 7),  # nobody confirms: not confirmed
    ("Jurre", "Hofstede", 2),  # not six months yet
)


def _arrange(today):
    create_demo_population()
    amsterdam = Municipality.objects.get(code="GM0363")
    postcode = PostcodeFactory(code="1012", municipality=amsterdam)
    km = actor_for(
        Membership.objects.select_related("organisation", "user").get(
            user__username="km.amsterdam", role="klantmanager"
        )
    )
    coach = actor_for(
        Membership.objects.select_related("organisation", "user").get(
            user__username="jc.amsterdam", role="jobcoach"
        )
    )
    sw = Organisation.objects.get(name=SW)
    plans = {}
    for first, last, months in PEOPLE:
        person = CandidateFactory(
            first_name=first,
            last_name=last,
            postcode=postcode,
            served_by=km.organisation,
            status="bemiddelbaar",
        )
        hire = matching.outside_hire_record(
            actor=km,
            candidate=person,
            employer_name="Bakkerij Van der Meulen",
            job_title="Productiemedewerker",
            contract="tijdelijk",
            start_date=add_months(today, -months) - timedelta(days=3),
        )
        plans[first] = hire.support_plan
    # Supported by the SW company's jobcoach (the hand-off: test_done_when_routes).
    SupportPlan.objects.update(organisation=sw)
    plan = SupportPlan.objects.get(pk=plans["Wendelien"].pk)
    support.work_confirm(
        actor=coach,
        plan=plan,
        confirmed_on=today - timedelta(days=20),
        source="employer",
        method="writing",
        still_employed=True,
    )
    return plans


def test_the_durable_count_equals_the_confirmed_placements(
    page, live_server, demo_geography, settings
):
    settings.DEMO_MODE = True  # the second factor's code is shown on the page
    base = live_server.url
    today = timezone.localdate()
    plans = _arrange(today)
    server_errors = []
    page.on("response", lambda r: server_errors.append(r.url) if r.status >= 500 else None)

    # 1. The jobcoach's list: the two past six months that nobody confirmed say so.
    _sign_in(page, base, "jc.amsterdam")
    page.goto(base + "/routes/support/")
    rows = {
        row.locator("td").first.inner_text(): row.locator("td").nth(4).inner_text()
        for row in page.get_by_role("table", name="Begeleidingsplannen").locator("tbody tr").all()
    }
    assert rows["Fedde Kuipersma"].startswith("niet bevestigd")
    assert rows["Maaike Dijkhuizen"].startswith("niet bevestigd")
    assert rows["Wendelien Oosterbroek"] == "duurzaam geplaatst"
    assert rows["Jurre Hofstede"] == "begeleiding loopt"

    # 2. She saw Fedde at work today: confirmed, durable.
    page.get_by_role("link", name="Fedde Kuipersma").click()
    page.wait_for_url(f"**/routes/support/{plans['Fedde'].uuid}/")
    page.get_by_label("Bevestigd op").fill(today.isoformat())
    page.get_by_label("de jobcoach (zag de persoon aan het werk)").check()
    page.get_by_label("Hoe", exact=True).select_option(label="op de werkplek")
    page.get_by_label("ja, werkt er nog").check()
    page.get_by_role("button", name="Bevestiging vastleggen").click()
    page.wait_for_load_state()
    assert "De bevestiging is vastgelegd." in _messages(page)
    assert page.locator("dt:text-is('Status') + dd").inner_text().startswith("duurzaam geplaatst")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "01-confirmed.png"), full_page=True)
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()

    # 3. The programme manager's dashboard over the period of these placements.
    start, end = add_months(today, -9), today
    _sign_in(page, base, "pm.amsterdam")
    page.goto(f"{base}/monitoring/?start={start.isoformat()}&end={end.isoformat()}")
    cards = {}
    for card in page.locator("ul.cards > li").all():
        figure, label = (p.strip() for p in card.locator("p").all_inner_texts())
        cards[label] = figure
    page.screenshot(path=str(SHOTS / "02-dashboard.png"), full_page=True)
    confirmed = WorkConfirmation.objects.filter(
        still_employed=True,
        plan__candidate__region__code="AM18",
        plan__ended_on__gte=start,
        plan__ended_on__lte=end,
    ).count()
    assert confirmed == 2
    assert cards["duurzame plaatsingen (6 maanden)"] == str(confirmed)
    unconfirmed = [p for p in SupportPlan.objects.all() if p.not_confirmed]
    assert [p.candidate.first_name for p in unconfirmed] == ["Maaike"]
    assert cards["niet bevestigd na 6 maanden"] == "1"
    assert cards["matches (plaatsingen)"] == str(len(PEOPLE))
    assert server_errors == []
