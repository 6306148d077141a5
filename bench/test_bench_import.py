"""Benchmark: importing job seekers (first import, and the same file again: nothing changes)
and places, through the real ``perspectief import`` command, with a plain baseline measured
in the same run (the file's CSV parsed alone, and a raw ``bulk_create`` of as many minimal
rows). Results in bench/results/import.json (job seekers) and places_import.json.

Targets (issue #20): job seekers ≥ 5,000 rows/s on PostgreSQL and ≥ 2,000 on SQLite for a
first import, ≥ 10,000 rows/s for a re-import that changes nothing; places ≥ 1,000 rows/s;
memory flat (the file is streamed). Each import is also timed in CPU seconds of its process
(the machine may be shared: wall time then says more about the load than about the code)
and its peak RSS is recorded.

``BENCH_IMPORT_ROWS`` (default 100,000) and ``BENCH_PLACES_ROWS`` (default 5,000) set the
sizes; ``BENCH_MEMORY_ROWS`` (default ``20000,100000,200000``) the sizes of the first
imports whose peak RSS shows that memory stays flat (import_memory.json);
``BENCH_DATABASE_URL`` (postgres://…/own_name) runs on PostgreSQL instead of the
embedded SQLite database (an empty database of its own: ``perspectief demo`` migrates and
fills it).
``BENCH_DEMO_SQLITE`` names an embedded database ``perspectief demo`` made before, to
start from a copy of it instead (quicker when measuring again); ``BENCH_DEMO_READY=1`` uses
the PostgreSQL database as ``perspectief demo`` left it (run each test once on it, or give
``BENCH_IMPORT_SEED`` other people to import).
"""

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from benchlib import PERSPECTIEF
from importfiles import kvk_numbers, write_candidates, write_places

RESULTS = Path(__file__).resolve().parent / "results"
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
PLACES = int(os.environ.get("BENCH_PLACES_ROWS", "5000"))
MEMORY_ROWS = [
    int(n) for n in os.environ.get("BENCH_MEMORY_ROWS", "20000,100000,200000").split(",") if n
]
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "")
KEYS = ("created", "updated", "unchanged", "rejected")

#: The baseline: as many minimal rows written with a plain bulk_create, 1,000 a transaction.
BASELINE = """
import time
from django.db import transaction
from perspectief.audit.models import AuditEvent
rows, start = {rows}, time.perf_counter()
for first in range(0, rows, 1000):
    with transaction.atomic():
        AuditEvent.objects.bulk_create(
            AuditEvent(event="bench.baseline", target_type="bench", target_id=str(i))
            for i in range(first, min(first + 1000, rows))
        )
print(round(time.perf_counter() - start, 2))
AuditEvent.objects.filter(event="bench.baseline").delete()
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERSPECTIEF_")}
    env.update(DJANGO_SETTINGS_MODULE="perspectief.conf.dev", PERSPECTIEF_DATA_DIR=str(data_dir))
    env.pop("DATABASE_URL", None)
    if DATABASE_URL:
        env["DATABASE_URL"] = DATABASE_URL
    return env


def _run(args: list[str], data_dir: Path) -> dict:
    """Run the command: its output, wall and CPU seconds and peak RSS (MB) of its process."""
    out_path, err_path = data_dir / "bench.out", data_dir / "bench.err"
    start = time.perf_counter()
    with out_path.open("w") as out, err_path.open("w") as err:
        process = subprocess.Popen(
            [str(PERSPECTIEF), *args], env=_env(data_dir), stdout=out, stderr=err
        )
        _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    assert os.waitstatus_to_exitcode(status) == 0, err_path.read_text()
    return {
        "out": out_path.read_text(),
        "wall": round(wall, 1),
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


def _timed(args: list[str], data_dir: Path, rows: int) -> dict:
    done = _run(args, data_dir)
    report = json.loads(done["out"])
    return {
        "seconds": done["wall"],
        "rows_per_second": round(rows / done["wall"]),
        "cpu_seconds": round(done["cpu"], 1),
        "rows_per_cpu_second": round(rows / done["cpu"]),
        "peak_rss_mb": done["rss_mb"],
        **{k: report[k] for k in KEYS},
    }


def _demo(data_dir: Path) -> None:
    """The demo's organisations, people and employers (a copy when one was made before)."""
    made = os.environ.get("BENCH_DEMO_SQLITE")
    if DATABASE_URL and os.environ.get("BENCH_DEMO_READY"):
        return  # the PostgreSQL database holds the demo already (each import here once)
    if made and not DATABASE_URL:
        shutil.copy(made, data_dir / "perspectief.sqlite3")
    else:
        _run(["demo", "--no-serve"], data_dir)


