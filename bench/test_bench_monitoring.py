"""Benchmark: the PoW-dashboard's indicators at national scale, on the embedded SQLite
database — 70,000 people over the 35 regions with 200,000 dated journey transitions.
Measures one region's counts, its suppressed tables below region level for a quarter (per
municipality, per target group), the monthly series, what a dashboard page computes in all,
and the ministry's national table (35 regions, suppressed) for a quarter. Results in
bench/results/monitoring.json."""

import json
import random
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from benchlib import timed


def _timed(fn):
    return timed(fn, repeat=5)


RESULTS = Path(__file__).resolve().parent / "results" / "monitoring.json"
PEOPLE = 70_000
TRANSITIONS = 200_000
STATUSES = ["in_beeld", "werkfit", "in_scholing", "bemiddelbaar", "geplaatst", "duurzaam"]


def _first_publication(narrowed, region, quarter, dimension):
    from perspectief.monitoring.models import PublishedTable

    PublishedTable.objects.filter(dimension=dimension).delete()
    narrowed.region_table(region.pk, *quarter, dimension)


def _national_first(national_table, quarter):
    from perspectief.monitoring.models import PublishedTable

    PublishedTable.objects.filter(scope="NL").delete()
    national_table(*quarter)


def _dashboard(narrowed, indicators, region, quarter):
    from perspectief.monitoring.models import PublishedTable

    PublishedTable.objects.all().delete()  # the first view after the quarter settled
    tables = narrowed.Tables(region.pk)
    town = region.municipalities.first()
    f = indicators.Filters(*quarter, region_id=region.pk, municipality_id=town.pk, quarter=quarter)
    tables.counts(f)
    for dimension in ("municipality", "target_group", "sector"):
        tables.get(dimension, *quarter).column("matches")


@pytest.mark.bench
@pytest.mark.django_db
def test_bench_indicators_national_scale():
    from perspectief.candidates.models import Candidate, JourneyTransition
    from perspectief.monitoring.selectors import breakdowns as narrowed
    from perspectief.monitoring.selectors import indicators
    from perspectief.monitoring.selectors.national import national_table
    from perspectief.regions.models import Municipality, Postcode, Region

    rng = random.Random(20261124)
    regions = [Region.objects.create(code=f"AM{i:02d}", name=f"Regio {i}") for i in range(1, 36)]
    postcodes = []
    for i, region in enumerate(regions):
        for j in range(4):
            municipality = Municipality.objects.create(
                code=f"GM{i * 4 + j:04d}",
                name=f"Gemeente {i}-{j}",
                province="Utrecht",
                region=region,
                latitude=52,
                longitude=5,
            )
            postcodes.append(
                Postcode.objects.create(
                    code=f"{1000 + i * 4 + j}", municipality=municipality, latitude=52, longitude=5
                )
            )
    start = time.perf_counter()
    people = Candidate.objects.bulk_create(
        (
            Candidate(
                first_name="Test",
                last_name=f"Persoon {i}",
                region_id=(pc := rng.choice(postcodes)).municipality.region_id,
                postcode=pc,
            )
            for i in range(PEOPLE)
        ),
        batch_size=5000,
    )
    first = date(2025, 1, 1)
    JourneyTransition.objects.bulk_create(
        (
            JourneyTransition(
                candidate=rng.choice(people),
                from_status="aangemeld",
                to_status=rng.choice(STATUSES),
                occurred_on=first + timedelta(days=rng.randint(0, 700)),
                cause="route",
            )
            for _i in range(TRANSITIONS)
        ),
        batch_size=5000,
    )
    built = round(time.perf_counter() - start, 1)
    region = regions[17]
    year = indicators.Filters(date(2026, 1, 1), date(2026, 12, 31), region_id=region.pk)
    quarter = (date(2026, 7, 1), date(2026, 9, 30))
    result = {
        "people": PEOPLE,
        "transitions": TRANSITIONS,
        "regions": len(regions),
        "setup_s": built,
        "region_counts_ms": _timed(lambda: indicators.counts(year)),
        # A settled quarter's table is computed once, when first published (timed here with
        # the kept one removed before each run), and read back after that.
        "region_table_municipality_quarter_ms": _timed(
            lambda: _first_publication(narrowed, region, quarter, "municipality")
        ),
        "region_table_target_group_quarter_ms": _timed(
            lambda: _first_publication(narrowed, region, quarter, "target_group")
        ),
        "region_table_published_read_ms": _timed(
            lambda: narrowed.region_table(region.pk, *quarter, "municipality")
        ),
        "region_by_month_ms": _timed(lambda: indicators.by_month(year)),
        # The numbers of the first dashboard page narrowed to a municipality after the
        # quarter settled: its cards and the three breakdown tables, each published.
        "dashboard_narrowed_ms": _timed(lambda: _dashboard(narrowed, indicators, region, quarter)),
        "national_table_quarter_ms": _timed(
            lambda: _national_first(national_table, quarter), repeat=3
        ),
    }
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["indicators_national_scale"] = result
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    assert indicators.counts(year)["matches"] > 0
