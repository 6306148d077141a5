"""``perspectief restore_drill`` (or ``restore-drill``): back up, restore into a new database
(the name + ``_drill``), start the platform on it and compare rows per table, migrations and
the access log's digest with the backup's manifest; drop the drill database. Exits 1 on any
difference. ``--manifest FILE`` drills an existing backup instead. PostgreSQL only."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from perspectief.audit.backup import BackupError
from perspectief.audit.drill import DrillReport, restore_drill


def write_report(command: BaseCommand, report: DrillReport) -> None:
    """Print the drill's lines; raise CommandError (exit 1) when anything differed."""
    command.stdout.write(
        f"Hersteloefening / restore drill: {report.manifest} → {report.drill_database}"
    )
    for ok, message in report.lines:
        label = (
            command.style.SUCCESS("OK       ")
            if ok
            else command.style.ERROR("VERSCHIL / DIFFERENCE")
        )
        command.stdout.write(f"  {label} {message}")
    timings = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in report.seconds.items())
    command.stdout.write(f"Duur / duration: {timings}")
    if not report.ok:
        raise CommandError(
            f"Hersteloefening mislukt: {len(report.differences)} verschil(len) / restore drill "
            f"failed: {len(report.differences)} difference(s)"
        )
    command.stdout.write(
        command.style.SUCCESS(
            "Hersteloefening geslaagd: de back-up is volledig terug te zetten / restore drill "
            "passed: the backup restores completely"
        )
    )


class Command(BaseCommand):
    help = (
        "Restore drill: back up, restore into a new database, start the platform on it and "
        "compare rows, migrations and the access log's digest; exit 1 on any difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--manifest",
            type=Path,
            default=None,
            help="Drill this existing backup (its .manifest.json) instead of making a new one.",
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Keep the new backup in this directory (default: a temporary one, removed).",
        )
        parser.add_argument(
            "--drill-database",
            default=None,
            help="Name of the database to restore into (default: the database's name + _drill; "
            "dropped first if it exists, and afterwards).",
        )
        parser.add_argument(
            "--keep", action="store_true", help="Leave the drill database for inspection."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore_drill(
                manifest_path=options["manifest"],
                output_dir=options["output"],
                alias=options["database"],
                drill_name=options["drill_database"],
                keep=options["keep"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        write_report(self, report)
