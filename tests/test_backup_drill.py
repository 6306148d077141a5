"""Backup and restore drill (#20): a dump restored into a new database starts the platform,
and its rows per table and access log are identical to the backup's manifest — and the
drill notices when they are not (a deleted or changed access record, a damaged dump)."""

import io
import json
import re
import sqlite3

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.audit import access, drill_probe, services
from perspectief.audit import backup as backup_module
from perspectief.audit.backup import (
    BackupError,
    backup,
    database_state,
    extra_connection,
    read_manifest,
    table_digest,
)
from perspectief.audit.constants import ProcessingActivity
from perspectief.audit.drill import (
    SQLITE_REFUSAL,
    DrillReport,
    compare,
    refuse_foreign_drill_database,
    restore_drill,
)
from perspectief.audit.models import AccessRecord, AuditEvent

from .factories import CandidateFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The restore drill needs PostgreSQL (pg_dump, pg_restore); CI runs the suite on "
    "PostgreSQL too, and tests/test_backup_drill.py's SQLite tests cover the file copy.",
)
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="The SQLite file copy; PostgreSQL uses pg_dump."
)


@pytest.fixture
def people_and_log(client_as):
    """Committed people, a few access records (a page view and direct reads) and an audit
    event: pg_dump runs in another session and sees committed rows only."""
    client, membership = client_as("klantmanager")
    people = CandidateFactory.create_batch(3, served_by=membership.organisation)
    assert client.get(reverse("accounts:profile")).status_code == 200
    actor = actor_for(membership)
    for person in people:
        access.record(
            actor=actor,
            activity=ProcessingActivity.ACCOUNT_VIEW,
            subject_type="candidate",
            subject_id=person.uuid,
        )
    services.record("candidate.created", actor=actor, target=people[0])
    assert AccessRecord.objects.count() >= 4
    return people


def _tamper(name: str, statement: str) -> None:
    """Run ``statement`` on the restored database past the access log's append-only
    triggers (as the superuser, with triggers off): what an attacker or a broken restore
    could do, and what the drill must notice."""
    with extra_connection(name) as alias, connections[alias].cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(statement)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_drill_restores_the_backup_and_finds_it_identical(people_and_log, tmp_path):
    report = restore_drill(output_dir=tmp_path)

    assert report.ok, report.differences
    manifest_path = next(tmp_path.glob("*.manifest.json"))
    manifest = read_manifest(manifest_path)
    # A pg_dump custom-format archive, and a manifest that describes the live database.
    assert (tmp_path / manifest["dump"]["file"]).read_bytes()[:5] == b"PGDMP"
    assert manifest["tables"]["audit_accessrecord"] == AccessRecord.objects.count()
    assert manifest["tables"]["candidates_candidate"] == 3
    assert manifest["digests"]["audit_accessrecord"] == table_digest(AccessRecord, "default")
    assert manifest["digests"]["audit_auditevent"]["rows"] == AuditEvent.objects.count() >= 1
    live = database_state("default")
    assert (live["tables"], live["digests"]) == (manifest["tables"], manifest["digests"])
    assert not manifest["migrations"]["unapplied"]
    checked = "\n".join(message for ok, message in report.lines if ok)
    assert "GET /health: 200" in checked
    assert f"GET {reverse('accounts:login')}: 200" in checked
    assert "audit_accessrecord" in checked
    # The drill database is gone afterwards.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [report.drill_database])
        assert cursor.fetchone() is None


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_drill_reports_an_access_record_missing_from_the_restore(people_and_log, tmp_path):
    victim = AccessRecord.objects.order_by("id").first().pk

    report = restore_drill(
        output_dir=tmp_path,
        after_restore=lambda name: _tamper(
            name, f"DELETE FROM audit_accessrecord WHERE id = {victim}"
        ),
    )

    assert not report.ok
    expected = AccessRecord.objects.count()
    assert any(
        "table audit_accessrecord" in d and f"back-up {expected}" in d and f"{expected - 1}" in d
        for d in report.differences
    ), report.differences
    assert any("audit_accessrecord: inhoud wijkt af" in d for d in report.differences)
    # Nothing else differs: the report points at the damage only.
    assert len(report.differences) == 2, report.differences


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_drill_reports_a_changed_access_record_that_counts_cannot_see(people_and_log, tmp_path):
    report = restore_drill(
        output_dir=tmp_path,
        after_restore=lambda name: _tamper(
            name,
            "UPDATE audit_accessrecord SET actor_display = 'iemand anders' "
            "WHERE id = (SELECT max(id) FROM audit_accessrecord)",
        ),
    )

    assert report.differences == [
        d for d in report.differences if d.startswith("audit_accessrecord: inhoud wijkt af")
    ]
    assert len(report.differences) == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_command_exits_non_zero_when_the_restore_differs_from_the_manifest(
    people_and_log, tmp_path
):
    call_command("backup", output=tmp_path, stdout=io.StringIO())
    manifest_path = next(tmp_path.glob("*.manifest.json"))
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["candidates_candidate"] += 1  # the backup claims a person it lacks
    manifest_path.write_text(json.dumps(manifest))

    out = io.StringIO()
    with pytest.raises(CommandError, match="1 verschil"):
        call_command("restore_drill", manifest=manifest_path, stdout=out)
    differences = [line for line in out.getvalue().splitlines() if "DIFFERENCE" in line]
    assert len(differences) == 1
    assert "candidates_candidate: back-up 4, teruggezet / restored 3" in differences[0]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_damaged_dump_is_reported_and_not_restored(people_and_log, tmp_path):
    manifest_path = backup(tmp_path)
    dump = tmp_path / read_manifest(manifest_path)["dump"]["file"]
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))

    report = restore_drill(manifest_path=manifest_path)

    assert len(report.differences) == 1
    assert "SHA-256" in report.differences[0]


