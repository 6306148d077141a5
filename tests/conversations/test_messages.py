"""Messages between a job seeker and the organisations that serve them (issue #16, item 4):
the person writes on their own page or /messages/, staff answer on the person's page; the
other side gets an e-mail without a name and an inbox item until they read it; nobody
else reads the conversation."""

import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.audit.constants import Operation, ProcessingActivity, SubjectType
from perspectief.audit.models import AccessRecord, AuditEvent
from perspectief.conversations.constants import MESSAGE_MAX_LENGTH
from perspectief.conversations.inbox import messages_source
from perspectief.conversations.models import Conversation, Post
from perspectief.conversations.services.messages import message_send
from perspectief.core.authz import Role
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import inbox_for

from ..conftest import sign_in
from ..factories import CandidateFactory, MembershipFactory

pytestmark = pytest.mark.django_db

OWN = "/messages/"


def _titles(member):
    return [i.title for i in inbox_for(actor_for(member)) if i.kind == Kind.MESSAGE]


def _write(client, member, text="Ik heb volgende week een sollicitatie.", **extra):
    sign_in(client, member.user)
    return client.post(OWN, {"text": text, **extra})


def _records(person, operation):
    records = AccessRecord.objects.for_subject(SubjectType.CANDIDATE, person.uuid)
    return list(records.filter(operation=operation).values_list("activity", flat=True))


