"""The access log (Logboek Dataverwerkingen): one record per processing of a person's data,
written also when the request fails, append-only, and readable per person by the privacy
officer (security promises 7 and 8)."""

import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from perspectief.audit import access
from perspectief.audit.access import subject_pseudonym
from perspectief.audit.constants import AccessResult, ProcessingActivity, SubjectType
from perspectief.audit.middleware import AccessLogMiddleware
from perspectief.audit.models import AccessRecord

from ..conftest import sign_in


def _records_for(user):
    return AccessRecord.objects.for_subject(SubjectType.USER, user.uuid)


@pytest.mark.django_db
def test_profile_view_writes_one_access_record_with_actor_and_purpose(client_as):
    client, membership = client_as("klantmanager")
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    record = _records_for(membership.user).get()
    assert record.activity == ProcessingActivity.ACCOUNT_VIEW
    assert record.actor_user_id == membership.user.pk
    assert record.organisation_id == membership.organisation.pk
    assert record.role == "klantmanager"
    assert record.result == AccessResult.OK
    assert record.operation == "read"
    assert record.request == "GET /accounts/profile/"
    # The person is pseudonymised: their UUID does not appear in the record.
    assert str(membership.user.uuid) not in record.data_subject
    assert record.data_subject == subject_pseudonym("user", str(membership.user.uuid))


@pytest.mark.django_db
def test_record_is_written_when_the_view_fails_and_its_transaction_rolls_back(actor_as):
    """A view that reads a person, then crashes inside its transaction, still leaves the
    trace of the read, marked as failed; the change it attempted is gone."""
    actor = actor_as("functioneel_beheerder")
    subject = actor.user

    def failing_view(request):
        with transaction.atomic():
            access.record(
                actor=actor,
                activity=ProcessingActivity.ACCOUNT_MANAGE,
                subject_type=SubjectType.USER,
                subject_id=subject.uuid,
            )
            subject.first_name = "Gewijzigd"
            subject.save()
            raise RuntimeError("crash half-way")

    middleware = AccessLogMiddleware(failing_view)
    with pytest.raises(RuntimeError):
        middleware(RequestFactory().get("/some/page"))
    record = _records_for(subject).get()
    assert record.result == AccessResult.ERROR
    subject.refresh_from_db()
    assert subject.first_name != "Gewijzigd"


@pytest.mark.django_db
def test_result_follows_the_response_status(actor_as):
    actor = actor_as("functioneel_beheerder")
    from django.http import HttpResponse

    def forbidden_view(request):
        access.record(
            actor=actor,
            activity=ProcessingActivity.ACCOUNT_MANAGE,
            subject_type=SubjectType.USER,
            subject_id=actor.user.uuid,
        )
        return HttpResponse(status=403)

    AccessLogMiddleware(forbidden_view)(RequestFactory().get("/x"))
    assert _records_for(actor.user).get().result == AccessResult.DENIED


@pytest.mark.django_db
def test_access_records_cannot_be_changed_or_deleted_through_the_application(actor_as):
    actor = actor_as("klantmanager")
    access.record(
        actor=actor,
        activity=ProcessingActivity.ACCOUNT_VIEW,
        subject_type=SubjectType.USER,
        subject_id=actor.user.uuid,
    )
    record = AccessRecord.objects.get()
    record.result = AccessResult.DENIED
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        AccessRecord.objects.filter(pk=record.pk).update(result="denied")
    with pytest.raises(PermissionError):
        AccessRecord.objects.all().delete()
    # Even raw SQL past the ORM is refused by the database trigger.
    with pytest.raises(IntegrityError if connection.vendor == "sqlite" else Exception):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_accessrecord SET result = 'denied'")
    assert AccessRecord.objects.get().result == AccessResult.OK


@pytest.mark.django_db
def test_privacy_officer_reads_a_persons_log_through_the_api(client_as, make_member):
    client, officer = client_as("functioneel_beheerder")
    person = make_member("klantmanager").user
    other = make_member("klantmanager").user
    # Two processings of the person, one of somebody else.
    for subject in (person, person, other):
        access.record(
            actor=None,
            activity=ProcessingActivity.ACCOUNT_VIEW,
            subject_type=SubjectType.USER,
            subject_id=subject.uuid,
        )
    response = client.get(reverse("api:access-log"), {"person": str(person.uuid)})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {r["activity"] for r in body["results"]} == {"account.view"}
    # The inspection itself is a processing of the person, logged after the answer.
    inspections = _records_for(person).filter(activity=ProcessingActivity.ACCESS_LOG_INSPECT)
    assert inspections.count() == 1
    assert inspections.get().actor_user_id == officer.user.pk


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{}, {"person": ""}, {"person": "not-a-uuid"}])
def test_access_log_query_without_a_valid_person_is_refused(client_as, query):
    client, _ = client_as("functioneel_beheerder")
    response = client.get(reverse("api:access-log"), query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalidParams"][0]["name"] == "person"


@pytest.mark.django_db
def test_person_of_another_region_answers_like_a_person_that_does_not_exist(client_as, make_member):
    client, _ = client_as("functioneel_beheerder", "AM18")
    elsewhere = make_member("klantmanager", "AM22").user
    foreign = client.get(reverse("api:access-log"), {"person": str(elsewhere.uuid)})
    absent = client.get(reverse("api:access-log"), {"person": str(uuid.uuid4())})
    assert foreign.status_code == absent.status_code == 404
    strip = lambda body: {k: v for k, v in body.items() if k != "instance"}  # noqa: E731
    assert strip(foreign.json()) == strip(absent.json())


@pytest.mark.django_db
def test_web_page_lists_processings_of_a_person(client_as, make_member):
    client, _ = client_as("functioneel_beheerder")
    person = make_member("jobcoach").user
    access.record(
        actor=None,
        activity=ProcessingActivity.ACCOUNT_MANAGE,
        subject_type=SubjectType.USER,
        subject_id=person.uuid,
    )
    response = client.get(reverse("access-log"), {"person": str(person.uuid)})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1
    assert "Manage user accounts" in response.content.decode() or "beheren" in (
        response.content.decode()
    )
    assert (
        AccessRecord.objects.for_subject("user", person.uuid)
        .filter(activity=ProcessingActivity.ACCESS_LOG_INSPECT)
        .exists()
    )


@pytest.mark.django_db
def test_manage_pages_log_every_person_they_show(client, make_member):
    officer = make_member("functioneel_beheerder")
    people = [make_member("klantmanager").user for _ in range(3)]
    sign_in(client, officer.user)
    response = client.get(reverse("accounts:manage-users"))
    assert response.status_code == 200
    for person in people:
        assert _records_for(person).filter(activity=ProcessingActivity.ACCOUNT_MANAGE).count() == 1
