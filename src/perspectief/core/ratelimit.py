"""Fixed-window counters in the cache, for limits on public forms and employer searches.

With several processes the cache must be shared (``PERSPECTIEF_CACHE_URL=redis://…``)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _key(scope: str, subject: str) -> str:
    return f"rate:{scope}:" + hashlib.sha256(subject.encode()).hexdigest()[:24]


def used(scope: str, subject: str) -> int:
    return int(cache.get(_key(scope, subject), 0))


def consume(scope: str, subject: str, *, limit: int, window: int, cost: int = 1) -> bool:
    """Count ``cost`` uses in the current window; False when that goes over ``limit``.

    A refused attempt is still counted, so hammering does not reset the window."""
    key = _key(scope, subject)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key, cost)
    except ValueError:  # expired between add and incr
        cache.set(key, cost, timeout=window)
        count = cost
    return count <= limit
