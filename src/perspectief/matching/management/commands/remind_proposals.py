"""``perspectief remind_proposals``: what the daily Celery task does, by hand."""

import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Remind employers of unanswered proposals and close the long-unanswered ones."

    def handle(self, *args, **options):
        from perspectief.matching.services import remind_and_close

        self.stdout.write(json.dumps(remind_and_close()))
