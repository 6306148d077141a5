"""In Debian's Chromium, end to end through the pages, the "done when" of the matching
(issue #5): a WSP account manager opens a bulk request of 100 places and sees ranked,
explained candidates from all partners of the region (a gemeente, UWV and an SW-bedrijf:
people with a regional-profile consent); she puts three on the shortlist and proposes them;
the klantmanagers of two of them (the gemeente's and UWV's) record their consent to be
introduced; the employer sees the third under a code only, and records two hires; the hires
count as matches: the people are *geplaatst*, the place's filled count and fill rate go up.

The ORM only arranges what has no page (the demo population, postcodes, a bit of ESCO, the
job seekers and the bulk request with its intake phases) and checks the outcome.

Controls are found by their Dutch accessible names (the UI is Dutch first)."""

import csv
import io
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import dateformat, timezone, translation

from perspectief.accounts.models import Membership
from perspectief.candidates.constants import ConsentScope, JourneyStatus
from perspectief.candidates.models import Consent
from perspectief.demo.population import create_demo_population
from perspectief.matching.constants import ProposalStatus
from perspectief.matching.models import Proposal, ShortlistEntry
from perspectief.organisations.models import EmployerAccount, Organisation
from perspectief.regions.models import Municipality
from perspectief.taxonomy.models import Occupation, Skill
from perspectief.vacancies.models import IntakePhase, OutsideFill, Vacancy, VacancySkill

from ..factories import CandidateFactory, PostcodeFactory
from .conftest import main_nav as _nav
from .conftest import messages_text as _messages
from .conftest import sign_in_as as _sign_in
from .conftest import sign_out as _sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WESTPOORT = "Distributiecentrum Westpoort B.V. (demo)"
PLACE_TITLE = "Orderpicker piekseizoen 2026 (bulk)"
EMPLOYER_CODE = re.compile(r"K-[A-Z2-9]{4}-[A-Z2-9]{4}")
SHOTS = Path(tempfile.gettempdir()) / "perspectief-e2e-matching"

# ESCO "warehouse order picker" and three of its essential skills (real URIs, so that the
# engine's taxonomy knows them), one of which the employer teaches on the job.
ESCO = "http://data.europa.eu/esco/"
OCCUPATION = (ESCO + "occupation/cd94def5-3442-4c2e-ae3d-0761a3008bcb", "orderpicker")
PICK = (ESCO + "skill/ee5e2297-39cc-4ed6-89e5-d58016118a7f", "orders verzamelen")
LIFT = (ESCO + "skill/ab2bb44a-3956-4028-8715-8b70b1960b99", "zware lasten tillen")
VOICE = (ESCO + "skill/28b7d7fb-0483-4877-9aaa-f990f10f16f5", "voice-picking bedienen")
DAMAGE = (ESCO + "skill/f3f15fe4-3e74-4cc2-b0ac-71a330885e3e", "schade aan goederen zien")

# Distinctive names: whether they appear on a page is what we check. (first, last, BSN)
GM_HIRED = ("Sietske", "Tjoelkerveld", "104578361")  # Gemeente Amsterdam, introduced, hired
UWV_HIRED = ("Bram", "Oosterwierde", "238174591")  # UWV, introduced, hired
GM_ANONYMOUS = ("Wendelien", "Quackenbosch", "319465020")  # proposed, never introduced
SW_RANKED = ("Jelmer", "Kniphorst", "472051635")  # SW-bedrijf, ranked, not proposed
UWV_PRIVATE = ("Gerolf", "Brinkhuisjes", "568390143")  # UWV, no regional consent: unseen
EVERYONE = (GM_HIRED, UWV_HIRED, GM_ANONYMOUS, SW_RANKED, UWV_PRIVATE)
NOT_INTRODUCED = (GM_ANONYMOUS, SW_RANKED, UWV_PRIVATE)  # never named to the employer


