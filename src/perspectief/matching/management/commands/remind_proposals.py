"""``perspectief remind_proposals``: what the daily Celery task does, by hand."""

import json

from django.core.management.base import BaseCommand

from perspectief.matching.services.proposals import remind_and_close


class Command(BaseCommand):
    help = "Remind employers of unanswered proposals and close the long-unanswered ones."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(remind_and_close()))
