"""In Debian's Chromium, the "done when" of the soft factors and of the route that improves
the match (issue #18):

1. an account manager opens a bulk request of 38 hours a week that allows no part time and
   sees that a person who can carry 20 hours is not ranked, while a full-time colleague
   with the same skills is; she asks why — through the link for the cohort member, and by
   the code of another person whose capacity is half days — and reads it in Dutch;
2. a klantmanager puts the course that closes a person's skill gap on the route from the
   place's ranking, records on the route that the course started and was completed, and
   sees on the place's ranking that the person rose above a colleague, with the note
   "Stijgt door scholing: …".

The ORM (and the catalogue's services) only arrange what has no page here: the demo
population, postcodes, a bit of ESCO, the people, the places, the cohort, the school's
course and the school's acceptance of the hand-off; then check the outcome.

Controls are found by their Dutch accessible names (the UI is Dutch first)."""

import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import dateformat, timezone, translation

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.candidates.constants import Capacity
from perspectief.candidates.models import CandidateSkill
from perspectief.catalogue import services as catalogue
from perspectief.demo.population import create_demo_population
from perspectief.organisations.models import EmployerAccount
from perspectief.regions.models import Municipality
from perspectief.routes.models import RouteStep
from perspectief.routes.services import handoffs
from perspectief.taxonomy.models import Occupation, Skill
from perspectief.vacancies.models import CohortMember, IntakePhase, Vacancy, VacancySkill

from ..factories import CandidateFactory, PostcodeFactory
from .conftest import main_nav as _nav
from .conftest import messages_text as _messages
from .conftest import sign_in_as as _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WESTPOORT = "Distributiecentrum Westpoort B.V. (demo)"
SHOTS = Path(tempfile.gettempdir()) / "perspectief-e2e-soft-factors"

# ESCO "warehouse order picker" and three of its essential skills (real URIs, so that the
# engine's taxonomy knows them).
ESCO = "http://data.europa.eu/esco/"
OCCUPATION = (ESCO + "occupation/cd94def5-3442-4c2e-ae3d-0761a3008bcb", "orderpicker")
PICK = (ESCO + "skill/ee5e2297-39cc-4ed6-89e5-d58016118a7f", "orders verzamelen")
LIFT = (ESCO + "skill/ab2bb44a-3956-4028-8715-8b70b1960b99", "zware lasten tillen")
VOICE = (ESCO + "skill/28b7d7fb-0483-4877-9aaa-f990f10f16f5", "voice-picking bedienen")

BULK_TITLE = "Orderpicker fulltime 38 uur (bulk)"
PLACE_TITLE = "Orderpicker voice-picking Westpoort"
COURSE = "Magazijn en voice-picking (mbo-certificaat)"

# Distinctive names: whether they appear on a page is what we check.
FULL_TIME = ("Maartje", "Voltijdsma")  # can carry 38 hours: ranked
TWENTY_HOURS = ("Henk", "Twintigurenberg")  # can carry 20 hours, in the cohort: not ranked
HALF_DAYS = ("Ilse", "Halvedagenhuis")  # capacity "half days" (20 hours): not ranked
LEARNER = ("Roosmarijn", "Leergierigveld")  # lacks two skills; completes the course
AHEAD = ("Bart", "Voorlopersma")  # lacks one skill; ranked first before the course


def _shot(page, name: str) -> None:
    """Screenshots go outside the repository (other engineers work in it)."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _dutch_date(day) -> str:
    with translation.override("nl"):
        return dateformat.format(day, "j F Y")


def _member(username: str) -> Membership:
    return Membership.objects.select_related("organisation", "user").get(user__username=username)


def _esco():
    """The demo population, two postcodes, the occupation and its three skills."""
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
    return centre, westpoort, occupation, skills


def _place(title, westpoort, occupation, skills, **fields) -> Vacancy:
    """A place at Westpoort asking the three skills as essential (none taught on the job)."""
    vacancy = Vacancy.objects.create(
        employer=EmployerAccount.objects.get(organisation__name=WESTPOORT),
        title=title,
        place_type="job",
        occupation=occupation,
        description="Orderpicken in het distributiecentrum.",
        contract="tijdelijk",
        postcode=westpoort,
        status="open",
        **fields,
    )
    for skill in skills.values():
        VacancySkill.objects.create(
            vacancy=vacancy, skill=skill, relation="essential", teachable=False
        )
    return vacancy


def _person(name, km, postcode, occupation, have, **fields):
    first, last = name
    person = CandidateFactory(
        first_name=first,
        last_name=last,
        email=f"{first.lower()}@example.invalid",
        postcode=postcode,
        served_by=km.organisation,
        klantmanager=km.user,
        status="werkfit",
        availability_confirmed_at=timezone.now(),
        max_travel_km=25,
        **fields,
    )
    person.occupations.add(occupation)
    for skill in have:
        person.skills.create(skill=skill, source="stated")
    return person


def _ranked(page):
    return page.locator("ol.ranked > li")


def _ranked_names(page) -> list[str]:
    return [n.strip() for n in _ranked(page).locator("h2 a").all_inner_texts()]


def _standing(page, name: str) -> tuple[int, int]:
    """A person's place in the ranked list (1 = first) and score, as the page shows them."""
    names = _ranked_names(page)
    assert name in names, names
    row = _ranked(page).nth(names.index(name))
    summary = row.locator("summary").inner_text()
    score = int(re.search(r"score (\d+) van \d+", summary).group(1))
    return names.index(name) + 1, score


