"""The generated files of the import benchmarks: job seekers and places of region AM18
(Groot Amsterdam), written with a fixed seed from the shipped reference data (PC4
postcodes, ESCO occupations), row by row (a file of a million rows is never in memory)."""

import csv
import gzip
import random
import sqlite3
from pathlib import Path

from benchlib import DATA

from perspectief.candidates.importers import STANDARD_COLUMNS
from perspectief.vacancies.importers import COLUMNS as PLACE_COLUMNS


def _postcodes() -> list[str]:
    with (DATA / "geo" / "pc4_centroids_nl_geonames.csv").open() as f:
        return [r["pc4"] for r in csv.DictReader(f) if r["am_code"] == "AM18"]


def _occupations(count: int) -> list[str]:
    with gzip.open(DATA / "esco" / "v1.1.1" / "occupations_nl.csv.gz", "rt") as f:
        return [r["preferredLabel"] for r in csv.DictReader(f)][:count]


def _bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10:
            return "".join(map(str, [*digits, last]))


def write_candidates(path: Path, rows: int, seed: int = 20261123) -> None:
    """``rows`` job seekers in the standard template, each with a distinct valid BSN."""
    rng = random.Random(seed)
    postcodes, occupations = _postcodes(), _occupations(400)
    benefits = ["bijstand", "ww", "wajong", "wia", "geen", "anders"]
    levels = ["MBO1", "MBO2", "MBO3", "HAVO", "VMBO_BB", ""]
    used = set()
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(STANDARD_COLUMNS)
        for i in range(rows):
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


def kvk_numbers(database: Path) -> list[str]:
    """The KvK numbers of the demo employers of region AM18 (an embedded database)."""
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT e.kvk_number FROM organisations_employeraccount e "
            "JOIN organisations_organisation o ON o.id = e.organisation_id "
            "JOIN regions_region r ON r.id = o.region_id WHERE r.code = 'AM18'"
        ).fetchall()
    return [r[0] for r in rows]


def write_places(path: Path, rows: int, kvks: list[str]) -> None:
    """``rows`` places of the employers ``kvks``, each with its own reference."""
    rng = random.Random(20261123)
    postcodes, occupations = _postcodes(), _occupations(300)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(PLACE_COLUMNS)
        for i in range(rows):
            row = dict.fromkeys(PLACE_COLUMNS, "")
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
            writer.writerow([row[c] for c in PLACE_COLUMNS])
