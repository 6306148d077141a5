"""Notes between partners about a person (issue #16, item 6): read exactly by who may see
the person, in the access log, audited, e-mailed to the addressees without a name, in
their inbox until they open the notes."""

import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.audit.constants import Operation, ProcessingActivity, SubjectType
from perspectief.audit.models import AccessRecord, AuditEvent
from perspectief.candidates.models import Consent
from perspectief.candidates.services.erasure import candidate_erase
from perspectief.conversations.constants import NOTE_MAX_LENGTH
from perspectief.conversations.inbox import notes_source
from perspectief.conversations.models import Note, NoteRead
from perspectief.conversations.selectors.notes import addressable
from perspectief.conversations.services.notes import note_add, recipients
from perspectief.core.authz import Role
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import inbox_for
from perspectief.notifications.models import Message

from ..conftest import sign_in
from ..factories import CandidateFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _page(client, person):
    return client.get(reverse("candidates:detail", args=[person.uuid]))


def _add(people, author, *, to=None, text="Kan de school de lestijden doorgeven?", person=None):
    return note_add(
        actor=actor_for(author), candidate=person or people.person, text=text, addressed_to=to
    )


def _reads(person, operation=None):
    records = AccessRecord.objects.for_subject(SubjectType.CANDIDATE, person.uuid)
    if operation:
        records = records.filter(operation=operation)
    return list(records.values_list("activity", flat=True))


# --- who may read ------------------------------------------------------------------------
def test_notes_are_read_exactly_by_who_may_see_the_person(people, client):
    _add(people, people.km, to=people.school.organisation)
    for member in (people.km, people.jobcoach, people.intermediary, people.school):
        sign_in(client, member.user)
        page = _page(client, people.person).content.decode()
        assert "Kan de school de lestijden doorgeven?" in page, member.role
        assert 'id="notes"' in page
    # The other region's klantmanager sees neither the person nor the notes: 404, as for a
    # person that does not exist; employers and the job seeker get no notes at all.
    assert Note.objects.visible_to(actor_for(people.outsider)).count() == 0
    sign_in(client, people.outsider.user)
    assert _page(client, people.person).status_code == 404
    api = client.get(f"/api/v1/candidates/{people.person.uuid}/notes")
    nobody = client.get(f"/api/v1/candidates/{uuid.uuid4()}/notes")
    assert api.status_code == nobody.status_code == 404
    assert api.json()["detail"] == nobody.json()["detail"]
    for member in (people.employer, people.seeker):
        assert Note.objects.visible_to(actor_for(member)).count() == 0


def test_a_withdrawn_consent_takes_the_notes_from_the_partners(people, client):
    _add(people, people.km, to=people.intermediary.organisation)
    partner = actor_for(people.intermediary)
    assert Note.objects.visible_to(partner).count() == 1
    assert len(notes_source(partner)) == 1
    Consent.objects.filter(candidate=people.person).update(revoked_at=people.person.created_at)
    assert Note.objects.visible_to(partner).count() == 0
    assert notes_source(partner) == []
    sign_in(client, people.intermediary.user)
    assert client.get(f"/api/v1/candidates/{people.person.uuid}/notes").status_code == 404


def test_only_staff_who_see_the_person_write_and_only_to_who_may_see_them(people, world):
    with pytest.raises(PermissionDeniedError):
        _add(people, people.employer)
    with pytest.raises(PermissionDeniedError):
        _add(people, people.seeker)
    with pytest.raises(NotFoundError):
        _add(people, people.outsider)
    # The addressable organisations: the gemeente, and with the consent the region's
    # partners who see job seekers; never the other region's gemeente or an employer.
    names = set(addressable(people.person))
    assert {people.gemeente, people.intermediary.organisation, people.school.organisation} <= names
    assert people.outsider.organisation not in names
    assert people.employer.organisation not in names
    with pytest.raises(ValidationError) as refused:
        _add(people, people.km, to=people.outsider.organisation)
    assert "may not see the person" in str(refused.value)
    assert not Note.objects.exists()


