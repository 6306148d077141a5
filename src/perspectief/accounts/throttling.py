"""Login throttling: failures are counted per account and per client address in the cache.

The account key is the username exactly as the login form authenticates it (NFKC, trimmed,
case-folded), so " alice" and "ALICE" share alice's counter. The client address comes from
``X-Forwarded-For`` only for the number of proxies the deployment declares. Usernames are
never logged as typed (people type passwords or a BSN there): the log gets a keyed hash.
"""

from __future__ import annotations

import hashlib
import logging
import random
import time
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache

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


#: Seconds a sign-in waits for a free password check before it is asked to try again.
PASSWORD_CHECK_WAIT = 3.0
#: Seconds a password check may hold its place in the gate at most: a process killed during
#: a check (or one whose cache call to give the place back failed) cannot keep it longer. Far
#: longer than a check takes (a few hundred milliseconds), so a place is never taken away
#: from a check still running.
PASSWORD_CHECK_LEASE = 30
#: Seconds between two looks for a free place while waiting (with jitter, so waiting
#: processes do not ask at the same moments).
_POLL = 0.03


def _slot_key(number: int) -> str:
    return f"signin-check:{number}"


def checks_at_once() -> int:
    """Password checks at once over every process that shares the cache (at least one)."""
    return max(1, settings.SIGNIN_CHECKS_AT_ONCE)


def _take_slot() -> tuple[str, str] | None:
    """A free place in the gate, taken (its key and this holder's token), or None."""
    limit = checks_at_once()
    token = uuid.uuid4().hex
    first = random.randrange(limit)
    for offset in range(limit):
        key = _slot_key((first + offset) % limit)
        # add() is atomic (Redis: SET NX EX; locmem: under its lock): one holder per place.
        if cache.add(key, token, timeout=PASSWORD_CHECK_LEASE):
            return key, token
    return None


#: Deletes KEYS[1] only while it still holds ARGV[1], in one step on the Redis server: a
#: holder whose lease ran out cannot free the place of the holder that took it after.
_DELETE_IF_HELD = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)


def _delete_if_held(key: str, token: str) -> None:
    current = caches[DEFAULT_CACHE_ALIAS]  # the cache itself, not its proxy
    if isinstance(current, RedisCache):
        # Django's Redis cache has no compare-and-delete: the script runs on its client, with
        # the key and the value as the cache itself writes them (its serializer pickles str).
        full_key = current.make_and_validate_key(key)
        client = current._cache.get_client(full_key, write=True)
        value = current._cache._serializer.dumps(token)  # type: ignore[attr-defined]
        client.eval(_DELETE_IF_HELD, 1, full_key, value)
    elif cache.get(key) == token:
        # locmem (the embedded default): one process, whose checks take far less than the
        # lease; get-then-delete is enough there.
        cache.delete(key)


def _give_back(key: str, token: str) -> None:
    """Frees the place, unless its lease ran out and another holder took it since. A cache
    that fails now does not fail the sign-in whose password was already checked: the lease
    frees the place."""
    try:
        _delete_if_held(key, token)
    except Exception as error:  # the cache's own errors differ per backend
        security_log.warning(kv("signin_gate_not_given_back", error=type(error).__name__))


@contextmanager
def password_check_slot(wait: float | None = None) -> Iterator[bool]:
    """Yields whether this request may check a password now (True), or should be asked to
    try again in a few seconds (False): many sign-ins at once are throttled, not failed.

    Each check costs a few hundred milliseconds of CPU by design (PBKDF2); a crowd of
    sign-ins beyond what the machines can check would only queue until the workers' timeout
    and fail, and slow every other page meanwhile. The gate is a counting semaphore in the
    configured cache: PERSPECTIEF_SIGNIN_CHECKS_AT_ONCE places, each a cache key taken
    atomically with an expiry (the lease). With Redis it holds across every process and
    machine of the deployment; with locmem (the embedded default, one process) per process.
    """
    deadline = time.monotonic() + (PASSWORD_CHECK_WAIT if wait is None else wait)
    slot = _take_slot()
    while slot is None and time.monotonic() < deadline:
        pause = _POLL * (0.5 + random.random())
        time.sleep(max(0.0, min(pause, deadline - time.monotonic())))
        slot = _take_slot()
    try:
        yield slot is not None
    finally:
        if slot is not None:
            _give_back(*slot)
