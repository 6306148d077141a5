"""The sign-in gate (#20 "200 concurrent sign-ins (throttled, no errors)"): at most
PERSPECTIEF_SIGNIN_CHECKS_AT_ONCE password checks at once over every process that shares the
cache (Redis in production), a place left by a killed process freed by its lease, and a
storm of 200 sign-ins at once against gunicorn with several worker processes answered
without a single error: each one signed in, told the password is wrong, or asked to try
again in a few seconds (503, Retry-After), and no account locked by being asked to wait.

Uses Redis db 11 at 127.0.0.1:6379 (skipped when it is not reachable)."""

import http.client
import itertools
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from perspectief.accounts import throttling

from ..conftest import redis_reachable
from ..factories import PASSWORD

SRC = Path(__file__).resolve().parents[2] / "src"
#: Every test here shares Redis db 11 (emptied before and after each) and the 200 sign-ins
#: start processes: under pytest-xdist they run on one worker, one after the other.
pytestmark = pytest.mark.xdist_group("processes")

REDIS_URL = "redis://127.0.0.1:6379/11"
REDIS_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}


@pytest.fixture
def redis_cache(settings):
    """The default cache on Redis db 11 (emptied before and after), as in production."""
    if not redis_reachable():
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    settings.CACHES = REDIS_CACHE
    cache.clear()
    yield cache
    cache.clear()


def _hold_places(count: int, release: threading.Event) -> list[threading.Thread]:
    """``count`` threads that each take a place (each with its own cache connection, as
    other processes would) and hold it until ``release``."""
    held = threading.Semaphore(0)

    def hold():
        with throttling.password_check_slot(wait=2) as free:
            assert free
            held.release()
            release.wait(10)

    threads = [threading.Thread(target=hold) for _ in range(count)]
    for thread in threads:
        thread.start()
    for _ in threads:
        assert held.acquire(timeout=10)
    return threads


def test_the_gate_holds_its_limit_in_redis_and_gives_places_back(redis_cache, settings):
    settings.SIGNIN_CHECKS_AT_ONCE = 3
    release = threading.Event()
    threads = _hold_places(3, release)
    try:
        with throttling.password_check_slot(wait=0.1) as free:
            assert not free  # all three places taken: this one is asked to try again
        assert sorted(redis_cache.get_many([throttling._slot_key(n) for n in range(3)])) == [
            throttling._slot_key(n) for n in range(3)
        ]
    finally:
        release.set()
        for thread in threads:
            thread.join(10)
    assert not redis_cache.get_many([throttling._slot_key(n) for n in range(3)])  # given back
    with throttling.password_check_slot(wait=0.1) as free:
        assert free


def test_a_waiting_sign_in_gets_a_place_as_soon_as_one_is_given_back(redis_cache, settings):
    settings.SIGNIN_CHECKS_AT_ONCE = 1
    release = threading.Event()
    threads = _hold_places(1, release)
    threading.Timer(0.3, release.set).start()
    begin = time.monotonic()
    # Given back after 0.3 s; the wait is long enough to tell "as soon as" from "at its end"
    # on a loaded machine.
    with throttling.password_check_slot(wait=20) as free:
        assert free
    assert 0.25 < time.monotonic() - begin < 10
    threads[0].join(10)


def test_a_place_left_by_a_killed_process_is_freed_by_its_lease(redis_cache, settings, monkeypatch):
    """A process killed during a check never gives its place back: the place's lease runs
    out, and sign-ins get it again (not a gate closed for good)."""
    settings.SIGNIN_CHECKS_AT_ONCE = 1
    monkeypatch.setattr(throttling, "PASSWORD_CHECK_LEASE", 1)
    assert throttling._take_slot() is not None  # taken, never given back: the "killed" one
    with throttling.password_check_slot(wait=0.1) as free:
        assert not free
    redis = redis_cache._cache.get_client()
    assert 0 < redis.pttl(redis_cache.make_and_validate_key(throttling._slot_key(0))) <= 1000
    with throttling.password_check_slot(wait=3) as free:
        assert free  # the lease ran out


def test_a_holder_whose_lease_ran_out_does_not_free_the_next_holders_place(
    redis_cache, settings, monkeypatch
):
    settings.SIGNIN_CHECKS_AT_ONCE = 1
    monkeypatch.setattr(throttling, "PASSWORD_CHECK_LEASE", 1)
    late = throttling._take_slot()
    assert late is not None
    time.sleep(1.2)
    monkeypatch.setattr(throttling, "PASSWORD_CHECK_LEASE", 30)
    current = throttling._take_slot()
    assert current is not None
    throttling._give_back(*late)  # the late holder finishes after all
    assert redis_cache.get(current[0]) == current[1]  # the current holder keeps its place


