"""``perspectief watch_imports``: what the Celery task every five minutes does, by hand."""

import json

from django.core.management.base import BaseCommand

from perspectief.imports.services import watch


class Command(BaseCommand):
    help = (
        "Mark imports whose worker died interrupted (resumable) and remove uploaded files "
        "older than a day, whatever the state of their import."
    )

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(watch()))
