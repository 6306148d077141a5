"""Keyed pseudonyms: stable per key, not reversible without the key."""

import hashlib
import hmac

from django.conf import settings


def pseudonym(*parts: str, length: int = 32) -> str:
    """HMAC-SHA256 over the parts (joined unambiguously) with the platform's pseudonym key."""
    message = "\x1f".join(parts).encode()
    digest = hmac.new(settings.PSEUDONYM_KEY.encode(), message, hashlib.sha256).hexdigest()
    return digest[:length]
