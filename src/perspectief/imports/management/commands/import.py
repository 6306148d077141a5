"""``perspectief import candidates|places FILE --organisation ORG [--json]``: every
registered kind of import (:mod:`perspectief.imports.kinds`) is a sub-command."""

import json
import sys
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from perspectief.accounts.models import User
from perspectief.core.tabular import TableError
from perspectief.imports import kinds, runner, upload
from perspectief.imports.models import ColumnMapping, ImportJob
from perspectief.imports.selectors import report
from perspectief.imports.tasks import import_actor
from perspectief.organisations.constants import OrganisationKind
from perspectief.organisations.models import Organisation


class Command(BaseCommand):
    help = "Import job seekers or places from a CSV or XLSX file for an organisation."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        for name in kinds.names():
            kind = kinds.get(name)
            command = sub.add_parser(name, help=kind.help)
            command.add_argument("file")
            command.add_argument("--organisation", required=True, help=kind.organisation_help)
            command.add_argument("--sheet", help="XLSX sheet name when the file has several")
            if kind.pages.mappings:
                command.add_argument("--mapping", help="Name of a saved column mapping")
            command.add_argument("--user", help="Username the import is attributed to")
            command.add_argument("--json", action="store_true", help="Print a JSON report")

    def handle(self, *args, **options):
        organisation = self._organisation(options["organisation"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden / file not found: {path}")
        user = self._user(options.get("user"))
        kind = options["what"]
        mapping = self._mapping(organisation, options.get("mapping"))
        # The job and its upload in one transaction: a file that cannot be read leaves no
        # job waiting for an upload that never came.
        with transaction.atomic(), path.open("rb") as source:
            job = ImportJob.objects.create(
                kind=kind,
                organisation=organisation,
                started_by=user,
                channel="cli",
                filename=path.name,
                sheet=options.get("sheet") or "",
                mapping=mapping,
            )
            upload.store(job, source)  # encrypted, a piece at a time
        quiet = options["json"]
        try:
            actor = import_actor(
                organisation, user, channel="cli", permissions=kinds.get(kind).permissions
            )
            runner.run(job, actor=actor, progress=None if quiet else self._progress)
        except TableError as exc:
            raise CommandError(str(exc)) from None
        if not quiet:
            sys.stderr.write("\n")
        job.refresh_from_db()
        self._report(job, quiet=quiet)

    @staticmethod
    def _progress(current: ImportJob) -> None:
        sys.stderr.write(
            f"\r{current.processed_rows}/{current.total_rows} rijen / rows ({current.progress}%)"
        )
        sys.stderr.flush()

    def _report(self, job: ImportJob, *, quiet: bool) -> None:
        """The outcome: JSON, or the counts and the first 50 rejected rows."""
        outcome = report(job)
        if quiet:
            self.stdout.write(json.dumps(outcome, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"nieuw / created {job.created}, bijgewerkt / updated {job.updated}, "
            f"ongewijzigd / unchanged {job.unchanged}, afgewezen / rejected {job.rejected}"
        )
        for row in outcome["rejected_rows"][:50]:
            self.stdout.write(f"  regel / line {row['line']}: {row['reason']}")
        if job.rejected > 50:
            self.stdout.write(f"  … en {job.rejected - 50} meer / and {job.rejected - 50} more")

    @staticmethod
    def _user(username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Onbekende gebruiker / unknown user: {username}")
        return user

    @staticmethod
    def _mapping(organisation: Organisation, name: str | None) -> ColumnMapping | None:
        if not name:
            return None
        mapping = ColumnMapping.objects.filter(organisation=organisation, name=name).first()
        if mapping is None:
            raise CommandError(f"Onbekende kolomindeling / unknown mapping: {name}")
        return mapping

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
