"""``perspectief settings_doc``: the table of environment variables for docs/configuration.md."""

from typing import Any

from django.core.management.base import BaseCommand

from perspectief.conf.environ import documentation


class Command(BaseCommand):
    help = "Print every environment variable the settings read, with default and meaning."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(documentation())
