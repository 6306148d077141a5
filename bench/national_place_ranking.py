"""The best people for a place on the national population (#20 item 2), read-only: for the
demo's klantmanager and accountmanager of Groot Amsterdam and of Rijnmond, a few open places
of their region, ranked over everyone they may see (``before``) and over those the engine
could admit (``after``) — the same ranking, or the script stops. Everything runs in one
read-only transaction; the access log of the people shown is collected but not written.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perspectief_national_load \\
    PERSPECTIEF_DATA_DIR=/work/national-data DJANGO_SETTINGS_MODULE=perspectief.conf.dev \\
    PYTHONPATH=src .venv/bin/python bench/national_place_ranking.py [places per adviser]

Prints one JSON object (and writes it to bench/results/place_ranking_national.json)."""

import json
import os
import statistics
import sys
import time
from pathlib import Path

import django

RESULTS = Path(__file__).resolve().parent / "results" / "place_ranking_national.json"
ADVISERS = ("km.amsterdam", "am.amsterdam", "km.rotterdam", "am.rotterdam")


def _ms(fn, repeat: int) -> list[float]:
    fn()  # warm: buffers, the taxonomy
    times = []
    for _i in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - start))
    return times


def main(per_adviser: int = 3, repeat: int = 3) -> dict:
    django.setup()
    from django.db import connection, transaction

    from perspectief.accounts.actor import actor_for
    from perspectief.accounts.models import Membership
    from perspectief.audit import access
    from perspectief.matching.selectors import ranking
    from perspectief.vacancies.models import Vacancy

    access._write = lambda scope, items, default_result: None  # read-only: not written
    read: list[int] = []
    records = ranking.people_records

    def counting(queryset, **kwargs):
        found = records(queryset, **kwargs)
        read.append(len(found))
        return found

    ranking.people_records = counting
    result: dict = {"database": connection.vendor, "advisers": {}}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION READ ONLY")
        for username in ADVISERS:
            membership = Membership.objects.select_related("organisation").get(
                user__username=username
            )
            actor = actor_for(membership)
            places = list(
                Vacancy.objects.visible_to(actor)
                .filter(status="open", occupation__isnull=False)
                .order_by("pk")[:: max(1, 2000 // per_adviser)][:per_adviser]
            )
            if len(places) < per_adviser:
                places = list(Vacancy.objects.visible_to(actor).filter(status="open")[:per_adviser])
            figures: dict = {"places": len(places), "before_ms": [], "after_ms": []}
            for place in places:
                with access.scope():
                    read.clear()
                    near = ranking.ranked_candidates(actor=actor, vacancy=place)
                    everyone = ranking.ranked_candidates(actor=actor, vacancy=place, everyone=True)
                    figures.setdefault("read_after", []).append(read[0])
                    figures.setdefault("read_before", []).append(read[1])
                    same = [(c.pk, repr(m)) for c, m in near]
                    assert same == [(c.pk, repr(m)) for c, m in everyone], place.pk
                    figures["after_ms"] += _ms(
                        lambda p=place, a=actor: ranking.ranked_candidates(actor=a, vacancy=p),
                        repeat,
                    )
                    figures["before_ms"] += _ms(
                        lambda p=place, a=actor: ranking.ranked_candidates(
                            actor=a, vacancy=p, everyone=True
                        ),
                        1,
                    )
            for key in ("before_ms", "after_ms"):
                values = sorted(figures[key])
                figures[key.replace("_ms", "_median_ms")] = round(statistics.median(values), 1)
                figures[key.replace("_ms", "_max_ms")] = round(values[-1], 1)
                del figures[key]
            result["advisers"][username] = figures
            print(username, json.dumps(figures), flush=True)
        transaction.set_rollback(True)
    result["load_average"] = [round(n, 2) for n in os.getloadavg()]
    return result


if __name__ == "__main__":
    found = main(*(int(a) for a in sys.argv[1:]))
    label = os.environ.get("BENCH_LABEL", "latest")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[label] = found
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(found, indent=2))
