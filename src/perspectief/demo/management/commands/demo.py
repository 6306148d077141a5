"""``perspectief demo``: set up the embedded database with reference data and the demo
population, print the demo accounts and serve the platform."""

import json
import os
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import translation

from perspectief.audit import access
from perspectief.core.reference import load_all
from perspectief.demo.applications import create_demo_applications
from perspectief.demo.candidates import create_demo_candidates, link_demo_job_seekers
from perspectief.demo.catalogue import create_demo_offers
from perspectief.demo.credentials import refuse_in_production
from perspectief.demo.funding import create_demo_funding
from perspectief.demo.history import create_demo_history
from perspectief.demo.instruments import create_demo_instruments
from perspectief.demo.lessons import create_demo_lessons
from perspectief.demo.monitoring import create_demo_plan
from perspectief.demo.national import (
    NATIONAL_PEOPLE,
    NATIONAL_PLACES,
    SQLITE_MAX_PEOPLE,
    create_national_population,
)
from perspectief.demo.placements import create_demo_matching_run, create_demo_placements
from perspectief.demo.population import account_list, create_demo_population
from perspectief.demo.requests import create_demo_requests
from perspectief.demo.routes import create_demo_routes
from perspectief.demo.support import create_demo_support
from perspectief.notifications.services import silenced


