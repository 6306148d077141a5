"""``perspectief bsn_key``: print a new random key for ``PERSPECTIEF_BSN_KEYS`` (or, with
``--index``, for ``PERSPECTIEF_BSN_INDEX_KEY``). Nothing is stored; see docs/configuration.md
for how to rotate."""

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from perspectief.core import bsn as bsn_lib


class Command(BaseCommand):
    help = (
        "Print a new random Fernet key for PERSPECTIEF_BSN_KEYS (--index: a key for "
        "PERSPECTIEF_BSN_INDEX_KEY). Nothing is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--index",
            action="store_true",
            help="A key for the blind index (PERSPECTIEF_BSN_INDEX_KEY) instead.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # 48 random bytes (384 bits) for the HMAC index key, URL-safe: no commas or quotes.
        key = secrets.token_urlsafe(48) if options["index"] else bsn_lib.new_fernet_key()
        self.stdout.write(key)
