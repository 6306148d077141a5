"""Backups of the database, with a manifest that lets a restore be verified.

``perspectief backup`` writes, per run, a dump (PostgreSQL: ``pg_dump -Fc``; SQLite: a copy
made with SQLite's online backup API) and beside it a manifest: the time, the migrations
applied, the number of rows in every table and a SHA-256 digest over the access log and the
audit events, row by row in id order. On PostgreSQL the counts and digests are read in the
very snapshot ``pg_dump`` dumps (``pg_export_snapshot``), so they describe the dump exactly
even while the platform keeps writing. ``perspectief restore_drill`` (drill.py) restores a
dump into a new database and compares it with its manifest. docs/backup.md has the procedure.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Model
from django.db.utils import load_backend

import perspectief

from .models import AccessRecord, AuditEvent

MANIFEST_FORMAT = 1
#: The tables whose every row is digested: the access log and the audit of changes.
DIGESTED_MODELS: tuple[type[Model], ...] = (AccessRecord, AuditEvent)
_CHUNK = 2000


class BackupError(Exception):
    """A backup or drill that cannot go on; the message is Dutch / English."""


# --- what a database holds: migrations, rows per table, digests ------------------------------
def _canonical(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    raise TypeError(f"cannot digest {type(value).__name__}")


def table_digest(model: type[Model], alias: str) -> dict[str, Any]:
    """SHA-256 over every row of ``model`` in id order, each row the JSON list of its
    columns (keys sorted, times in ISO 8601), one line per row; streamed in chunks (a
    server-side cursor on PostgreSQL), so a large log needs no memory."""
    columns = [field.attname for field in model._meta.concrete_fields]
    rows = (
        model._base_manager.using(alias)
        .order_by("pk")
        .values_list(*columns)
        .iterator(chunk_size=_CHUNK)
    )
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        line = json.dumps(
            list(row), default=_canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        digest.update(line.encode() + b"\n")
        count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


def database_state(alias: str = "default") -> dict[str, Any]:
    """Migrations applied (and any the code has that the database lacks), rows per table
    and the digests of DIGESTED_MODELS, as read through connection ``alias``."""
    connection = connections[alias]
    executor = MigrationExecutor(connection)
    applied = sorted(f"{app}.{name}" for app, name in executor.recorder.applied_migrations())
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    unapplied = sorted(f"{m.app_label}.{m.name}" for m, backwards in plan if not backwards)
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return {
        "migrations": {"applied": applied, "unapplied": unapplied},
        "tables": counts,
        # None for a table the database lacks (not yet migrated).
        "digests": {
            model._meta.db_table: table_digest(model, alias)
            if model._meta.db_table in counts
            else None
            for model in DIGESTED_MODELS
        },
    }


# --- connections to another database with the same settings ----------------------------------
def database_settings(alias: str = "default") -> dict[str, Any]:
    return connections[alias].settings_dict


@contextmanager
def extra_connection(name: str, *, alias: str = "default") -> Iterator[str]:
    """A temporary connection alias to database ``name`` (a PostgreSQL database on the same
    server, or an SQLite file), with the settings of ``alias`` otherwise. The connection is
    made directly rather than added to the DATABASES settings, which stay as they are."""
    extra = f"{alias}__backup_{uuid.uuid4().hex[:8]}"
    conf = {**database_settings(alias), "NAME": name}
    wrapper = load_backend(conf["ENGINE"]).DatabaseWrapper(conf, extra)
    connections[extra] = wrapper
    try:
        yield extra
    finally:
        wrapper.close()
        del connections[extra]


def database_url(name: str, *, alias: str = "default") -> str:
    """DATABASE_URL for database ``name`` with the server and user of ``alias``."""
    conf = database_settings(alias)
    user = quote(conf.get("USER") or "", safe="")
    password = quote(str(conf.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = conf.get("HOST") or "localhost"
    if ":" in host and not host.startswith("/"):
        host = f"[{host}]"
    port = f":{conf['PORT']}" if conf.get("PORT") else ""
    if host.startswith("/"):  # a Unix socket directory goes in the query string
        return f"postgres://{credentials}/{quote(name)}?host={quote(host, safe='')}"
    return f"postgres://{credentials}{host}{port}/{quote(name)}"


def pg_command(program: str, *args: str, alias: str = "default") -> tuple[list[str], dict]:
    """The command line and environment to run a PostgreSQL client program against the
    server of ``alias``: host, port and user from the settings, the password in PGPASSWORD
    (never on the command line, where ``ps`` would show it)."""
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            f"{program} niet gevonden; installeer de PostgreSQL-client (postgresql-client) / "
            f"{program} not found; install the PostgreSQL client tools."
        )
    conf = database_settings(alias)
    command = [path]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if conf.get(key):
            command += [flag, str(conf[key])]
    env = {**os.environ}
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    sslmode = (conf.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return [*command, *args], env


def run_pg(program: str, *args: str, alias: str = "default") -> None:
    command, env = pg_command(program, *args, alias=alias)
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(
            f"{program} mislukt / failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}"
        )


# --- the backup ------------------------------------------------------------------------------
def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _refuse_inside_transaction(connection) -> None:
    # PostgreSQL: the snapshot must be the transaction's first statement. SQLite: the
    # backup API waits for ever on a source connection that holds a write transaction.
    if connection.in_atomic_block:
        raise BackupError(
            "Een back-up kan niet binnen een transactie / a backup cannot run inside a transaction."
        )


def _dump_postgresql(target: Path, alias: str) -> dict[str, Any]:
    """pg_dump -Fc into ``target``; the state is read in the snapshot pg_dump dumps."""
    connection = connections[alias]
    _refuse_inside_transaction(connection)
    name = database_settings(alias)["NAME"]
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            # The first statement of the transaction; the snapshot lives until it ends.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        run_pg(
            "pg_dump",
            "--format=custom",
            f"--snapshot={snapshot}",
            f"--file={target}",
            "--dbname",
            name,
            alias=alias,
        )
        return database_state(alias)


def _copy_sqlite(target: Path, alias: str) -> dict[str, Any]:
    """A consistent copy of a live SQLite database through SQLite's online backup API
    (which WAL and concurrent writers do not disturb), from the platform's own connection;
    the state in the manifest is read from the copy itself."""
    connection = connections[alias]
    _refuse_inside_transaction(connection)
    connection.ensure_connection()
    copy = sqlite3.connect(str(target))
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    with extra_connection(str(target), alias=alias) as copied:
        return database_state(copied)


def _owner_only(path: Path) -> None:
    """Create ``path`` empty and readable by its owner only, before anything is written into
    it: a dump holds everyone's personal data, also while it is being written, and also when
    the process is killed halfway (``pg_dump --file`` and SQLite keep the mode of a file that
    exists)."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def backup(output_dir: Path, *, alias: str = "default", stem: str | None = None) -> Path:
    """Write a dump and its manifest into ``output_dir``; return the manifest's path."""
    connection = connections[alias]
    output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    stem = stem or f"perspectief-{now:%Y%m%dT%H%M%SZ}"
    if connection.vendor == "postgresql":
        target, kind, make = output_dir / f"{stem}.dump", "pg_dump-custom", _dump_postgresql
    elif connection.vendor == "sqlite":
        target, kind, make = output_dir / f"{stem}.sqlite3", "sqlite3-backup", _copy_sqlite
    else:  # pragma: no cover - settings accept only these two
        raise BackupError(f"database {connection.vendor!r}: niet ondersteund / not supported")
    _owner_only(target)
    try:
        state = make(target, alias)
    except BaseException:
        target.unlink(missing_ok=True)  # no half-written dump without a manifest
        raise
    manifest = {
        "format": MANIFEST_FORMAT,
        "created_at": now.isoformat(),
        "perspectief_version": perspectief.__version__,
        "database": {"vendor": connection.vendor, "name": str(database_settings(alias)["NAME"])},
        "dump": {
            "file": target.name,
            "kind": kind,
            "bytes": target.stat().st_size,
            "sha256": file_sha256(target),
        },
        **state,
    }
    manifest_path = output_dir / f"{stem}.manifest.json"
    _owner_only(manifest_path)
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest_path


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise BackupError(
            f"{path}: geen leesbaar manifest / not a readable manifest ({error})"
        ) from None
    if manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(
            f"{path}: onbekend manifestformaat / unknown manifest format {manifest.get('format')!r}"
        )
    return manifest
