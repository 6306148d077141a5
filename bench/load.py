"""``make load``: concurrent users on a running platform, over loopback only.

Each virtual user signs in as a demo account (password and the demo environment's second
factor, as a person would), then repeats its role's mix of pages and API answers with a
think time between them, for a bounded time. Every answer's latency and status is kept;
the summary per kind of request (median, p95, max, errors) goes to
bench/results/load.json beside the targets of issue #20 (pages and API answers p95 ≤ 300 ms,
the dashboard and the national table ≤ 1 s, no errors).

    python bench/load.py --base http://127.0.0.1:8765 --accounts accounts.json \\
        --users 50 --duration 60

The address must be on loopback: this is a measurement of our own server, never of someone
else's. ``make load`` sets up a demo database, starts gunicorn on it and runs this script.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import ipaddress
import json
import os
import platform
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "load.json"

#: The targets of issue #20, in ms, per kind of request (p95).
TARGET_MS = {"dashboard": 1000, "national table": 1000, "national trend": 1000}
DEFAULT_TARGET_MS = 300
#: The sign-in storm's kind: its target is no errors (throttled, not failed), not a latency.
STORM = "sign-in storm: password (and the next page)"

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

FILTERED = "/candidates/?q={letter}&status=bemiddelbaar&availability=now"

#: What each role does, as (kind, weight, path or a function of the user's discoveries).
#: The kinds are what the summary reports; weights are the share of a user's requests.
MIXES: dict[str, list[tuple[str, int, str]]] = {
    "klantmanager": [
        ("person list", 4, "/candidates/"),
        ("person list, filtered", 3, FILTERED),
        ("a person", 4, "/candidates/{person}/"),
        ("places", 2, "/places/"),
        ("matching on a place", 2, "/matching/places/{place}/candidates/"),
        ("inbox", 2, "/inbox/"),
        ("API: people", 1, "/api/v1/candidates?page_size=25"),
        ("API: inbox", 1, "/api/v1/inbox"),
    ],
    "accountmanager": [
        ("places", 4, "/places/"),
        ("a place", 3, "/places/{place}/"),
        ("matching on a place", 3, "/matching/places/{place}/candidates/"),
        ("inbox", 2, "/inbox/"),
        ("API: places", 1, "/api/v1/vacancies?page_size=25"),
    ],
    "programmamanager": [
        ("dashboard", 3, "/monitoring/"),
        ("inbox", 1, "/inbox/"),
        ("API: indicators", 1, "/api/v1/indicators"),
    ],
    "analist": [
        ("national table", 3, "/monitoring/national/"),
        ("national trend", 1, "/monitoring/national/trend/"),
    ],
}

#: Demo accounts and how many of the virtual users play each (shares of --users).
CAST = [
    ("km.amsterdam", "klantmanager", 0.4),
    ("am.amsterdam", "accountmanager", 0.3),
    ("pm.amsterdam", "programmamanager", 0.2),
    ("szw.analist", "analist", 0.1),
]


@dataclass
class Sample:
    kind: str
    ms: float
    status: int
    error: str = ""


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class User:
    """One browser: a cookie jar, a CSRF token, what it found on its list pages."""

    def __init__(self, base: str, username: str, password: str, role: str, seed: int, recorder):
        self.base, self.username, self.password, self.role = base, username, password, role
        self.recorder = recorder
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar),
            urllib.request.ProxyHandler({}),  # loopback: never through a proxy
        )
        self.random = random.Random(seed)
        self.found: dict[str, list[str]] = {"person": [], "place": []}

    def request(
        self, path: str, data: dict | None = None, *, kind: str, allowed: tuple[int, ...] = ()
    ) -> tuple[int, str, str]:
        """One request, its latency and status recorded under ``kind`` (an error from 400 on,
        unless the status is ``allowed``)."""
        begin = time.perf_counter()
        try:
            status, url, page = self._send(path, data)
            error = "" if status < 400 or status in allowed else f"HTTP {status} {path}"
        except OSError as exc:
            status, url, page, error = 0, path, "", f"{type(exc).__name__}: {exc} ({path})"
        self.recorder.add(Sample(kind, 1000 * (time.perf_counter() - begin), status, error))
        return status, url, page

    def _send(self, path: str, data: dict | None) -> tuple[int, str, str]:
        body = None
        headers = {"Accept-Language": "nl", "User-Agent": "perspectief-load"}
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self._csrf()}
            body = urllib.parse.urlencode(data).encode()
            headers["Referer"] = self.base + path
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as answer:
                return answer.status, answer.geturl(), answer.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, path, exc.read().decode("utf-8", "replace")

    def adopt(self, other: User) -> None:
        """Continue in ``other``'s signed-in session (its cookies)."""
        for cookie in other.jar:
            self.jar.set_cookie(cookie)

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def sign_in(self) -> None:
        self.request("/accounts/login/", kind="sign in: the page")
        status, url, page = self.request(
            "/accounts/login/",
            {"username": self.username, "password": self.password},
            kind="sign in: password (and the next page)",
        )
        code = re.search(r'id="demo-code".*?<strong>(\d{6})</strong>', page, re.S)
        if status != 200 or "/accounts/2fa/" not in url or code is None:
            raise RuntimeError(f"{self.username}: sign-in did not reach the second factor")
        status, url, _page = self.request(
            "/accounts/2fa/", {"token": code.group(1)}, kind="sign in: code (and the home page)"
        )
        if status != 200 or "/accounts/" in urllib.parse.urlparse(url).path:
            raise RuntimeError(f"{self.username}: the second factor was refused")

    def discover(self, page: str) -> None:
        patterns = (("person", rf"/candidates/({UUID})/"), ("place", rf"/places/({UUID})/"))
        for kind, pattern in patterns:
            for value in re.findall(pattern, page):
                if value not in self.found[kind]:
                    self.found[kind].append(value)

    def path(self, template: str) -> str | None:
        values = {"letter": self.random.choice("aeiou")}
        for kind in ("person", "place"):
            if "{" + kind + "}" in template:
                if not self.found[kind]:
                    return None
                values[kind] = self.random.choice(self.found[kind])
        return template.format(**values)


