"""Notes on an employer's request: short, dated, by the region's WSP staff, with who wrote
them; audited; a refused note says why and keeps what was typed."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from perspectief.audit.models import AuditEvent
from perspectief.vacancies.models import RequestNote
from perspectief.vacancies.services.requests import NOTE_LENGTH

from ..conftest import sign_in
from .wsp_helpers import file_request

pytestmark = pytest.mark.django_db


def test_a_note_is_kept_with_its_author_and_time(
    client, make_member, world, django_capture_on_commit_callbacks
):
    am = make_member("accountmanager")
    item = file_request(world, django_capture_on_commit_callbacks)
    sign_in(client, am.user)
    url = reverse("vacancies:request-note", args=[item.uuid])
    response = client.post(url, {"text": "  Twee keer gebeld, geen gehoor.  "})
    assert response.status_code == 302
    note = RequestNote.objects.get()
    assert (note.request, note.author, note.text) == (item, am, "Twee keer gebeld, geen gehoor.")
    event = AuditEvent.objects.get(event="employer_request.note_added")
    assert event.target_id == str(item.uuid) and event.actor_user == am.user
    # A colleague of the region reads it on the request's page, with who wrote it.
    colleague = make_member("intermediair")
    sign_in(client, colleague.user)
    page = client.get(reverse("vacancies:request-detail", args=[item.uuid])).content.decode()
    assert "Twee keer gebeld, geen gehoor." in page
    assert escape(am.user.get_full_name()) in page
    # Writing a note is no first contact.
    item.refresh_from_db()
    assert item.first_contact_at is None


@pytest.mark.parametrize("text", ["", "   ", "x" * (NOTE_LENGTH + 1)])
def test_an_empty_or_too_long_note_is_refused_and_kept_in_the_form(
    client, make_member, world, django_capture_on_commit_callbacks, text
):
    am = make_member("accountmanager")
    item = file_request(world, django_capture_on_commit_callbacks)
    sign_in(client, am.user)
    response = client.post(reverse("vacancies:request-note", args=[item.uuid]), {"text": text})
    assert response.status_code == 400
    assert response.context["note_error"]
    if text.strip():
        assert text in response.content.decode()
    assert not RequestNote.objects.exists()
    assert not AuditEvent.objects.filter(event="employer_request.note_added").exists()


def test_only_the_regions_wsp_writes_notes(
    client, make_member, world, django_capture_on_commit_callbacks
):
    item = file_request(world, django_capture_on_commit_callbacks)
    url = reverse("vacancies:request-note", args=[item.uuid])
    for role, region, status in (
        ("klantmanager", "AM18", 403),
        ("werkgever", "AM18", 403),
        ("accountmanager", "AM22", 404),
    ):
        sign_in(client, make_member(role, region).user)
        assert client.post(url, {"text": "Gebeld"}).status_code == status, role
    assert not RequestNote.objects.exists()