def _shot(page, name: str) -> None:
    """Screenshots go outside the repository (other engineers work in it)."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _dutch_date(day) -> str:
    with translation.override("nl"):
        return dateformat.format(day, "j F Y")


def _arrange():
    create_demo_population()
    amsterdam = Municipality.objects.get(code="GM0363")
    PostcodeFactory(code="1011", municipality=amsterdam, place_names="Amsterdam")
    westpoort = PostcodeFactory(
        code="1013",
        municipality=amsterdam,
        place_names="Amsterdam",
        latitude=52.39,
        longitude=4.86,
    )
    occupation = Occupation.objects.create(uri=OCCUPATION[0], label_nl=OCCUPATION[1])
    skills = {
        uri: Skill.objects.create(uri=uri, label_nl=label, label_en=label)
        for uri, label in (PICK, LIFT, VOICE, DAMAGE)
    }

    account = EmployerAccount.objects.select_related("owner__user").get(
        organisation__name=WESTPOORT
    )
    assert account.owner.user.username == "am.amsterdam"  # the demo's account holder
    vacancy = Vacancy.objects.create(
        employer=account,
        title=PLACE_TITLE,
        place_type="job",
        occupation=occupation,
        description="Piekseizoen: 100 orderpickers in drie groepen.",
        hours_per_week=32,
        contract="tijdelijk",
        postcode=westpoort,
        places=100,
        status="open",
    )
    for uri, relation, teachable in (
        (PICK[0], "essential", False),
        (LIFT[0], "essential", False),
        (VOICE[0], "essential", True),
        (DAMAGE[0], "optional", False),
    ):
        VacancySkill.objects.create(
            vacancy=vacancy, skill=skills[uri], relation=relation, teachable=teachable
        )
    today = timezone.localdate()
    for days, places in ((30, 40), (60, 30), (90, 30)):
        IntakePhase.objects.create(
            vacancy=vacancy, starts_on=today + timedelta(days=days), places=places
        )

    def klantmanager(username):
        return Membership.objects.select_related("organisation", "user").get(
            user__username=username
        )

    gemeente, uwv = klantmanager("km.amsterdam"), klantmanager("km.uwv.amsterdam")
    sw = Organisation.objects.get(name="Amsterdam Werkt SW (demo)")
    people = {}
    for (first, last, bsn), organisation, km, consent, have in (
        (GM_HIRED, gemeente.organisation, gemeente.user, True, (PICK, LIFT, VOICE, DAMAGE)),
        (UWV_HIRED, uwv.organisation, uwv.user, True, (PICK, LIFT)),
        (GM_ANONYMOUS, gemeente.organisation, gemeente.user, True, (PICK,)),
        (SW_RANKED, sw, None, True, (LIFT,)),
        (UWV_PRIVATE, uwv.organisation, uwv.user, False, (PICK, LIFT, VOICE)),
    ):
        person = CandidateFactory(
            first_name=first,
            last_name=last,
            bsn=bsn,
            email=f"{first.lower()}@example.invalid",
            served_by=organisation,
            regional_consent=consent,
            klantmanager=km,
            status="werkfit",
            availability_confirmed_at=timezone.now(),
            max_travel_km=25,
            hours_per_week=32 if last != SW_RANKED[1] else 20,
        )
        if len(have) >= 2:
            person.occupations.add(occupation)
        for uri, _label in have:
            person.skills.create(skill=skills[uri], source="stated")
        people[last] = person
    return account, vacancy, people


@pytest.fixture
def desk(browser):
    """A second browser, for the klantmanagers and the employer. (The account manager
    stays signed in: signing in twice within one 30-second step would offer a spent
    one-time code.)"""
    context = browser.new_context(locale="nl-NL")
    yield context.new_page()
    context.close()


def _ranked(page):
    return page.locator("ol.ranked > li")


def _ranked_row(page, name: str):
    return _ranked(page).filter(has=page.get_by_role("link", name=name, exact=True))


def _explanation(row) -> tuple[int, dict[str, int], str]:
    """Open a ranked person's explanation: the score, points per criterion, and the gap."""
    summary = row.locator("summary")
    score, most = map(int, re.search(r"score (\d+) van (\d+)", summary.inner_text()).groups())
    summary.click()
    points, maxima = {}, {}
    for item in row.locator("details dt").all_inner_texts():
        label, value = item.rsplit(":", 1)
        got, _van, of = value.split()
        points[label.strip()], maxima[label.strip()] = int(got), int(of)
    # Every criterion out of its maximum; the maxima add up to the score's maximum.
    assert sum(maxima.values()) == most and all(points[k] <= maxima[k] for k in points)
    gap = row.locator("details + p").inner_text()
    return score, points, gap