# --- SQLite: the file is copied with the backup API ------------------------------------------
@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_backup_on_sqlite_copies_the_database_with_its_manifest(people_and_log, tmp_path):
    call_command("backup", output=tmp_path, stdout=io.StringIO())

    manifest = read_manifest(next(tmp_path.glob("*.manifest.json")))
    copy = tmp_path / manifest["dump"]["file"]
    assert manifest["dump"]["kind"] == "sqlite3-backup"
    with sqlite3.connect(copy) as db:
        # The schema's CHECK constraints use REGEXP, which Django provides to SQLite.
        db.create_function("REGEXP", 2, lambda pattern, value: bool(re.search(pattern, value)))
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = db.execute("SELECT COUNT(*) FROM audit_accessrecord").fetchone()[0]
        assert db.execute("SELECT COUNT(*) FROM candidates_candidate").fetchone()[0] == 3
    assert rows == AccessRecord.objects.count() == manifest["tables"]["audit_accessrecord"]
    assert manifest["digests"]["audit_accessrecord"] == table_digest(AccessRecord, "default")
    assert (copy.stat().st_mode & 0o777) == 0o600


@on_sqlite
@pytest.mark.django_db
def test_drill_on_sqlite_explains_that_it_needs_postgresql():
    with pytest.raises(CommandError) as refused:
        call_command("restore_drill")
    assert str(refused.value) == SQLITE_REFUSAL
    assert "needs PostgreSQL" in SQLITE_REFUSAL and "vraagt PostgreSQL" in SQLITE_REFUSAL
    with pytest.raises(BackupError):
        restore_drill()


def test_a_manifest_of_an_unknown_format_is_refused(tmp_path):
    path = tmp_path / "x.manifest.json"
    path.write_text(json.dumps({"format": 99}))
    with pytest.raises(BackupError, match="unknown manifest format"):
        read_manifest(path)
    path.write_text("{not json")
    with pytest.raises(BackupError, match="not a readable manifest"):
        read_manifest(path)


@pytest.mark.django_db
def test_a_backup_inside_a_transaction_is_refused(tmp_path):
    """PostgreSQL needs the snapshot as the transaction's first statement, and SQLite's
    backup API would wait for ever on its own open write transaction: refuse, clearly."""
    with pytest.raises(BackupError, match="cannot run inside a transaction"):
        backup(tmp_path)
    assert not list(tmp_path.iterdir())


def _state(**changes):
    state = {
        "migrations": {"applied": ["audit.0001_initial", "audit.0002_x"], "unapplied": []},
        "tables": {"audit_accessrecord": 5, "candidates_candidate": 3},
        "digests": {"audit_accessrecord": {"rows": 5, "sha256": "a" * 64}},
    }
    state.update(changes)
    return state


