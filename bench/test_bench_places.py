"""Benchmark: importing 5,000 places for the region's employers into the embedded SQLite
database, and importing the same file again (nothing changes). Results in
bench/results/places_import.json. Each row goes through the same service as the web form
(validation, skills, audit), so this measures the rigorous path, not a bulk insert."""

import csv
import gzip
import json
import random
import sqlite3
import sys
from pathlib import Path

import pytest
from benchlib import DATA
from benchlib import perspectief as _perspectief

from perspectief.vacancies.importers import COLUMNS

RESULTS = Path(__file__).resolve().parent / "results" / "places_import.json"
ROWS = 5_000


def _kvk_numbers(data_dir: Path) -> list[str]:
    """The KvK numbers of the demo employers of region AM18 (Groot Amsterdam)."""
    with sqlite3.connect(data_dir / "perspectief.sqlite3") as db:
        rows = db.execute(
            "SELECT e.kvk_number FROM organisations_employeraccount e "
            "JOIN organisations_organisation o ON o.id = e.organisation_id "
            "JOIN regions_region r ON r.id = o.region_id WHERE r.code = 'AM18'"
        ).fetchall()
    return [r[0] for r in rows]


def _write_file(path: Path, kvks: list[str]) -> None:
    rng = random.Random(20261123)
    with (DATA / "geo" / "pc4_centroids_nl_geonames.csv").open() as f:
        postcodes = [r["pc4"] for r in csv.DictReader(f) if r["am_code"] == "AM18"]
    with gzip.open(DATA / "esco" / "v1.1.1" / "occupations_nl.csv.gz", "rt") as f:
        occupations = [r["preferredLabel"] for r in csv.DictReader(f)][:300]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(COLUMNS)
        for i in range(ROWS):
            row = dict.fromkeys(COLUMNS, "")
            row.update(
                kvk=rng.choice(kvks),
                referentie=f"B-{i:05d}",
                titel=f"Plek {i}",
                soort=rng.choice(["job", "leerwerkplek", "basisbaan", "aangepaste_plek"]),
                beroep=rng.choice(occupations),
                uren_per_week=rng.choice([16, 24, 32, 36, 40]),
                contract=rng.choice(["vast", "tijdelijk", "oproep"]),
                postcode=rng.choice(postcodes),
                aantal_plekken=rng.choice([1, 1, 2, 3, 5, 100]),
                startdatum=f"2027-{rng.randint(1, 12):02d}-01",
            )
            writer.writerow([row[c] for c in COLUMNS])


@pytest.mark.bench
def test_bench_places_import(tmp_path):
    _perspectief(["demo", "--no-serve"], tmp_path)
    source = tmp_path / "plekken.csv"
    _write_file(source, _kvk_numbers(tmp_path))
    args = ["import", "places", str(source), "--organisation", "GM0363", "--json"]
    first, out = _perspectief(args, tmp_path)
    again, out_again = _perspectief(args, tmp_path)
    report, report_again = json.loads(out), json.loads(out_again)
    keys = ("created", "updated", "unchanged", "rejected")
    result = {
        "rows": ROWS,
        "first_import_seconds": first,
        "rows_per_second": round(ROWS / first),
        "first": {k: report[k] for k in keys},
        "reimport_seconds": again,
        "reimport": {k: report_again[k] for k in keys},
        "database": "SQLite (embedded default)",
        "python": sys.version.split()[0],
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    assert report["created"] == ROWS and report["rejected"] == 0
    assert report_again["unchanged"] == ROWS
