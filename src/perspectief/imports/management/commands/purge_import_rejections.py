"""``perspectief purge_import_rejections``: what the daily Celery task does, by hand."""

import json
from datetime import date

from django.core.management.base import BaseCommand

from perspectief.imports.services import purge_rejections


class Command(BaseCommand):
    help = (
        "Delete the rejected rows of imports finished more than PERSPECTIEF_IMPORT_REJECTIONS_DAYS "
        "ago (they may hold people's data); the imports keep their counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD instead of today")

    def handle(self, *args, today=None, **options):
        deleted = purge_rejections(today=date.fromisoformat(today) if today else None)
        self.stdout.write(json.dumps({"deleted": deleted}))
