"""Shared by the benchmarks: where the shipped data is, and running the real command."""

import json
import os
import platform
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


def keep(results: Path, key: str, result: dict) -> None:
    """Adds the machine and its load to ``result`` and keeps it under ``key`` in the JSON
    file ``results`` (other keys — other labels, other databases — stay), and prints it."""
    result |= {
        "load_average": [round(n, 2) for n in os.getloadavg()],
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    kept = json.loads(results.read_text()) if results.exists() else {}
    kept[key] = result
    results.parent.mkdir(exist_ok=True)
    results.write_text(json.dumps(kept, indent=2) + "\n")
    print(json.dumps(result, indent=2))


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


def caseload(region, postcode, gemeente, count, surname=lambda i: f"{i:06d}"):
    """``count`` people in ``region`` served by ``gemeente`` (bulk, no audit: a bench's
    population, not a record of anyone's work); ``surname(i)`` numbers their last names."""
    from perspectief.candidates.models import Candidate

    people = Candidate.objects.bulk_create(
        (
            Candidate(
                first_name=f"Voornaam{i}",
                last_name=f"Achternaam{surname(i)}",
                region=region,
                postcode=postcode,
                status="werkfit",
                hours_per_week=32,
            )
            for i in range(count)
        ),
        batch_size=5000,
    )
    serve(people, gemeente)
    return people


def serve(people, gemeente) -> None:
    """``gemeente`` serves each of ``people`` (bulk, on its legal basis)."""
    from perspectief.candidates.models import CandidateOrganisation
    from perspectief.candidates.services.people import legal_basis_for

    basis = legal_basis_for(gemeente)
    served = (
        CandidateOrganisation(candidate=p, organisation=gemeente, legal_basis=basis) for p in people
    )
    CandidateOrganisation.objects.bulk_create(served, batch_size=5000)
