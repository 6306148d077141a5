"""Login throttling: failures are counted per account and per IP address in the cache."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

from perspectief.core.logging import kv

security_log = logging.getLogger("perspectief.security")


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.lower().encode()).hexdigest()[:32]
    return f"login-fail:{kind}:{digest}"


def _limits() -> dict[str, int]:
    limit = settings.LOGIN_FAILURE_LIMIT
    return {"user": limit, "ip": limit * 4}


def is_locked(*, username: str, ip: str) -> bool:
    limits = _limits()
    return (cache.get(_key("user", username), 0) >= limits["user"]) or (
        cache.get(_key("ip", ip), 0) >= limits["ip"]
    )


def register_failure(*, username: str, ip: str) -> None:
    limits = _limits()
    for kind, value in (("user", username), ("ip", ip)):
        key = _key(kind, value)
        cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
            count = 1
        if count == limits[kind]:
            security_log.warning(kv("login_locked", scope=kind, ip=ip, username=username))


def reset(*, username: str) -> None:
    cache.delete(_key("user", username))