def _table_rows(table) -> list[list[str]]:
    return [
        [cell.strip() for cell in row.locator("td").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]


def test_bulk_request_matched_shortlisted_proposed_introduced_hired(
    page, desk, live_server, demo_geography, settings
):
    settings.DEMO_MODE = True
    base = live_server.url
    account, vacancy, people = _arrange()
    label = {last: p.partner_label for last, p in people.items()}
    server_errors = []
    for browser_page in (page, desk):
        browser_page.on(
            "response",
            lambda r: (
                server_errors.append(f"{r.status} {r.request.method} {r.url}")
                if r.status >= 500
                else None
            ),
        )
    am = page  # the WSP account manager's browser

    # 1. The WSP account manager opens the bulk request and asks the matching for candidates.
    _sign_in(am, base, "am.amsterdam")
    _nav(am).get_by_role("link", name="Plekken").click()
    am.get_by_role("link", name="Bulkaanvragen").click()
    assert am.get_by_role("heading", level=1).inner_text() == "Bulkaanvragen"
    bulk_row = am.get_by_role("table", name="Bulkaanvragen").locator(
        "tbody tr", has_text=PLACE_TITLE
    )
    cells = [c.strip() for c in bulk_row.locator("td").all_inner_texts()]
    assert cells[1:4] == [WESTPOORT, "100", "0"]  # employer, places, places filled
    bulk_row.get_by_role("link", name=PLACE_TITLE).click()
    am.wait_for_url(f"**/places/{vacancy.uuid}/**")
    assert am.get_by_role("heading", level=1).inner_text() == PLACE_TITLE
    assert am.locator("dt:text-is('Plekken') + dd").inner_text() == "100 van 100 nog open"
    assert len(_table_rows(am.get_by_role("table", name="Instroommomenten"))) == 3
    am.get_by_role("link", name="Passende kandidaten zoeken (matching)").click()
    am.wait_for_url(f"**/matching/places/{vacancy.uuid}/candidates/")
    assert am.get_by_role("heading", level=1).inner_text() == f"Kandidaten voor {PLACE_TITLE}"

    # Ranked, from all partners: the gemeente's own people by name, UWV's and the
    # SW-bedrijf's under a partner label; nobody without a regional-profile consent.
    names = [n.strip() for n in _ranked(am).locator("h2 a").all_inner_texts()]
    assert names[:2] == [" ".join(GM_HIRED[:2]), label[UWV_HIRED[1]]], names
    assert sorted(names[2:]) == sorted([" ".join(GM_ANONYMOUS[:2]), label[SW_RANKED[1]]])
    html = am.content()
    for first, last, bsn in (UWV_HIRED, SW_RANKED, UWV_PRIVATE):
        assert first not in html and last not in html and bsn not in html
    assert label[UWV_PRIVATE[1]] not in html

    # Explained: points per criterion adding up to the score, and the missing skills.
    score, points, gap = _explanation(_ranked_row(am, " ".join(GM_HIRED[:2])))
    assert {"essentiële vaardigheden", "beroep", "afstand", "uren"} <= set(points)
    assert "voorrang (verst van werk)" in points  # shown to an organisation serving the person
    assert abs(sum(points.values()) - score) <= len(points) // 2 + 1
    assert gap == "Heeft alle essentiële vaardigheden (of verwante)."
    score_uwv, points, gap = _explanation(_ranked_row(am, label[UWV_HIRED[1]]))
    assert "voorrang (verst van werk)" not in points  # not for a partner's person
    assert abs(sum(points.values()) - score_uwv) <= len(points) // 2 + 1
    assert 0 < score_uwv < score
    assert re.fullmatch(
        rf"Mist 1 van de \d+ essentiële vaardigheden: {VOICE[1]} "
        r"\(wordt op de werkplek aangeleerd\)",
        gap,
    )
    *_, gap = _explanation(_ranked_row(am, " ".join(GM_ANONYMOUS[:2])))
    assert gap.startswith("Mist 2 van de")
    assert LIFT[1] in gap and VOICE[1] in gap
    _shot(am, "01-ranked-candidates")

    # Where a partner's person comes from: their page names the organisation, not the person.
    _ranked_row(am, label[UWV_HIRED[1]]).get_by_role("link", name=label[UWV_HIRED[1]]).click()
    am.wait_for_url(f"**/candidates/{people[UWV_HIRED[1]].uuid}/")
    assert "regioprofiel" in am.get_by_role("heading", level=1).inner_text()
    contact = am.locator("dt:text-is('Contact via') + dd").inner_text()
    assert contact == "de klantmanager van UWV Groot Amsterdam"
    assert UWV_HIRED[1] not in am.content() and UWV_HIRED[2] not in am.content()
    am.go_back()
    am.wait_for_url(f"**/matching/places/{vacancy.uuid}/candidates/")

    # 2. The shortlist: three people, of two organisations, each with the engine's score.
    shortlisted = (" ".join(GM_HIRED[:2]), label[UWV_HIRED[1]], " ".join(GM_ANONYMOUS[:2]))
    for name in shortlisted:
        _ranked_row(am, name).get_by_role("button", name="Op de shortlist zetten").click()
        am.wait_for_load_state()
        assert f"Op de shortlist van {PLACE_TITLE}." in _messages(am)
        row = _ranked_row(am, name)
        assert "op de shortlist (Gemeente Amsterdam)" in row.locator("h2").inner_text()
        assert row.get_by_role("button", name="Op de shortlist zetten").count() == 0
    assert set(
        ShortlistEntry.objects.filter(vacancy=vacancy).values_list(
            "candidate__last_name", flat=True
        )
    ) == {GM_HIRED[1], UWV_HIRED[1], GM_ANONYMOUS[1]}
    assert not ShortlistEntry.objects.filter(engine_score__isnull=True).exists()

    # 3. The proposals, from the ranking.
    for name in shortlisted:
        _ranked_row(am, name).get_by_role("button", name="Voorstellen aan de werkgever").click()
        am.wait_for_load_state()
        assert f"Voorgesteld voor {PLACE_TITLE}. De werkgever ziet een anoniem profiel." in (
            _messages(am)
        )
    _shot(am, "02-ranked-after-proposals")
    am.get_by_role("link", name="Terug naar de plek").click()
    am.wait_for_url(f"**/places/{vacancy.uuid}/")
    shortlist = _table_rows(am.get_by_role("table", name="Shortlist"))
    assert [r[0] for r in shortlist] == list(shortlisted)  # highest score first
    assert {r[1] for r in shortlist} == {"Gemeente Amsterdam"}
    assert int(shortlist[0][2]) == score and int(shortlist[1][2]) == score_uwv
    proposed = _table_rows(am.get_by_role("table", name="Voorgestelde kandidaten"))
    assert sorted(r[0] for r in proposed) == sorted(shortlisted)
    assert {(r[1], r[2]) for r in proposed} == {("Gemeente Amsterdam", "voorgesteld")}
    _shot(am, "03-place-shortlist-proposals")
    assert Proposal.objects.filter(vacancy=vacancy, status=ProposalStatus.PROPOSED).count() == 3

    # 4. Each person's own klantmanager records the consent to be introduced to Westpoort.
    # (The account manager stays signed in; the others take turns at a second browser.)
    for username, (first, last, _bsn) in (
        ("km.amsterdam", GM_HIRED),
        ("km.uwv.amsterdam", UWV_HIRED),
    ):
        _sign_in(desk, base, username)
        _nav(desk).get_by_role("link", name="Werkzoekenden").click()
        desk.get_by_role("link", name=f"{last}, {first}").click()
        desk.wait_for_url(f"**/candidates/{people[last].uuid}/")
        row = desk.get_by_role("table", name="Voorstellen").locator(
            "tbody tr", has_text=PLACE_TITLE
        )
        assert row.locator("td").nth(3).inner_text() == "nee"  # introduced by name
        row.get_by_label("Hoe de persoon toestemming gaf").select_option(label="telefonisch")
        row.get_by_role("button", name="De persoon wil kennismaken").click()
        desk.wait_for_load_state()
        assert "Vastgelegd: de werkgever ziet nu de naam en contactgegevens" in _messages(desk)
        assert row.locator("td").nth(2).inner_text().startswith("met naam voorgesteld")
        assert row.locator("td").nth(3).inner_text() == "ja"
        if username == "km.uwv.amsterdam":
            # A partner's adviser sees the same shortlist: own people by name, others by label.
            row.get_by_role("link", name=PLACE_TITLE).click()
            desk.wait_for_url(f"**/places/{vacancy.uuid}/")
            names = [r[0] for r in _table_rows(desk.get_by_role("table", name="Shortlist"))]
            assert names == [label[GM_HIRED[1]], " ".join(UWV_HIRED[:2]), label[GM_ANONYMOUS[1]]]
            assert GM_ANONYMOUS[1] not in desk.content()
        _sign_out(desk)
    introduced = Consent.objects.active(ConsentScope.INTRODUCTION).filter(employer=account)
    assert set(introduced.values_list("candidate__last_name", flat=True)) == {
        GM_HIRED[1],
        UWV_HIRED[1],
    }

    # 5. The employer: two people by name, one under a code only; two hires recorded.
    _sign_in(desk, base, "wg.westpoort", second_factor=False)
    _nav(desk).get_by_role("link", name="Kandidaten voor ons").click()
    desk.wait_for_url(base + "/werkgever/")
    place_row = desk.get_by_role("table", name="Onze plekken").locator(
        "tbody tr", has_text=PLACE_TITLE
    )
    assert place_row.locator("td").nth(2).inner_text().strip() == "100 / 100"
    place_row.get_by_role("link", name="3 kandidaten").click()
    desk.wait_for_url(f"**/werkgever/plaatsen/{vacancy.uuid}/")
    cards = desk.locator("section.card")
    assert cards.count() == 3

    def card(name):
        return cards.filter(has=desk.get_by_role("heading", name=name))

    anonymous = [
        h.strip() for h in cards.locator("h2").all_inner_texts() if EMPLOYER_CODE.fullmatch(h)
    ]
    assert len(anonymous) == 1
    assert "Anoniem tot de persoon met u wil kennismaken." in card(anonymous[0]).inner_text()
    assert (
        card(anonymous[0]).get_by_role("button", name="Vastleggen: aangenomen", exact=True).count()
        == 0
    )
    for first, last, _bsn in (GM_HIRED, UWV_HIRED):
        heading = card(f"{first} {last}").locator("h2").inner_text()
        assert EMPLOYER_CODE.search(heading), heading
        assert "wil met u kennismaken" in card(f"{first} {last}").inner_text()

    def never_disclosed():
        html = desk.content()
        for _first, last, bsn in EVERYONE:
            assert bsn not in html
            person = people[last]
            assert _dutch_date(person.date_of_birth) not in html
            assert person.date_of_birth.isoformat() not in html
        for first, last, _bsn in NOT_INTRODUCED:
            assert first not in html and last not in html
            assert people[last].email not in html

    never_disclosed()
    _shot(desk, "04-employer-proposed")

    start = timezone.localdate() + timedelta(days=30)  # the first intake
    for first, last, _bsn in (GM_HIRED, UWV_HIRED):
        # First the interview: the employer invites the person it may now meet by name.
        card(f"{first} {last}").get_by_role(
            "button", name="We nodigen de persoon uit voor een gesprek"
        ).click()
        desk.wait_for_load_state()
        hired = card(f"{first} {last}")
        assert hired.locator(".badge").first.inner_text() == "sollicitatiegesprek"
        hired.get_by_label("Begint op").fill(start.isoformat())
        hired.get_by_label("Contract").select_option(label="tijdelijk")
        hired.get_by_role("button", name="Vastleggen: aangenomen", exact=True).click()
        desk.wait_for_load_state()
        assert "Dank u. Uw contactpersoon bij het Werkgeversservicepunt weet het nu." in (
            _messages(desk)
        )
        hired = card(f"{first} {last}")
        assert "aangenomen" in hired.locator(".badge").first.inner_text()
        assert f"Begint op {_dutch_date(start)} (tijdelijk)." in hired.inner_text()
        assert hired.get_by_role("button", name="Vastleggen: aangenomen", exact=True).count() == 0
    never_disclosed()
    _shot(desk, "05-employer-hired")
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Downloaden als CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    name_column = rows[0].index("Naam")
    assert sorted(r[name_column] for r in rows[1:]) == [
        "",
        " ".join(UWV_HIRED[:2]),
        " ".join(GM_HIRED[:2]),
    ]
    for first, last, bsn in EVERYONE:
        assert bsn not in text
        if (first, last, bsn) in NOT_INTRODUCED:
            assert first not in text and last not in text
    desk.get_by_role("link", name="Terug naar kandidaten voor ons").click()
    desk.wait_for_url(base + "/werkgever/")
    assert place_row.locator("td").nth(2).inner_text().strip() == "98 / 100"
    _sign_out(desk)

    # The hires count as matches: placed people, filled places, a point of the fill rate.
    by_person = {
        p.candidate.last_name: p
        for p in Proposal.objects.filter(vacancy=vacancy).select_related("candidate")
    }
    for last in (GM_HIRED[1], UWV_HIRED[1]):
        proposal = by_person[last]
        assert proposal.status == ProposalStatus.HIRED
        assert (proposal.start_date, proposal.contract) == (start, "tijdelijk")
        assert proposal.candidate.status == JourneyStatus.PLACED
    assert by_person[GM_ANONYMOUS[1]].status == ProposalStatus.PROPOSED
    assert by_person[GM_ANONYMOUS[1]].candidate.status == JourneyStatus.WORK_READY
    vacancy.refresh_from_db()
    assert (vacancy.places_filled, vacancy.places_open, vacancy.status) == (2, 98, "open")
    assert not OutsideFill.objects.filter(vacancy=vacancy).exists()  # both via the platform

    # 6. The account manager sees it on the place: filled, fill rate, placed people.
    _nav(am).get_by_role("link", name="Plekken").click()
    am.get_by_role("link", name="Bulkaanvragen").click()
    bulk_row = am.get_by_role("table", name="Bulkaanvragen").locator(
        "tbody tr", has_text=PLACE_TITLE
    )
    assert bulk_row.locator("td").nth(3).inner_text().strip() == "2"
    bulk_row.get_by_role("link", name=PLACE_TITLE).click()
    am.wait_for_url(f"**/places/{vacancy.uuid}/**")
    assert am.locator("dt:text-is('Plekken') + dd").inner_text() == "98 van 100 nog open"
    assert am.get_by_role("heading", name="Vulgraad in de tijd").is_visible()
    fill = _table_rows(am.get_by_role("table", name="Vulgraad in de tijd"))
    # Dated by the start of work (the first intake: 40 planned by then): via the platform
    # 2, outside 0, filled 2.
    assert fill[0] == [_dutch_date(start), "40", "2", "0", "2", "2%"]
    # Both hires start before the first intake moment: they count there as started.
    first_intake = _table_rows(am.get_by_role("table", name="Instroommomenten"))[0]
    assert first_intake[1:7] == ["40", "40", "0", "0", "2", "38"], first_intake
    proposed = {
        r[0]: r[2] for r in _table_rows(am.get_by_role("table", name="Voorgestelde kandidaten"))
    }
    assert proposed == {
        " ".join(GM_HIRED[:2]): "aangenomen",
        label[UWV_HIRED[1]]: "aangenomen",
        " ".join(GM_ANONYMOUS[:2]): "voorgesteld",
    }
    _shot(am, "06-place-filled")
    am.get_by_role("link", name=" ".join(GM_HIRED[:2])).first.click()
    am.wait_for_url(f"**/candidates/{people[GM_HIRED[1]].uuid}/**")
    assert am.locator("h1 + p").inner_text().startswith("geplaatst")
    # Placed people are no longer offered by the matching.
    am.goto(f"{base}/matching/places/{vacancy.uuid}/candidates/")
    names = [n.strip() for n in _ranked(am).locator("h2 a").all_inner_texts()]
    assert sorted(names) == sorted([" ".join(GM_ANONYMOUS[:2]), label[SW_RANKED[1]]])

    assert server_errors == []
