"""The 90-day availability cycle: the daily task asks people with their own account once
per cycle, and only those due; the own page's one-click button records the answer; the
inbox holds the question for the person and one summary for the klantmanager."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AccessRecord, AuditEvent
from perspectief.candidates import inbox, tasks
from perspectief.candidates.services.people import availability_confirm
from perspectief.candidates.services.reconfirmation import ask_reconfirmation
from perspectief.notifications.inbox import inbox_for

from ..conftest import sign_in
from ..factories import CandidateFactory

DAYS = 90


@pytest.fixture
def people(make_member, world, settings):
    settings.CANDIDATE_RECONFIRM_DAYS = DAYS
    km = make_member("klantmanager")
    long_ago = timezone.now() - timedelta(days=DAYS + 5)

    def person(*, status="in_beeld", confirmed=long_ago, account=True):
        user = make_member("werkzoekende").user if account else None
        return CandidateFactory(
            served_by=km.organisation,
            user=user,
            status=status,
            availability_confirmed_at=confirmed,
        )

    return SimpleNamespace(
        km=km,
        due=person(),
        never=person(confirmed=None),
        recent=person(confirmed=timezone.now() - timedelta(days=10)),
        placed=person(status="geplaatst"),
        left=person(status="uitgestroomd"),
        no_account=person(account=False),
    )


def _asked(capture, now=None):
    mail.outbox.clear()
    with capture(execute=True):
        count = ask_reconfirmation(now=now)
    return count, sorted(m.to[0] for m in mail.outbox)


@pytest.mark.django_db
def test_the_task_asks_those_due_once_per_cycle(people, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    count, to = _asked(capture)
    assert count == 2
    assert to == sorted([people.due.user.email, people.never.user.email])
    body = mail.outbox[0].body
    assert reverse("candidates:self") + "#reconfirm" in body
    # The next day: asked already in this cycle.
    assert _asked(capture, timezone.now() + timedelta(days=1)) == (0, [])
    # The person confirms; 91 days later a new cycle asks again, and the one who never
    # answered is reminded (once a period).
    actor = actor_for(people.due.user.memberships.get())
    availability_confirm(actor=actor, candidate=people.due)
    assert _asked(capture, timezone.now() + timedelta(days=30)) == (0, [])
    later = timezone.now() + timedelta(days=DAYS + 1)
    count, to = _asked(capture, later)
    # ... and the one confirmed ten days before the start has run out by then too.
    assert to == sorted([people.due.user.email, people.never.user.email, people.recent.user.email])
    assert _asked(capture, later + timedelta(days=1)) == (0, [])


@pytest.mark.django_db
def test_the_task_is_registered_under_its_name(people, django_capture_on_commit_callbacks):
    assert tasks.ask_reconfirmation.name == "candidates.ask_reconfirmation"
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.ask_reconfirmation.delay().get() == 2


@pytest.mark.django_db
def test_the_own_page_button_records_the_confirmation(people, client):
    person = people.due
    sign_in(client, person.user)
    # The e-mail's link: after signing in (which loses the anchor) the question is the
    # first thing on the page.
    page = client.get(reverse("candidates:self")).content.decode()
    assert 'id="reconfirm"' in page
    assert page.index('id="reconfirm"') < page.index('id="about-you"')
    assert reverse("candidates:self-reconfirm") in page
    response = client.post(reverse("candidates:self-reconfirm"))
    assert response.status_code == 302 and response.url == reverse("candidates:self")
    person.refresh_from_db()
    assert timezone.now() - person.availability_confirmed_at < timedelta(minutes=1)
    event = AuditEvent.objects.get(event="candidate.availability_confirmed")
    assert event.changes == {"by": [None, "self"]}
    assert AccessRecord.objects.filter(
        activity="candidate.self", operation="change", actor_user_id=person.user.pk
    ).exists()
    page = client.get(reverse("candidates:self")).content.decode()
    assert 'id="reconfirm"' not in page


@pytest.mark.django_db
def test_the_button_is_shown_only_when_due(people, client):
    for person, shown in [(people.recent, False), (people.placed, False), (people.never, True)]:
        sign_in(client, person.user)
        page = client.get(reverse("candidates:self")).content.decode()
        assert ('id="reconfirm"' in page) is shown


@pytest.mark.django_db
def test_only_the_person_or_a_serving_klantmanager_confirms(people, client, make_member):
    stranger = make_member("werkzoekende")
    sign_in(client, stranger.user)
    assert client.post(reverse("candidates:self-reconfirm")).status_code == 404
    elsewhere = make_member("klantmanager", "AM22")
    sign_in(client, elsewhere.user)
    response = client.post(reverse("candidates:confirm", args=[people.due.uuid]))
    assert response.status_code == 404
    people.due.refresh_from_db()
    assert timezone.now() - people.due.availability_confirmed_at > timedelta(days=DAYS)


@pytest.mark.django_db
def test_the_persons_inbox_asks_while_due_and_forgets_it_once_confirmed(people, client):
    actor = actor_for(people.due.user.memberships.get())
    items = inbox.own_reconfirmation(actor)
    assert len(items) == 1 and items[0].url == reverse("candidates:self") + "#reconfirm"
    assert items[0].overdue
    # Nobody else gets the person's question.
    for other in (people.km, people.recent.user.memberships.get()):
        assert inbox.own_reconfirmation(actor_for(other)) == []
    sign_in(client, people.due.user)
    assert items[0].url in client.get(reverse("notifications:inbox")).content.decode()
    client.post(reverse("candidates:self-reconfirm"))
    assert inbox.own_reconfirmation(actor) == []
    assert items[0].url not in client.get(reverse("notifications:inbox")).content.decode()
    assert not [i for i in inbox_for(actor) if i.kind == "reconfirmation"]


@pytest.mark.django_db
def test_the_klantmanager_gets_one_summary_of_exactly_the_people_on_the_linked_list(
    people, client, make_member
):
    CandidateFactory(  # served by another gemeente: not counted
        served_by=make_member("klantmanager", "AM22").organisation, status="in_beeld"
    )
    items = inbox.caseload_reconfirmation(actor_for(people.km))
    assert len(items) == 1
    # due, never and no_account: still looking for work and not confirmed within 90 days.
    assert items[0].title.startswith("3 ")
    sign_in(client, people.km.user)
    listed = client.get(items[0].url).context["page"].paginator.count
    assert listed == 3
    for other in ("jobcoach", "intermediair", "accountmanager", "werkzoekende"):
        assert inbox.caseload_reconfirmation(actor_for(make_member(other))) == []
    for person in (people.due, people.never, people.no_account):
        client.post(reverse("candidates:confirm", args=[person.uuid]))
    assert inbox.caseload_reconfirmation(actor_for(people.km)) == []