def play(user: User, until: float, think: float) -> None:
    mix = MIXES[user.role]
    # The list pages first, so that a person and a place can be opened.
    for kind, _weight, template in mix:
        if "{" not in template and time.perf_counter() < until:
            _, _, page = user.request(template, kind=kind)
            user.discover(page)
    weights = [w for _k, w, _t in mix]
    while time.perf_counter() < until:
        kind, _weight, template = user.random.choices(mix, weights)[0]
        path = user.path(template)
        if path is None:
            continue
        _status, _url, page = user.request(path, kind=kind)
        if "{" not in template:
            user.discover(page)
        time.sleep(user.random.expovariate(1 / think) if think else 0)


def sign_in_storm(base: str, passwords: dict[str, str], count: int, recorder) -> None:
    """``count`` sign-ins released at the same moment, over the demo accounts with their right
    passwords (the password step only; a right password never counts towards a lock). The
    platform's answer to a crowd is throttling, not failure: "try again in a few seconds"
    (503 with Retry-After) is recorded as such, not as an error; anything else from 400 on is.
    """
    names = sorted(passwords)
    users = [User(base, names[n % len(names)], "", "", n, recorder) for n in range(count)]
    for user in users:  # the page first: each browser's own CSRF cookie
        user.password = passwords[user.username]
        user.request("/accounts/login/", kind="sign-in storm: the page")
    start = threading.Barrier(count)

    def sign_in(user: User) -> None:
        start.wait(60)
        user.request(
            "/accounts/login/",
            {"username": user.username, "password": user.password},
            kind=STORM,
            allowed=(503,),
        )

    threads = [threading.Thread(target=sign_in, args=(u,), daemon=True) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def summarise(samples: list[Sample]) -> dict:
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    rows = {}
    for kind, group in sorted(by_kind.items()):
        ms = [s.ms for s in group]
        target = None if kind == STORM else TARGET_MS.get(kind, DEFAULT_TARGET_MS)
        p95 = percentile(ms, 95)
        errors = [s.error for s in group if s.error]
        rows[kind] = {
            "statuses": dict(sorted(Counter(str(s.status) for s in group).items())),
            "requests": len(group),
            "median_ms": round(statistics.median(ms), 1),
            "p95_ms": round(p95, 1),
            "max_ms": round(max(ms), 1),
            "errors": len(errors),
            "first_errors": errors[:3],
            "target_p95_ms": target,
            "met": (target is None or p95 <= target) and not errors,
        }
    return rows


def server_cpu_s(pid: int | None) -> float | None:
    """CPU seconds (user + system) used so far by the server's process and its workers
    (Linux /proc): the measure that does not depend on what else runs on the machine. None
    when unknown."""
    if not pid or not Path("/proc", str(pid)).exists():
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        # After the name: state, ppid, ... utime and stime are fields 14 and 15 of stat.
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def loopback(base: str) -> None:
    host = urllib.parse.urlparse(base).hostname or ""
    try:
        ok = ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = host == "localhost"
    if not ok:
        raise SystemExit(f"{base}: only a server on loopback is measured (127.0.0.1, ::1)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--accounts", required=True, help="perspectief demo --list-accounts --json")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time, seconds")
    parser.add_argument("--label", default="", help="what was measured (database, server)")
    parser.add_argument(
        "--sign-in-storm", type=int, default=0, help="first, this many sign-ins at once (0: none)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--server-pid", type=int, help="the server's process: its and its workers' CPU time"
    )
    args = parser.parse_args(argv)
    loopback(args.base)
    passwords = {a["username"]: a["password"] for a in json.loads(Path(args.accounts).read_text())}
    cast = []
    for username, role, share in CAST:
        cast += [(username, role)] * max(1, round(share * args.users))
    cast = cast[: args.users]
    recorder = Recorder()
    if args.sign_in_storm:
        sign_in_storm(args.base, passwords, args.sign_in_storm, recorder)
    # Each account signs in once, and its virtual users continue in that session: the second
    # factor refuses a code used twice (replay protection), so several sign-ins of one
    # account within the same 30 seconds cannot all pass — as it should be.
    sessions: dict[str, User] = {}
    for username, role, _share in CAST:
        sessions[username] = User(args.base, username, passwords[username], role, 0, recorder)
        try:
            sessions[username].sign_in()
        except RuntimeError as exc:
            recorder.add(Sample("sign in", 0, 0, str(exc)))
    users = []
    for seed, (username, role) in enumerate(cast, start=1):
        user = User(args.base, username, passwords[username], role, seed, recorder)
        user.adopt(sessions[username])
        users.append(user)
    cpu_before = server_cpu_s(args.server_pid)
    started = time.perf_counter()
    until = started + args.duration
    threads = [
        threading.Thread(target=play, args=(user, until, args.think), daemon=True) for user in users
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.duration + 120)
    elapsed = time.perf_counter() - started
    cpu_after = server_cpu_s(args.server_pid)
    rows = summarise(recorder.samples)
    played = sum(1 for s in recorder.samples if not s.kind.startswith("sign in"))
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "label": args.label,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
        "users": len(cast),
        "duration_s": round(elapsed, 1),
        "think_s": args.think,
        "requests": len(recorder.samples),
        "throughput_per_s": round(len(recorder.samples) / elapsed, 1),
        "errors": sum(r["errors"] for r in rows.values()),
        # The server's CPU during the users' requests (after the sign-ins), per request: it
        # compares runs on a shared machine, where the latencies depend on the neighbours.
        "server_cpu_s": None if cpu is None else round(cpu, 1),
        "server_cpu_ms_per_request": None if cpu is None else round(1000 * cpu / max(played, 1), 1),
        "all_met": all(r["met"] for r in rows.values()),
        "kinds": rows,
    }
    previous = json.loads(args.out.read_text()) if args.out.exists() else {}
    previous[args.label or "load"] = result
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")
    width = max(len(k) for k in rows) if rows else 10
    print(f"{len(cast)} users, {elapsed:.0f} s, {result['requests']} requests, {result['machine']}")
    if cpu is not None:
        print(f"server CPU {cpu:.1f} s, {result['server_cpu_ms_per_request']} ms a request")
    print(f"{'what':<{width}}  {'n':>6} {'median':>8} {'p95':>8} {'max':>8} {'target':>7} err")
    for kind, r in rows.items():
        mark = "" if r["met"] else "  <-- not met"
        print(
            f"{kind:<{width}}  {r['requests']:>6} {r['median_ms']:>8} {r['p95_ms']:>8} "
            f"{r['max_ms']:>8} {r['target_p95_ms'] or '-':>7} {r['errors']:>3}{mark}"
        )
    for kind, r in rows.items():
        for error in r["first_errors"]:
            print(f"  {kind}: {error}")
    print(f"written to {args.out}")
    return 0 if result["all_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