# --- bad input -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "says"),
    [("", "The note is empty"), ("   \n ", "The note is empty"), ("x" * 2001, "too long")],
)
def test_an_empty_or_too_long_note_is_refused_with_a_clear_message(people, client, text, says):
    with pytest.raises(ValidationError) as refused:
        _add(people, people.km, text=text)
    assert says in " ".join(refused.value.messages)
    sign_in(client, people.km.user)
    response = client.post(
        reverse("conversations:note-add", args=[people.person.uuid]), {"text": text, "to": ""}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#notes")
    page = client.get(response["Location"]).content.decode()
    assert says in page
    api = client.post(
        f"/api/v1/candidates/{people.person.uuid}/notes",
        {"text": text},
        content_type="application/json",
    )
    assert api.status_code == 400
    [param] = api.json()["invalidParams"]
    assert param["name"] == "text" and says in param["reason"]
    assert not Note.objects.exists()
    assert not Message.objects.exists()


def test_a_note_of_exactly_the_maximum_length_is_kept_without_surrounding_space(people):
    note = _add(people, people.km, text="  " + "x" * NOTE_MAX_LENGTH + "\n")
    assert note.text == "x" * NOTE_MAX_LENGTH


# --- audit and access log ------------------------------------------------------------------
def test_writing_is_audited_and_logged_and_reading_is_logged(people, client):
    sign_in(client, people.intermediary.user)
    response = client.post(
        reverse("conversations:note-add", args=[people.person.uuid]),
        {"text": "Gesprek gehad; motivatie goed.", "to": str(people.gemeente.uuid)},
    )
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.author, note.author_organisation, note.addressed_to) == (
        people.intermediary,
        people.intermediary.organisation,
        people.gemeente,
    )
    event = AuditEvent.objects.get(event="note.added")
    assert event.target_id == str(note.uuid)
    assert event.organisation == people.intermediary.organisation
    assert "motivatie" not in str(event.changes)  # the audit keeps no words of the note
    # Writing: one record of creating, as the partner it is (the consent's activity).
    assert _reads(people.person, Operation.CREATE) == [ProcessingActivity.CANDIDATE_PARTNER_VIEW]
    # Reading over the API: one record of reading; the serving gemeente reads as serving.
    sign_in(client, people.km.user)
    listed = client.get(f"/api/v1/candidates/{people.person.uuid}/notes")
    assert listed.status_code == 200
    [item] = listed.json()["results"]
    assert item["text"] == "Gesprek gehad; motivatie goed."
    assert item["author"]["name"] == people.intermediary.organisation.name
    assert item["to"]["uuid"] == str(people.gemeente.uuid)
    assert item["read"] is False  # the API does not mark notes read
    assert _reads(people.person, Operation.READ) == [ProcessingActivity.CANDIDATE_SERVICE]
    # Reading on the person's page: the page's one record; the notes add none of their own.
    _page(client, people.person)
    assert _reads(people.person, Operation.READ) == [ProcessingActivity.CANDIDATE_SERVICE] * 2