def test_compare_reports_every_kind_of_difference(tmp_path):
    manifest = _state()
    found = {
        "database": "live_drill",
        "state": _state(
            migrations={"applied": ["audit.0001_initial"], "unapplied": ["audit.0002_x"]},
            tables={"audit_accessrecord": 5, "extra_table": 1},
            digests={"audit_accessrecord": {"rows": 5, "sha256": "b" * 64}},
        ),
        "check_errors": ["audit.E001: the role owns the access log"],
        "requests": {"/health": 200, "/accounts/login/": 500},
    }
    report = DrillReport(manifest=tmp_path / "m.json", drill_database="live_drill")

    compare(manifest, found, report)

    assert report.differences == [
        "migraties wijken af / migrations differ: ontbreken / missing audit.0002_x; extra -",
        "niet toegepaste migraties (migrate --check) / unapplied migrations: audit.0002_x",
        "systeemcontrole / system check: audit.E001: the role owns the access log",
        "GET /accounts/login/: 500 (verwacht / expected 200)",
        "tabel / table candidates_candidate: back-up 3, teruggezet / restored ontbreekt / missing",
        "tabel / table extra_table: back-up ontbreekt / missing, teruggezet / restored 1",
        "audit_accessrecord: inhoud wijkt af / content differs — back-up 5 rijen / rows sha256 "
        "aaaaaaaaaaaaaaaa…, teruggezet / restored 5 rijen / rows sha256 bbbbbbbbbbbbbbbb…",
    ]
    assert [message for ok, message in report.lines if ok] == ["GET /health: 200"]


def test_compare_refuses_a_probe_that_read_another_database(tmp_path):
    report = DrillReport(manifest=tmp_path / "m.json", drill_database="live_drill")
    compare(_state(), {"database": "live", "state": _state()}, report)
    assert len(report.differences) == 1
    assert "instead of the drill database" in report.differences[0]


@pytest.mark.django_db(transaction=True)
def test_probe_starts_the_platform_and_reads_the_database(people_and_log):
    """What the drill runs in its own process on the restored database, here in-process on
    the test database: the real WSGI application answers, the state is the database's."""
    found = drill_probe.probe()

    assert found["requests"] == {"/health": 200, reverse("accounts:login"): 200}
    assert found["check_errors"] == []
    assert found["state"]["tables"]["audit_accessrecord"] == AccessRecord.objects.count()
    assert found["state"]["digests"]["audit_accessrecord"] == table_digest(AccessRecord, "default")
    assert found["state"]["migrations"]["unapplied"] == []


@pytest.mark.parametrize(
    "name",
    [
        "perspectief",  # not plainly a drill's
        "x" * 60 + "_drill",  # cut short by PostgreSQL: could name another database
        "host=elsewhere dbname=x_drill",  # a connection string to pg_restore
        "perspectief;drop_drill",
    ],
)
def test_the_drill_refuses_a_database_that_is_not_plainly_its_own(name):
    with pytest.raises(BackupError):
        refuse_foreign_drill_database(name)


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_the_drill_refuses_a_database_the_platform_uses(settings):
    settings.DATABASES = {**settings.DATABASES, "other": {"NAME": "reports_drill"}}
    with pytest.raises(BackupError):
        refuse_foreign_drill_database("reports_drill")
    refuse_foreign_drill_database("perspectief_drill")  # its own drill name: fine


def test_a_backup_is_owner_only_from_its_first_byte(tmp_path, monkeypatch):
    """The dump is created 0600 before anything is written into it (a killed process
    leaves no file others can read), in a folder only the owner can enter."""
    seen = {}

    def fake_copy(target, alias):
        seen["mode"] = target.stat().st_mode & 0o777
        raise KeyboardInterrupt  # killed halfway

    monkeypatch.setattr(backup_module, "_copy_sqlite", fake_copy)
    monkeypatch.setattr(backup_module, "_dump_postgresql", fake_copy)
    folder = tmp_path / "backups"
    with pytest.raises(KeyboardInterrupt):
        backup_module.backup(folder)
    assert seen["mode"] == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
