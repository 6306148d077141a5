"""Mijn werkvoorraad (page and API), the e-mail settings, the sent-mail log and the demo's
mail page (issue #16, items 1 and 2)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from perspectief.audit.models import AuditEvent
from perspectief.core.authz import Role
from perspectief.notifications import services
from perspectief.notifications.constants import Frequency, Kind, Status
from perspectief.notifications.inbox import SOURCES, InboxItem, inbox_for
from perspectief.notifications.models import Message, Preference

from ..conftest import sign_in


@pytest.fixture
def source():
    """A source that gives every klantmanager two items, one of them overdue."""
    today = timezone.localdate()

    def items(actor):
        if actor.role != Role.KLANTMANAGER:
            return []
        return [
            InboxItem(Kind.NOTE, "Later", "/later/", due=today + timedelta(days=3)),
            InboxItem(Kind.HANDOFF, "Te laat", "/late/", due=today - timedelta(days=2)),
            InboxItem(Kind.NOTE, "Zonder datum", "/none/"),
        ]

    SOURCES.register("test.items", items)
    yield
    SOURCES._items.pop("test.items")


def test_inbox_orders_overdue_first_and_filters(source, actor_as):
    actor = actor_as(Role.KLANTMANAGER)
    assert [i.title for i in inbox_for(actor)] == ["Te laat", "Later", "Zonder datum"]
    assert [i.title for i in inbox_for(actor, overdue_only=True)] == ["Te laat"]
    assert [i.title for i in inbox_for(actor, kind=Kind.NOTE)] == ["Later", "Zonder datum"]
    assert inbox_for(actor_as(Role.JOBCOACH)) == []


def test_inbox_page_count_and_api(source, client_as):
    client, _ = client_as(Role.KLANTMANAGER)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert page.index("Te laat") < page.index("Later")
    assert 'href="/late/"' in page
    filtered = client.get(reverse("notifications:inbox"), {"overdue": "on"}).content.decode()
    assert "Te laat" in filtered and "Zonder datum" not in filtered
    assert ">3<" in client.get(reverse("notifications:count")).content.decode()
    api = client.get("/api/v1/inbox", {"kind": "handoff"}).json()
    assert api == [
        {
            "kind": "handoff",
            "kindLabel": str(Kind.HANDOFF.label),
            "title": "Te laat",
            "detail": "",
            "url": "/late/",
            "due": str(timezone.localdate() - timedelta(days=2)),
            "overdue": True,
        }
    ]
    assert client.get("/api/v1/inbox", {"kind": "nonsense"}).status_code == 400
    # An unknown kind on the page is a 400 page that names the field, not a silent default.
    assert client.get(reverse("notifications:inbox"), {"kind": "nonsense"}).status_code == 400


def test_header_asks_for_the_count(client_as):
    client, _ = client_as(Role.JOBCOACH)
    home = client.get("/").content.decode()
    assert reverse("notifications:count") in home
    assert client.get(reverse("notifications:count")).content.decode().strip() == ""


def test_preferences_are_saved_and_audited(client_as):
    client, member = client_as(Role.KLANTMANAGER)
    form = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="handoff"' in form
    assert 'name="proposal_new"' not in form  # employers' kinds are not a staff choice
    data = {
        "handoff": Frequency.DAILY,
        "note": Frequency.OFF,
        "checkin": Frequency.IMMEDIATE,
        "employer_answer": Frequency.IMMEDIATE,
        "correction": Frequency.IMMEDIATE,
        "import_done": Frequency.IMMEDIATE,
        "invitation_accepted": Frequency.DAILY,
        "message": Frequency.IMMEDIATE,
        "proposal_closing": Frequency.DAILY,
        "handoff_answered": Frequency.DAILY,
        "instrument_deadline": Frequency.IMMEDIATE,
        "reflection": Frequency.DAILY,
    }
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    chosen = dict(Preference.objects.filter(user=member.user).values_list("kind", "frequency"))
    assert chosen == {"handoff": "daily", "note": "off"}
    assert AuditEvent.objects.filter(event="mail_preference.changed").count() == 2


def test_mail_log_shows_the_region_only(make_member, client, django_capture_on_commit_callbacks):
    here, there = make_member(Role.KLANTMANAGER), make_member(Role.KLANTMANAGER, "AM22")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(kind=Kind.HANDOFF, memberships=[here, there], url="/x/")
    admin = make_member(Role.FUNCTIONAL_ADMIN)
    page = sign_in(client, admin.user).get(reverse("notifications:mail-log")).content.decode()
    assert here.user.username in page
    assert there.user.username not in page
    failed = client.get(reverse("notifications:mail-log"), {"status": Status.FAILED})
    assert here.user.username not in failed.content.decode()


def test_demo_writes_eml_files_and_shows_them(
    make_member, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.DATA_DIR = tmp_path
    settings.DEMO_MODE = True
    settings.EMAIL_BACKEND = "perspectief.notifications.backends.EmlDirectoryBackend"
    member = make_member(Role.KLANTMANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(kind=Kind.HANDOFF, memberships=[member], url="/routes/x/")
    [eml] = list((tmp_path / "mail").glob("*.eml"))
    assert b"Subject:" in eml.read_bytes()
    listing = client.get(reverse("demo-mail")).content.decode()
    link = reverse("demo-mail-detail", args=[eml.stem])
    assert link in listing
    detail = client.get(link).content.decode()
    assert "http://127.0.0.1:8000/routes/x/" in detail
    assert client.get("/demo-mail/..%2F..%2Fetc%2Fpasswd/").status_code == 404
    assert client.get(reverse("demo-mail-detail", args=["nothing"])).status_code == 404
    assert Message.objects.get().status == Status.SENT
    assert mail.outbox == []


def test_header_count_is_kept_until_the_person_changes_something(source, client_as):
    client, _ = client_as(Role.KLANTMANAGER)
    assert ">3<" in client.get(reverse("notifications:count")).content.decode()
    SOURCES.register("test.more", lambda actor: [InboxItem(Kind.NOTE, "Nieuw", "/n/")])
    try:
        # Work handed over by others shows within the minute, not on every page view...
        assert ">3<" in client.get(reverse("notifications:count")).content.decode()
        # ...but the inbox page is always fresh, and so is the count after one's own change.
        assert "Nieuw" in client.get(reverse("notifications:inbox")).content.decode()
        assert ">4<" in client.get(reverse("notifications:count")).content.decode()
        SOURCES._items.pop("test.more")
        client.post(reverse("notifications:preferences"), {})
        assert ">3<" in client.get(reverse("notifications:count")).content.decode()
    finally:
        SOURCES._items.pop("test.more", None)
