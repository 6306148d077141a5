"""Benchmark of ``perspectief match run`` on JSON Lines files, end to end (reading and
checking every line, building the index, ranking with explanations, writing), against the
plain scipy script of :mod:`plain_match` on the same files in the same run (issue #20:
at most 0.4 × the plain script's time). Results in bench/results/matching.json.

100,000 candidates and 2,000 places, generated from ESCO's occupation–skill relations and
the real PC4 coordinates (fixed seed).
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from benchlib import PERSPECTIEF
from test_bench_matching import ESCO, RESULTS, World, _postcodes

from perspectief.matching.engine.taxonomy import load_esco

PLAIN = Path(__file__).resolve().with_name("plain_match.py")


def _write_files(folder: Path) -> tuple[Path, Path]:
    world = World(load_esco(ESCO), seed=3)
    coords = _postcodes()
    candidates, vacancies = folder / "candidates.jsonl", folder / "vacancies.jsonl"
    with candidates.open("w") as f:
        for c in world.candidates(100_000, coords):
            line = {
                "id": c.id,
                "lat": c.lat,
                "lon": c.lon,
                "hours": c.hours,
                "max_distance_km": c.max_distance_km,
                "education_level": c.education_level,
                "driving_licence": c.driving_licence,
                "occupations": c.occupations,
                "skills": c.skills,
                "priority": c.priority,
            }
            f.write(json.dumps(line) + "\n")
    with vacancies.open("w") as f:
        for v in world.vacancies(2000, coords):
            line = {
                "id": v.id,
                "lat": v.lat,
                "lon": v.lon,
                "hours": v.hours,
                "places": v.places,
                "min_education_level": v.min_education_level,
                "occupation": v.occupation,
                "essential_skills": v.essential_skills,
                "optional_skills": v.optional_skills,
                "teachable_skills": v.teachable_skills,
            }
            f.write(json.dumps(line) + "\n")
    return candidates, vacancies


def _run(args: list[str]) -> tuple[float, float, str]:
    """(wall, CPU) seconds of a child process, and what it wrote to stderr."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERSPECTIEF_")}
    env.update(DJANGO_SETTINGS_MODULE="perspectief.conf.dev")
    env.pop("DATABASE_URL", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, env=env, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return round(wall, 2), round(cpu, 2), done.stderr


@pytest.mark.bench
def test_bench_match_run_on_files(tmp_path):
    candidates, vacancies = _write_files(tmp_path)
    out, plain_out = tmp_path / "ranked.jsonl", tmp_path / "plain.jsonl"
    wall, cpu, log = _run(
        [
            str(PERSPECTIEF),
            "match",
            "run",
            "--candidates",
            str(candidates),
            "--vacancies",
            str(vacancies),
            "--out",
            str(out),
            "--top",
            "50",
        ]
    )
    plain_wall, plain_cpu, _log = _run(
        [sys.executable, str(PLAIN), str(candidates), str(vacancies), str(plain_out), "50"]
    )
    lines = out.read_text().splitlines()
    assert len(lines) == 2000 and "0 line(s) rejected" in log
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["match_run_files"] = {
        "candidates": 100_000,
        "vacancies": 2000,
        "top": 50,
        "match_run_seconds": wall,
        "match_run_cpu_seconds": cpu,
        "plain_script_seconds": plain_wall,
        "plain_script_cpu_seconds": plain_cpu,
        "ratio_wall": round(wall / plain_wall, 2),
        "ratio_cpu": round(cpu / plain_cpu, 2),
        "machine_load_1min": round(os.getloadavg()[0], 1),
        "target_ratio": 0.4,
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results["match_run_files"], indent=2))