def test_a_place_retaken_between_the_check_and_the_delete_stays_with_its_new_holder(
    redis_cache, settings, monkeypatch
):
    """The lease runs out just as its late holder gives the place back, and another sign-in
    takes it in that instant. On Redis the compare and the delete are one step on the server,
    so nothing can come between them; a get-then-delete through the cache would read the late
    holder's token, and then delete the new holder's place (one check too many let in)."""
    settings.SIGNIN_CHECKS_AT_ONCE = 1
    late = throttling._take_slot()
    assert late is not None
    retaken = []
    real_get = redis_cache.get

    def read_then_retaken(key, *args, **kwargs):
        value = real_get(key, *args, **kwargs)
        redis_cache.set(key, "newcomer", timeout=30)  # the lease ran out, taken again
        retaken.append(key)
        return value

    monkeypatch.setattr(redis_cache, "get", read_then_retaken)
    throttling._give_back(*late)
    monkeypatch.undo()
    held = redis_cache.get(late[0])
    # Either the place was taken again in between, and its new holder keeps it, or nothing
    # could come in between, and the late holder freed its own place.
    assert (held == "newcomer") if retaken else (held is None)


def test_a_cache_failing_when_the_place_is_given_back_does_not_fail_the_sign_in(
    monkeypatch, caplog
):
    """The password was checked; the place's lease frees it later."""

    def down(*args, **kwargs):
        raise ConnectionError("cache.internal:6379")

    with caplog.at_level("WARNING", logger="perspectief.security"):
        with throttling.password_check_slot(wait=0.1) as free:
            assert free
            monkeypatch.setattr(throttling.cache, "get", down)
    assert "signin_gate_not_given_back error=ConnectionError" in caplog.text
    assert "cache.internal" not in caplog.text


@pytest.mark.django_db
def test_a_locked_account_is_refused_at_once_not_after_waiting(
    client, redis_cache, make_member, monkeypatch
):
    # Far longer than any answer takes, also on a loaded machine: an answer well within it
    # did not wait for a place.
    monkeypatch.setattr(throttling, "PASSWORD_CHECK_WAIT", 30)
    username = make_member("klantmanager").user.username
    for _ in range(5):
        throttling.register_failure(username=username, ip="10.1.1.1")
    for n in range(throttling.checks_at_once()):  # a crowd holds every place
        assert redis_cache.add(throttling._slot_key(n), "elsewhere", timeout=60)
    client.get(reverse("accounts:login"))  # the process's first page: URLs, templates
    begin = time.monotonic()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 429
    assert time.monotonic() - begin < 10


# -- 200 sign-ins at once against gunicorn ---------------------------------------------------

ACCOUNTS = 40
SIGN_INS = 200
WORKERS = 3
CHECK_SECONDS = 0.05

#: The password hasher of the server under test: MD5 as in the test settings, but a check
#: takes CHECK_SECONDS and is written down (process, start, end), so the test can see that
#: no two checks overlapped, in any of the processes.
HASHER = f"""
import os, time
from django.contrib.auth.hashers import MD5PasswordHasher

class RecordedHasher(MD5PasswordHasher):
    def verify(self, password, encoded):
        begin = time.time()
        time.sleep({CHECK_SECONDS})
        result = super().verify(password, encoded)
        with open(os.environ["STORM_CHECKS_FILE"], "a") as f:
            f.write(f"{{os.getpid()}} {{begin}} {{time.time()}}\\n")
        return result
"""
SETTINGS = """
from perspectief.conf.test import *  # noqa
PASSWORD_HASHERS = ["storm_hasher.RecordedHasher"]
"""
#: A sign-in waits this long for the one place before it is asked to try again: about a
#: check's time, so the storm meets the busy answer often.
GUNICORN = """
def post_worker_init(worker):
    from perspectief.accounts import throttling
    throttling.PASSWORD_CHECK_WAIT = 0.05
"""