def test_adding_over_the_api(people, client):
    sign_in(client, people.km.user)
    url = f"/api/v1/candidates/{people.person.uuid}/notes"
    response = client.post(
        url,
        {"text": "Start BBL in maart", "addressedTo": str(people.school.organisation.uuid)},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["to"]["name"] == people.school.organisation.name
    refused = client.post(
        url,
        {"text": "x", "addressedTo": str(people.outsider.organisation.uuid)},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["invalidParams"][0]["name"] == "addressedTo"
    assert Note.objects.count() == 1


# --- e-mail --------------------------------------------------------------------------------
def test_the_addressed_organisation_is_told_by_mail_without_a_name(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        note = _add(people, people.km, to=people.intermediary.organisation)
    expected = {people.intermediary.user.email, people.intermediary_colleague.user.email}
    assert {m.to[0] for m in mail.outbox} == expected
    for sent in mail.outbox:
        body = f"{sent.subject}\n{sent.body}"
        assert people.person.last_name not in body and people.person.first_name not in body
        assert f"/candidates/{people.person.uuid}/#notes" in body
        assert sent.extra_headers["X-Perspectief-Kind"] == Kind.NOTE
    assert {m.user_id for m in recipients(note)} == {
        people.intermediary.user_id,
        people.intermediary_colleague.user_id,
    }


def test_a_note_for_the_gemeente_goes_to_the_persons_klantmanager_only(
    people, django_capture_on_commit_callbacks
):
    """A gemeente has many klantmanagers: the person's own one is told, not the others."""
    with django_capture_on_commit_callbacks(execute=True):
        _add(people, people.school, to=people.gemeente)
    assert [m.to for m in mail.outbox] == [[people.km.user.email]]


def test_a_note_for_everyone_goes_to_the_serving_organisations_not_its_author(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _add(people, people.intermediary)
    # The serving gemeente's klantmanager of the person; not the partners, not the author.
    assert [m.to for m in mail.outbox] == [[people.km.user.email]]
    mail.outbox.clear()
    # Written by the klantmanager for everyone: nobody else in the gemeente is told.
    with django_capture_on_commit_callbacks(execute=True):
        _add(people, people.km)
    assert mail.outbox == []


def test_without_a_klantmanager_everyone_of_the_organisation_who_sees_people_is_told(
    people, make_member, django_capture_on_commit_callbacks
):
    person = CandidateFactory(served_by=people.gemeente, regional_consent=True)
    manager = make_member(Role.PROGRAMME_MANAGER)  # of the region: no job seekers
    MembershipFactory(user=manager.user, organisation=people.gemeente, role="programmamanager")
    with django_capture_on_commit_callbacks(execute=True):
        _add(people, people.school, to=people.gemeente, person=person)
    assert {m.to[0] for m in mail.outbox} == {
        people.km.user.email,
        people.colleague.user.email,
        people.jobcoach.user.email,
    }


# --- the inbox -----------------------------------------------------------------------------
def _titles(member):
    return [i.title for i in inbox_for(actor_for(member)) if i.kind == Kind.NOTE]


def test_the_inbox_holds_the_note_until_its_addressee_opens_it(people, client):
    note = _add(people, people.km, to=people.intermediary.organisation)
    # The partner sees the person by their code, not their name; the author has nothing.
    label = people.person.partner_label
    assert _titles(people.intermediary) == [f"Note about {label}"]
    assert _titles(people.intermediary_colleague) == [f"Note about {label}"]
    [item] = notes_source(actor_for(people.intermediary))
    assert item.url == reverse("candidates:detail", args=[people.person.uuid]) + "#notes"
    assert people.person.last_name not in item.title + item.detail
    for member in (people.km, people.colleague, people.school, people.outsider, people.employer):
        assert _titles(member) == [], member.role
    assert _titles(people.seeker) == []
    # Opening the person's page reads the note: it leaves this reader's inbox only.
    sign_in(client, people.intermediary.user)
    page = _page(client, people.person).content.decode()
    assert "thread__new" in page
    assert _titles(people.intermediary) == []
    assert _titles(people.intermediary_colleague) == [f"Note about {label}"]
    assert NoteRead.objects.filter(note=note, membership=people.intermediary).exists()
    assert "thread__new" not in _page(client, people.person).content.decode()


def test_the_serving_organisation_sees_the_name_in_its_inbox(people, client):
    _add(people, people.school, to=people.gemeente)
    assert _titles(people.km) == [f"Note about {people.person.full_name}"]
    assert _titles(people.colleague) == []  # the person's own klantmanager works there
    sign_in(client, people.km.user)
    _page(client, people.person)
    assert _titles(people.km) == []


def test_a_new_colleague_does_not_inherit_old_notes(people, make_member):
    _add(people, people.school, to=people.intermediary.organisation)
    late = MembershipFactory(organisation=people.intermediary.organisation, role="intermediair")
    assert _titles(late) == []


# --- the person's data and erasure ---------------------------------------------------------
def test_the_person_gets_the_notes_with_their_data_and_erasure_removes_them(people, client):
    _add(people, people.school, to=people.gemeente, text="Rooster ontvangen")
    sign_in(client, people.seeker.user)
    data = client.get(reverse("candidates:self-export")).json()
    assert data["notes"][0]["text"] == "Rooster ontvangen"
    assert data["notes"][0]["by"] == people.school.organisation.name
    document = client.get(reverse("candidates:self-document")).content.decode()
    assert "Rooster ontvangen" in document
    people.person.status = "uitgestroomd"  # left the programme: no legal task keeps the data
    people.person.save(update_fields=["status"])
    candidate_erase(actor=actor_for(people.km), candidate=people.person)
    assert not Note.objects.exists()


def test_the_inbox_sources_cost_one_query_whatever_the_caseload(people, django_assert_num_queries):
    """The inbox count is on every page: each source reads its items in one query, also for
    a klantmanager with many people and notes."""
    for _ in range(15):
        person = CandidateFactory(served_by=people.gemeente, klantmanager=people.km.user)
        note_add(actor=actor_for(people.jobcoach), candidate=person, text="Even bellen?")
    km = actor_for(people.km)
    with django_assert_num_queries(1):
        assert len(notes_source(km)) == 15
