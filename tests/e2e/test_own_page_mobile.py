"""In Debian's Chromium on a 320 px wide screen (issue #16 item 4): a job seeker follows
the reconfirmation e-mail's link, signs in, confirms with one click that they still look
for work, proposes a correction of their hours and opens "who looked at my data" — and no
page is wider than the screen.

Controls are found by their place (ids, link targets), not their words: the Dutch texts
of these pages are still to be written."""

import re
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.candidates.models import Candidate, ProfileCorrection
from perspectief.candidates.services.reconfirmation import own_page_url

from ..factories import PASSWORD, CandidateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "perspectief-e2e-own-page"
WIDTH = 320
#: The own page, with or without the anchor (Chromium keeps it through the sign-in).
OWN_PAGE = re.compile(r".*/candidates/me/(#\w+)?$")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_job_seeker_on_a_phone_reconfirms_corrects_and_reads_the_log(
    browser, live_server, make_member
):
    km = make_member("klantmanager")
    seeker = make_member("werkzoekende")
    person = CandidateFactory(
        served_by=km.organisation, user=seeker.user, klantmanager=km.user, status="in_beeld"
    )
    # The klantmanager looked at the person's record (as their page does).
    access.record_candidate(actor_for(km), person, ProcessingActivity.CANDIDATE_SERVICE)
    context = browser.new_context(locale="nl-NL", viewport={"width": WIDTH, "height": 640})
    page = context.new_page()
    try:
        # The e-mail's link; signing in first.
        page.goto(live_server.url + own_page_url())
        page.wait_for_url("**/accounts/login/**")
        page.locator("#id_username").fill(seeker.user.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(OWN_PAGE)
        question = page.locator("#reconfirm")
        assert question.is_visible()
        box = question.locator("button").bounding_box()
        # Big: at least 44 px high, as wide as the block it stands in.
        block = question.bounding_box()
        assert box["height"] >= 44 and box["width"] >= block["width"] - 40
        assert _fits(page)
        _shot(page, "1-own-page-question")
        question.locator("button").click()
        page.wait_for_url(OWN_PAGE)
        assert page.locator("#reconfirm").count() == 0
        person.refresh_from_db()
        assert timezone.now() - person.availability_confirmed_at < timezone.timedelta(minutes=5)

        # A correction of the hours, one question on its own page.
        page.locator("a[href$='/me/correct/hours_per_week/']").click()
        page.locator("#id_value").fill("20")
        assert _fits(page)
        _shot(page, "2-correction")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(OWN_PAGE)
        assert page.locator(".details__pending").is_visible()
        assert ProfileCorrection.objects.get(candidate=person).proposed_value == "20"
        assert _fits(page)
        _shot(page, "3-own-page-after")

        # Who looked at my data.
        page.locator("a[href$='/me/access-log/']").click()
        page.wait_for_url("**/me/access-log/")
        assert page.locator(".processing").count() == 1
        assert km.organisation.name in page.locator(".processing").inner_text()
        assert _fits(page)
        _shot(page, "4-access-log")
    finally:
        context.close()
    assert Candidate.objects.get(pk=person.pk).hours_per_week == 32  # not changed yet
