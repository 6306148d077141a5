"""Bulk import of job seekers: every row validated, rejected rows kept with line and reason,
idempotent re-import, one person once, atomic batches, CSV and XLSX, CLI and web."""

import io
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from perspectief.audit import access
from perspectief.audit.models import AccessRecord, AuditEvent
from perspectief.candidates import import_writer
from perspectief.candidates.models import Candidate
from perspectief.core.tabular import TableError, read_table
from perspectief.imports import runner
from perspectief.imports.models import ImportJob
from perspectief.imports.tasks import import_actor
from perspectief.taxonomy.models import EducationLevel

from ..conftest import sign_in
from ..factories import OrganisationFactory

HEADER = (
    "bsn,voornaam,achternaam,geboortedatum,postcode,email,telefoon,uitkering,"
    "uren_per_week,opleidingsniveau,rijbewijs,beroep,vaardigheden"
)
GOOD = [
    "111222333,Anna,Jansen,1990-03-15,1011 AB,anna@example.invalid,0612345678,bijstand,24,"
    "MBO2,ja,orderpicker,operate forklift",
    ",Bram,de Vries,15-04-1985,3011,,,WW,32,mbo2,nee,,",
    "123456782,Chantal,Bakker,,1011,,,geen,,,,,",
]
BAD = [
    "123456789,Dirk,Smit,1990-01-01,1011,,,bijstand,20,,,,",  # elfproef
    ",Eva,,1990-01-01,1011,,,,,,,,",  # no last name
    ",Fons,Dekker,31-02-1990,9999,,,vakantiegeld,70,MBO9,misschien,astronaut,",  # many errors
    "111222333,Anna,Jansen,1990-03-15,1011,,,,,,,,",  # same person as line 2
]


@pytest.fixture
def levels(db):
    EducationLevel.objects.create(
        code="MBO2",
        name="mbo niveau 2",
        school_type="mbo",
        nlqf="2",
        eqf=2,
        cbs_level="middelbaar",
        startkwalificatie=True,
        rank=5,
    )


def _csv(rows, header=HEADER, delimiter=","):
    text = "\n".join([header, *rows]) + "\n"
    return text.replace(",", delimiter).encode()


def _run(organisation, content, filename="klanten.csv", **kwargs):
    job = ImportJob.objects.create(
        organisation=organisation, filename=filename, content=content, channel="test", **kwargs
    )
    runner.run(job, actor=import_actor(organisation, None, channel="test"))
    job.refresh_from_db()
    return job


@pytest.fixture
def gemeente(make_member, world, levels):
    return make_member("klantmanager").organisation


@pytest.mark.django_db
def test_mixed_file_imports_the_good_rows_and_keeps_every_rejected_row(gemeente):
    job = _run(gemeente, _csv(GOOD + BAD))
    assert (job.created, job.updated, job.unchanged, job.rejected) == (3, 0, 0, 4)
    rejected = {r.line: r for r in job.rejections.all()}
    assert set(rejected) == {5, 6, 7, 8}
    assert "elfproef" in rejected[5].reason_nl and "elfproef" in rejected[5].reason_en
    assert "achternaam: verplicht" in rejected[6].reason_nl
    reasons = rejected[7].reason_nl
    for part in (
        "geboortedatum",
        "postcode",
        "uitkering",
        "uren_per_week",
        "opleidingsniveau",
        "rijbewijs",
        "beroep",
    ):
        assert part in reasons, part
    assert "regel 2" in rejected[8].reason_nl
    assert rejected[7].values["voornaam"] == "Fons"  # the values are kept to correct
    anna = Candidate.objects.get(first_name="Anna")
    assert anna.postcode.code == "1011" and anna.hours_per_week == 24
    assert anna.education_level.code == "MBO2" and anna.driving_licence is True
    assert anna.occupations.count() == 1 and anna.skills.count() == 1
    assert anna.completeness > Candidate.objects.get(first_name="Chantal").completeness
    assert AuditEvent.objects.filter(event="candidate.registered").count() == 3
    assert AccessRecord.objects.filter(activity="candidate.import").count() == 3


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(gemeente):
    _run(gemeente, _csv(GOOD))
    snapshot = list(Candidate.objects.order_by("pk").values())
    events = AuditEvent.objects.count()
    job = _run(gemeente, _csv(GOOD))
    assert (job.created, job.updated, job.unchanged) == (0, 0, 3)
    assert list(Candidate.objects.order_by("pk").values()) == snapshot
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_corrected_row_updates_the_person(gemeente):
    _run(gemeente, _csv(GOOD))
    changed = GOOD[1].replace(",32,", ",16,")
    job = _run(gemeente, _csv([changed]))
    assert (job.created, job.updated) == (0, 1)
    assert Candidate.objects.get(first_name="Bram").hours_per_week == 16
    event = AuditEvent.objects.filter(event="candidate.updated").get()
    assert event.changes["hours_per_week"] == [32, 16]


