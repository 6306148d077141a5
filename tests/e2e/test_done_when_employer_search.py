"""In Debian's Chromium, the "done when" of the employer's search (issue #18): an employer
types "orderpiker" (a typo) in the anonymous search and gets the region's order pickers,
ranked and explained in words, a page at a time — under its own codes, without names,
scores or target groups.

The ORM arranges what has no page (the demo accounts, a bit of ESCO and the job seekers with
a regional-profile consent) and checks the outcome."""

import re
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone

from perspectief.accounts.models import Membership
from perspectief.candidates.constants import TargetGroup
from perspectief.candidates.models import CandidateTargetGroup
from perspectief.demo.population import create_demo_population
from perspectief.matching.selectors import employer_search
from perspectief.regions.models import Municipality
from perspectief.taxonomy.models import Occupation, OccupationSkill, Skill

from ..factories import CandidateFactory, PostcodeFactory
from .conftest import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ESCO = "http://data.europa.eu/esco/"
ORDERPICKER = (ESCO + "occupation/cd94def5-3442-4c2e-ae3d-0761a3008bcb", "orderpicker")
SKILLS = (
    (ESCO + "skill/ee5e2297-39cc-4ed6-89e5-d58016118a7f", "orders verzamelen"),
    (ESCO + "skill/ab2bb44a-3956-4028-8715-8b70b1960b99", "zware lasten tillen"),
    (ESCO + "skill/28b7d7fb-0483-4877-9aaa-f990f10f16f5", "voice-picking bedienen"),
)
CODE = re.compile(r"K-[A-Z2-9]{4}-[A-Z2-9]{4}")
SHOTS = Path(tempfile.gettempdir()) / "perspectief-e2e-employer-search"
PICKERS = 5  # with pages of 2: three pages


def _arrange():
    create_demo_population()
    amsterdam = Municipality.objects.get(code="GM0363")
    postcode = PostcodeFactory(code="1013", municipality=amsterdam, latitude=52.39, longitude=4.86)
    occupation, _ = Occupation.objects.get_or_create(
        uri=ORDERPICKER[0],
        defaults={"label_nl": ORDERPICKER[1], "alt_labels_nl": "orderverzamelaar"},
    )
    skills = []
    for uri, label in SKILLS:
        skill, _ = Skill.objects.get_or_create(uri=uri, defaults={"label_nl": label})
        OccupationSkill.objects.get_or_create(
            occupation=occupation, skill=skill, defaults={"relation": "essential"}
        )
        skills.append(skill)
    km = Membership.objects.select_related("organisation").get(user__username="km.amsterdam")
    people = []
    for i in range(PICKERS):
        person = CandidateFactory(
            last_name=f"Pickvanderveld{i}",
            served_by=km.organisation,
            regional_consent=True,
            status="werkfit",
            availability_confirmed_at=timezone.now(),
            postcode=postcode,
            max_travel_km=25,
            hours_per_week=32,
        )
        person.occupations.add(occupation)
        for skill in skills[: 3 - i % 3]:
            person.skills.create(skill=skill, source="stated")
        people.append(person)
    CandidateTargetGroup.objects.create(candidate=people[0], group=TargetGroup.LONG_TERM)
    # Someone of another occupation, without the skills: no evidence for this search.
    CandidateFactory(
        last_name="Schoorsteenveger",
        served_by=km.organisation,
        regional_consent=True,
        status="werkfit",
        availability_confirmed_at=timezone.now(),
        postcode=postcode,
    )
    return people


def test_an_employer_finds_order_pickers_with_a_typo_ranked_and_paged(
    page, live_server, demo_geography, monkeypatch
):
    monkeypatch.setattr(employer_search, "PAGE_SIZE", 2)
    people = _arrange()
    base = live_server.url
    sign_in_as(page, base, "wg.westpoort", second_factor=False)
    page.goto(base + "/werkgever/kandidaten/")
    page.get_by_label("Beroep").fill("orderpiker")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "page-1.png"), full_page=True)
    main = page.locator("main")
    text = main.inner_text()
    assert f"{PICKERS} profielen gevonden" in text, text
    assert "orderpicker" in text
    codes = []
    for number in (1, 2, 3):
        cards = main.locator("section.card")
        assert cards.count() == (2 if number < 3 else 1)
        for card in cards.all():
            heading = card.locator("h3").inner_text()
            assert CODE.fullmatch(heading.strip()), heading
            codes.append(heading.strip())
            explained = card.locator("dl.fit").inner_text()
            assert "Beroep" in explained and "past" in explained
        assert f"Pagina {number} van 3" in main.inner_text()
        if number < 3:
            page.get_by_role("link", name="Volgende").click()
            page.wait_for_load_state()
    assert len(set(codes)) == PICKERS
    page_text = page.content()
    for person in people:
        assert person.last_name not in page_text
    assert "Schoorsteenveger" not in page_text
    shown = main.inner_text().lower()
    for secret in ("prioriteit", "doelgroep", "score", "langdurig"):
        assert secret not in shown
