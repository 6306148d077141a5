"""Shared by the benchmarks: where the shipped data is, and running the real command."""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PERSPECTIEF = Path(sys.executable).with_name("perspectief")
DATA = Path(__file__).resolve().parents[1] / "src" / "perspectief" / "data"


def perspectief(args, data_dir) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERSPECTIEF_")}
    env.update(DJANGO_SETTINGS_MODULE="perspectief.conf.dev", PERSPECTIEF_DATA_DIR=str(data_dir))
    env.pop("DATABASE_URL", None)
    start = time.perf_counter()
    done = subprocess.run(
        [str(PERSPECTIEF), *args], env=env, check=True, capture_output=True, text=True
    )
    return round(time.perf_counter() - start, 1), done.stdout


def timed(fn, repeat=7) -> float:
    """The median of ``repeat`` timed calls, in ms, after one warm-up call (templates,
    caches, the database's buffers)."""
    fn()
    times = []
    for _i in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return round(1000 * statistics.median(times), 1)
