"""In Debian's Chromium, end to end through the pages (issue #14 item 7, "Done when"): the
functioneel beheerder answers a request for access. A klantmanager opens a person's record;
the functioneel beheerder of the region finds the person by BSN — sent with POST, so the BSN
is in no URL —, filters the log, exports it as CSV and opens the readable overview for the
person; the search and the export are themselves in the access log.

The ORM only arranges what has no page (the demo population, the person) and checks the
outcome. Controls are found by their Dutch accessible names."""

import csv
import io
import tempfile
from pathlib import Path

import pytest

from perspectief.accounts.models import Membership
from perspectief.audit.constants import ProcessingActivity, SubjectType
from perspectief.audit.models import AccessRecord
from perspectief.demo.population import create_demo_population

from ..factories import CandidateFactory
from .conftest import main_nav as _nav
from .conftest import sign_in_as as _sign_in
from .conftest import sign_out as _sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "perspectief-e2e-access-log"
BSN = "104578361"
PERSON = ("Ilse", "Vredenburgh")


def _shot(page, name: str) -> None:
    """Screenshots go outside the repository (other engineers work in it)."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_functioneel_beheerder_finds_a_persons_log_by_bsn_and_exports_it(
    page, live_server, demo_geography, settings
):
    settings.DEMO_MODE = True
    base = live_server.url
    create_demo_population()
    km = Membership.objects.select_related("organisation", "user").get(
        user__username="km.amsterdam"
    )
    person = CandidateFactory(
        first_name=PERSON[0],
        last_name=PERSON[1],
        bsn=BSN,
        served_by=km.organisation,
        klantmanager=km.user,
    )
    urls = []
    page.on("request", lambda r: urls.append(r.url))

    # 1. The klantmanager opens the person's record: a processing for the legal task.
    _sign_in(page, base, "km.amsterdam")
    page.goto(f"{base}/candidates/{person.uuid}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith(PERSON[0])
    _sign_out(page)

    # 2. The functioneel beheerder finds the person by BSN.
    _sign_in(page, base, "fb.amsterdam")
    _nav(page).get_by_role("link", name="Verwerkingslog").click()
    page.get_by_label("BSN").fill("1045.78.361")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state()
    heading = page.get_by_role("heading", name=f"Verwerkingen van {PERSON[0]} {PERSON[1]}")
    assert heading.is_visible()
    _shot(page, "01-found-by-bsn")
    log = page.get_by_role("table").filter(has_text="verwerking")
    assert km.organisation.name in log.inner_text()
    assert "Werkzoekende begeleiden (wettelijke taak" in log.inner_text()

    # 3. Filtered on the klantmanager's organisation, exported as CSV.
    page.get_by_label("Organisatie").select_option(label=km.organisation.name)
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_load_state()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporteren (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("verwerkingen-")
    rows = list(
        csv.reader(io.StringIO(Path(download.path()).read_text("utf-8-sig")), delimiter=";")
    )
    assert rows[0][:4] == ["Tijd", "Verwerkingsactiviteit", "Handeling", "Organisatie"]
    assert len(rows) >= 2
    assert {row[3] for row in rows[1:]} == {km.organisation.name}
    assert "km.amsterdam" in {row[5] for row in rows[1:]}

    # 4. The readable overview for the person, in words.
    page.get_by_role("link", name="Overzicht voor de persoon").click()
    page.wait_for_load_state()
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Overzicht van de verwerking van persoonsgegevens"
    )
    text = page.inner_text("main")
    assert f"Voor: {PERSON[0]} {PERSON[1]}" in text
    assert "begeleiding naar werk" in text and km.organisation.name in text
    assert "candidate.service" not in text
    _shot(page, "02-overview")

    # No URL the browser asked for held the BSN; the search and the export are logged.
    assert not [u for u in urls if BSN in u.replace(".", "")]
    log = AccessRecord.objects.for_subject(SubjectType.CANDIDATE, person.uuid).filter(
        activity=ProcessingActivity.ACCESS_LOG_INSPECT
    )
    officer = Membership.objects.get(user__username="fb.amsterdam").user
    assert log.filter(request="POST /access-log/", actor_user_id=officer.pk).exists()
    assert log.filter(
        request="GET /access-log/export/", operation="export", actor_user_id=officer.pk
    ).exists()
    assert not AccessRecord.objects.filter(request__contains=BSN).exists()