@pytest.mark.django_db
def test_the_same_bsn_from_uwv_is_the_same_person(gemeente, world, levels):
    _run(gemeente, _csv(GOOD[:1]))
    uwv = OrganisationFactory(kind="uwv", municipality=world.amsterdam)
    job = _run(uwv, _csv([GOOD[0].replace(",bijstand,", ",ww,")]))
    assert job.updated == 1 and job.created == 0
    anna = Candidate.objects.get()
    assert {s.organisation_id for s in anna.servings.all()} == {gemeente.pk, uwv.pk}
    assert anna.benefit == "ww"


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_semicolons_and_windows_encoding_are_detected(gemeente, encoding):
    rows = [",Zoë,Müller,1990-01-01,1011,,,,,,,,"]
    content = "\n".join([HEADER.replace(",", ";"), *[r.replace(",", ";") for r in rows]])
    job = _run(gemeente, content.encode(encoding))
    assert job.created == 1
    assert Candidate.objects.get().first_name == "Zoë"


@pytest.mark.django_db
def test_xlsx_with_one_sheet_and_refusal_of_several_sheets(gemeente):
    book = Workbook()
    sheet = book.active
    sheet.title = "klanten"
    sheet.append(HEADER.split(","))
    sheet.append([111222333, "Anna", "Jansen", "1990-03-15", "1011", "", "", "bijstand", 24])
    buffer = io.BytesIO()
    book.save(buffer)
    job = _run(gemeente, buffer.getvalue(), filename="klanten.xlsx")
    assert job.created == 1
    assert Candidate.objects.get().has_bsn
    book.create_sheet("andere")
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(TableError, match="2 tabbladen"):
        _run(gemeente, buffer.getvalue(), filename="klanten.xlsx")
    job = _run(gemeente, buffer.getvalue(), filename="klanten.xlsx", sheet="klanten")
    assert job.unchanged == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "leeg"),
        (b"voornaam;achternaam\n", None),
        (b"naam,adres\nAnna,Dam 1\n", "verplichte kolom ontbreekt: voornaam, achternaam"),
        (b"\xff\xfe\x00\x00garbage", None),
    ],
)
def test_file_level_problems_load_nothing(gemeente, content, message):
    try:
        job = _run(gemeente, content)
    except TableError as exc:
        if message:
            assert message in str(exc)
        assert not Candidate.objects.exists()
        assert ImportJob.objects.get().status == "failed"
    else:
        assert job.created == 0 and not Candidate.objects.exists()


@pytest.mark.django_db
def test_a_failure_half_way_leaves_whole_rows_and_a_clean_rerun(gemeente, monkeypatch):
    rows = [f",Persoon{i},Achternaam{i},1990-01-01,1011,,,,,,,," for i in range(25)]
    monkeypatch.setattr(runner, "BATCH_SIZE", 10)
    calls = {"n": 0}
    original = import_writer.BatchWriter.write

    def crash_on_third_batch(self, parsed, counts):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("killed")
        return original(self, parsed, counts)

    monkeypatch.setattr(import_writer.BatchWriter, "write", crash_on_third_batch)
    with pytest.raises(RuntimeError):
        _run(gemeente, _csv(rows))
    assert Candidate.objects.count() == 20  # two whole batches, nothing of the third
    for candidate in Candidate.objects.all():
        assert candidate.servings.count() == 1  # every written row is whole
    monkeypatch.setattr(import_writer.BatchWriter, "write", original)
    job = _run(gemeente, _csv(rows))
    assert (job.created, job.unchanged) == (5, 20)


@pytest.mark.django_db
def test_cli_json_report(gemeente, tmp_path):
    path = tmp_path / "klanten.csv"
    path.write_bytes(_csv(GOOD + BAD))
    out = StringIO()
    call_command(
        "import",
        "candidates",
        str(path),
        "--organisation",
        "GM0363",
        "--json",
        stdout=out,
        stderr=StringIO(),
    )
    report = json.loads(out.getvalue())
    assert {k: report[k] for k in ("created", "updated", "unchanged", "rejected")} == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 4,
    }
    assert [r["line"] for r in report["rejected_rows"]] == [5, 6, 7, 8]
    assert all(r["reason"] for r in report["rejected_rows"])
    with pytest.raises(CommandError, match=r"onbekende organisatie|unknown organisation"):
        call_command(
            "import",
            "candidates",
            str(path),
            "--organisation",
            "GM9999",
            stdout=StringIO(),
            stderr=StringIO(),
        )