def _csv_alone(path: Path) -> float:
    """Seconds to parse the file's CSV, nothing else: the floor of any import."""
    start = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as f:
        for _row in csv.reader(f, delimiter=";"):
            pass
    return time.perf_counter() - start


def _baseline(data_dir: Path, rows: int) -> dict:
    done = _run(["shell", "--verbosity", "0", "-c", BASELINE.format(rows=rows)], data_dir)
    seconds = float(done["out"].split()[-1])
    startup = _run(["shell", "--verbosity", "0", "-c", "pass"], data_dir)
    return {
        "bulk_create_seconds": seconds,
        "bulk_create_rows_per_second": round(rows / seconds),
        # What every command costs before its first row (Django, the apps): part of the
        # CPU seconds above.
        "startup_cpu_seconds": round(startup["cpu"], 1),
    }


def _database() -> str:
    return "PostgreSQL" if DATABASE_URL else "SQLite (embedded default)"


def _write(name: str, result: dict) -> None:
    suffix = "_postgresql" if DATABASE_URL else ""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}{suffix}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


@pytest.mark.bench
def test_bench_import(tmp_path):
    source = tmp_path / "klanten.csv"
    write_candidates(source, ROWS, seed=int(os.environ.get("BENCH_IMPORT_SEED", "20261123")))
    _demo(tmp_path)
    args = ["import", "candidates", str(source), "--organisation", "GM0363", "--json"]
    first = _timed(args, tmp_path, ROWS)
    again = _timed(args, tmp_path, ROWS)
    result = {
        "rows": ROWS,
        "file_mb": round(source.stat().st_size / 2**20, 1),
        "first": first,
        "reimport": again,
        "baseline": {
            "csv_parse_seconds": round(_csv_alone(source), 2),
            **_baseline(tmp_path, ROWS),
        },
        "database": _database(),
        "python": sys.version.split()[0],
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    _write("import", result)
    # A generated BSN can be one of the demo population's: then it is the same person.
    assert first["created"] + first["updated"] + first["rejected"] == ROWS
    assert again["created"] == 0 and again["updated"] == 0


@pytest.mark.bench
def test_bench_places_import(tmp_path):
    _demo(tmp_path)
    source = tmp_path / "plekken.csv"
    write_places(source, PLACES, _employers(tmp_path))
    args = ["import", "places", str(source), "--organisation", "GM0363", "--json"]
    first = _timed(args, tmp_path, PLACES)
    again = _timed(args, tmp_path, PLACES)
    result = {
        "rows": PLACES,
        "first": first,
        "reimport": again,
        "baseline": _baseline(tmp_path, PLACES),
        "database": _database(),
        "python": sys.version.split()[0],
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    _write("places_import", result)
    assert first["created"] == PLACES and first["rejected"] == 0
    assert again["unchanged"] == PLACES


@pytest.mark.bench
def test_bench_import_memory(tmp_path):
    """Peak RSS of a first import of ever larger files: flat, as the upload is stored and
    read in pieces, the rows streamed and the duplicate check kept small."""
    _demo(tmp_path)
    sizes = []
    for rows in MEMORY_ROWS:
        source = tmp_path / f"klanten-{rows}.csv"
        write_candidates(source, rows, seed=rows)  # other people than the file before
        args = ["import", "candidates", str(source), "--organisation", "GM0363", "--json"]
        sizes.append(
            {"file_mb": round(source.stat().st_size / 2**20, 1), **_timed(args, tmp_path, rows)}
        )
        source.unlink()
    startup = _run(["shell", "--verbosity", "0", "-c", "pass"], tmp_path)
    result = {
        "sizes": dict(zip(map(str, MEMORY_ROWS), sizes, strict=True)),
        "startup_peak_rss_mb": startup["rss_mb"],
        "database": _database(),
        "python": sys.version.split()[0],
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    _write("import_memory", result)
    peaks = [size["peak_rss_mb"] for size in sizes]
    assert max(peaks) - min(peaks) < 100  # flat: not growing with the file


def _employers(data_dir: Path) -> list[str]:
    """The KvK numbers of the demo employers of region AM18."""
    if not DATABASE_URL:
        return kvk_numbers(data_dir / "perspectief.sqlite3")
    code = (
        "from perspectief.organisations.models import EmployerAccount as E;"
        "print(' '.join(E.objects.filter(organisation__region__code='AM18')"
        ".values_list('kvk_number', flat=True)))"
    )
    return _run(["shell", "--verbosity", "0", "-c", code], data_dir)["out"].split()
