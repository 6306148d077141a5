"""The WSP's inbox and mail about employers' requests (issue #16 items 1, 2 and 5): an open
request without a first contact waits for exactly those who may open its page, overdue
first, until the first contact is recorded or it is closed there; a new request is mailed
to the region's WSP (or to the colleague who has the employer), an overdue one once more,
and no mail names the employer or its contact person."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import inbox_for
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies import tasks
from perspectief.vacancies.models import EmployerRequest
from perspectief.vacancies.services import requests as wsp

from ..conftest import sign_in
from ..factories import OrganisationFactory
from .test_employer_requests import _form as public_form
from .test_request_conversion import _form as convert_form
from .wsp_helpers import file_request

pytestmark = pytest.mark.django_db

ROLES = [
    ("accountmanager", "AM18"),
    ("intermediair", "AM18"),
    ("klantmanager", "AM18"),
    ("programmamanager", "AM18"),
    ("werkgever", "AM18"),
    ("jobcoach", "AM18"),
    ("accountmanager", "AM22"),
    ("intermediair", "AM22"),
]


def _requests_in_inbox(membership):
    return [item for item in inbox_for(actor_for(membership)) if item.kind == Kind.WSP_REQUEST]


def test_the_inbox_item_goes_exactly_to_who_may_open_the_request(
    client, make_member, world, django_capture_on_commit_callbacks
):
    members = {key: make_member(*key) for key in ROLES}
    item = file_request(world, django_capture_on_commit_callbacks)
    page = reverse("vacancies:request-detail", args=[item.uuid])
    for key, membership in members.items():
        items = _requests_in_inbox(membership)
        sign_in(client, membership.user)
        opens = client.get(page).status_code == 200
        assert bool(items) == opens, key
        assert opens == (key in {("accountmanager", "AM18"), ("intermediair", "AM18")}), key
        if items:
            [entry] = items
            assert entry.url == page
            assert "Bakkerij Jansen" in entry.title and "Marja" not in entry.title
            assert entry.due == timezone.localdate(item.due_at)


def test_the_item_leaves_when_the_first_contact_is_recorded_or_the_request_closed(
    client, make_member, world, django_capture_on_commit_callbacks
):
    am = make_member("accountmanager")
    contacted = file_request(world, django_capture_on_commit_callbacks)
    closed = file_request(world, django_capture_on_commit_callbacks, company_name="Spam BV")
    converted = file_request(world, django_capture_on_commit_callbacks, company_name="Lasbedrijf")
    assert len(_requests_in_inbox(am)) == 3
    sign_in(client, am.user)
    for request, action in ((contacted, "contacted"), (closed, "close")):
        client.post(
            reverse("vacancies:request-action", args=[request.uuid]),
            {"action": action, "back": "detail"},
        )
    # Turned into an employer and a place, but nobody called yet: it still waits.
    client.post(
        reverse("vacancies:request-convert", args=[converted.uuid]),
        convert_form(name="Lasbedrijf", kvk_number="12121212"),
    )
    converted.refresh_from_db()
    assert converted.vacancy is not None
    assert [i.url for i in _requests_in_inbox(am)] == [
        reverse("vacancies:request-detail", args=[converted.uuid])
    ]
    client.post(reverse("vacancies:request-action", args=[converted.uuid]), {"action": "contacted"})
    assert _requests_in_inbox(am) == []


def test_overdue_first_and_a_colleagues_request_until_it_is_overdue(
    make_member, world, django_capture_on_commit_callbacks
):
    am, colleague = make_member("accountmanager"), make_member("accountmanager")
    recent = file_request(world, django_capture_on_commit_callbacks, company_name="Nieuw")
    late = file_request(world, django_capture_on_commit_callbacks, company_name="Te laat")
    late.due_at = timezone.now() - datetime.timedelta(days=2)
    late.save()
    first, second = _requests_in_inbox(am)
    assert first.overdue and "Te laat" in first.title
    assert not second.overdue and "Nieuw" in second.title
    # A colleague takes the recent one: it is theirs, until it falls due.
    wsp.request_take(actor=actor_for(colleague), request=recent)
    [only] = _requests_in_inbox(am)
    assert "Te laat" in only.title
    assert len(_requests_in_inbox(colleague)) == 2
    with time_machine.travel(recent.due_at + datetime.timedelta(hours=1)):
        assert len(_requests_in_inbox(am)) == 2
    # A colleague who left: the request waits for everyone again.
    colleague.is_active = False
    colleague.save()
    assert len(_requests_in_inbox(am)) == 2


def test_a_new_request_is_mailed_to_the_regions_wsp_and_names_nobody(
    client, make_member, world, django_capture_on_commit_callbacks
):
    members = {key: make_member(*key) for key in ROLES}
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=1)):
        data = public_form(company_name="Bakkerij Jansen", contact_name="Marja Smit")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("wsp-request"), data).status_code == 200
    item = EmployerRequest.objects.get()
    told = sorted(address for message in mail.outbox for address in message.to)
    expected = sorted(
        members[key].user.email for key in (("accountmanager", "AM18"), ("intermediair", "AM18"))
    )
    assert told == expected
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert str(item.uuid) in text
        for word in ("Bakkerij", "Jansen", "Marja", "Smit", "marja@example.invalid", "lassers"):
            assert word not in text


def test_a_known_employers_request_is_mailed_to_its_account_owner_only(
    make_member, world, django_capture_on_commit_callbacks
):
    owner, other = make_member("accountmanager"), make_member("intermediair")
    EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        kvk_number="12345678",
        owner=owner,
    )
    file_request(world, django_capture_on_commit_callbacks, kvk_number="12345678")
    assert [m.to for m in mail.outbox] == [[owner.user.email]]
    assert other.user.email not in str([m.to for m in mail.outbox])


def test_an_overdue_request_is_mailed_once(make_member, world, django_capture_on_commit_callbacks):
    am = make_member("accountmanager")
    waiting = file_request(world, django_capture_on_commit_callbacks)
    answered = file_request(world, django_capture_on_commit_callbacks, company_name="Gebeld")
    wsp.request_contacted(actor=actor_for(am), request=answered)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.overdue_requests() == 0  # not due yet
    later = waiting.due_at + datetime.timedelta(hours=2)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert tasks.overdue_requests() == 1
        assert tasks.overdue_requests() == 0  # told once
    [message] = mail.outbox
    assert message.to == [am.user.email]
    assert reverse("vacancies:request-detail", args=[waiting.uuid]) in message.body
    waiting.refresh_from_db()
    answered.refresh_from_db()
    assert waiting.overdue_notified_at is not None and answered.overdue_notified_at is None