@pytest.mark.django_db
def test_web_upload_result_page_and_rejected_rows_download(
    client, make_member, world, levels, django_capture_on_commit_callbacks
):
    km = make_member("klantmanager")
    sign_in(client, km.user)
    upload = io.BytesIO(_csv(GOOD + BAD))
    upload.name = "klanten.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("candidates:import"), {"file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["job"].rejected == 4
    # The page names the people of the rejected rows: that is audited, as the download is.
    shown = AuditEvent.objects.filter(event="import.rejections_shown")
    assert shown.filter(actor_user=km.user).count() == 1
    download = client.get(reverse("candidates:import-rejections", args=[job.uuid]))
    assert AuditEvent.objects.filter(event="import.rejections_downloaded").count() == 1
    assert download["Content-Type"].startswith("text/csv")
    text = download.content.decode("utf-8-sig")
    assert "reden" in text.splitlines()[0]
    assert len(text.strip().splitlines()) == 5
    # The downloaded file, corrected, imports cleanly.
    fixed = text.replace("123456789", "").replace(";Eva;;", ";Eva;Evers;")
    retry = _run(km.organisation, fixed.encode())
    assert retry.created >= 2


@pytest.mark.django_db
def test_another_organisations_import_is_not_visible(client, make_member, world, levels):
    km = make_member("klantmanager")
    job = _run(km.organisation, _csv(GOOD))
    other = make_member("klantmanager", "AM22")
    sign_in(client, other.user)
    assert client.get(reverse("candidates:import-detail", args=[job.uuid])).status_code == 404
    assert client.get(reverse("candidates:import-rejections", args=[job.uuid])).status_code == 404


def test_read_table_detects_delimiter():
    table = read_table(b"voornaam;achternaam\nAnna;Jansen\n")
    assert table.headers == ["voornaam", "achternaam"]
    assert list(table.rows) == [(2, ["Anna", "Jansen"])]


@pytest.mark.django_db
def test_import_recognises_a_known_person_and_adds_the_bsn(gemeente, world):
    """The same person without, then with a BSN, in the same organisation's files: matched
    by name + date of birth + postcode, the BSN is added; nobody is created twice."""
    _run(gemeente, _csv([",Anna,Jansen,1990-03-15,1011,,,,,,,,"]))
    job = _run(gemeente, _csv(["111222333,Anna,Jansen,15-03-1990,1011 AB,,,ww,,,,,"]))
    assert (job.created, job.updated) == (0, 1)
    assert Candidate.objects.get().has_bsn


@pytest.mark.django_db
def test_rejected_rows_are_kept_to_be_corrected_not_for_ever(client, make_member, world, levels):
    km = make_member("klantmanager")
    old = _run(km.organisation, _csv(GOOD + BAD))
    recent = _run(km.organisation, _csv(GOOD + BAD))
    assert old.rejected == recent.rejected == 4
    # Two days past the 90 (not one): in the two hours around midnight in winter, a moment
    # 91 days back lies in summer time on the local day after.
    ImportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=92))
    out = StringIO()
    call_command("purge_import_rejections", stdout=out)
    assert json.loads(out.getvalue()) == {"deleted": 4}
    old.refresh_from_db()
    assert (old.rejected, old.rejections.count(), recent.rejections.count()) == (4, 0, 4)
    sign_in(client, km.user)
    page = client.get(reverse("candidates:import-detail", args=[old.uuid])).content.decode()
    assert "De afgewezen regels zijn 90 dagen na de import verwijderd" in page
    download = "candidates:import-rejections"
    assert client.get(reverse(download, args=[old.uuid])).status_code == 404
    assert client.get(reverse(download, args=[recent.uuid])).status_code == 200


def _valid_bsns(first: int, count: int) -> list[str]:
    """``count`` BSNs that pass the elfproef, from ``first`` on."""
    found, number = [], first
    while len(found) < count:
        digits = [int(d) for d in f"{number:08d}"]
        last = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if last < 10:
            found.append(f"{number:08d}{last}")
        number += 1
    return found


def _people(first: int, count: int) -> bytes:
    return _csv(
        [
            f"{bsn},Naam{first + i},Achternaam,1990-01-01,1011 AB,,,bijstand,24,MBO2,ja,"
            "orderpicker,operate forklift"
            for i, bsn in enumerate(_valid_bsns(10_000_000 + first * 10, count))
        ]
    )


@pytest.mark.django_db
def test_a_batch_costs_the_same_queries_for_5_rows_as_for_40(gemeente):
    """A batch is written with a fixed number of statements, however many rows it holds
    (a query per row would undo the bulk writing), in a first import and in a re-import."""
    _run(gemeente, _people(900, 3))  # what is read once per process (caches) is read here
    counts = []
    for first, size in ((0, 5), (100, 40)):
        # In the access scope of the command or the task that runs an import.
        with CaptureQueriesContext(connection) as first_import, access.scope(request="t"):
            job = _run(gemeente, _people(first, size))
        assert job.created == size
        with CaptureQueriesContext(connection) as again, access.scope(request="t"):
            job = _run(gemeente, _people(first, size))
        assert job.unchanged == size
        counts.append((len(first_import), len(again)))
    assert counts[0] == counts[1], counts
