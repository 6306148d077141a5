"""``perspectief import candidates|places FILE --organisation ORG [--json]``."""

import json
import sys
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from perspectief.organisations.constants import OrganisationKind
from perspectief.organisations.models import Organisation


class Command(BaseCommand):
    help = "Import job seekers or places from a CSV or XLSX file for an organisation."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        candidates = sub.add_parser("candidates", help="Job seekers (standard template)")
        candidates.add_argument("file")
        candidates.add_argument(
            "--organisation",
            required=True,
            help="The organisation's UUID or, for a gemeente, its CBS code (GM0363)",
        )
        candidates.add_argument("--sheet", help="XLSX sheet name when the file has several")
        candidates.add_argument("--mapping", help="Name of a saved column mapping")
        candidates.add_argument("--user", help="Username the import is attributed to")
        candidates.add_argument("--json", action="store_true", help="Print a JSON report")
        places = sub.add_parser(
            "places", help="Places of the region's employers (standard template, docs/import.md)"
        )
        places.add_argument("file")
        places.add_argument(
            "--organisation",
            required=True,
            help="The importing organisation: a gemeente/UWV (the region's employers) or an "
            "employer (its own places); UUID or a gemeente's CBS code",
        )
        places.add_argument("--sheet", help="XLSX sheet name when the file has several")
        places.add_argument("--user", help="Username the import is attributed to")
        places.add_argument("--json", action="store_true", help="Print a JSON report")

    def handle(self, *args, **options):
        from perspectief.accounts.models import User
        from perspectief.candidates import importing
        from perspectief.candidates.models import ColumnMapping, ImportJob
        from perspectief.candidates.tables import ImportFileError
        from perspectief.candidates.tasks import import_actor

        organisation = self._organisation(options["organisation"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden / file not found: {path}")
        user = None
        if options.get("user"):
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Onbekende gebruiker / unknown user: {options['user']}")
        mapping = None
        if options.get("mapping"):
            mapping = ColumnMapping.objects.filter(
                organisation=organisation, name=options["mapping"]
            ).first()
            if mapping is None:
                raise CommandError(
                    f"Onbekende kolomindeling / unknown mapping: {options['mapping']}"
                )
        kind = options["what"]
        job = ImportJob.objects.create(
            kind=kind,
            organisation=organisation,
            started_by=user,
            channel="cli",
            filename=path.name,
            sheet=options.get("sheet") or "",
            mapping=mapping,
            content=path.read_bytes(),
        )
        quiet = options["json"]

        def progress(current):
            if not quiet:
                sys.stderr.write(
                    f"\r{current.processed_rows}/{current.total_rows} rijen / rows "
                    f"({current.progress}%)"
                )
                sys.stderr.flush()

        try:
            actor = import_actor(
                organisation,
                user,
                channel="cli",
                permissions=importing.IMPORTS[kind].permissions,
            )
            importing.run(job, actor=actor, progress=progress)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        if not quiet:
            sys.stderr.write("\n")
        job.refresh_from_db()
        report = importing.report(job)
        if quiet:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"nieuw / created {job.created}, bijgewerkt / updated {job.updated}, "
            f"ongewijzigd / unchanged {job.unchanged}, afgewezen / rejected {job.rejected}"
        )
        for row in report["rejected_rows"][:50]:
            self.stdout.write(f"  regel / line {row['line']}: {row['reason']}")
        if job.rejected > 50:
            self.stdout.write(f"  … en {job.rejected - 50} meer / and {job.rejected - 50} more")

    def _organisation(self, value: str) -> Organisation:
        qs = Organisation.objects.filter(is_active=True)
        try:
            found = qs.filter(uuid=uuid.UUID(value)).first()
        except ValueError:
            found = qs.filter(
                kind=OrganisationKind.GEMEENTE, municipality__code=value.upper()
            ).first()
        if found is None:
            raise CommandError(f"Onbekende organisatie / unknown organisation: {value}")
        return found
