"""``perspectief load_reference``: load the shipped reference data (idempotent)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from perspectief.core.loading import ReferenceDataError
from perspectief.core.reference import load_all


class Command(BaseCommand):
    help = (
        "Laad de referentiedata (regio's, gemeenten, postcodes, ESCO, opleidingsniveaus, "
        "sectoren); ongewijzigde bestanden worden overgeslagen. / Load the reference data; "
        "unchanged files are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            default=None,
            help="Folder with the reference files (default: the data shipped with perspectief).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load every file, also when its checksum is unchanged.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            results = load_all(
                data_dir=options["data_dir"], stdout=self.stdout, force=options["force"]
            )
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        loaded = sum(1 for r in results.values() if r["status"] == "loaded")
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{loaded} van {len(results)} bestanden geladen / {loaded} of {len(results)} "
                f"files loaded ({seconds:.1f} s)"
            )
        )
