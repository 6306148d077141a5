"""The restore drill: a backup is only as good as a restore that has been tried.

``restore_drill`` makes a backup (or takes an existing one), restores the dump into a new
PostgreSQL database beside the live one, starts the platform on the restored database in a
separate process (drill_probe.py: migrations, system checks, ``/health`` and the sign-in
page through the real WSGI application, then the rows per table and the digests) and
compares what it finds with the backup's manifest. Every difference is reported; the drill
database is dropped afterwards. docs/backup.md explains how to read the report.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

import perspectief

from .backup import (
    BackupError,
    backup,
    database_settings,
    database_url,
    file_sha256,
    read_manifest,
    run_pg,
)

DRILL_SUFFIX = "_drill"
#: PostgreSQL truncates identifiers longer than this (bytes).
_MAX_NAME = 63
_PROBE_TIMEOUT = 600

SQLITE_REFUSAL = (
    "De hersteloefening vraagt PostgreSQL; kopieer bij SQLite het bestand — `perspectief "
    "backup` kopieert het SQLite-bestand met de back-up-API van sqlite3. / The drill needs "
    "PostgreSQL; for SQLite copy the file — `perspectief backup` then copies the SQLite "
    "file with the sqlite3 backup API."
)


@dataclass
class DrillReport:
    """What the drill checked: each line is (passed, message)."""

    manifest: Path
    drill_database: str
    lines: list[tuple[bool, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def passed(self, message: str) -> None:
        self.lines.append((True, message))

    def differs(self, message: str) -> None:
        self.lines.append((False, message))

    @property
    def differences(self) -> list[str]:
        return [message for ok, message in self.lines if not ok]

    @property
    def ok(self) -> bool:
        return not self.differences


def drill_database_name(source: str) -> str:
    return source.encode()[: _MAX_NAME - len(DRILL_SUFFIX)].decode(errors="ignore") + DRILL_SUFFIX


#: A drill database's name: plain characters, ending in "_drill", within PostgreSQL's 63
#: bytes (a longer name is cut short by PostgreSQL, and could then name another database;
#: a name with "=" would be read as a connection string by pg_restore).
DRILL_NAME = re.compile(r"[A-Za-z0-9_-]{1,57}_drill")


def refuse_foreign_drill_database(name: str) -> None:
    """The drill drops and recreates its database: never one the platform uses, never one
    that is not plainly a drill's."""
    if not DRILL_NAME.fullmatch(name):
        raise BackupError(
            f"{name!r}: de naam van de oefendatabase moet eindigen op _drill en mag alleen "
            "letters, cijfers, - en _ bevatten (hoogstens 63 tekens) / the drill database's "
            "name must end in _drill and hold only letters, digits, - and _ (63 at most)."
        )
    used = {str(db.get("NAME", ""))[:63] for db in settings.DATABASES.values()}
    if name[:63] in used:
        raise BackupError(
            "De oefendatabase mag geen database van het platform zijn / the drill database "
            "cannot be one of the platform's databases."
        )


def restore_drill(
    *,
    manifest_path: Path | None = None,
    output_dir: Path | None = None,
    alias: str = "default",
    drill_name: str | None = None,
    keep: bool = False,
    after_restore: Callable[[str], None] | None = None,
) -> DrillReport:
    """Back up (unless ``manifest_path`` names an existing backup), restore into
    ``drill_name`` (default: the database's name + ``_drill``), verify, drop.

    ``after_restore(drill_name)`` runs between the restore and the verification (tests
    use it to tamper with the restored database and see the drill notice)."""
    if connections[alias].vendor != "postgresql":
        raise BackupError(SQLITE_REFUSAL)
    source = str(database_settings(alias)["NAME"])
    drill_name = drill_name or drill_database_name(source)
    refuse_foreign_drill_database(drill_name)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="perspectief-drill-") as scratch:
        if manifest_path is None:
            manifest_path = backup(output_dir or Path(scratch), alias=alias)
        report = DrillReport(manifest=manifest_path, drill_database=drill_name)
        report.seconds["backup"] = time.monotonic() - started
        manifest = read_manifest(manifest_path)
        dump = manifest_path.parent / manifest["dump"]["file"]
        if not _dump_intact(dump, manifest, report):
            return report
        run_pg("dropdb", "--if-exists", "--force", drill_name, alias=alias)
        run_pg("createdb", drill_name, alias=alias)
        try:
            mark = time.monotonic()
            run_pg(
                "pg_restore",
                "--exit-on-error",
                "--no-owner",
                f"--dbname={drill_name}",
                str(dump),
                alias=alias,
            )
            report.seconds["restore"] = time.monotonic() - mark
            if after_restore is not None:
                after_restore(drill_name)
            mark = time.monotonic()
            found = run_probe(drill_name, alias=alias, scratch=Path(scratch))
            report.seconds["verify"] = time.monotonic() - mark
            compare(manifest, found, report)
        finally:
            if not keep:
                run_pg("dropdb", "--if-exists", "--force", drill_name, alias=alias)
    report.seconds["total"] = time.monotonic() - started
    return report


