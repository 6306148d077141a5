"""``perspectief import_esco PATH [--language nl]``: labels from an official ESCO CSV export."""

from django.core.management.base import BaseCommand, CommandError

from perspectief.core.loading import ReferenceDataError
from perspectief.taxonomy.loaders import EXAMPLES, import_esco_export


class Command(BaseCommand):
    help = (
        "Importeer de labels uit een officiële ESCO-CSV-download (map of bestand) in één taal. / "
        "Import the labels of an official ESCO CSV download (directory or file) in one language."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            help="Directory with occupations_<lang>.csv, skills_<lang>.csv, ISCOGroups_<lang>.csv "
            "(optionally .gz), or one such file.",
        )
        parser.add_argument(
            "--language",
            default=None,
            help="Two-letter language code (nl, de, …); default: taken from the file names.",
        )

    def handle(self, *args, **options):
        try:
            results = import_esco_export(options["path"], language=options["language"])
        except (ReferenceDataError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            self.stdout.write(
                f"{result.file} ({result.kind}, {result.language}): {result.rows} rijen / rows, "
                f"{result.imported} labels geïmporteerd / imported"
            )
            if result.without_label:
                self.stdout.write(
                    f"    {result.without_label} zonder label overgeslagen / "
                    "without a label, skipped"
                )
            if result.unknown:
                shown = ", ".join(result.unknown[:EXAMPLES])
                more = ", …" if len(result.unknown) > EXAMPLES else ""
                self.stdout.write(
                    self.style.WARNING(
                        f"    {len(result.unknown)} onbekende URI's overgeslagen / unknown URIs "
                        f"skipped: {shown}{more}"
                    )
                )
        imported = sum(r.imported for r in results)
        self.stdout.write(self.style.SUCCESS(f"{imported} labels geïmporteerd / imported"))
