"""Regression tests for the review of the job-seekers app."""

import pytest
from django.db import connection

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.candidates import import_writer
from perspectief.candidates.models import Candidate
from perspectief.candidates.services.erasure import candidate_erase
from perspectief.candidates.services.journey import candidate_change_status
from perspectief.candidates.services.people import (
    CandidateInput,
    candidate_register,
    candidate_update,
)
from perspectief.core import bsn as bsn_lib
from perspectief.core.tabular import TableError
from perspectief.imports import runner, selectors
from perspectief.imports.models import ImportJob
from perspectief.imports.tasks import import_actor

from ..factories import MembershipFactory, OrganisationFactory

HEADER = "bsn;voornaam;achternaam;geboortedatum;postcode;email;klantnummer"


def _run(organisation, text):
    job = ImportJob.objects.create(
        organisation=organisation, filename="x.csv", content=text.encode(), channel="test"
    )
    runner.run(job, actor=import_actor(organisation, None, channel="test"))
    job.refresh_from_db()
    return job


@pytest.fixture
def gemeente(make_member, world):
    return make_member("klantmanager").organisation


@pytest.mark.django_db
def test_an_erased_person_does_not_come_back_with_a_reimport(gemeente):
    text = f"{HEADER}\n;Kees;Uniek;1980-01-01;1011;kees@x.invalid;K9\n"
    _run(gemeente, text)
    person = Candidate.objects.get()
    actor = actor_for(MembershipFactory(organisation=gemeente, role="klantmanager"))
    candidate_change_status(actor=actor, candidate=person, status="uitgestroomd")
    candidate_erase(actor=actor, candidate=person)
    job = _run(gemeente, text)
    assert job.created == 1 and job.updated == 0  # a new record, the erased one untouched
    person.refresh_from_db()
    assert person.first_name == "—" and person.email == ""
    assert not Candidate.objects.visible_to(actor).filter(pk=person.pk).exists()
    for event in AuditEvent.objects.filter(target_id=str(person.uuid)):
        assert "Uniek" not in repr(event.changes) and "kees@" not in repr(event.changes)


@pytest.mark.django_db
def test_audit_never_holds_names_or_contact_details(actor_as, world):
    actor = actor_as("klantmanager")
    candidate, _ = candidate_register(
        actor=actor,
        data=CandidateInput(first_name="Zeldzaam", last_name="Naamtest", email="z@example.invalid"),
    )
    candidate_update(
        actor=actor,
        candidate=candidate,
        data=CandidateInput(first_name="Anders", last_name="Naamtest"),
    )
    dump = repr(list(AuditEvent.objects.values_list("changes", flat=True)))
    assert "Zeldzaam" not in dump and "Anders" not in dump and "z@example" not in dump
    assert "first_name" in dump  # that it changed is kept


@pytest.mark.django_db
def test_rejected_rows_and_failed_files_keep_no_plain_bsn(gemeente):
    job = _run(gemeente, f"{HEADER}\n111222333;Anna;Jansen;1990-01-01;9999;;\n")
    rejection = job.rejections.get()
    assert "111222333" not in repr(rejection.values)
    assert "111222333" in selectors.rejections_csv(job)  # shown to the organisation
    assert job.content is None
    failed = ImportJob.objects.create(
        organisation=gemeente,
        filename="x.csv",
        content=b"bsn;naam\n111222333;Anna\n",
        channel="test",
    )
    with pytest.raises(TableError):
        runner.run(failed, actor=import_actor(gemeente, None, channel="test"))
    failed.refresh_from_db()
    assert failed.status == "failed" and failed.content is None
    with connection.cursor() as cursor:
        cursor.execute('SELECT "values" FROM imports_importrejection')
        assert "111222333" not in repr(cursor.fetchall())


@pytest.mark.django_db
def test_a_name_alone_never_matches_a_different_person(gemeente):
    _run(gemeente, f"{HEADER}\n;Mohamed;Ali;;;m.ali1@x.invalid;\n")
    job = _run(gemeente, f"{HEADER}\n;Mohamed;Ali;;;mo.other@x.invalid;\n")
    assert job.created == 1
    assert set(Candidate.objects.values_list("email", flat=True)) == {
        "m.ali1@x.invalid",
        "mo.other@x.invalid",
    }


@pytest.mark.django_db
def test_registering_a_known_bsn_with_empty_fields_wipes_nothing(make_member, world, client):
    from django.urls import reverse

    from ..conftest import sign_in

    uwv = MembershipFactory(
        organisation=OrganisationFactory(kind="uwv", municipality=world.amsterdam),
        role="klantmanager",
    )
    candidate_register(
        actor=actor_for(uwv),
        data=CandidateInput(
            first_name="Anna",
            last_name="Jansen",
            bsn="111222333",
            email="anna@x.invalid",
            benefit="ww",
            target_groups=["50plus"],
        ),
    )
    km = make_member("klantmanager")
    sign_in(client, km.user)
    client.post(
        reverse("candidates:create"),
        {"first_name": "Anna", "last_name": "Jansen", "bsn": "111222333"},
    )
    anna = Candidate.objects.get()
    assert anna.email == "anna@x.invalid" and anna.benefit == "ww"
    assert list(anna.target_group_rows.values_list("group", flat=True)) == ["50plus"]
    assert anna.servings.count() == 2


