"""When an import is done or fails, the person who started it is told — by e-mail and in
their inbox — and nobody else; the inbox item waits until they open the import's page."""

import io
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.imports import inbox, services
from perspectief.imports.models import ImportJob
from perspectief.notifications.inbox import inbox_for

from ..conftest import sign_in

HEADER = "bsn,voornaam,achternaam,geboortedatum,postcode"
GOOD = ",Bram,de Vries,15-04-1985,1011"


def _upload(client, membership, capture, content: bytes, name="klanten.csv"):
    sign_in(client, membership.user)
    upload = io.BytesIO(content)
    upload.name = name
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(reverse("candidates:import"), {"file": upload})
    assert response.status_code == 302
    return ImportJob.objects.latest("created_at")


@pytest.mark.django_db
def test_a_finished_import_tells_its_starter_until_they_open_it(
    client, make_member, world, django_capture_on_commit_callbacks
):
    km = make_member("klantmanager")
    colleague = make_member("klantmanager")  # same gemeente: sees the import, did not start it
    assert colleague.organisation == km.organisation
    job = _upload(client, km, django_capture_on_commit_callbacks, f"{HEADER}\n{GOOD}\n".encode())
    assert job.status == "done" and job.seen_at is None
    page = reverse("candidates:import-detail", args=[job.uuid])
    # One e-mail, to the starter only, linking to the import's page.
    assert [m.to for m in mail.outbox] == [[km.user.email]]
    assert page in mail.outbox[0].body
    items = inbox.finished_imports(actor_for(km))
    assert [(i.kind, i.url) for i in items] == [("import_done", page)]
    assert "klanten.csv" in items[0].title
    for other in (
        colleague,
        make_member("klantmanager", "AM22"),
        make_member("accountmanager"),
        make_member("werkzoekende"),
    ):
        assert inbox.finished_imports(actor_for(other)) == []
    # The colleague opening the page does not take it from the starter's inbox.
    sign_in(client, colleague.user)
    assert client.get(page).status_code == 200
    assert len(inbox.finished_imports(actor_for(km))) == 1
    sign_in(client, km.user)
    assert client.get(page).status_code == 200
    job.refresh_from_db()
    assert job.seen_at is not None
    assert inbox.finished_imports(actor_for(km)) == []
    assert not [i for i in inbox_for(actor_for(km)) if i.kind == "import_done"]


@pytest.mark.django_db
def test_a_failed_import_tells_its_starter_too(
    client, make_member, world, django_capture_on_commit_callbacks
):
    km = make_member("klantmanager")
    job = _upload(client, km, django_capture_on_commit_callbacks, b"naam,plaats\nBram,Amsterdam\n")
    assert job.status == "failed"
    assert [m.to for m in mail.outbox] == [[km.user.email]]
    (item,) = inbox.finished_imports(actor_for(km))
    assert item.url == reverse("candidates:import-detail", args=[job.uuid])
    assert item.detail  # why it failed


@pytest.mark.django_db
def test_a_job_failed_by_the_watch_tells_its_starter(
    make_member, world, django_capture_on_commit_callbacks
):
    km = make_member("klantmanager")
    job = ImportJob.objects.create(
        organisation=km.organisation,
        started_by=km.user,
        filename="oud.csv",
        content=b"x",
    )
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.watch()["uploads_dropped"] == 1
    job.refresh_from_db()
    assert job.status == "failed"
    assert [m.to for m in mail.outbox] == [[km.user.email]]
    assert len(inbox.finished_imports(actor_for(km))) == 1


@pytest.mark.django_db
def test_an_import_without_a_starter_tells_nobody(
    make_member, world, tmp_path, django_capture_on_commit_callbacks
):
    km = make_member("klantmanager")
    path = tmp_path / "klanten.csv"
    path.write_text(f"{HEADER}\n{GOOD}\n")
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import",
            "candidates",
            str(path),
            "--organisation",
            "GM0363",
            "--json",
            stdout=StringIO(),
        )
    assert ImportJob.objects.get().status == "done"
    assert mail.outbox == []
    assert inbox.finished_imports(actor_for(km)) == []
