"""The header's count of waiting work, kept for a minute so that not every page view
computes a whole inbox (330 ms for a klantmanager with 2,000 people, bench/results/
inbox.json) — yet never stale after the person's own action: any change a signed-in user
makes (a POST, PUT, PATCH or DELETE) starts a new generation of their counts. Work that
others hand to them shows within the minute; the inbox page itself is always computed
fresh, and stores the count it found."""

from __future__ import annotations

from django.core.cache import cache

from perspectief.core.authz import Actor

#: Seconds a header count is kept.
COUNT_SECONDS = 60

_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _generation(user_id: int) -> int:
    return cache.get(f"inbox-gen:{user_id}", 0)


def _key(actor: Actor) -> str:
    return f"inbox-count:{actor.membership.pk}:{_generation(actor.user.pk)}"


def cached_count(actor: Actor) -> int | None:
    return cache.get(_key(actor))


def store_count(actor: Actor, count: int) -> None:
    cache.set(_key(actor), count, COUNT_SECONDS)


class InboxFreshnessMiddleware:
    """After a change by a signed-in user, their cached counts no longer apply."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method in _UNSAFE and user is not None and user.is_authenticated:
            key = f"inbox-gen:{user.pk}"
            if not cache.add(key, 1, None):
                try:
                    cache.incr(key)
                except ValueError:  # evicted between add and incr
                    cache.set(key, 1, None)
        return response