def test_the_job_seeker_writes_and_their_klantmanager_is_told(
    people, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _write(client, people.seeker)
    assert response.status_code == 302 and response["Location"] == OWN
    post = Post.objects.get()
    assert post.from_person and post.conversation.organisation == people.gemeente
    assert post.conversation.person == people.person
    # The person's own klantmanager is told, not the other klantmanagers of the gemeente.
    [sent] = mail.outbox
    assert sent.to == [people.km.user.email]
    assert sent.extra_headers["X-Perspectief-Kind"] == Kind.MESSAGE
    assert f"/candidates/{people.person.uuid}/#messages" in sent.body
    assert people.person.last_name not in sent.subject + sent.body
    assert "sollicitatie" not in sent.body
    # Audited and in the access log as the person's own processing.
    event = AuditEvent.objects.get(event="message.sent")
    assert event.target_id == str(post.uuid) and "sollicitatie" not in str(event.changes)
    assert _records(people.person, Operation.CREATE) == [ProcessingActivity.CANDIDATE_SELF]
    page = client.get(OWN).content.decode()
    assert "Ik heb volgende week een sollicitatie." in page


def test_the_staff_inbox_holds_the_message_until_someone_there_reads_it(people, client):
    _write(client, people.seeker)
    assert _titles(people.km) == [f"Message from {people.person.full_name}"]
    [item] = messages_source(actor_for(people.km))
    assert item.url == reverse("candidates:detail", args=[people.person.uuid]) + "#messages"
    # Nobody else: not the other klantmanager (the person's own one works there), not the
    # partners who see the person through consent, not the other region, not the person.
    for member in (
        people.colleague,
        people.intermediary,
        people.school,
        people.outsider,
        people.employer,
        people.seeker,
        people.other_seeker,
    ):
        assert _titles(member) == [], member.role
    # The partner who sees the person reads no messages on the person's page.
    sign_in(client, people.intermediary.user)
    page = client.get(reverse("candidates:detail", args=[people.person.uuid])).content.decode()
    assert 'id="messages"' not in page and "sollicitatie" not in page
    # The klantmanager opens the person's page: read, out of the inbox.
    sign_in(client, people.km.user)
    page = client.get(reverse("candidates:detail", args=[people.person.uuid])).content.decode()
    assert 'id="messages"' in page and "Ik heb volgende week een sollicitatie." in page
    assert _titles(people.km) == []
    conversation = Conversation.objects.get()
    assert conversation.staff_read_by == people.km.user


def test_staff_answer_and_the_job_seeker_is_told_until_they_read_it(
    people, client, django_capture_on_commit_callbacks
):
    _write(client, people.seeker)
    sign_in(client, people.km.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("conversations:reply", args=[people.person.uuid]),
            {"text": "Succes! Bel me daarna even."},
        )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/candidates/{people.person.uuid}/#messages")
    [sent] = [m for m in mail.outbox if m.to == [people.seeker.user.email]]
    assert sent.body.count(OWN) == 1
    assert people.person.last_name not in sent.body and "Succes" not in sent.body
    assert set(_records(people.person, Operation.CREATE)) == {
        ProcessingActivity.CANDIDATE_SERVICE,
        ProcessingActivity.CANDIDATE_SELF,
    }
    gemeente = people.gemeente.name
    assert _titles(people.seeker) == [f"New message from {gemeente}"]
    assert _titles(people.other_seeker) == []
    assert _titles(people.km) == []  # answering reads the conversation
    # The person opens their own page: the message is there, and read.
    sign_in(client, people.seeker.user)
    page = client.get(reverse("candidates:self")).content.decode()
    assert "Succes! Bel me daarna even." in page and 'id="messages"' in page
    assert _titles(people.seeker) == []


def test_the_messages_page_reads_them_too(people, client):
    message_send(actor=actor_for(people.km), candidate=people.person, text="Hoe gaat het?")
    assert len(_titles(people.seeker)) == 1
    sign_in(client, people.seeker.user)
    page = client.get(OWN).content.decode()
    assert "Hoe gaat het?" in page
    assert _titles(people.seeker) == []
    assert _records(people.person, Operation.READ) == [ProcessingActivity.CANDIDATE_SELF]


def test_each_serving_organisation_has_its_own_conversation(people, client, uwv, world):
    people.person.servings.create(organisation=uwv, legal_basis="suwi")
    uwv_km = MembershipFactory(organisation=uwv, role=Role.KLANTMANAGER)
    sign_in(client, people.seeker.user)
    # Two organisations serve the person: they choose whom to write to.
    refused = client.post(OWN, {"text": "Voor wie?"})
    assert refused.status_code == 200
    assert "Choose who you want to write to." in refused.content.decode()
    assert not Post.objects.exists()
    client.post(OWN, {"text": "Aan het UWV", "organisation": str(uwv.uuid)})
    client.post(OWN, {"text": "Aan de gemeente", "organisation": str(people.gemeente.uuid)})
    assert Conversation.objects.count() == 2
    assert _titles(uwv_km) == [f"Message from {people.person.full_name}"]
    assert _titles(people.km) == [f"Message from {people.person.full_name}"]
    uwv_thread = Conversation.objects.visible_to(actor_for(uwv_km)).get()
    assert [p.text for p in uwv_thread.posts.all()] == ["Aan het UWV"]
    gemeente_thread = Conversation.objects.visible_to(actor_for(people.km)).get()
    assert [p.text for p in gemeente_thread.posts.all()] == ["Aan de gemeente"]


# --- isolation -----------------------------------------------------------------------------
def test_a_job_seeker_never_reaches_another_persons_conversation(people, client, uwv):
    message_send(actor=actor_for(people.km), candidate=people.other, text="Alleen voor jou")
    sign_in(client, people.seeker.user)
    page = client.get(OWN).content.decode()
    assert "Alleen voor jou" not in page
    assert Conversation.objects.visible_to(actor_for(people.seeker)).count() == 0
    # Guessing: another person's uuid answers as a uuid that does not exist, everywhere.
    for url in (
        reverse("conversations:reply", args=[people.other.uuid]),
        reverse("candidates:detail", args=[people.other.uuid]),
        f"/api/v1/candidates/{people.other.uuid}/notes",
    ):
        guessed = client.post(url, {"text": "hallo"})
        nothing = client.post(url.replace(str(people.other.uuid), str(uuid.uuid4())), {"text": "x"})
        assert guessed.status_code == nothing.status_code
        assert guessed.status_code in (403, 404, 405)
    # Writing to an organisation that does not serve them is refused, and writing as
    # someone else's record is not found.
    # One organisation serves them (no choice is asked), but a posted other organisation is
    # refused, not quietly replaced by the one that serves them.
    refused = client.post(OWN, {"text": "Hallo UWV", "organisation": str(uwv.uuid)})
    assert refused.status_code == 200
    assert "You cannot write to this organisation" in refused.content.decode()
    assert not Post.objects.filter(text="Hallo UWV").exists()
    with pytest.raises(NotFoundError):
        message_send(actor=actor_for(people.seeker), candidate=people.other, text="hallo")
    with pytest.raises(ValidationError):
        message_send(
            actor=actor_for(people.seeker), candidate=people.person, text="x", organisation=uwv
        )
    assert [p.text for p in Post.objects.filter(conversation__person=people.other)] == [
        "Alleen voor jou"
    ]


def test_only_staff_of_a_serving_organisation_write_to_the_person(people, client):
    for member in (people.intermediary, people.school):  # they see the person by consent
        with pytest.raises(NotFoundError):
            message_send(actor=actor_for(member), candidate=people.person, text="hallo")
    with pytest.raises(PermissionDeniedError):
        message_send(actor=actor_for(people.employer), candidate=people.person, text="hallo")
    sign_in(client, people.outsider.user)
    url = reverse("conversations:reply", args=[people.person.uuid])
    other = reverse("conversations:reply", args=[uuid.uuid4()])
    assert client.post(url, {"text": "x"}).status_code == 404
    assert client.post(other, {"text": "x"}).status_code == 404
    assert not Post.objects.exists()


# --- bad input -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Your message is empty."),
        ("  \n\t ", "Your message is empty."),
        ("x" * (MESSAGE_MAX_LENGTH + 1), "Your message is too long."),
    ],
)
def test_an_empty_or_too_long_message_is_refused_with_a_clear_message(people, client, text, says):
    response = _write(client, people.seeker, text=text)
    assert response.status_code == 200
    assert says in response.content.decode()
    sign_in(client, people.km.user)
    response = client.post(
        reverse("conversations:reply", args=[people.person.uuid]), {"text": text}, follow=True
    )
    assert says in response.content.decode()
    assert not Post.objects.exists()
    assert not Conversation.objects.exists()