class Command(BaseCommand):
    help = "Set up the demo (migrate, reference data, demo population) and serve it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--list-accounts",
            action="store_true",
            help="Only list the demo accounts; do not set up or serve.",
        )
        parser.add_argument("--json", action="store_true", help="With --list-accounts: as JSON.")
        parser.add_argument("--no-serve", action="store_true", help="Set up, but do not serve.")
        parser.add_argument(
            "--port", type=int, default=None, help="Port to serve on (default: $PORT or 8000)."
        )
        parser.add_argument("--host", default="127.0.0.1", help="Address to serve on.")
        parser.add_argument(
            "--scale",
            choices=["region", "national"],
            default="region",
            help="region: the demo regions (default); national: also a national population "
            "over all 35 regions (PostgreSQL).",
        )
        parser.add_argument(
            "--people",
            type=int,
            default=NATIONAL_PEOPLE,
            help=f"With --scale national: job seekers (default {NATIONAL_PEOPLE:,}).",
        )
        parser.add_argument(
            "--places",
            type=int,
            default=NATIONAL_PLACES,
            help=f"With --scale national: places (default {NATIONAL_PLACES:,}).",
        )

    def handle(self, *args, **options):
        try:
            refuse_in_production()  # before anything touches the database
        except ImproperlyConfigured as refused:
            raise CommandError(str(refused)) from None
        if options["list_accounts"]:
            accounts = account_list()
            if options["json"]:
                self.stdout.write(json.dumps(accounts, ensure_ascii=False, indent=2))
            else:
                self._print_accounts(accounts)
            return

        port = options["port"] or self._port_from_env()
        national = options["scale"] == "national"
        if national:
            self._check_national(options["people"], options["places"])
        self.stdout.write("Database bijwerken / migrating the database …")
        call_command("migrate", interactive=False, verbosity=0)

        self.stdout.write("Referentiedata laden / loading reference data …")
        load_all(stdout=self.stdout)
        # Every record the demo makes is in the access log, written at the end in bulk.
        with silenced(), access.scope(request="perspectief demo"):
            created = self._populate()
        summary = ", ".join(f"{k}: {v}" for k, v in created.items())
        self.stdout.write(f"Demopopulatie / demo population — nieuw / created: {summary}")
        if national:
            self._national(options["people"], options["places"])
        self._print_accounts(account_list())
        if options["no_serve"]:
            return
        self.stdout.write(
            self.style.SUCCESS(f"Perspectief draait op / runs at http://{options['host']}:{port}")
        )
        call_command("runserver", f"{options['host']}:{port}", use_reloader=False)

    def _populate(self) -> dict[str, int]:
        """The demo population, without notices (its history is not news to anyone)."""
        created = create_demo_population()
        created["candidates"] = create_demo_candidates()
        created["job_seeker_accounts_linked"] = link_demo_job_seekers()
        created["bulk_requests"] = create_demo_placements()
        created["matching_runs"] = create_demo_matching_run()
        created["offers"] = create_demo_offers()
        created["employer_requests"] = create_demo_requests()
        # What the services write in words (reasons, stop reasons) in the product's language.
        with translation.override(settings.LANGUAGE_CODE):
            created["routes"] = create_demo_routes()
            created["instrument_applications"] = create_demo_applications()
            created["action_plans"] = create_demo_plan()
            created["lessons"] = create_demo_lessons()
            created["funding_pots"] = create_demo_funding()
            created["instruments"] = create_demo_instruments()
            created["support_questionnaires"] = create_demo_support()
            # Last: the walk-throughs above pick their people and places before it.
            created["history_people"] = create_demo_history()
        return created

    def _check_national(self, people: int, places: int) -> None:
        """Refuse a national population the database cannot take (before anything runs)."""
        if people < 0 or places < 0:
            raise CommandError("--people en --places zijn 0 of meer / are 0 or more.")
        if connection.vendor != "postgresql" and people > SQLITE_MAX_PEOPLE:
            raise CommandError(
                f"De landelijke populatie ({people:,} mensen) vraagt PostgreSQL "
                f"(DATABASE_URL=postgres://...); op SQLite kan het tot {SQLITE_MAX_PEOPLE:,} "
                f"(--people). / The national population ({people:,} people) needs "
                f"PostgreSQL (DATABASE_URL=postgres://...); on SQLite up to "
                f"{SQLITE_MAX_PEOPLE:,} (--people)."
            )

    def _national(self, people: int, places: int) -> None:
        self.stdout.write(
            f"Landelijke populatie / national population: {people:,} mensen / people, "
            f"{places:,} plaatsen / places …"
        )
        started, cpu = time.perf_counter(), time.process_time()
        with silenced(), translation.override(settings.LANGUAGE_CODE):
            made = create_national_population(
                people=people, places=places, progress=lambda line: self.stdout.write(f"  {line}")
            )
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        rows = sum(made.values())
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(made.items()))
        self.stdout.write(f"Landelijk / national — nieuw / created: {summary}")
        self.stdout.write(
            f"Landelijk / national: {rows:,} rijen / rows in {wall:.1f} s "
            f"({rows / wall if wall else 0:,.0f} rijen/s / rows/s, CPU {cpu:.1f} s)"
        )

    def _port_from_env(self) -> int:
        raw = os.environ.get("PORT", "8000")
        try:
            port = int(raw)
        except ValueError:
            raise CommandError(
                f"PORT={raw!r} is geen poortnummer / is not a port number."
            ) from None
        if not 1 <= port <= 65535:
            raise CommandError(f"PORT={port} valt buiten 1-65535 / is outside 1-65535.")
        return port

    def _print_accounts(self, accounts):
        self.stdout.write("")
        self.stdout.write(f"Demo-accounts (wachtwoord / password: {accounts[0]['password']})")
        self.stdout.write(
            "Het wachtwoord en de tweede-factorgeheimen zijn willekeurig, voor deze installatie "
            f"gemaakt en bewaard in / are random, made for this installation and kept in "
            f"{settings.DEMO_ACCOUNTS_FILE}"
        )
        self.stdout.write(
            "Medewerkers loggen in met een tweede factor; in de demo staat de code op "
            "het inlogscherm. / Staff use a second factor; the demo shows the code."
        )
        header = (
            f"{'gebruiker / username':22} {'rol / role':24} {'regio':6} organisatie / organisation"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in accounts:
            region = row["region"] or "—"
            self.stdout.write(
                f"{row['username']:22} {row['role_label']:24} {region:6} {row['organisation']}"
            )
        self.stdout.write("")
