"""``perspectief grant_app_role ROLE``: run as the owner of the tables (the role migrations
run as); gives ROLE the application's rights — the normal ones everywhere, only SELECT and
INSERT on the access log. ``--sql`` prints the statements instead. PostgreSQL only."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from perspectief.audit import roles


class Command(BaseCommand):
    help = (
        "Give ROLE the application's database rights: SELECT/INSERT/UPDATE/DELETE on every "
        "table, only SELECT/INSERT on the access log (run as the owner; PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="The application's database role (it must exist).")
        parser.add_argument(
            "--sql", action="store_true", help="Print the SQL instead of running it."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            raise CommandError(
                "Alleen voor PostgreSQL / PostgreSQL only: SQLite kent geen rollen / has no roles."
            )
        try:
            statements = roles.grant_app_role(
                connection, options["role"], execute=not options["sql"]
            )
        except roles.RoleRefused as refused:
            raise CommandError(str(refused)) from None
        if options["sql"]:
            self.stdout.write(";\n".join(statements) + ";")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{options['role']}: rechten gegeven; het toegangslog alleen lezen en "
                "toevoegen / rights granted; the access log read and append only."
            )
        )
