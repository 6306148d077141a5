"""In Debian's Chromium, end to end through the pages, the "done when" of issue #16 (work
that flows between partners): a klantmanager invites a job seeker; the invitation e-mail
appears on the demo's mail page; the job seeker follows its link, chooses a password,
reconfirms availability, sees that they were proposed for a place and agrees to be
introduced; the employer got an e-mail about the proposal and answers "we would like to
meet"; the klantmanager's inbox shows the answer; a hand-off to a school appears in the
school adviser's inbox and mail; a missed check-in appears in the jobcoach's inbox.

The ORM only arranges what has no page here (the demo population, the person, the place,
the account manager's proposal once the person is available again, the klantmanager's route
step for the school, and a support plan whose first check-in passed) and runs the daily job
that notices a missed check-in.
Controls are found by their Dutch accessible names, looked up through the catalogue, so the
test follows the product's wording."""

import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership, User
from perspectief.candidates.models import Candidate, Consent
from perspectief.demo.population import create_demo_population, demo_password
from perspectief.matching.constants import ProposalStatus
from perspectief.matching.models import Proposal
from perspectief.matching.services.proposals import proposal_create
from perspectief.organisations.models import EmployerAccount, Organisation
from perspectief.regions.models import Municipality
from perspectief.routes.models import CheckIn, SupportPlan
from perspectief.routes.services.routes import route_start, step_add
from perspectief.routes.services.steps import StepInput
from perspectief.routes.tasks import notify_due_work
from perspectief.vacancies.models import Vacancy

from ..factories import CandidateFactory, PostcodeFactory
from .conftest import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WESTPOORT = "Distributiecentrum Westpoort B.V. (demo)"
SCHOOL = "MBO College Amsterdam-Noord (demo)"
SW = "Amsterdam Werkt SW (demo)"
PLACE_TITLE = "Magazijnmedewerker Westpoort"
FIRST, LAST = "Joosje", "Vlietstra"
EMAIL = "joosje.v@voorbeeld.invalid"
SHOTS = Path(tempfile.gettempdir()) / "perspectief-e2e-inbox"


def nl(msgid: str, context: str | None = None) -> str:
    """The Dutch wording of a text, as the pages show it."""
    with translation.override("nl"):
        return pgettext(context, msgid) if context else gettext(msgid)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _member(username: str) -> Membership:
    return Membership.objects.select_related("organisation", "user").get(
        user__username=username, is_active=True
    )


def _arrange():
    create_demo_population()
    amsterdam = Municipality.objects.get(code="GM0363")
    postcode = PostcodeFactory(code="1013", municipality=amsterdam, place_names="Amsterdam")
    km = _member("km.amsterdam")
    person = CandidateFactory(
        first_name=FIRST,
        last_name=LAST,
        served_by=km.organisation,
        region=km.organisation.region,
        postcode=postcode,
        status="werkfit",
        hours_per_week=32,
    )
    # Confirmed long ago: the 90-day cycle asks for a reconfirmation.
    Candidate.objects.filter(pk=person.pk).update(
        availability_confirmed_at=timezone.now() - timedelta(days=120)
    )
    account = EmployerAccount.objects.get(organisation__name=WESTPOORT)
    place = Vacancy.objects.create(
        employer=account,
        title=PLACE_TITLE,
        place_type="job",
        description="Orders verzamelen en klaarzetten.",
        hours_per_week=32,
        contract="tijdelijk",
        postcode=postcode,
        places=2,
        status="open",
    )
    return km, person, place


def _propose(person, place):
    """The WSP's account manager proposes the person (now available again) for the place."""
    proposal_create(
        actor=actor_for(_member("am.amsterdam")),
        vacancy=place,
        candidate=person,
        motivation="Ervaring met orders verzamelen en werkt nauwkeurig.",
    )


def _hand_step_to_school(km, person):
    route = route_start(actor=actor_for(km), candidate=person)
    today = timezone.localdate()
    step_add(
        actor=actor_for(km),
        route=route,
        data=StepInput(
            kind="mbo",
            title="Orderpicken (mbo-certificaat)",
            owner=Organisation.objects.get(name=SCHOOL),
            planned_start=today + timedelta(days=14),
            planned_end=today + timedelta(days=90),
        ),
    )


def _missed_check_in():
    """Someone else the SW company's jobcoach supports at work: the first month's check-in
    passed without being held."""
    coach = _member("jc.amsterdam")
    other = CandidateFactory(
        served_by=coach.organisation, region=coach.organisation.region, status="geplaatst"
    )
    today = timezone.localdate()
    plan = SupportPlan.objects.create(
        candidate=other,
        employer_name="Bakkerij Noord",
        job_title="Inpakker",
        organisation=Organisation.objects.get(name=SW),
        jobcoach=coach.user,
        started_on=today - timedelta(days=40),
    )
    CheckIn.objects.create(plan=plan, month=1, due_on=today - timedelta(days=9))
    notify_due_work()


def _demo_mail(page, base, subject: str) -> str:
    """Open the newest demo e-mail with this subject and return its text."""
    page.goto(base + "/demo-mail/")
    page.get_by_role("link", name=subject).first.click()
    return page.locator(".mail-body").inner_text()


