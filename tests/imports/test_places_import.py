"""Import of places: the rigour of the job-seeker import (every row validated, rejected rows
kept with line and a reason in Dutch and English, idempotent, nothing half-stored), through
the same service as the form, for the region's employers or an employer's own places."""

import io
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from perspectief.audit.models import AuditEvent
from perspectief.imports import runner
from perspectief.imports.models import ImportJob
from perspectief.imports.tasks import import_actor
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.importers import PlaceImport
from perspectief.vacancies.models import Vacancy, VacancySkill

from ..conftest import sign_in
from ..factories import MembershipFactory, OrganisationFactory

HEADER = (
    "kvk;referentie;titel;soort;beroep;uren_per_week;contract;loon_van;loon_tot;postcode;"
    "aantal_plekken;rijbewijs;startdatum;sluitingsdatum;vaardigheden;vaardigheden_leerbaar;status"
)


def good_rows(kvk):
    return [
        f"{kvk};V-001;Orderpicker;job;orderpicker;32;tijdelijk;14,50;16;1011 AB;12;nee;"
        "2027-03-01;2027-04-15;operate forklift;operate forklift;",
        f"{kvk};V-002;Heftruckchauffeur;leerwerkplek;;36;tijdelijk;;;1011;3;ja;;;;;concept",
        f"{kvk};;Schoonmaker;basisbaan;;24;vast;;;1011;2;;01-04-2027;;;;",
    ]


@pytest.fixture
def employer(world):
    organisation = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    return EmployerAccount.objects.create(organisation=organisation, kvk_number="11112222")


@pytest.fixture
def wsp(make_member):
    return make_member("accountmanager").organisation


def _csv(rows):
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _run(organisation, content, filename="plekken.csv"):
    job = ImportJob.objects.create(
        kind="places", organisation=organisation, filename=filename, content=content
    )
    actor = import_actor(organisation, None, channel="test", permissions=PlaceImport.permissions)
    runner.run(job, actor=actor)
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_places_are_imported_and_a_second_run_changes_nothing(employer, wsp):
    rows = good_rows(employer.kvk_number)
    job = _run(wsp, _csv(rows))
    assert (job.created, job.updated, job.unchanged, job.rejected) == (3, 0, 0, 0)
    picker = Vacancy.objects.get(reference="V-001")
    assert (picker.places, picker.status, str(picker.wage_min)) == (12, "open", "14.50")
    assert picker.occupation.label_nl == "orderpicker"
    skill = VacancySkill.objects.get(vacancy=picker)
    assert skill.relation == "essential" and skill.teachable
    assert Vacancy.objects.get(reference="V-002").status == "draft"
    # Written in bulk, audited as the form does: created, then opened (not the draft).
    created = AuditEvent.objects.filter(event="vacancy.created")
    assert created.count() == 3
    assert created.get(target_id=str(picker.uuid)).changes["places"] == [None, 12]
    opened = AuditEvent.objects.filter(event="vacancy.status_changed")
    assert sorted(e.changes["status"][1] for e in opened) == ["open", "open"]
    again = _run(wsp, _csv(rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    rows[0] = rows[0].replace(";32;", ";36;")
    third = _run(wsp, _csv(rows))
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    assert Vacancy.objects.count() == 3
    assert AuditEvent.objects.filter(event="vacancy.updated").count() == 1


@pytest.mark.django_db
def test_every_bad_row_is_kept_with_its_reasons_and_nothing_half_stored(employer, wsp, world):
    other = EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=world.rotterdam),
        kvk_number="99998888",
    )
    kvk = employer.kvk_number
    rows = [
        "1234;;Kok;job;;32;vast;;;1011;1;;;;;;",  # KvK too short
        f"{kvk};;Kok;job;;32;vast;;;9999;1;;;;;;",  # unknown postcode
        f"{kvk};;Kok;job;;32;vast;;;1011;0;;;;;;",  # zero places
        f"{kvk};;Kok;job;;32;vast;;;1011;-3;;;;;;",  # negative places
        f"{kvk};R1;Kok;job;;32;vast;;;1011;1;;2027-03-01;2027-02-01;;;",  # closes before start
        f"{kvk};;Kok;job;;32;vast;;;1011;1;;;;astronautics;;",  # unknown skill
        f"{other.kvk_number};;Kok;job;;32;vast;;;3011;1;;;;;;",  # another region's employer
        f"{kvk};;Kok;chef;;32;vast;20;10;1011;1;;;;;;",  # unknown type, wage high→low
        f"{kvk};D1;Kok;job;;32;vast;;;1011;1;;;;;;",
        f"{kvk};D1;Kok;job;;32;vast;;;1011;1;;;;;;",  # the same place twice
    ]
    job = _run(wsp, _csv(rows))
    assert (job.created, job.rejected) == (1, 9)
    reasons = {r.line: (r.reason_nl, r.reason_en) for r in job.rejections.all()}
    assert "acht cijfers" in reasons[2][0] and "eight digits" in reasons[2][1]
    assert "onbekende postcode 9999" in reasons[3][0]
    assert "aantal_plekken" in reasons[4][0] and "aantal_plekken" in reasons[5][0]
    # A rule of the service (as in the form), in Dutch and in English; the place not stored.
    assert reasons[6] == (
        "De sluitingsdatum kan niet voor de startdatum liggen.",
        "The closing date cannot be before the start date.",
    )
    assert "vaardigheden: onbekende vaardigheid 'astronautics'" in reasons[7][0]
    assert "vaardigheden: unknown skill 'astronautics'" in reasons[7][1]
    assert "99998888" in reasons[8][0] and "may manage" in reasons[8][1]
    assert "soort" in reasons[9][0]
    assert "regel 10" in reasons[11][0]
    assert Vacancy.objects.count() == 1 and not Vacancy.objects.filter(reference="R1").exists()


