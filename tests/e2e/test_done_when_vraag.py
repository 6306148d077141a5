"""In Debian's Chromium, end to end through the pages: an employer's question reaches the
Werkgeversservicepunt, an account manager takes it, claims the employer, creates a bulk
place with intake phases and proposes job seekers; the klantmanager records one person's
consent to be introduced; an intermediary sees who owns the employer; the employer sees the
proposed people under a code, and by name only the one who agreed (page and CSV).

The ORM only arranges what has no page (the demo population, postcodes, job seekers, an
employer without an owner) and checks the outcome.

Controls are found by their Dutch accessible names (the UI is Dutch first)."""

import csv
import io
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import dateformat, timezone, translation

from perspectief.accounts.models import Membership
from perspectief.candidates.constants import ConsentScope
from perspectief.demo.population import create_demo_population
from perspectief.matching.models import Proposal
from perspectief.organisations.models import EmployerAccount
from perspectief.regions.models import Municipality
from perspectief.vacancies.models import EmployerRequest, Vacancy

from ..factories import CandidateFactory, PostcodeFactory
from .conftest import main_nav as _nav
from .conftest import messages_text as _messages
from .conftest import screenshot
from .conftest import sign_in_as as _sign_in
from .conftest import sign_out as _sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WESTPOORT = "Distributiecentrum Westpoort B.V. (demo)"
PLACE_TITLE = "Orderpicker piekseizoen (bulk)"
CODE = re.compile(r"^K-[A-Z2-9]{4}-[A-Z2-9]{4}$")
# Distinctive last names: whether they appear on an employer's page is what we check.
ANONYMOUS = ("Wendelien", "Quackenbosch")  # proposed, no consent to be introduced
NAMED = ("Sietske", "Tjoelkerveld")  # proposed, agreed to be introduced
NOT_PROPOSED = ("Gerolf", "Brinkhuisjes")  # never proposed


def _arrange():
    create_demo_population()
    amsterdam = Municipality.objects.get(code="GM0363")
    for code in ("1011", "1013"):
        PostcodeFactory(code=code, municipality=amsterdam, place_names="Amsterdam")
    account = EmployerAccount.objects.get(organisation__name=WESTPOORT)
    EmployerAccount.objects.filter(pk=account.pk).update(owner=None, owner_since=None)
    klantmanager = Membership.objects.select_related("organisation", "user").get(
        user__username="km.amsterdam"
    )
    people = {}
    for first, last in (ANONYMOUS, NAMED, NOT_PROPOSED):
        people[last] = CandidateFactory(
            first_name=first,
            last_name=last,
            served_by=klantmanager.organisation,  # Gemeente Amsterdam
            regional_consent=True,
            klantmanager=klantmanager.user,
            status="werkfit",
            availability_confirmed_at=timezone.now(),
        )
    return account, people


def _dutch_date(day) -> str:
    with translation.override("nl"):
        return dateformat.format(day, "j F Y")


