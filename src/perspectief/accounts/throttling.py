"""Login throttling: failures are counted per account and per client address in the cache.

The account key is the username exactly as the login form authenticates it (NFKC, trimmed,
case-folded), so " alice" and "ALICE" share alice's counter. The client address comes from
``X-Forwarded-For`` only for the number of proxies the deployment declares. Usernames are
never logged as typed (people type passwords or a BSN there): the log gets a keyed hash.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache

from perspectief.core.logging import kv
from perspectief.core.pseudonyms import pseudonym

security_log = logging.getLogger("perspectief.security")


def normalise_username(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw or "").strip()[:150]


def username_ref(raw: str) -> str:
    """What the security log says instead of a typed username."""
    return pseudonym("login-name", normalise_username(raw).casefold(), length=12)


def client_ip(request) -> str:
    """The client's address: the right-most untrusted X-Forwarded-For hop behind the
    declared number of reverse proxies, else REMOTE_ADDR."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"login-fail:{kind}:{digest}"


def _account(username: str) -> str:
    return normalise_username(username).casefold()


def _limits() -> dict[str, int]:
    limit = settings.LOGIN_FAILURE_LIMIT
    return {"user": limit, "ip": limit * 4}


def is_locked(*, username: str, ip: str) -> bool:
    limits = _limits()
    return (cache.get(_key("user", _account(username)), 0) >= limits["user"]) or (
        cache.get(_key("ip", ip), 0) >= limits["ip"]
    )


def register_failure(*, username: str, ip: str) -> None:
    limits = _limits()
    for kind, value in (("user", _account(username)), ("ip", ip)):
        key = _key(kind, value)
        cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
            count = 1
        if count == limits[kind]:
            security_log.warning(
                kv("login_locked", scope=kind, ip=ip, account=username_ref(username))
            )


def reset(*, username: str) -> None:
    cache.delete(_key("user", _account(username)))


#: Password checks at once in one server process. Each costs a few hundred milliseconds of
#: CPU by design (PBKDF2); a crowd of sign-ins beyond this would only queue until the
#: worker's timeout and fail. Those over it wait a moment, then are asked to try again.
PASSWORD_CHECKS_AT_ONCE = 2
#: Seconds a sign-in waits for a free check before it is asked to try again.
PASSWORD_CHECK_WAIT = 3.0
_password_checks = threading.BoundedSemaphore(PASSWORD_CHECKS_AT_ONCE)


@contextmanager
def password_check_slot(wait: float | None = None) -> Iterator[bool]:
    """Yields whether this request may check a password now (True), or should be asked to
    try again in a few seconds (False): many sign-ins at once are throttled, not failed."""
    acquired = _password_checks.acquire(timeout=PASSWORD_CHECK_WAIT if wait is None else wait)
    try:
        yield acquired
    finally:
        if acquired:
            _password_checks.release()
