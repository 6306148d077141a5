"""In Debian's Chromium, end to end through the pages, the "done when" of the routes
(issue #6): a klantmanager builds a route for a person from the region's template; the
template's training step is handed to an MBO school, which sees the person by code only,
accepts, and then sees the name; from the matching page the klantmanager puts the course
that closes the person's skill gap on the route (the school accepts that too) and hands the
job coaching to the SW company, whose jobcoach accepts it. The trial placement handed to
the intermediary is never answered: it appears on the region's stuck list, by the person's
code, never the name. The person is proposed and hired by the employer; the steps that led
to work end, the job coaching starts, and a support plan appears for the SW company's
jobcoach, who records a check-in. Six months after the start of work the placement is not
durable by itself: it is *niet bevestigd* until the jobcoach records that the employer
confirmed by phone that the person still works there; then the pages say *duurzaam
geplaatst*.

The ORM only arranges what has no page (the demo population, postcodes, a bit of ESCO, the
person, the catalogue's offers and the region's template) and the passing of time (the
browser cannot move the clock: the start of work is moved six months back, and the
unanswered hand-off is backdated), and checks the outcome.

Controls are found by their Dutch accessible names (the UI is Dutch first)."""

import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import dateformat, timezone, translation

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.candidates.constants import JourneyStatus
from perspectief.catalogue import services
from perspectief.core.dates import add_months
from perspectief.demo.population import create_demo_population
from perspectief.matching.constants import ProposalStatus
from perspectief.matching.models import Proposal
from perspectief.organisations.models import EmployerAccount
from perspectief.regions.models import Municipality
from perspectief.routes.models import CheckIn, RouteStep, SupportPlan
from perspectief.routes.services import templates as route_templates
from perspectief.routes.services.templates import TemplateStepInput
from perspectief.taxonomy.models import Occupation, Skill
from perspectief.vacancies.models import Vacancy, VacancySkill

from ..factories import CandidateFactory, PostcodeFactory
from .conftest import main_nav as _nav
from .conftest import messages_text as _messages
from .conftest import sign_in_as as _sign_in
from .conftest import sign_out as _sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GEMEENTE = "Gemeente Amsterdam"
SCHOOL = "MBO College Amsterdam-Noord (demo)"
SW = "Amsterdam Werkt SW (demo)"
INTERMEDIARY = "Jobhunters Groot Amsterdam (demo)"
WESTPOORT = "Distributiecentrum Westpoort B.V. (demo)"
SHOTS = Path(tempfile.gettempdir()) / "perspectief-e2e-routes"

# ESCO "warehouse order picker" and three of its essential skills (real URIs, so that the
# engine's taxonomy knows them). The person lacks voice picking, which the place does not
# teach on the job: the skill gap the MBO course closes.
ESCO = "http://data.europa.eu/esco/"
OCCUPATION = (ESCO + "occupation/cd94def5-3442-4c2e-ae3d-0761a3008bcb", "orderpicker")
PICK = (ESCO + "skill/ee5e2297-39cc-4ed6-89e5-d58016118a7f", "orders verzamelen")
LIFT = (ESCO + "skill/ab2bb44a-3956-4028-8715-8b70b1960b99", "zware lasten tillen")
VOICE = (ESCO + "skill/28b7d7fb-0483-4877-9aaa-f990f10f16f5", "voice-picking bedienen")

# Distinctive names: whether they appear on a page is what we check.
FIRST, LAST = "Roosmarijn", "Wagenvoort"
NAME = f"{FIRST} {LAST}"
PLACE_TITLE = "Orderpicker voice-picking Westpoort"
TEMPLATE = "Logistiek: werkfit, taal, proefplaatsing"
WERKFIT = "Werkfit-traject logistiek"
NT2 = "Nederlands op de werkvloer (NT2)"
COURSE = "Orderpicken met voice-picking (mbo-certificaat)"
TRIAL = "Proefplaatsing magazijn"
COACHING = "Jobcoaching op de werkplek"


