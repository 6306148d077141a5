"""Benchmarks of the foundation: setting up the embedded database from nothing.

Run with `make bench`; results are written to bench/results/foundation.json. Each step runs
the real console command in a fresh data directory, as `make demo` does.
"""

import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

RESULTS = Path(__file__).resolve().parent / "results" / "foundation.json"
PERSPECTIEF = Path(sys.executable).with_name("perspectief")


def _run(args, data_dir) -> tuple[float, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERSPECTIEF_")}
    env.update(
        DJANGO_SETTINGS_MODULE="perspectief.conf.dev",
        PERSPECTIEF_DATA_DIR=str(data_dir),
    )
    env.pop("DATABASE_URL", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([str(PERSPECTIEF), *args], env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return round(seconds, 2), round(peak_mb, 1)


@pytest.mark.bench
def test_bench_embedded_setup(tmp_path):
    results = {}
    results["migrate"] = _run(["migrate", "-v0"], tmp_path)
    results["load_reference_first"] = _run(["load_reference"], tmp_path)
    results["load_reference_again"] = _run(["load_reference"], tmp_path)
    # The first demo run hashes 22 demo passwords (PBKDF2, deliberately slow).
    results["demo_population_first"] = _run(["demo", "--no-serve"], tmp_path)
    results["demo_setup_again"] = _run(["demo", "--no-serve"], tmp_path)
    report = {
        "what": (
            "seconds per command on a fresh SQLite data dir; "
            "peak_rss_mb is the largest child process so far"
        ),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "results": {k: {"seconds": s, "peak_rss_mb": m} for k, (s, m) in results.items()},
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    # Targets: a newcomer waits less than a minute for the data; a re-run is near-instant.
    assert results["load_reference_first"][0] < 60
    assert results["load_reference_again"][0] < 10
    assert results["demo_setup_again"][0] < 10
