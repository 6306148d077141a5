"""Readiness: may this process be sent traffic? (``/ready``, for the load balancer.)

Liveness (``/health``) only says the process answers. Readiness checks what serving needs:

- ``database``: the database answers (``SELECT 1``) and every migration is applied (a new
  release whose ``perspectief migrate`` has not run yet is not ready);
- ``cache``: the cache (Redis in production: login throttling, rate limits) stores and
  returns a value;
- ``broker``: the Celery broker accepts a connection, unless tasks run in-process.

Each check answers ``ok`` or ``failed``; the reason goes to the log, never to the answer
(it could name a host or a user). No check reads anyone's data.

``/ready`` is public, so a process answers it from its last result for a second
(``RESULT_SECONDS``): a flood of calls is at most one round of checks (one broker connection)
a second per process, not one per call.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from kombu import Connection

log = logging.getLogger(__name__)

#: Once every migration was found applied, this process does not look again: migrations are
#: never unapplied under a running release, and reading them from disk costs time.
_migrations_applied = False


def unapplied_migrations() -> list[str]:
    """The migrations of this release that the database has not applied."""
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def check_database() -> None:
    global _migrations_applied
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    if _migrations_applied:
        return
    missing = unapplied_migrations()
    if missing:
        raise RuntimeError(f"{len(missing)} unapplied migrations, first {missing[0]}")
    _migrations_applied = True


def check_cache() -> None:
    key = f"perspectief:ready:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    try:
        if cache.get(key) != "1":
            raise RuntimeError("the cache did not return what was stored")
    finally:
        cache.delete(key)


def check_broker() -> None:
    # kombu has no type hints.
    broker = Connection(settings.CELERY_BROKER_URL, connect_timeout=2)  # type: ignore[no-untyped-call]
    with broker as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)


def checks() -> dict[str, Callable[[], None]]:
    found: dict[str, Callable[[], None]] = {"database": check_database, "cache": check_cache}
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        found["broker"] = check_broker
    return found


#: Seconds a process answers readiness from its last result.
RESULT_SECONDS = 1.0
_clock = time.monotonic
#: (when, all ok, results) of this process's last round of checks.
_last: tuple[float, bool, dict[str, str]] | None = None
_last_lock = threading.Lock()


def readiness() -> tuple[bool, dict[str, str]]:
    """``(all ok, {check: "ok" | "failed"})``: the last result of this process when it is
    less than a second old, else a new round of checks (one at a time per process)."""
    global _last
    with _last_lock:
        if _last is None or _clock() - _last[0] >= RESULT_SECONDS:
            ready, results = run_checks()
            _last = (_clock(), ready, results)
        return _last[1], dict(_last[2])


def run_checks() -> tuple[bool, dict[str, str]]:
    """Run every check; ``(all ok, {check: "ok" | "failed"})``."""
    results: dict[str, str] = {}
    for name, check in checks().items():
        try:
            check()
        except Exception as error:  # any failure means not ready
            log.warning("not_ready check=%s error=%s", name, type(error).__name__)
            log.debug("not_ready check=%s detail=%s", name, error)
            results[name] = "failed"
        else:
            results[name] = "ok"
    return all(v == "ok" for v in results.values()), results