def _shot(page, name: str) -> None:
    """Screenshots go outside the repository (other engineers work in it)."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _short(day) -> str:
    """A date as the route pages show it (``j-n-Y``)."""
    return f"{day.day}-{day.month}-{day.year}"


def _dutch_date(day) -> str:
    with translation.override("nl"):
        return dateformat.format(day, "j F Y")


def _arrange(today):
    """The demo population, the place with a skill gap, the person, the region's catalogue
    (the school's NT2 classes and MBO course, the intermediary's trial placements) and the
    region's route template."""
    create_demo_population()
    amsterdam = Municipality.objects.get(code="GM0363")
    centre = PostcodeFactory(code="1011", municipality=amsterdam, place_names="Amsterdam")
    westpoort = PostcodeFactory(
        code="1013", municipality=amsterdam, place_names="Amsterdam", latitude=52.39, longitude=4.86
    )
    occupation = Occupation.objects.create(uri=OCCUPATION[0], label_nl=OCCUPATION[1])
    skills = {
        uri: Skill.objects.create(uri=uri, label_nl=label, label_en=label)
        for uri, label in (PICK, LIFT, VOICE)
    }
    account = EmployerAccount.objects.get(organisation__name=WESTPOORT)
    vacancy = Vacancy.objects.create(
        employer=account,
        title=PLACE_TITLE,
        place_type="job",
        occupation=occupation,
        description="Orderpicken met voice-picking in het distributiecentrum.",
        hours_per_week=32,
        contract="tijdelijk",
        postcode=westpoort,
        places=3,
        status="open",
    )
    for uri in (PICK[0], LIFT[0], VOICE[0]):
        VacancySkill.objects.create(
            vacancy=vacancy, skill=skills[uri], relation="essential", teachable=False
        )

    def member(username):
        return Membership.objects.select_related("organisation", "user").get(
            user__username=username
        )

    km = member("km.amsterdam")
    person = CandidateFactory(
        first_name=FIRST,
        last_name=LAST,
        email="roosmarijn.wagenvoort@example.invalid",
        postcode=centre,
        served_by=km.organisation,
        klantmanager=km.user,
        status=JourneyStatus.IN_VIEW,
        availability_confirmed_at=timezone.now(),
        max_travel_km=25,
        hours_per_week=32,
    )
    person.occupations.add(occupation)
    for uri in (PICK[0], LIFT[0]):
        person.skills.create(skill=skills[uri], source="stated")

    # The school's NT2 classes start on fixed dates; the one next week comes too early for
    # a route that starts with three weeks of werkfit, the one in seven weeks fits.
    school = actor_for(member("oa.amsterdam"))
    nt2 = services.offer_save(
        actor=school,
        data={"kind": "nt2", "title": NT2, "funding": "regio", "postcode": centre},
    )
    for weeks in (1, 7):
        starts = today + timedelta(weeks=weeks)
        services.edition_add(
            actor=school, offer=nt2, starts_on=starts, ends_on=starts + timedelta(weeks=4), seats=12
        )
    # The MBO course teaching the missing skill, starting when werkfit ends.
    course = services.offer_save(
        actor=school,
        data={
            "kind": "mbo",
            "title": COURSE,
            "funding": "regio",
            "postcode": centre,
            "duration_weeks": 4,
            "skills": [skills[VOICE[0]]],
        },
    )
    course_start = today + timedelta(weeks=3)
    services.edition_add(
        actor=school,
        offer=course,
        starts_on=course_start,
        ends_on=course_start + timedelta(weeks=4),
        seats=8,
    )
    # The intermediary's trial placements (no fixed starts).
    intermediary = actor_for(member("ih.amsterdam"))
    trial = services.offer_save(
        actor=intermediary,
        data={
            "kind": "proefplaatsing",
            "title": TRIAL,
            "funding": "regio",
            "postcode": westpoort,
            "duration_weeks": 4,
        },
    )
    # The region's template, kept by the programme bureau.
    route_templates.template_save(
        actor=actor_for(member("pm.amsterdam")),
        name=TEMPLATE,
        description="Werkfit, Nederlands op de werkvloer en een proefplaatsing in een magazijn.",
        steps=[
            TemplateStepInput(kind="werkfit", title=WERKFIT, weeks=3),
            TemplateStepInput(kind="nt2", title=NT2, weeks=4, offer=nt2),
            TemplateStepInput(kind="proefplaatsing", title=TRIAL, weeks=4, offer=trial),
        ],
    )
    return person, vacancy