@pytest.mark.django_db
def test_an_import_that_breaks_half_way_is_interrupted_resumes_and_runs_once(gemeente, monkeypatch):
    """Not a problem of the file: the job is interrupted, keeps its file (encrypted) to
    resume, and once done it does not run again (docs/import.md)."""
    original = import_writer.BatchWriter.write

    def broken(self, rows, counts):
        raise RuntimeError("database went away")

    monkeypatch.setattr(import_writer.BatchWriter, "write", broken)
    job = ImportJob.objects.create(
        organisation=gemeente,
        filename="x.csv",
        channel="test",
        content=f"{HEADER}\n;A;B;;;;\n".encode(),
    )
    actor = import_actor(gemeente, None, channel="test")
    with pytest.raises(RuntimeError):
        runner.run(job, actor=actor)
    job.refresh_from_db()
    assert job.status == "interrupted" and job.resumable and job.error
    assert (job.processed_rows, Candidate.objects.count()) == (0, 0)
    monkeypatch.setattr(import_writer.BatchWriter, "write", original)
    runner.run(job, actor=actor)
    job.refresh_from_db()
    assert (job.status, job.created, job.content) == ("done", 1, None)
    with pytest.raises(runner.ImportAlreadyRun):
        runner.run(job, actor=actor)
    assert Candidate.objects.count() == 1


@pytest.mark.django_db
def test_long_client_numbers_and_the_same_person_twice_are_rejected_rows(gemeente):
    _run(gemeente, f"{HEADER}\n;Anna;Jansen;1990-01-01;1011;;K1\n")
    text = (
        f"{HEADER}\n;Bob;Long;;;;{'X' * 60}\n"
        f";Anna;Jansen;1990-01-01;1011;;\n;Anna;Jansen;1990-01-01;1011;;K1\n"
    )
    job = _run(gemeente, text)
    reasons = {r.line: r.reason_nl for r in job.rejections.all()}
    assert "klantnummer" in reasons[2]
    assert "regel 3" in reasons[4]


def test_look_alike_digits_are_the_same_bsn_or_none(settings):
    """Full-width digits are the same BSN (one index, one person); other digit-like
    characters are refused, never a crash."""
    assert bsn_lib.blind_index("１１１２２２３３３") == bsn_lib.blind_index("111222333")
    assert bsn_lib.is_valid("111 222 333")
    for raw in ("11122233²", "١١١٢٢٢٣٣٣", "11122233\u0663"):
        assert bsn_lib.is_valid(raw) in (True, False)
        if bsn_lib.is_valid(raw):
            assert bsn_lib.normalise(raw).isascii()


def test_downloaded_rejections_cannot_carry_formulas():
    from perspectief.core.spreadsheets import safe_cell

    for formula in ('=HYPERLINK("x")', "+1", "-1", "@SUM(A1)"):
        assert safe_cell(formula).startswith("'")
    assert safe_cell("Anna") == "Anna" and safe_cell(None) == ""


# --- issue 14 item 23: names made of invisible characters are no names --------------------

INVISIBLE_NAMES = [
    "\u200b",  # zero-width space
    "\u202e",  # right-to-left override
    "\u200b\u202e\u2066",
    "\u2060\ufeff",  # word joiner, zero-width no-break space
    "Jan\u202enasnaJ",  # a visible name with a direction override inside
    "\u00ad",  # soft hyphen
    "--",  # no letter at all
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", INVISIBLE_NAMES)
def test_the_api_refuses_invisible_names(client_as, name):
    import json

    client, _membership = client_as("klantmanager")
    body = json.dumps({"firstName": name, "lastName": "Jansen"})
    response = client.post("/api/v1/candidates", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["invalidParams"][0]["name"] == "firstName"
    assert not Candidate.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", INVISIBLE_NAMES[:3])
def test_the_form_refuses_invisible_names(client_as, name):
    from django.urls import reverse

    client, _membership = client_as("klantmanager")
    response = client.post(reverse("candidates:create"), {"first_name": "Jan", "last_name": name})
    assert response.status_code == 200
    assert response.context["form"].errors["last_name"]
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_an_import_rejects_invisible_names_in_both_languages(gemeente):
    job = _run(gemeente, f"{HEADER}\n;\u200b\u202e;Jansen;;;;\n;Anna;Jansen;;;;\n")
    rejection = job.rejections.get()
    assert rejection.line == 2
    assert rejection.reason_nl.startswith("voornaam: ")
    assert rejection.reason_en.startswith("voornaam: A name may not contain invisible")
    assert Candidate.objects.get().first_name == "Anna"


@pytest.mark.parametrize("name", ["Anna", "Çelik", "O'Brien-van der Berg", "Nguyễn", "Zoë", "李"])
def test_real_names_pass(name):
    from perspectief.core.validators import validate_person_name

    validate_person_name(name)