def _watch_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.request.method} {r.url}") if r.status >= 500 else None
        ),
    )
    return errors


def test_a_person_who_can_carry_20_hours_is_not_ranked_for_38_hours_and_the_page_says_why(
    page, live_server, demo_geography, settings
):
    settings.DEMO_MODE = True
    base = live_server.url
    centre, westpoort, occupation, skills = _esco()
    vacancy = _place(
        BULK_TITLE,
        westpoort,
        occupation,
        skills,
        hours_per_week=38,
        min_hours_per_week=None,  # no part time
        places=20,
    )
    today = timezone.localdate()
    IntakePhase.objects.create(vacancy=vacancy, starts_on=today + timedelta(days=30), places=20)
    km = _member("km.amsterdam")
    have = list(skills.values())
    _person(FULL_TIME, km, centre, occupation, have, hours_per_week=38)
    twenty = _person(
        TWENTY_HOURS, km, centre, occupation, have, hours_per_week=20, max_hours_per_week=20
    )
    half_days = _person(
        HALF_DAYS, km, centre, occupation, have, hours_per_week=20, capacity=Capacity.HALF_DAYS
    )
    CohortMember.objects.create(
        vacancy=vacancy, candidate=twenty, added_by=_member("am.amsterdam").organisation
    )
    errors = _watch_errors(page)

    # The account manager opens the bulk request and its ranked candidates.
    _sign_in(page, base, "am.amsterdam")
    _nav(page).get_by_role("link", name="Plekken").click()
    page.get_by_role("link", name="Bulkaanvragen").click()
    page.get_by_role("table", name="Bulkaanvragen").get_by_role("link", name=BULK_TITLE).click()
    page.wait_for_url(f"**/places/{vacancy.uuid}/**")
    page.get_by_role("link", name="Passende kandidaten zoeken (matching)").click()
    page.wait_for_url(f"**/matching/places/{vacancy.uuid}/candidates/")

    # The full-time colleague is ranked; the two who can carry 20 hours are not.
    names = _ranked_names(page)
    assert " ".join(FULL_TIME) in names, names
    assert " ".join(TWENTY_HOURS) not in names and " ".join(HALF_DAYS) not in names
    _shot(page, "01-bulk-ranked")

    # The cohort member left out of the list has a link: why is she not in it?
    section = page.get_by_role("region", name="Waarom staat iemand niet in de lijst?")
    assert "In het cohort of op de shortlist, maar niet in deze lijst:" in section.inner_text()
    section.get_by_role(
        "link", name=f"Waarom staat {' '.join(TWENTY_HOURS)} niet in de lijst?"
    ).click()
    page.wait_for_url(f"**/matching/places/{vacancy.uuid}/not-ranked/**")
    verdict = page.get_by_role("region", name=" ".join(TWENTY_HOURS))
    text = verdict.inner_text()
    assert "De matching zet deze persoon niet in de lijst voor deze plek" in text, text
    reasons = verdict.locator("ul.reasons li").all_inner_texts()
    assert reasons == [
        "kan 20 uur per week werken; de plek vraagt 38 uur en staat geen deeltijd toe"
    ]
    _shot(page, "02-why-not-twenty-hours")

    # By code: the colleague whose capacity is "half days" (20 hours) is out for the same
    # reason.
    page.get_by_role("link", name="Terug naar de kandidaten").click()
    page.wait_for_url(f"**/matching/places/{vacancy.uuid}/candidates/")
    section = page.get_by_role("region", name="Waarom staat iemand niet in de lijst?")
    section.get_by_label("Code van de werkzoekende").fill(half_days.partner_label)
    section.get_by_role("button", name="Laat zien waarom").click()
    page.wait_for_url(f"**/matching/places/{vacancy.uuid}/not-ranked/?person=*")
    verdict = page.get_by_role("region", name=" ".join(HALF_DAYS))
    reasons = verdict.locator("ul.reasons li").all_inner_texts()
    assert reasons == [
        "kan 20 uur per week werken; de plek vraagt 38 uur en staat geen deeltijd toe"
    ]
    _shot(page, "03-why-not-half-days")

    assert errors == []