def _table_rows(table) -> list[list[str]]:
    return [
        [cell.strip() for cell in row.locator("td").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]


def _steps(page):
    return page.get_by_role("table", name="Stappen")


def _step_row(page, title: str):
    return _steps(page).locator("tbody tr", has_text=title)


def _step(page, title: str) -> tuple[str, str, str, str]:
    """A step of the route as the page shows it: owner, hand-off badge (empty for an own
    step), planned period and status."""
    cells = _step_row(page, title).locator("td")
    badge = cells.nth(1).locator(".badge")
    return (
        cells.nth(1).inner_text().split("\n")[0].strip(),
        badge.inner_text().strip() if badge.count() else "",
        cells.nth(2).inner_text().strip(),
        cells.nth(3).inner_text().strip().split("\n")[0],
    )


def _step_detail(page, title: str) -> str:
    """The line under a step's title: its kind, and the start of a course it is on."""
    return _step_row(page, title).locator("td").first.locator(".help").inner_text()


def _open_handed_step(page, base, label: str, title: str) -> None:
    """A partner opens a step handed to its organisation from the routes page."""
    _nav(page).get_by_role("link", name="Routes").click()
    page.wait_for_url(base + "/routes/")
    row = page.get_by_role("table", name="Stappen overgedragen aan je organisatie").locator(
        "tbody tr", has_text=title
    )
    row.get_by_role("link", name=label).click()
    page.wait_for_url("**/routes/*-*/")


def _submit(page, control) -> None:
    """Press a control that posts a form, and wait for the page the post leads to (often
    the same address)."""
    with page.expect_navigation():
        control.click()


def _accept(page, title: str) -> None:
    _submit(page, page.get_by_role("button", name=f"Accepteren {title}"))
    assert "Je hebt de stap geaccepteerd: hij staat nu in je lijst." in _messages(page)


@pytest.fixture
def pages(browser):
    """One browser per person at work: the klantmanager, the school's adviser and the
    jobcoach stay signed in (signing in twice within one 30-second step would offer a spent
    one-time code); the employer and the programme manager take turns at the last."""
    contexts = [browser.new_context(locale="nl-NL") for _ in range(4)]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def test_route_from_template_handed_off_course_added_hired_supported_durable_stuck(
    pages, live_server, demo_geography, settings
):
    settings.DEMO_MODE = True
    base = live_server.url
    today = timezone.localdate()
    person, vacancy = _arrange(today)
    code = person.partner_label
    server_errors = []
    for browser_page in pages:
        browser_page.on(
            "response",
            lambda r: (
                server_errors.append(f"{r.status} {r.request.method} {r.url}")
                if r.status >= 500
                else None
            ),
        )
    km, school, coach, desk = pages

    # 1. The klantmanager starts a route from the region's template on the person's page.
    _sign_in(km, base, "km.amsterdam")
    _nav(km).get_by_role("link", name="Werkzoekenden").click()
    km.get_by_role("link", name=f"{LAST}, {FIRST}").click()
    km.wait_for_url(f"**/candidates/{person.uuid}/")
    km.get_by_role("link", name="Route starten").click()
    km.wait_for_url(f"**/routes/start/{person.uuid}/")
    assert km.get_by_role("heading", level=1).inner_text() == f"Route starten voor {NAME}"
    km.get_by_label("Routesjabloon").select_option(label=TEMPLATE)
    km.get_by_label("Eerste stap begint op").fill(today.isoformat())
    km.get_by_role("button", name="Route maken").click()
    km.wait_for_url("**/routes/*-*/")
    assert "De route is gemaakt." in _messages(km)
    route_url = km.url
    assert km.get_by_role("heading", level=1).inner_text() == f"Route van {NAME}"
    assert f"Gepland door {GEMEENTE} · op basis van het sjabloon “{TEMPLATE}”" in (
        km.locator("h1 + p").inner_text()
    )
    # The wagons follow each other: werkfit (own) for three weeks, then the first NT2 class
    # that starts after it (not the one next week), then the trial placement.
    werkfit_end = today + timedelta(weeks=3)
    nt2_start, nt2_end = today + timedelta(weeks=7), today + timedelta(weeks=11)
    trial_end = nt2_end + timedelta(weeks=4)
    assert _step(km, WERKFIT) == (
        GEMEENTE,
        "",  # its own step: no hand-off
        f"{_short(today)} – {_short(werkfit_end)}",
        "gepland",
    )
    assert _step(km, NT2) == (
        SCHOOL,
        "wacht op acceptatie",
        f"{_short(nt2_start)} – {_short(nt2_end)}",
        "gepland",
    )
    assert f"start van {_short(nt2_start)}" in _step_detail(km, NT2)
    assert _step(km, TRIAL) == (
        INTERMEDIARY,
        "wacht op acceptatie",
        f"{_short(nt2_end)} – {_short(trial_end)}",
        "gepland",
    )

    # The job coaching after the trial placement goes to the SW company: a step of its own.
    coaching_end = trial_end + timedelta(weeks=26)
    km.get_by_role("link", name="Stap toevoegen").click()
    km.wait_for_url("**/steps/new/")
    km.get_by_label("Soort stap").select_option(label="jobcoaching")
    km.get_by_label("Titel").fill(COACHING)
    km.get_by_label("Eigenaar").select_option(label=SW)
    km.get_by_label("Geplande start").fill(trial_end.isoformat())
    km.get_by_label("Uiterlijk klaar (geplande einddatum)").fill(coaching_end.isoformat())
    km.get_by_role("button", name="Opslaan").click()
    km.wait_for_url(route_url)
    assert (
        f"Stap toegevoegd en overgedragen aan {SW}: de stap wacht op hun acceptatie."
        in _messages(km)
    )
    assert _step(km, COACHING) == (
        SW,
        "wacht op acceptatie",
        f"{_short(trial_end)} – {_short(coaching_end)}",
        "gepland",
    )
    _shot(km, "01-route-from-template")

    # 2. The school sees the hand-off by the person's code, opens it and accepts it; then
    # it sees the name and the contact details it needs.
    _sign_in(school, base, "oa.amsterdam")
    _open_handed_step(school, base, code, NT2)
    assert school.get_by_role("heading", level=1).inner_text() == f"Route van {code}"
    assert f"{GEMEENTE} vraagt je organisatie om een stap van deze route op zich te nemen" in (
        school.get_by_role("note").inner_text()
    )
    assert FIRST not in school.content() and LAST not in school.content()
    _shot(school, "02-school-pending-hand-off")
    _accept(school, NT2)
    assert school.get_by_role("heading", level=1).inner_text() == f"Route van {NAME}"
    assert school.locator("dt:text-is('E-mail') + dd").inner_text() == person.email
    assert _step(school, NT2)[:2] == (SCHOOL, "geaccepteerd")
    # Nothing else to decide for the school on this route.
    assert school.get_by_role("button", name=f"Accepteren {TRIAL}").count() == 0

    # 3. The course that closes the skill gap, from the matching page, in one action.
    km.get_by_role("link", name="Profiel van de werkzoekende").click()
    km.wait_for_url(f"**/candidates/{person.uuid}/")
    km.get_by_role("link", name="Passende plekken zoeken (matching)").click()
    km.wait_for_url(f"**/matching/candidates/{person.uuid}/places/")
    card = km.locator("ol.ranked > li").filter(
        has=km.get_by_role("link", name=PLACE_TITLE, exact=True)
    )
    assert re.search(rf"Mist 1 van de \d+ essentiële vaardigheden: {VOICE[1]}", card.inner_text())
    training = card.locator(".gap-training")
    assert "Scholing in de catalogus die dit tekort dekt:" in training.inner_text()
    course_start = today + timedelta(weeks=3)
    offered = training.locator("li", has_text=COURSE).inner_text()
    assert SCHOOL in offered and _dutch_date(course_start) in offered
    _shot(km, "03-skill-gap-training")
    training.get_by_role("button", name=f"Op de route zetten {COURSE}").click()
    km.wait_for_url(route_url)
    assert (
        f"“{COURSE}” staat op de route en is ter acceptatie overgedragen aan {SCHOOL}."
        in _messages(km)
    )
    course_end = course_start + timedelta(weeks=4)
    assert _step(km, COURSE) == (
        SCHOOL,
        "wacht op acceptatie",
        f"{_short(course_start)} – {_short(course_end)}",
        "gepland",
    )
    assert f"start van {_short(course_start)}" in _step_detail(km, COURSE)
    # Between werkfit and the NT2 classes, where the route had room for it.
    titles = [
        t.split("\n")[0] for t in _steps(km).locator("tbody tr td:first-child").all_inner_texts()
    ]
    assert titles == [WERKFIT, COURSE, NT2, TRIAL, COACHING]

    # The school accepts the course as well (it knows the person by name by now).
    _open_handed_step(school, base, NAME, COURSE)
    _accept(school, COURSE)
    assert _step(school, COURSE)[:2] == (SCHOOL, "geaccepteerd")

    # 4. The SW company's jobcoach accepts the job coaching.
    _sign_in(coach, base, "jc.amsterdam")
    _open_handed_step(coach, base, code, COACHING)
    assert coach.get_by_role("heading", level=1).inner_text() == f"Route van {code}"
    assert LAST not in coach.content()
    _accept(coach, COACHING)
    assert coach.get_by_role("heading", level=1).inner_text() == f"Route van {NAME}"

    km.reload()
    assert [_step(km, t)[:2] for t in (WERKFIT, COURSE, NT2, TRIAL, COACHING)] == [
        (GEMEENTE, ""),
        (SCHOOL, "geaccepteerd"),
        (SCHOOL, "geaccepteerd"),
        (INTERMEDIARY, "wacht op acceptatie"),
        (SW, "geaccepteerd"),
    ]
    _shot(km, "04-route-accepted")

    # 5. Nobody answered the trial placement: after the days to accept have passed, the
    # region's programme manager sees it on the stuck list, by the person's code.
    waited = settings.HANDOFF_ACCEPT_DAYS + 3
    trial = RouteStep.objects.get(route__candidate=person, title=TRIAL)
    assert (trial.handoff, trial.owner.name) == ("pending", INTERMEDIARY)
    RouteStep.objects.filter(pk=trial.pk).update(
        handed_off_at=timezone.now() - timedelta(days=waited)
    )
    stuck_since = today - timedelta(days=3)
    why = f"overdracht niet beantwoord, vastgelopen sinds {_short(stuck_since)} (3 dagen)"

    _sign_in(desk, base, "pm.amsterdam")
    _nav(desk).get_by_role("link", name="Vastgelopen routes").click()
    desk.wait_for_url(base + "/routes/stuck/")
    assert desk.get_by_role("heading", level=1).inner_text() == "Vastgelopen routes (doorbraak)"
    [row] = _table_rows(desk.get_by_role("table", name="Vastgelopen stappen"))
    assert (row[0], row[1].split("\n")[0], row[2], row[3]) == (code, TRIAL, INTERMEDIARY, GEMEENTE)
    assert row[4] == why
    html = desk.content()
    assert FIRST not in html and LAST not in html and person.email not in html
    _shot(desk, "08-stuck-list")

    # The klantmanager sees it too, among the stuck steps of her routes, by name.
    _nav(km).get_by_role("link", name="Routes").click()
    km.wait_for_url(base + "/routes/")
    stuck = km.locator("h2:text-is('Vastgelopen stappen in je routes') + ul")
    assert stuck.inner_text() == f"{NAME}: {TRIAL} ({INTERMEDIARY}) — {why}"
    km.goto(route_url)
    assert f"vastgelopen {why}" in _step_row(km, TRIAL).locator("td").nth(3).inner_text()
    _sign_out(desk)

    # 6. The person is proposed, agrees to meet the employer, and is hired; the work began a
    # month ago (the employer records it afterwards), so the first check-in is due now.
    start = today - timedelta(days=30)
    km.get_by_role("link", name="Profiel van de werkzoekende").click()
    km.get_by_role("link", name="Passende plekken zoeken (matching)").click()
    km.wait_for_url(f"**/matching/candidates/{person.uuid}/places/")
    card.get_by_role("button", name="Voorstellen aan de werkgever").click()
    km.wait_for_url(f"**/candidates/{person.uuid}/")
    assert f"Voorgesteld voor {PLACE_TITLE}. De werkgever ziet een anoniem profiel." in _messages(
        km
    )
    proposal_row = km.get_by_role("table", name="Voorstellen").locator(
        "tbody tr", has_text=PLACE_TITLE
    )
    proposal_row.get_by_label("Hoe de persoon toestemming gaf").select_option(
        label="persoonlijk, in een gesprek"
    )
    _submit(km, proposal_row.get_by_role("button", name="De persoon wil kennismaken"))
    assert "Vastgelegd: de werkgever ziet nu de naam en contactgegevens" in _messages(km)

    _sign_in(desk, base, "wg.westpoort", second_factor=False)
    _nav(desk).get_by_role("link", name="Kandidaten voor ons").click()
    desk.wait_for_url(base + "/werkgever/")
    desk.get_by_role("table", name="Onze plekken").locator(
        "tbody tr", has_text=PLACE_TITLE
    ).get_by_role("link", name="1 kandidaat").click()
    desk.wait_for_url(f"**/werkgever/plaatsen/{vacancy.uuid}/")
    hired = desk.locator("section.card").filter(has=desk.get_by_role("heading", name=NAME))
    _submit(desk, hired.get_by_role("button", name="We nodigen de persoon uit voor een gesprek"))
    hired.get_by_label("Begint op").fill(start.isoformat())
    hired.get_by_label("Contract").select_option(label="tijdelijk")
    _submit(desk, hired.get_by_role("button", name="Vastleggen: aangenomen", exact=True))
    assert "Dank u. Uw contactpersoon bij het Werkgeversservicepunt weet het nu." in (
        _messages(desk)
    )
    _sign_out(desk)

    proposal = Proposal.objects.get(vacancy=vacancy, candidate=person)
    assert (proposal.status, proposal.start_date) == (ProposalStatus.HIRED, start)
    plan = SupportPlan.objects.get(candidate=person)
    # The supporting organisation is the owner of the accepted job-coaching step, not the
    # gemeente that proposed; the coaching step starts with the work.
    assert (plan.organisation.name, plan.started_on, plan.status) == (SW, start, "active")
    coaching = RouteStep.objects.get(route__candidate=person, title=COACHING)
    assert (coaching.status, coaching.actual_start) == ("started", start)
    # The steps that led to work end with it; the unanswered trial leaves the stuck list.
    trial.refresh_from_db()
    assert (trial.status, trial.stop_reason) == ("stopped", f"Aan het werk vanaf {_short(start)}.")

    # 7. The jobcoach finds the person under support at work and records a check-in.
    _nav(coach).get_by_role("link", name="Routes").click()
    coach.get_by_role("link", name="Begeleiding op het werk: check-ins en signalen").click()
    coach.wait_for_url(base + "/routes/support/")
    [row] = _table_rows(coach.get_by_role("table", name="Begeleidingsplannen"))
    assert (row[0], row[2], row[4]) == (NAME, _short(start), "begeleiding loopt")
    assert PLACE_TITLE in row[1] and WESTPOORT in row[1] and SW in row[3]
    coach.get_by_role("link", name=NAME).click()
    coach.wait_for_url(f"**/routes/support/{plan.uuid}/")
    assert coach.get_by_role("heading", level=1).inner_text() == (
        f"Begeleiding op het werk: {NAME}"
    )
    assert coach.locator("dt:text-is('Begeleid door') + dd").inner_text() == SW
    coach.get_by_label("Jobcoach", exact=True).select_option(label="Bas Meijer")
    _submit(coach, coach.get_by_role("button", name="Jobcoach opslaan"))
    assert "Jobcoach opgeslagen." in _messages(coach)
    assert coach.locator("dt:text-is('Begeleid door') + dd").inner_text() == f"{SW}, Bas Meijer"
    due = [r[1] for r in _table_rows(coach.get_by_role("table", name="Check-ins"))]
    assert due == [_short(add_months(start, m)) for m in (1, 3, 6, 12)]

    coach.get_by_label("Check-in", exact=True).select_option(label="na 1 maand")
    coach.get_by_label("Gehouden op").fill(today.isoformat())
    coach.get_by_label("Gesproken met de persoon").check()
    coach.get_by_label("Gesproken met de werkgever").check()
    coach.get_by_label("Hoe het gaat").select_option(label="gaat goed")
    coach.get_by_label("Notitie").fill("Goed ingewerkt; voice-picking gaat vlot.")
    _submit(coach, coach.get_by_role("button", name="Check-in vastleggen"))
    assert "Check-in vastgelegd." in _messages(coach)
    first = _table_rows(coach.get_by_role("table", name="Check-ins"))[0]
    assert first[:2] == ["na 1 maand", _short(add_months(start, 1))]
    assert first[2].startswith(_short(today))
    assert first[3:] == [
        "persoon, werkgever",
        "gaat goed",
        "Goed ingewerkt; voice-picking gaat vlot.",
    ]
    assert coach.locator("dt:text-is('Status') + dd").inner_text() == "begeleiding loopt"
    _shot(coach, "05-support-plan-check-in")
    assert CheckIn.objects.get(plan=plan, month=1).recorded_by.username == "jc.amsterdam"

    # 8. Six months in work (the ORM moves the start of work back: the browser cannot move
    # the clock). Nothing makes it durable by itself: it is not confirmed.
    start = add_months(today, -6) - timedelta(days=5)
    six_months = add_months(start, 6)
    SupportPlan.objects.filter(pk=plan.pk).update(started_on=start)
    for check_in in CheckIn.objects.filter(plan=plan):
        CheckIn.objects.filter(pk=check_in.pk).update(due_on=add_months(start, check_in.month))
    Proposal.objects.filter(pk=plan.proposal_id).update(start_date=start)
    person.journey.filter(to_status=JourneyStatus.PLACED).update(occurred_on=start)
    coach.reload()
    assert coach.locator("dt:text-is('Status') + dd").inner_text().startswith("niet bevestigd")
    coach.get_by_label("Bevestigd op").fill(today.isoformat())
    coach.get_by_label("de werkgever", exact=True).check()
    coach.get_by_label("Hoe", exact=True).select_option(label="telefonisch")
    coach.get_by_label("ja, werkt er nog").check()
    _submit(coach, coach.get_by_role("button", name="Bevestiging vastleggen"))
    assert "De bevestiging is vastgelegd." in _messages(coach)
    assert coach.locator("dt:text-is('Status') + dd").inner_text() == (
        f"duurzaam geplaatst ({_dutch_date(six_months)})"
    )
    assert (
        coach.locator("dt:text-is('Bevestiging') + dd")
        .inner_text()
        .startswith("werkt er nog — bevestigd door de werkgever, telefonisch, op")
    )
    _shot(coach, "06-support-plan-durable")

    km.goto(route_url)
    assert "Traject: duurzaam geplaatst" in km.locator("h1 + p").inner_text()
    assert (
        f"{PLACE_TITLE} — {WESTPOORT}, sinds {_short(start)}: duurzaam geplaatst"
        in km.locator("h2:text-is('Begeleiding op het werk') + ul").inner_text()
    )
    journey = _table_rows(km.get_by_role("table", name="Traject"))
    assert [r[:4] for r in journey[:2]] == [
        [
            _short(six_months),
            "geplaatst",
            "duurzaam geplaatst",
            "na zes maanden nog aan het werk, bevestigd",
        ],
        [_short(start), "in beeld", "geplaatst", "een vastgelegde plaatsing"],
    ]
    _shot(km, "07-route-durable")
    km.get_by_role("link", name="Profiel van de werkzoekende").click()
    km.wait_for_url(f"**/candidates/{person.uuid}/")
    assert km.locator("h1 + p").inner_text().startswith("duurzaam geplaatst")
    person.refresh_from_db()
    assert person.status == JourneyStatus.DURABLE

    assert server_errors == []