def test_employer_question_to_named_introduction(page, live_server, demo_geography, settings):
    settings.DEMO_MODE = True
    base = live_server.url
    account, people = _arrange()
    server_errors = []
    page.on(
        "response",
        lambda r: (
            server_errors.append(f"{r.status} {r.request.method} {r.url}")
            if r.status >= 500
            else None
        ),
    )

    # 1. An anonymous visitor asks the Werkgeversservicepunt for 100 order pickers.
    page.goto(base + "/werkgeversservicepunt/")
    shown = time.monotonic()
    assert page.get_by_role("heading", level=1).inner_text() == "Vraag het Werkgeversservicepunt"
    page.get_by_label("Bedrijfsnaam").fill("Distributiecentrum Westpoort")
    page.get_by_label("KvK-nummer").fill(account.kvk_number)
    page.get_by_label("Uw naam").fill("Erik Visser")
    page.get_by_label("E-mailadres").fill("erik.visser@westpoort.example")
    page.get_by_label("Telefoonnummer").fill("020 123 4567")
    page.get_by_label("Postcode van uw bedrijf").fill("1013 AB")
    page.get_by_label("Wat kunnen we voor u doen?").fill(
        "Voor het piekseizoen zoeken wij 100 orderpickers, in drie groepen."
    )
    assert page.locator("input[name=website]").input_value() == ""  # the honeypot stays empty
    screenshot(page, "vraag-01-form")
    time.sleep(max(0.0, 3.5 - (time.monotonic() - shown)))  # a person needs > 3 seconds
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Dank u wel"
    assert "Uw vraag is bij het Werkgeversservicepunt van uw regio" in page.inner_text("main")
    screenshot(page, "vraag-02-thanks")
    request = EmployerRequest.objects.get()
    assert request.employer_id == account.pk
    assert request.assigned_to is None  # the employer has no owner yet
    assert request.region.code == "AM18"

    # 2. The account manager takes the request, claims the employer, creates the place.
    _sign_in(page, base, "am.amsterdam")
    _nav(page).get_by_role("link", name="Vragen van werkgevers").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Vragen van werkgevers"
    row = page.locator("tbody tr", has_text="Distributiecentrum Westpoort")
    assert row.count() == 1
    assert "100 orderpickers" in row.inner_text()
    row.get_by_role("button", name="Oppakken").click()
    page.wait_for_load_state()
    assert "Opgeslagen." in _messages(page)
    row = page.locator("tbody tr", has_text="Distributiecentrum Westpoort")
    assert "Pieter Bakker" in row.inner_text()
    assert "in behandeling" in row.inner_text()
    screenshot(page, "vraag-03-queue-taken")
    request.refresh_from_db()
    assert request.assigned_to.user.username == "am.amsterdam"

    row.get_by_role("link", name=f"werkgeversaccount {WESTPOORT}").click()
    page.wait_for_url(f"**/organisations/employers/{account.uuid}/")
    assert page.get_by_role("heading", level=1).inner_text() == WESTPOORT
    owner = page.locator("dt:text-is('Accounthouder') + dd")
    assert owner.inner_text() == "nog niemand"
    page.get_by_role("button", name="Word accounthouder").click()
    page.wait_for_load_state()
    assert "Je bent nu de accounthouder." in _messages(page)
    assert owner.inner_text().startswith("Pieter Bakker")
    screenshot(page, "vraag-04-employer-claimed")
    account.refresh_from_db()
    assert account.owner.user.username == "am.amsterdam"

    _nav(page).get_by_role("link", name="Plekken").click()
    page.get_by_role("link", name="Nieuwe plek").click()
    page.get_by_label("Werkgever").select_option(label=WESTPOORT)
    page.get_by_label("Titel").fill(PLACE_TITLE)
    page.get_by_label("Soort plek").select_option(label="reguliere baan")
    page.get_by_label("Aantal plekken").fill("100")
    page.get_by_label("Uren per week", exact=True).fill("32")
    page.get_by_label("Contract").select_option(label="tijdelijk")
    page.get_by_label("Locatie (postcode)").fill("1013")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(re.compile(r".*/places/[0-9a-f-]{36}/$"))
    assert "Opgeslagen." in _messages(page)
    assert page.get_by_role("heading", level=1).inner_text() == PLACE_TITLE
    vacancy = Vacancy.objects.get(title=PLACE_TITLE)
    assert (vacancy.employer_id, vacancy.places, vacancy.status) == (account.pk, 100, "draft")
    page.get_by_role("button", name="Plek openzetten").click()
    page.wait_for_load_state()
    vacancy.refresh_from_db()
    assert vacancy.status == "open"

    # Three intake phases ("instroommomenten") of 40, 30 and 30 places.
    assert page.get_by_role("heading", name="Instroommomenten").is_visible()
    today = timezone.localdate()
    phases = [(today + timedelta(days=d), n) for d, n in ((30, 40), (60, 30), (90, 30))]

    def add_phase(day, places):
        page.get_by_label("Instroomdatum").fill(day.isoformat())
        page.locator("#phase-places").fill(str(places))
        page.get_by_role("button", name="Instroommoment toevoegen").click()
        page.wait_for_load_state()

    for day, places in phases:
        add_phase(day, places)
        assert "Instroommoment toegevoegd." in _messages(page)
    table = page.get_by_role("table", name="Instroommomenten")
    rows = [
        [cell.strip() for cell in r.locator("td").all_inner_texts()]
        for r in table.locator("tbody tr").all()
    ]
    assert [r[:3] for r in rows] == [
        [_dutch_date(phases[0][0]), "40", "40"],
        [_dutch_date(phases[1][0]), "30", "70"],
        [_dutch_date(phases[2][0]), "30", "100"],
    ]
    # A fourth phase would ask 101 people of a 100-place request: refused, with a reason.
    add_phase(today + timedelta(days=120), 1)
    error = page.locator(".message--error")
    assert error.count() == 1
    assert "De instroommomenten zouden 101 mensen vragen, de plek heeft er 100." in (
        error.inner_text()
    )
    assert vacancy.phases.count() == 3
    screenshot(page, "vraag-05-place-phases")

    # 3. The account manager proposes two of the job seekers from their pages.
    for first, last in (ANONYMOUS, NAMED):
        _nav(page).get_by_role("link", name="Werkzoekenden").click()
        page.get_by_role("link", name=f"{last}, {first}").click()
        page.wait_for_url(f"**/candidates/{people[last].uuid}/")
        assert page.get_by_role("heading", name="Voorstellen voor een plek").is_visible()
        page.get_by_label("Plek", exact=True).select_option(str(vacancy.uuid))
        page.get_by_role("button", name="Voorstellen aan de werkgever").click()
        page.wait_for_load_state()
        assert f"Voorgesteld voor {PLACE_TITLE}. De werkgever ziet een anoniem profiel." in (
            _messages(page)
        )
    screenshot(page, "vraag-06-proposed")
    assert set(
        Proposal.objects.filter(vacancy=vacancy).values_list("candidate__last_name", flat=True)
    ) == {ANONYMOUS[1], NAMED[1]}
    _sign_out(page)

    # 4. The klantmanager records that one person agrees to be introduced.
    _sign_in(page, base, "km.amsterdam")
    _nav(page).get_by_role("link", name="Werkzoekenden").click()
    page.get_by_role("link", name=f"{NAMED[1]}, {NAMED[0]}").click()
    proposals = page.get_by_role("table", name="Voorstellen")
    proposal_row = proposals.locator("tbody tr", has_text=PLACE_TITLE)
    assert proposal_row.locator("td").nth(3).inner_text() == "nee"  # introduced by name
    proposal_row.get_by_label("Hoe de persoon toestemming gaf").select_option(label="telefonisch")
    proposal_row.get_by_role("button", name="De persoon wil kennismaken").click()
    page.wait_for_load_state()
    assert "Vastgelegd: de werkgever ziet nu de naam en contactgegevens" in _messages(page)
    assert proposal_row.locator("td").nth(3).inner_text() == "ja"
    screenshot(page, "vraag-07-introduction-recorded")
    assert (
        people[NAMED[1]]
        .consents.active(ConsentScope.INTRODUCTION)
        .filter(employer=account)
        .exists()
    )
    assert not people[ANONYMOUS[1]].consents.active(ConsentScope.INTRODUCTION).exists()
    _sign_out(page)

    # 5. An intermediary sees who is the employer's single point of contact.
    _sign_in(page, base, "ih.twee.regios")
    assert "Jobhunters Groot Amsterdam" in page.locator(".context-bar").inner_text()
    _nav(page).get_by_role("link", name="Werkgevers", exact=True).click()
    page.get_by_role("link", name=WESTPOORT).click()
    assert (
        page.locator("dt:text-is('Accounthouder') + dd")
        .inner_text()
        .startswith("Pieter Bakker (accountmanager WSP, Gemeente Amsterdam)")
    )
    assert "Pieter Bakker is het vaste aanspreekpunt van deze werkgever" in page.inner_text("main")
    assert page.get_by_role("button", name="Word accounthouder").count() == 0
    screenshot(page, "vraag-08-intermediary-sees-owner")
    _sign_out(page)

    # 6. The employer sees its places and the proposed people: codes, one name.
    _sign_in(page, base, "wg.westpoort", second_factor=False)
    _nav(page).get_by_role("link", name="Kandidaten voor ons").click()
    page.wait_for_url(base + "/werkgever/")
    assert page.get_by_role("heading", level=1).inner_text() == WESTPOORT
    assert "Uw contactpersoon bij het Werkgeversservicepunt: Pieter Bakker" in page.inner_text(
        "main"
    )
    place_row = page.get_by_role("table", name="Onze plekken").locator(
        "tbody tr", has_text=PLACE_TITLE
    )
    assert place_row.count() == 1
    cells = place_row.locator("td").all_inner_texts()
    assert cells[2].strip() == "100 / 100"  # open / places
    assert cells[3].strip() == "3"  # intake phases
    screenshot(page, "vraag-09-employer-home")
    place_row.get_by_role("link", name="2 kandidaten").click()
    page.wait_for_url(f"**/werkgever/plaatsen/{vacancy.uuid}/")
    cards = page.locator("section.card")
    assert cards.count() == 2
    headings = [h.strip() for h in cards.locator("h2").all_inner_texts()]
    anonymous = [h for h in headings if CODE.match(h)]
    named = [h for h in headings if h.startswith(" ".join(NAMED))]
    assert len(anonymous) == 1 and len(named) == 1, headings
    anonymous_card = cards.filter(has=page.get_by_role("heading", name=anonymous[0], exact=True))
    assert "Anoniem tot de persoon met u wil kennismaken." in anonymous_card.inner_text()
    code_named = re.search(r"\((K-[A-Z2-9]{4}-[A-Z2-9]{4})\)$", named[0])
    assert code_named, named[0]
    html = page.content()
    assert ANONYMOUS[1] not in html and ANONYMOUS[0] not in html
    assert NOT_PROPOSED[1] not in html
    assert " ".join(NAMED) in html
    screenshot(page, "vraag-10-employer-candidates")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Downloaden als CSV").click()
    download = download_info.value
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert len(data) == 2
    assert {r[0] for r in data} == {anonymous[0], code_named[1]}
    name_column = header.index("Naam")
    by_code = {r[0]: r for r in data}
    assert by_code[anonymous[0]][name_column] == ""
    assert by_code[code_named[1]][name_column] == " ".join(NAMED)
    assert ANONYMOUS[1] not in text and ANONYMOUS[0] not in text
    assert NOT_PROPOSED[1] not in text

    assert server_errors == []