@pytest.mark.django_db
def test_an_employer_imports_only_its_own_places(employer, world):
    own_user = MembershipFactory(organisation=employer.organisation, role="werkgever")
    neighbour = EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        kvk_number="55556666",
    )
    rows = [good_rows(employer.kvk_number)[1], good_rows(neighbour.kvk_number)[1]]
    job = _run(own_user.organisation, _csv(rows))
    assert (job.created, job.rejected) == (1, 1)
    assert not Vacancy.objects.filter(employer=neighbour).exists()


@pytest.mark.django_db
def test_xlsx_with_a_kvk_number_that_lost_its_leading_zero(world, wsp):
    account = EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        kvk_number="01234567",
    )
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append([1234567, "X1", "Inpakker", "job", "", 20, "oproep", "", "", "1011", 4])
    buffer = io.BytesIO()
    book.save(buffer)
    job = _run(wsp, buffer.getvalue(), filename="plekken.xlsx")
    assert (job.created, job.rejected) == (1, 0), [r.reason_nl for r in job.rejections.all()]
    assert Vacancy.objects.get(reference="X1").employer == account


@pytest.mark.django_db
def test_web_upload_result_and_rejected_rows_download(
    client, employer, make_member, django_capture_on_commit_callbacks
):
    membership = make_member("accountmanager")
    sign_in(client, membership.user)
    rows = [*good_rows(employer.kvk_number), f"{employer.kvk_number};;Kok;job;;32;vast;;;1011;0"]
    upload = io.BytesIO(_csv(rows))
    upload.name = "plekken.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("vacancies:import"), {"file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.get(kind="places")
    # Who started it is told, with a link to the places import's own page.
    assert [m.to for m in mail.outbox] == [[membership.user.email]]
    assert reverse("vacancies:import-detail", kwargs={"uuid": job.uuid}) in mail.outbox[0].body
    page = client.get(response["Location"]).content.decode()
    assert "Kok" in page and "aantal_plekken" in page
    download = client.get(reverse("vacancies:import-rejections", kwargs={"uuid": job.uuid}))
    text = download.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("kvk;referentie;titel") and "regel;reden" in text
    # A places job is not reachable through the job-seeker import pages.
    other = client.get(reverse("candidates:import-detail", kwargs={"uuid": job.uuid}))
    assert other.status_code in (403, 404)


@pytest.mark.django_db
def test_cli_reports_json(tmp_path, employer, make_member):
    organisation = make_member("accountmanager").organisation
    path = tmp_path / "plekken.csv"
    path.write_bytes(_csv(good_rows(employer.kvk_number)))
    out = StringIO()
    call_command(
        "import",
        "places",
        str(path),
        "--organisation",
        str(organisation.uuid),
        "--json",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert (report["created"], report["rejected"]) == (3, 0)
