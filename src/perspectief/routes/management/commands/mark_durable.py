"""``perspectief mark_durable``: what the daily Celery task does, by hand."""

import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Mark placements six months in work as durable (dated the day the six months are full)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD instead of today (to catch up)")

    def handle(self, *args, today=None, **options):
        from datetime import date

        from perspectief.routes.support import mark_durable

        done = mark_durable(today=date.fromisoformat(today) if today else None)
        self.stdout.write(json.dumps({"durable": done}))