def _dump_intact(dump: Path, manifest: dict[str, Any], report: DrillReport) -> bool:
    if manifest["database"]["vendor"] != "postgresql":
        report.differs(
            f"{report.manifest.name}: geen PostgreSQL-dump / not a PostgreSQL dump "
            f"({manifest['database']['vendor']})"
        )
        return False
    if not dump.is_file():
        report.differs(f"{dump}: dump ontbreekt / dump missing")
        return False
    if file_sha256(dump) != manifest["dump"]["sha256"]:
        report.differs(
            f"{dump.name}: SHA-256 wijkt af van het manifest, het bestand is beschadigd / "
            "SHA-256 differs from the manifest, the file is damaged"
        )
        return False
    report.passed(f"dump {dump.name}: {manifest['dump']['bytes']} bytes, SHA-256 klopt / matches")
    return True


def run_probe(name: str, *, alias: str, scratch: Path) -> dict[str, Any]:
    """Start the platform on database ``name`` in a new process (same settings module,
    DATABASE_URL pointed at ``name``) and return what drill_probe.py found there."""
    out = scratch / f"probe-{name}.json"
    package_root = str(Path(perspectief.__file__).resolve().parent.parent)
    # (A settings override in tests hides SETTINGS_MODULE; the environment still has it.)
    settings_module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE")
    if not settings_module:
        raise BackupError(
            "DJANGO_SETTINGS_MODULE ontbreekt / is not set: the drill starts the platform with it."
        )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database_url(name, alias=alias),
        "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "perspectief.audit.drill_probe", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=_PROBE_TIMEOUT,
        check=False,
    )
    if done.returncode != 0 or not out.is_file():
        raise BackupError(
            "Het platform start niet op de teruggezette database / the platform does not start "
            f"on the restored database (exit {done.returncode}): {done.stderr.strip()[-3000:]}"
        )
    return json.loads(out.read_text())


def compare(manifest: dict[str, Any], found: dict[str, Any], report: DrillReport) -> None:
    """Add a line per check to ``report``: every difference between the manifest and what
    the probe found on the restored database."""
    if found["database"] != report.drill_database:
        report.differs(
            f"de controle las {found['database']!r} in plaats van de oefendatabase / the check "
            f"read {found['database']!r} instead of the drill database"
        )
        return
    _compare_migrations(manifest["migrations"], found["state"]["migrations"], report)
    if found["check_errors"]:
        for message in found["check_errors"]:
            report.differs(f"systeemcontrole / system check: {message}")
    else:
        report.passed("systeemcontroles zonder fouten / system checks without errors")
    for path, status in found["requests"].items():
        line = f"GET {path}: {status}"
        if status == 200:
            report.passed(line)
        else:
            report.differs(f"{line} (verwacht / expected 200)")
    _compare_tables(manifest["tables"], found["state"]["tables"], report)
    for table, expected in manifest["digests"].items():
        actual = found["state"]["digests"].get(table)
        if actual == expected and expected is None:
            report.differs(
                f"{table}: ontbreekt / missing (database niet gemigreerd / not migrated)"
            )
        elif actual == expected:
            report.passed(f"{table}: {expected['rows']} rijen / rows, SHA-256 gelijk / equal")
        else:
            report.differs(
                f"{table}: inhoud wijkt af / content differs — back-up {_rows(expected)}, "
                f"teruggezet / restored {_rows(actual)}"
            )


def _rows(digest: dict[str, Any] | None) -> str:
    if not digest:
        return "ontbreekt / missing"
    return f"{digest['rows']} rijen / rows sha256 {digest['sha256'][:16]}…"


def _compare_migrations(expected: dict, actual: dict, report: DrillReport) -> None:
    missing = sorted(set(expected["applied"]) - set(actual["applied"]))
    extra = sorted(set(actual["applied"]) - set(expected["applied"]))
    if missing or extra:
        report.differs(
            "migraties wijken af / migrations differ: ontbreken / missing "
            f"{', '.join(missing) or '-'}; extra {', '.join(extra) or '-'}"
        )
    else:
        report.passed(f"{len(expected['applied'])} migraties gelijk / migrations equal")
    if actual["unapplied"]:
        report.differs(
            "niet toegepaste migraties (migrate --check) / unapplied migrations: "
            + ", ".join(actual["unapplied"])
        )
    else:
        report.passed("geen openstaande migraties / no unapplied migrations")


def _compare_tables(expected: dict[str, int], actual: dict[str, int], report: DrillReport) -> None:
    differing = 0
    for table in sorted(set(expected) | set(actual)):
        before, after = expected.get(table), actual.get(table)
        if before == after:
            continue
        differing += 1
        report.differs(
            f"tabel / table {table}: back-up "
            + ("ontbreekt / missing" if before is None else f"{before}")
            + ", teruggezet / restored "
            + ("ontbreekt / missing" if after is None else f"{after}")
        )
    if not differing:
        report.passed(
            f"{len(expected)} tabellen, {sum(expected.values())} rijen gelijk / tables, rows equal"
        )