def test_a_person_without_an_account_gets_no_mail_and_staff_are_told_so(
    people, client, django_capture_on_commit_callbacks
):
    person = CandidateFactory(served_by=people.gemeente, klantmanager=people.km.user)
    sign_in(client, people.km.user)
    page = client.get(reverse("candidates:detail", args=[person.uuid])).content.decode()
    assert "The person has no account yet" in page
    with django_capture_on_commit_callbacks(execute=True):
        message_send(actor=actor_for(people.km), candidate=person, text="Welkom")
    assert mail.outbox == []


def test_the_person_gets_their_messages_with_their_data(people, client):
    message_send(actor=actor_for(people.km), candidate=people.person, text="Welkom bij ons")
    sign_in(client, people.seeker.user)
    data = client.get(reverse("candidates:self-export")).json()
    [conversation] = data["messages"]
    assert conversation["with"] == people.gemeente.name
    assert conversation["messages"][0] == {
        "sent": conversation["messages"][0]["sent"],
        "from": "organisation",
        "text": "Welkom bij ons",
    }


def test_the_inbox_source_costs_one_query_whatever_the_caseload(people, django_assert_num_queries):
    for _ in range(15):
        person = CandidateFactory(served_by=people.gemeente, klantmanager=people.km.user)
        seeker = MembershipFactory(organisation=people.gemeente, role=Role.CANDIDATE)
        person.user = seeker.user
        person.save(update_fields=["user"])
        message_send(actor=actor_for(seeker), candidate=person, text="Een vraag")
    km = actor_for(people.km)
    with django_assert_num_queries(1):
        assert len(messages_source(km)) == 15