def _inbox(page, base) -> str:
    """The inbox's items (the table; the filter above it names every kind)."""
    page.goto(base + "/inbox/")
    items = page.locator("main table")
    return items.inner_text() if items.count() else ""


def test_work_flows_between_partners(browser, live_server, demo_geography, settings, tmp_path):
    settings.DEMO_MODE = True
    settings.DATA_DIR = tmp_path
    settings.EMAIL_BACKEND = "perspectief.notifications.backends.EmlDirectoryBackend"
    settings.BASE_URL = live_server.url
    base = live_server.url
    km, person, place = _arrange()
    pages = {}
    server_errors: list[str] = []

    def page_for(role: str):
        if role not in pages:
            context = browser.new_context(locale="nl-NL")
            pages[role] = context.new_page()
            pages[role].on(
                "response",
                lambda r: server_errors.append(f"{r.status} {r.url}") if r.status >= 500 else None,
            )
        return pages[role]

    # 1. The klantmanager invites the job seeker from the person's page.
    desk = page_for("klantmanager")
    sign_in_as(desk, base, "km.amsterdam")
    desk.goto(f"{base}/candidates/{person.uuid}/")
    desk.get_by_label(nl("Email address")).fill(EMAIL)
    desk.get_by_role("button", name=nl("Invite to Mijn Perspectief")).click()
    desk.wait_for_load_state()
    _shot(desk, "01-invited")

    # 2. The invitation is on the demo's mail page; its link opens the acceptance page.
    seeker = page_for("werkzoekende")
    text = _demo_mail(seeker, base, nl("You are invited to Perspectief"))
    assert FIRST not in text and LAST not in text  # mail leaves the platform: no name
    link = re.search(r"https?://\S+/accounts/invitation/\S+", text).group(0)
    _shot(seeker, "02-invitation-mail")
    seeker.goto(link)
    seeker.get_by_label(nl("Username")).fill("joosje")
    seeker.get_by_label(nl("Password"), exact=True).fill("Tulpenbol-2026-Westpoort")
    seeker.get_by_label(nl("Password again")).fill("Tulpenbol-2026-Westpoort")
    seeker.get_by_role("button", name=nl("Create the account")).click()
    seeker.wait_for_load_state()
    user = User.objects.get(username="joosje")
    assert Candidate.objects.get(pk=person.pk).user_id == user.pk  # this person, nobody else

    # 3. The job seeker reconfirms availability and agrees to be introduced.
    seeker.goto(base + "/candidates/me/")
    seeker.get_by_role("button", name=nl("Yes, I am still looking for work")).first.click()
    seeker.wait_for_load_state()
    person.refresh_from_db()
    assert person.availability_confirmed_at > timezone.now() - timedelta(minutes=5)
    _propose(person, place)
    seeker.goto(base + "/candidates/me/")
    assert PLACE_TITLE in seeker.locator("main").inner_text()
    seeker.get_by_role("button", name=re.compile(re.escape(nl("Yes, introduce me")))).click()
    seeker.wait_for_load_state()
    _shot(seeker, "03-own-page-after-yes")
    consent = Consent.objects.filter(candidate=person).order_by("-id").first()
    assert consent is not None and consent.statement_version and consent.method

    # 4. The employer got an e-mail about the proposal and answers that it wants to meet.
    employer = page_for("werkgever")
    text = _demo_mail(employer, base, nl("A candidate was proposed for your place"))
    assert "wg.westpoort@" in employer.locator("main").inner_text()
    assert FIRST not in text and LAST not in text
    sign_in_as(employer, base, "wg.westpoort", second_factor=False)
    employer.goto(f"{base}/werkgever/plaatsen/{place.uuid}/")
    employer.get_by_role("button", name=nl("We would like to meet")).first.click()
    employer.wait_for_load_state()
    assert Proposal.objects.get(vacancy=place).status == ProposalStatus.INTERESTED

    # 5. The klantmanager's inbox shows the employer's answer.
    inbox = _inbox(desk, base)
    _shot(desk, "05-klantmanager-inbox")
    assert str(nl("an employer answered a proposal")).lower() in inbox.lower()

    # 6. A hand-off to the school is in the school adviser's inbox and mail.
    _hand_step_to_school(km, person)
    school = page_for("opleidingsadviseur")
    text = _demo_mail(school, base, nl("A step was handed to your organisation"))
    assert "oa.amsterdam@" in school.locator("main").inner_text()
    sign_in_as(school, base, "oa.amsterdam")
    inbox = _inbox(school, base)
    _shot(school, "06-school-inbox")
    assert "Orderpicken (mbo-certificaat)" in inbox
    assert FIRST not in inbox  # the school sees the person by code until it accepts

    # 7. A missed check-in is in the jobcoach's inbox.
    _missed_check_in()
    coach = page_for("jobcoach")
    sign_in_as(coach, base, "jc.amsterdam")
    inbox = _inbox(coach, base)
    _shot(coach, "07-jobcoach-inbox")
    assert str(nl("a check-in is due or missed")).lower() in inbox.lower()
    assert nl("overdue") in inbox

    assert not server_errors, server_errors
    assert demo_password()  # the demo's accounts were used throughout