def _shared_database_url(tmp_path) -> str:
    """The test database as the server processes can reach it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "storm.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _server(tmp_path):
    """gunicorn with WORKERS sync worker processes, the cache on Redis db 11, one password
    check at once (PERSPECTIEF_SIGNIN_CHECKS_AT_ONCE=1), behind one declared proxy."""
    (tmp_path / "storm_hasher.py").write_text(HASHER)
    (tmp_path / "storm_settings.py").write_text(SETTINGS)
    (tmp_path / "gunicorn_storm.py").write_text(GUNICORN)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(
        DJANGO_SETTINGS_MODULE="storm_settings",
        PYTHONPATH=os.pathsep.join([str(SRC), str(tmp_path)]),
        DATABASE_URL=_shared_database_url(tmp_path),
        PERSPECTIEF_CACHE_URL=REDIS_URL,
        PERSPECTIEF_SIGNIN_CHECKS_AT_ONCE="1",
        PERSPECTIEF_TRUSTED_PROXY_COUNT="1",
        STORM_CHECKS_FILE=str(tmp_path / "checks.txt"),
    )
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--preload", "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--config", str(tmp_path / "gunicorn_storm.py"),
         "--timeout", "30", "perspectief.wsgi"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()[-3000:]
            try:
                if _request(port, "GET", "/health")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
            time.sleep(0.2)
        yield port
    finally:
        # Nothing is left to finish: the server and its workers (its own process group) end
        # at once, rather than after gunicorn's graceful shutdown.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)
        log.close()


def _request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def _csrf(port) -> tuple[str, str]:
    """One CSRF cookie and form token, shared by every sign-in of the storm."""
    status, headers, page = _request(port, "GET", "/accounts/login/")
    assert status == 200
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return cookie, token


def _kind(status: int, headers: dict, page: str) -> str:
    if status == 302 and headers.get("Location", "").startswith("/accounts/2fa/"):
        return "signed in"
    if status == 200 and "Onbekende gebruikersnaam of onjuist wachtwoord." in page:
        return "wrong password"
    if status == 503 and headers.get("Retry-After") == "5" and "Wacht een paar seconden" in page:
        return "busy"
    return f"unexpected {status}"


def _checks(path: Path) -> list[tuple[int, float, float]]:
    rows = [line.split() for line in path.read_text().splitlines()]
    return sorted((int(pid), float(begin), float(end)) for pid, begin, end in rows)


@pytest.mark.django_db(transaction=True)
def test_200_sign_ins_at_once_are_throttled_across_processes_without_errors(
    redis_cache, make_member, tmp_path
):
    """Each account gets 4 wrong passwords and its right one, all 200 at once from 200
    addresses: every answer is a sign-in step, the wrong-password form or the busy page;
    no two password checks ran at once in any of the processes; and only checked wrong
    passwords count towards a lock (4 < 5: no account is locked, also when its right
    password was asked to wait)."""
    usernames = [make_member("klantmanager").user.username for _ in range(ACCOUNTS)]
    with _server(tmp_path) as port:
        answers, took = _storm(port, usernames)

    kinds = Counter(kind for _u, _r, kind in answers)
    assert set(kinds) <= {"signed in", "wrong password", "busy"}, (kinds, took)
    assert kinds["signed in"] and kinds["busy"], kinds  # both paths met under the storm
    for _username, right, kind in answers:
        assert kind == "busy" or kind == ("signed in" if right else "wrong password")

    # The gate held across the processes: never two checks at once, in more than one process.
    checks = _checks(tmp_path / "checks.txt")
    assert len(checks) == kinds["signed in"] + kinds["wrong password"]
    assert len({pid for pid, _b, _e in checks}) >= 2
    spans = sorted((b, e) for _pid, b, e in checks)
    assert all(later[0] >= earlier[1] - 0.002 for earlier, later in itertools.pairwise(spans))

    # Only the checked wrong passwords count; being asked to wait counts for nothing.
    wrong = Counter(u for u, _r, kind in answers if kind == "wrong password")
    for username in usernames:
        counted = cache.get(throttling._key("user", throttling._account(username)), 0)
        assert counted == wrong[username] <= 4
        assert not throttling.is_locked(username=username, ip="10.99.0.1")


def _storm(port: int, usernames: list[str]) -> tuple[list[tuple[str, bool, str]], float]:
    """SIGN_INS sign-ins released at once, each from its own address: (account, right
    password?, kind of answer) each, and the seconds the storm took."""
    cookie, token = _csrf(port)
    start = threading.Barrier(SIGN_INS)
    answers: list[tuple[str, bool, str]] = [("", False, "")] * SIGN_INS

    def sign_in(n: int) -> None:
        username = usernames[n % ACCOUNTS]
        right = n // ACCOUNTS == 0
        body = urlencode(
            {"username": username, "password": PASSWORD if right else "not-it-" + str(n),
             "csrfmiddlewaretoken": token}
        )  # fmt: skip
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "X-Forwarded-For": f"10.20.{n // 250}.{n % 250 + 1}",
        }
        start.wait(30)
        try:
            kind = _kind(*_request(port, "POST", "/accounts/login/", body, headers))
        except OSError as error:
            kind = f"failed {type(error).__name__}"
        answers[n] = (username, right, kind)

    begin = time.monotonic()
    threads = [threading.Thread(target=sign_in, args=(n,)) for n in range(SIGN_INS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers, time.monotonic() - begin
