"""Benchmark: importing 100,000 job seekers into the embedded SQLite database.

Target (issue #3): well under two minutes. Results in bench/results/import.json. The file is
generated with a fixed seed from the real reference data (PC4 postcodes, ESCO occupations).
"""

import csv
import gzip
import json
import random
from pathlib import Path

import pytest
from benchlib import DATA
from benchlib import perspectief as _perspectief

from perspectief.candidates.importers import STANDARD_COLUMNS

RESULTS = Path(__file__).resolve().parent / "results" / "import.json"
ROWS = 100_000


def _bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10:
            return "".join(map(str, [*digits, last]))


def _write_file(path: Path) -> None:
    rng = random.Random(20261123)
    with (DATA / "geo" / "pc4_centroids_nl_geonames.csv").open() as f:
        postcodes = [r["pc4"] for r in csv.DictReader(f) if r["am_code"] == "AM18"]
    with gzip.open(DATA / "esco" / "v1.1.1" / "occupations_nl.csv.gz", "rt") as f:
        occupations = [r["preferredLabel"] for r in csv.DictReader(f)][:400]
    benefits = ["bijstand", "ww", "wajong", "wia", "geen", "anders"]
    levels = ["MBO1", "MBO2", "MBO3", "HAVO", "VMBO_BB", ""]
    used = set()
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(STANDARD_COLUMNS)
        for i in range(ROWS):
            bsn = _bsn(rng)
            while bsn in used:
                bsn = _bsn(rng)
            used.add(bsn)
            writer.writerow(
                [
                    bsn,
                    f"Voornaam{i}",
                    f"Achternaam{i}",
                    f"{rng.randint(1960, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    rng.choice(postcodes),
                    f"p{i}@example.invalid",
                    "",
                    rng.choice(benefits),
                    rng.choice([16, 24, 32, 36, 40]),
                    rng.choice(levels),
                    rng.choice(["ja", "nee"]),
                    rng.choice(occupations),
                    "",
                ]
            )


@pytest.mark.bench
def test_bench_import_100k(tmp_path):
    source = tmp_path / "klanten.csv"
    _write_file(source)
    _perspectief(["demo", "--no-serve"], tmp_path)
    first, out = _perspectief(
        ["import", "candidates", str(source), "--organisation", "GM0363", "--json"], tmp_path
    )
    report = json.loads(out)
    again, out_again = _perspectief(
        ["import", "candidates", str(source), "--organisation", "GM0363", "--json"], tmp_path
    )
    report_again = json.loads(out_again)
    result = {
        "rows": ROWS,
        "first_import_seconds": first,
        "rows_per_second": round(ROWS / first),
        "first": {k: report[k] for k in ("created", "updated", "unchanged", "rejected")},
        "reimport_seconds": again,
        "reimport": {k: report_again[k] for k in ("created", "updated", "unchanged", "rejected")},
        "database": "SQLite (embedded default)",
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    # A generated BSN can be one of the demo population's: then it is the same person.
    assert report["created"] + report["updated"] + report["rejected"] == ROWS
    assert report_again["created"] == 0 and report_again["updated"] == 0
    assert first < 120, "100,000 rows must import in under two minutes"
