"""The import framework moved from ``candidates`` to its own app: a database with imports
keeps them. The jobs, their rejected rows and column mappings stay, with their ids and the
foreign keys between them; only the tables' names change (``imports`` 0001, ``candidates``
0016, ``imports`` 0002). Run on SQLite and on PostgreSQL (DATABASE_URL)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from perspectief.core import bsn as bsn_lib
from perspectief.imports.models import ColumnMapping, ImportJob, ImportRejection

from ..factories import OrganisationFactory, UserFactory

MAIN = ("candidates", "0015_consent_statement_and_method_required")
BEFORE = [MAIN, ("imports", None)]
OLD_TABLES = {"candidates_importjob", "candidates_importrejection", "candidates_columnmapping"}
NEW_TABLES = {"imports_importjob", "imports_importrejection", "imports_columnmapping"}


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def _job_in_the_old_app(organisation, user) -> dict:
    """An interrupted import with a mapping and two rejected rows, as main stored them."""
    old = MigrationExecutor(connection).loader.project_state(MAIN).apps
    mapping = old.get_model("candidates", "ColumnMapping").objects.create(
        organisation_id=organisation.pk, name="Suite", columns={"voornaam": "Voornaam"}
    )
    job = old.get_model("candidates", "ImportJob").objects.create(
        organisation_id=organisation.pk,
        started_by_id=user.pk,
        kind="candidates",
        filename="klanten.csv",
        mapping_id=mapping.pk,
        upload_encrypted=bsn_lib.encrypt_bytes(b"voornaam;achternaam\nAnna;Jansen\n"),
        status="interrupted",
        total_rows=20000,
        processed_rows=9000,
        created=8000,
        updated=500,
        unchanged=400,
        rejected=100,
        attempt=1,
    )
    rejection = old.get_model("candidates", "ImportRejection")
    for line in (7, 12):
        rejection.objects.create(
            job_id=job.pk,
            line=line,
            reason_nl="postcode: onbekende postcode 9999",
            reason_en="postcode: unknown postcode 9999",
            values={"voornaam": "Anna", "bsn_encrypted": bsn_lib.encrypt_any("111222333")},
        )
    return {"job": job.pk, "uuid": job.uuid, "mapping": mapping.pk}


def _assert_kept(stored: dict) -> None:
    job = ImportJob.objects.get(pk=stored["job"])
    assert (job.uuid, job.status, job.processed_rows, job.created, job.attempt) == (
        stored["uuid"],
        "interrupted",
        9000,
        8000,
        1,
    )
    assert job.content == b"voornaam;achternaam\nAnna;Jansen\n" and job.resumable
    assert job.mapping == ColumnMapping.objects.get(pk=stored["mapping"])
    assert job.mapping.columns == {"voornaam": "Voornaam"}
    rejections = list(ImportRejection.objects.filter(job=job).order_by("line"))
    assert [r.line for r in rejections] == [7, 12]
    assert bsn_lib.decrypt(rejections[0].values["bsn_encrypted"]) == "111222333"
    assert list(job.organisation.column_mappings.all()) == [job.mapping]


@pytest.mark.django_db(transaction=True)
def test_moving_the_import_app_keeps_jobs_rejected_rows_and_mappings():
    organisation, user = OrganisationFactory(), UserFactory()
    latest = _latest()
    try:
        _migrate(BEFORE)
        assert OLD_TABLES <= _tables() and not NEW_TABLES & _tables()
        stored = _job_in_the_old_app(organisation, user)

        _migrate(latest)
        assert NEW_TABLES <= _tables() and not OLD_TABLES & _tables()
        _assert_kept(stored)
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, "imports_columnmapping")
        assert "columnmapping_unique" in constraints

        # And back: a rollback of the upgrade gives main's tables, rows included.
        _migrate(BEFORE)
        assert OLD_TABLES <= _tables() and not NEW_TABLES & _tables()
        old = MigrationExecutor(connection).loader.project_state(MAIN).apps
        assert old.get_model("candidates", "ImportRejection").objects.count() == 2
    finally:
        _migrate(latest)
    _assert_kept(stored)
    # The rows keep pointing at each other: deleting the job deletes its rejected rows.
    ImportJob.objects.filter(pk=stored["job"]).delete()
    assert not ImportRejection.objects.exists()
