"""Profile the PoW-dashboard on a database as it is (issue #20 item 2): the national
population on PostgreSQL, read-only.

For each account asked (default: the programmamanagers of Groot Amsterdam and Rijnmond):
one warm-up view, then ``--views`` timed views through Django's test client, each query
captured with its time (``--slowest N`` prints the slowest, ``--explain`` with their plans,
``--html DIR`` keeps each page without its CSRF tokens to compare). Everything runs in
one transaction that is rolled back at the end, so the shared database is never written
(the session, the access log and the tables a first view publishes disappear with it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perspectief_national_load \\
    PERSPECTIEF_DATA_DIR=/work/national-data DJANGO_SETTINGS_MODULE=perspectief.conf.dev \\
    PYTHONPATH=src .venv/bin/python bench/dashboard_national.py --users pm.amsterdam,pm.rotterdam \\
        --label after [--slowest 5] [--html DIR] [--out bench/results/dashboard_national.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import time
from pathlib import Path

import django

CSRF = re.compile(
    r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": *"[^"]*"|Berekend om \d\d:\d\d'
)


class Rollback(Exception):
    pass


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).first()


def _signed_in(client, user):
    """Signed in, the second factor passed where there is one (as tests/conftest.sign_in)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    device = user.totpdevice_set.filter(confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _view(client, url, params) -> tuple[float, float, int, list, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url, params)
        total = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    sql = sum(float(q["time"]) for q in queries.captured_queries)
    html = CSRF.sub("(varies)", response.content.decode())
    return 1000 * total, 1000 * sql, len(queries), queries.captured_queries, html


def _explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def run(args) -> dict:
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    url = reverse("monitoring:dashboard")
    out: dict = {}
    try:
        with transaction.atomic():
            for username in args.users.split(","):
                if (user := _user(username)) is None:
                    print(f"{username}: no account")
                    continue
                if True:
                    for name, params in _filters(args):
                        client = _signed_in(Client(), user)
                        _view(client, url, params)  # warm-up (and first publication)
                        views = [_view(client, url, params) for _i in range(args.views)]
                        key = f"{username}/{name}"
                        out[key] = {
                            "total_ms": round(statistics.median(v[0] for v in views), 1),
                            "sql_ms": round(statistics.median(v[1] for v in views), 1),
                            "queries": views[-1][2],
                        }
                        print(key, out[key], flush=True)
                        _report(args, key, views[-1])
            raise Rollback
    except Rollback:
        pass
    return out


def _filters(args):
    yield "default", {}
    if args.filters:
        from perspectief.monitoring.periods import completed_quarters

        year, quarter = completed_quarters(2)[1]
        yield "period", {"start": f"{year - 1}-07-01", "end": f"{year}-03-31"}
        yield "target_group", {"target_group": "statushouder", "quarter": f"{year}-{quarter}"}
        yield "sector", {"sector": "G"}


def _report(args, key: str, view) -> None:
    _total, _sql, _n, captured, html = view
    if args.html:
        folder = Path(args.html)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / (key.replace("/", "_") + ".html")).write_text(html)
    if args.slowest:
        slowest = sorted(captured, key=lambda q: -float(q["time"]))[: args.slowest]
        for q in slowest:
            print(f"--- {float(q['time']) * 1000:.1f} ms: {q['sql'][:2000]}")
            if args.explain and q["sql"].lstrip().upper().startswith("SELECT"):
                print(_explain(q["sql"]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", default="pm.amsterdam,pm.rotterdam")
    parser.add_argument("--views", type=int, default=5)
    parser.add_argument("--label", default="")
    parser.add_argument("--slowest", type=int, default=0)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--filters", action="store_true")
    parser.add_argument("--html", default="")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspectief.conf.dev")
    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    results = run(args)
    if args.out:
        path = Path(args.out)
        existing = json.loads(path.read_text()) if path.exists() else {}
        existing[args.label or "run"] = {
            "results": results,
            "views": args.views,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "load_1min_at_end": round(os.getloadavg()[0], 1),
            "database": settings.DATABASES["default"]["NAME"],
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        }
        path.write_text(json.dumps(existing, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
