"""``perspectief backup``: a dump of the database and a manifest beside it (PostgreSQL:
``pg_dump -Fc``; SQLite: a copy through the sqlite3 backup API). ``--drill`` restores the new
backup at once into a drill database and verifies it (``perspectief restore_drill``).
docs/backup.md has the schedule, retention and the restore procedure."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from perspectief.audit.backup import BackupError, backup, read_manifest
from perspectief.audit.drill import restore_drill

from .restore_drill import write_report


class Command(BaseCommand):
    help = (
        "Back up the database: a dump (pg_dump -Fc, or a copy of the SQLite file) and a "
        "manifest with migrations, rows per table and the access log's digest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Directory for the dump and manifest (default: PERSPECTIEF_DATA_DIR/backups).",
        )
        parser.add_argument(
            "--drill",
            action="store_true",
            help="Then restore the new backup into a drill database and verify it "
            "(PostgreSQL only).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or Path(settings.DATA_DIR) / "backups"
        try:
            manifest_path = backup(output, alias=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = read_manifest(manifest_path)
        dump = manifest["dump"]
        self.stdout.write(
            f"Back-up / backup: {manifest_path.parent / dump['file']} ({dump['bytes']} bytes)\n"
            f"Manifest: {manifest_path}\n"
            f"{len(manifest['tables'])} tabellen / tables, "
            f"{sum(manifest['tables'].values())} rijen / rows"
        )
        if options["drill"]:
            try:
                report = restore_drill(manifest_path=manifest_path, alias=options["database"])
            except BackupError as error:
                raise CommandError(str(error)) from None
            write_report(self, report)
