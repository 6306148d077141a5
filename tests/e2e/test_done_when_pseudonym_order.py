"""In Debian's Chromium, the "done when" of issue #14 item 6: a partner's person list in
pseudonyms reveals no order by surname. The gemeente shares eight regional profiles whose
surnames run exactly against the order of their codes; the intermediary of the region sees
them by code, in the order of the codes, can find one by its code, and a search for a
surname finds nothing. The gemeente's klantmanager sees the same people by name, A to Z.

The ORM only arranges what has no page (the demo population, a postcode, the people).
Controls are found by their Dutch accessible names (the UI is Dutch first)."""

import re

import pytest
from django.utils import timezone

from perspectief.accounts.models import Membership
from perspectief.demo.population import create_demo_population
from perspectief.regions.models import Municipality

from ..factories import CandidateFactory, PostcodeFactory
from .conftest import main_nav as _nav
from .conftest import screenshot
from .conftest import sign_in_as as _sign_in
from .conftest import sign_out as _sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = re.compile(r"K-[0-9A-F]{6}")
SURNAMES = ["Aalts", "Bakker", "Claassen", "Dekker", "Evers", "Flipse", "Gerritsen", "Hendriks"]


def _arrange() -> list[str]:
    create_demo_population()
    amsterdam = Municipality.objects.get(code="GM0363")
    PostcodeFactory(code="1011", municipality=amsterdam, place_names="Amsterdam")
    km = Membership.objects.select_related("organisation").get(user__username="km.amsterdam")
    people = [
        CandidateFactory(
            served_by=km.organisation,
            regional_consent=True,
            status="werkfit",
            availability_confirmed_at=timezone.now(),
        )
        for _ in SURNAMES
    ]
    people.sort(key=lambda c: c.partner_label, reverse=True)  # Aalts gets the last code
    for surname, person in zip(SURNAMES, people, strict=True):
        person.last_name = surname
        person.save()
    return [p.partner_label for p in people]


def _first_cells(page) -> list[str]:
    return [cell.strip() for cell in page.locator("tbody tr td:first-child").all_inner_texts()]


def _filter(page, term):
    page.get_by_label("Naam of code").fill(term)
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_load_state()


def test_partner_person_list_in_pseudonyms_reveals_no_order_by_surname(
    page, live_server, demo_geography, settings
):
    settings.DEMO_MODE = True
    base = live_server.url
    codes_by_surname = _arrange()

    # The intermediary of the region sees the shared profiles by code, in code order.
    _sign_in(page, base, "ih.amsterdam")
    _nav(page).get_by_role("link", name="Werkzoekenden").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Werkzoekenden"
    cells = _first_cells(page)
    codes = [CODE.search(cell).group(0) for cell in cells]
    assert all("regioprofiel" in cell for cell in cells)
    assert sorted(codes) == sorted(codes_by_surname)
    assert codes == sorted(codes)
    assert codes[0] != codes_by_surname[0]  # not the code of "Aalts"
    body = page.inner_text("main")
    for surname in SURNAMES:
        assert surname not in body
    screenshot(page, "pseudonym-order-01-partner-list")

    # A surname finds nothing; a code finds its profile.
    _filter(page, "Aalts")
    assert _first_cells(page) == ["Geen werkzoekenden gevonden."]
    _filter(page, codes_by_surname[0].lower())
    assert [CODE.search(c).group(0) for c in _first_cells(page)] == [codes_by_surname[0]]
    screenshot(page, "pseudonym-order-02-partner-search")
    _sign_out(page)

    # The gemeente that serves them sees the names, A to Z.
    _sign_in(page, base, "km.amsterdam")
    _nav(page).get_by_role("link", name="Werkzoekenden").click()
    page.wait_for_load_state()
    surnames = [cell.split(",")[0] for cell in _first_cells(page)]
    assert surnames == SURNAMES
