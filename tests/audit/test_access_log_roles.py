"""The access log's append-only promise on PostgreSQL rests on a role split (security promise
8; #14 item 21): migrations run as the owner of the tables, the application as a role that
may only INSERT and SELECT on the access log. Then not even raw SQL of the application can
UPDATE, DELETE or TRUNCATE it, or switch its triggers off. Runs on PostgreSQL only (CI runs
the suite again on PostgreSQL)."""

import uuid
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity, SubjectType
from perspectief.audit.models import AccessRecord
from perspectief.organisations.models import Organisation

from ..factories import OrganisationFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="roles and privileges are PostgreSQL's"
    ),
    pytest.mark.django_db,
]

TABLE = AccessRecord._meta.db_table


@pytest.fixture
def app_role():
    """A role of its own, created in the test's transaction (and so gone after it)."""
    name = f"perspectief_app_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" NOLOGIN')
    return name


@contextmanager
def acting_as(role):
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def _record(subject="someone"):
    access.record(
        actor=None,
        activity=ProcessingActivity.ACCOUNT_VIEW,
        subject_type=SubjectType.USER,
        subject_id=subject,
    )


def _refused(sql, match):
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_app_role_may_only_insert_and_select_on_the_access_log(app_role, world):
    _record("before")
    organisation = OrganisationFactory(name="Gemeente Test")
    call_command("grant_app_role", app_role, stdout=StringIO())
    with acting_as(app_role):
        # What the application does works: write and read access records ...
        _record("as the application")
        assert AccessRecord.objects.count() == 2
        # ... and the normal rights elsewhere.
        Organisation.objects.filter(pk=organisation.pk).update(name="Gemeente Test 2")
        # What would change or remove the log is refused by the database itself.
        _refused(f"UPDATE {TABLE} SET result = 'denied'", "permission denied")
        _refused(f"DELETE FROM {TABLE}", "permission denied")
        _refused(f"TRUNCATE {TABLE}", "permission denied")
        _refused(f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL", "must be owner")
        _refused(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_accessrecord_no_update", "owner")
        _refused(f"DROP TABLE {TABLE}", "must be owner")
    assert AccessRecord.objects.count() == 2
    assert Organisation.objects.get(pk=organisation.pk).name == "Gemeente Test 2"


def test_the_deploy_check_refuses_an_application_that_owns_the_access_log(app_role, world):
    from perspectief.audit.checks import access_log_role

    # As the owner (the test database's owner, a superuser): the check says why it is unsafe.
    problems = access_log_role(app_configs=None, databases=["default"])
    assert [p.id for p in problems] == ["audit.E001"]
    assert TABLE in problems[0].msg
    call_command("grant_app_role", app_role, stdout=StringIO())
    with acting_as(app_role):
        assert access_log_role(app_configs=None, databases=["default"]) == []
    # Without --database the check does not touch the database (Django's convention).
    assert access_log_role(app_configs=None, databases=None) == []


def test_migrate_grants_the_configured_app_role(app_role, world, settings):
    settings.DATABASE_APP_ROLE = app_role
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate still runs
    with acting_as(app_role):
        _record("as the application")
        _refused(f"TRUNCATE {TABLE}", "permission denied")


def test_grant_app_role_refuses_the_owner_and_superusers(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match=r"eigenaar|superuser"):
        call_command("grant_app_role", owner)


def test_grant_app_role_prints_the_sql_for_a_dba(app_role, world):
    out = StringIO()
    call_command("grant_app_role", app_role, "--sql", stdout=out)
    sql = out.getvalue()
    assert f'GRANT SELECT, INSERT ON "{TABLE}" TO "{app_role}"' in sql
    assert f'REVOKE ALL ON "{TABLE}" FROM "{app_role}"' in sql
    with acting_as(app_role):  # nothing was executed
        _refused(f"SELECT 1 FROM {TABLE}", "permission denied")
