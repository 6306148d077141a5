"""Messages for imports and the person form say what is actually wrong (#14 item 12): a short
BSN is too short, not "fails the elfproef"; a file that is no Excel workbook says so instead of
``BadZipFile``; a failed import shows no full progress bar at "0 of 0"; a date of birth in the
future is in the future, not "−73 years"; an availability date of 1900 is refused."""

import datetime
import io
import os
import zipfile

import pytest
from django.urls import reverse

from perspectief.candidates.models import Candidate
from perspectief.imports import runner
from perspectief.imports.models import ImportJob

from .conftest import sign_in

HEADER = "bsn,voornaam,achternaam,geboortedatum,postcode,beschikbaar_vanaf"


def _import(organisation, content, filename="klanten.csv"):
    from perspectief.imports.tasks import import_actor

    job = ImportJob.objects.create(
        organisation=organisation, filename=filename, content=content, channel="test"
    )
    try:
        runner.run(job, actor=import_actor(organisation, None, channel="test"))
    except Exception:  # a file that cannot be read fails the job; the job says why
        pass
    job.refresh_from_db()
    return job


def _reasons(organisation, *rows):
    job = _import(organisation, "\n".join([HEADER, *rows]).encode())
    return {r.line: (r.reason_nl, r.reason_en) for r in job.rejections.all()}


@pytest.fixture
def gemeente(make_member, world):
    return make_member("klantmanager").organisation


@pytest.mark.django_db
def test_a_bsn_is_refused_for_what_is_wrong_with_it(gemeente):
    reasons = _reasons(
        gemeente,
        "1234,Anna,Jansen,,,",
        "12345678901,Bram,Vos,,,",
        "12345678a,Cas,Smit,,,",
        "123456789,Dirk,Bos,,,",
    )
    short_nl, short_en = reasons[2]
    assert "9 cijfers" in short_nl and "4" in short_nl and "elfproef" not in short_nl
    assert "9 digits" in short_en
    assert "9 cijfers" in reasons[3][0] and "11" in reasons[3][0]
    assert "alleen uit cijfers" in reasons[4][0] and "elfproef" not in reasons[4][0]
    assert "elfproef" in reasons[5][0]
    # No reason repeats the number itself: rejected rows keep the BSN only encrypted.
    assert not any("1234" in nl for nl, _en in reasons.values())


@pytest.mark.django_db
def test_dates_out_of_bounds_are_named_in_the_import(gemeente):
    today = datetime.date.today()
    reasons = _reasons(
        gemeente,
        ",Anna,Jansen,2099-01-01,,",
        ",Bram,Vos,,,1900-01-01",
        f",Cas,Smit,,,{today.year + 5}-01-01",
        f",Dirk,Bos,,,{today.isoformat()}",
    )
    assert "in de toekomst" in reasons[2][0] and "-73" not in reasons[2][0]
    assert "jaar" not in reasons[2][0]  # no age of −73 years
    assert "beschikbaar_vanaf" in reasons[3][0] and "5 jaar" in reasons[3][0]
    assert "2 jaar" in reasons[4][0]
    assert 5 not in reasons  # today is fine


@pytest.mark.django_db
def test_a_file_that_is_no_excel_workbook_says_so_and_shows_no_full_bar(client, gemeente):
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("notes.txt", "hallo")
    for content in (os.urandom(400), b"PK\x03\x04" + os.urandom(400), zipped.getvalue()):
        job = _import(gemeente, content, filename="klanten.xlsx")
        assert job.status == "failed"
        assert "BadZipFile" not in job.error and "KeyError" not in job.error
        assert "geen Excel-werkmap" in job.error
    old = _import(gemeente, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(400), "oud.xls")
    assert ".xls" in old.error and "xlsx" in old.error
    # The progress page of a failed import: the reason in the page's language, no bar that
    # says "done" over "0 of 0 rows".
    km = gemeente.memberships.first().user
    sign_in(client, km)
    page = client.get(reverse("candidates:import-detail", args=[job.uuid])).content.decode()
    assert "geen Excel-werkmap" in page and " / " not in job.error_text
    assert "<progress" not in page and "0 van 0" not in page
    assert job.progress == 0


@pytest.mark.django_db
def test_the_person_form_names_a_bad_bsn_on_the_first_submit(client, make_member, world):
    km = make_member("klantmanager")
    sign_in(client, km.user)
    response = client.post(
        reverse("candidates:create"),
        {"first_name": "Anna", "last_name": "", "bsn": "1234", "date_of_birth": "01-01-2099"},
    )
    errors = response.context["form"].errors
    assert "last_name" in errors  # another error on the form did not hide the BSN's
    assert "9 cijfers" in " ".join(errors["bsn"]) and "elfproef" not in " ".join(errors["bsn"])
    birth = " ".join(errors["date_of_birth"])
    assert "in de toekomst" in birth and "jaar" not in birth and " / " not in birth
    response = client.post(
        reverse("candidates:create"),
        {"first_name": "Anna", "last_name": "Jansen", "available_from": "1900-01-01"},
    )
    assert "5 jaar" in " ".join(response.context["form"].errors["available_from"])
    assert not Candidate.objects.exists()