def test_a_completed_course_lifts_the_person_for_the_place_whose_gap_it_closed(
    page, live_server, demo_geography, settings
):
    settings.DEMO_MODE = True
    base = live_server.url
    centre, westpoort, occupation, skills = _esco()
    vacancy = _place(PLACE_TITLE, westpoort, occupation, skills, hours_per_week=32, places=3)
    km = _member("km.amsterdam")
    learner = _person(LEARNER, km, centre, occupation, [skills[PICK[0]]])
    _person(AHEAD, km, centre, occupation, [skills[PICK[0]], skills[LIFT[0]]])
    # The school's course teaches the two skills the learner lacks.
    school = actor_for(_member("oa.amsterdam"))
    offer = catalogue.offer_save(
        actor=school,
        data={
            "kind": "mbo",
            "title": COURSE,
            "funding": "regio",
            "postcode": centre,
            "duration_weeks": 4,
            "skills": [skills[LIFT[0]], skills[VOICE[0]]],
        },
    )
    start = timezone.localdate() + timedelta(days=7)
    catalogue.edition_add(
        actor=school, offer=offer, starts_on=start, ends_on=start + timedelta(weeks=4), seats=8
    )
    errors = _watch_errors(page)
    learner_name, ahead_name = " ".join(LEARNER), " ".join(AHEAD)
    ranking = f"{base}/matching/places/{vacancy.uuid}/candidates/"

    # Before: the klantmanager sees the learner second, missing two skills, and the course.
    _sign_in(page, base, "km.amsterdam")
    page.goto(ranking)
    rank_before, score_before = _standing(page, learner_name)
    assert (rank_before, _standing(page, ahead_name)[0]) == (2, 1)
    row = _ranked(page).nth(rank_before - 1)
    assert row.locator("p.rising").count() == 0
    assert "Mist 2 van de 3 essentiële vaardigheden" in row.inner_text()
    _shot(page, "04-before-course")

    # She puts the course on the route from the gap; the school accepts the hand-off.
    row.get_by_role("button", name=f"Op de route zetten {COURSE}").click()
    page.wait_for_url("**/routes/*-*/")
    assert COURSE in _messages(page)
    step = RouteStep.objects.get(route__candidate=learner, offer=offer)
    handoffs.handoff_answer(actor=school, step=step, accept=True)

    # On the route, she records that the course started and was completed.
    page.reload()
    steps = page.get_by_role("table", name="Stappen")
    with page.expect_navigation():
        steps.get_by_role("button", name=f"Gestart {COURSE}").click()
    assert "De stap is gestart." in _messages(page)
    with page.expect_navigation():
        steps.get_by_role("button", name=f"Afgerond {COURSE}").click()
    assert "De stap is afgerond." in _messages(page)
    _shot(page, "05-course-completed")
    assert set(
        CandidateSkill.objects.filter(candidate=learner, source="scholing").values_list(
            "skill__uri", flat=True
        )
    ) == {LIFT[0], VOICE[0]}

    # After: the learner rose above the colleague, and the page says why.
    page.goto(ranking)
    rank_after, score_after = _standing(page, learner_name)
    assert score_after > score_before and rank_after < rank_before, (
        (rank_before, score_before),
        (rank_after, score_after),
    )
    row = _ranked(page).nth(rank_after - 1)
    note = row.locator("p.rising").inner_text()
    today = _dutch_date(timezone.localdate())
    # The skills by their label.
    assert note == (
        f"Stijgt door scholing: {COURSE} afgerond op {today} ({VOICE[1]}, {LIFT[1]})."
    ), note
    assert "Heeft alle essentiële vaardigheden" in row.inner_text()
    _shot(page, "06-after-course")

    assert errors == []
