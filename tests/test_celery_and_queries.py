"""Celery is bound to the settings; hot pages keep a bounded number of queries."""

import pytest
from celery import shared_task
from django.conf import settings
from django.urls import reverse

from perspectief.celery import app

from .factories import OrganisationFactory


@shared_task
def _double(x):
    return 2 * x


def test_celery_uses_the_configured_broker_and_runs_eagerly_in_the_embedded_default():
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_always_eager is True
    assert app.conf.task_acks_late is True
    assert _double.delay(21).get() == 42


def test_every_periodic_job_is_a_registered_task():
    """The beat schedule names tasks by string: a typo would only show in production."""
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {
        "matching.remind_proposals",
        "matching.fail_stale_runs",
        "matching.resume_runs",
        "candidates.purge_rejections",
        "candidates.watch_imports",
        "notifications.retry_waiting",
        "notifications.send_digests",
        "vacancies.overdue_requests",
        "routes.notify_due_work",
        "accounts.purge_invitations",
        "candidates.ask_reconfirmation",
        "instruments.remind_deadlines",
        "monitoring.check_borging",
        "support.remind_questionnaires",
    }
    assert scheduled <= set(app.tasks)


@pytest.mark.django_db
@pytest.mark.parametrize("n", [5, 40])
def test_organisation_list_query_count_does_not_grow_with_rows(
    client_as, world, n, django_assert_max_num_queries
):
    client, _ = client_as("klantmanager")
    for _ in range(n):
        OrganisationFactory(kind="employer", municipality=world.amsterdam)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("organisations:list")).status_code == 200


@shared_task
def _read_then_fail(user_uuid):
    from django.db import transaction

    from perspectief.audit import access
    from perspectief.audit.constants import ProcessingActivity, SubjectType

    with transaction.atomic():
        access.record(
            actor=None,
            activity=ProcessingActivity.ACCOUNT_VIEW,
            subject_type=SubjectType.USER,
            subject_id=user_uuid,
        )
        raise RuntimeError("task fails after reading")


@pytest.mark.django_db
def test_a_failing_task_still_leaves_its_access_records(make_member):
    from perspectief.audit.models import AccessRecord

    user = make_member("klantmanager").user
    with pytest.raises(RuntimeError):
        _read_then_fail.delay(str(user.uuid))
    record = AccessRecord.objects.for_subject("user", user.uuid).get()
    assert record.result == "error"
    assert record.request.startswith("task ")
