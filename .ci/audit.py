"""Audit the locked dependencies for known vulnerabilities (`make audit`, and `.ci/run`).

Runs pip-audit over a lock file (requirements/test.txt holds every package the platform and
its tools install) against PyPI's vulnerability data, with a timeout on every request and on
the whole run, and sorts the outcome into three answers:

- exit 0: every locked package was audited and none has a known vulnerability (apart from
  the ones in IGNORED, each with its reason);
- exit 1: a locked package has a known vulnerability: upgrade it in the lock
  (`make lock LOCK_FLAGS="--upgrade-package NAME"`, within pyproject.toml's bounds), or, when
  no fixed version exists or the vulnerable code is never used, add it to IGNORED with the
  reason and the date;
- exit 3: the vulnerability data could not be read for some or all packages (no network,
  PyPI's JSON API unreachable or refusing): nothing is known, so this is not a pass.
  ``--unreachable=warn`` turns this into a loud warning and exit 0 (see .ci/run for where
  and why).

pip-audit itself exits 0 when a package "could not be audited"; this script does not.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

#: Vulnerabilities that are known and accepted, by id (PYSEC-..., GHSA-..., CVE-...), each
#: with why it does not apply or why it cannot be fixed yet, and since when. Keep it empty;
#: an entry without a reason is not allowed.
IGNORED: dict[str, str] = {}

#: Seconds for one request to the vulnerability service, and for the whole audit.
REQUEST_TIMEOUT = 20
TOTAL_TIMEOUT = 600

UNREACHABLE = 3


def _run_pip_audit(lock: Path, report: Path) -> subprocess.CompletedProcess[str]:
    """pip-audit over the lock as it is: hashed pins, no resolution, no pip, JSON out."""
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [
        str(pip_audit),
        "--requirement",
        str(lock),
        "--disable-pip",
        "--vulnerability-service",
        "pypi",
        "--timeout",
        str(REQUEST_TIMEOUT),
        "--progress-spinner",
        "off",
        "--format",
        "json",
        "--output",
        str(report),
    ]
    for vulnerability in sorted(IGNORED):
        command += ["--ignore-vuln", vulnerability]
    return subprocess.run(  # noqa: S603 — a fixed command line, no shell
        command, capture_output=True, text=True, timeout=TOTAL_TIMEOUT, check=False
    )


def _unreachable(message: str, unreachable: str) -> int:
    """Say plainly that nothing was audited; fail unless told to warn."""
    banner = "NOT AUDITED" if unreachable == "warn" else "AUDIT FAILED"
    print(f"\n*** {banner}: {message}", file=sys.stderr)
    print(
        "*** The locked dependencies were NOT checked for known vulnerabilities. Run "
        "`make audit` on a machine that reaches PyPI's JSON API (per package and version).",
        file=sys.stderr,
    )
    return 0 if unreachable == "warn" else UNREACHABLE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lock", type=Path, help="a lock file with hashed pins")
    parser.add_argument(
        "--unreachable",
        choices=("fail", "warn"),
        default="fail",
        help="what to do when the vulnerability data cannot be read (default: fail)",
    )
    args = parser.parse_args(argv)
    missing = [key for key, reason in IGNORED.items() if not reason.strip()]
    if missing:
        print(f"Ignored without a reason: {', '.join(missing)}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory() as folder:
        report_file = Path(folder) / "audit.json"
        try:
            result = _run_pip_audit(args.lock, report_file)
        except subprocess.TimeoutExpired:
            return _unreachable(f"pip-audit took longer than {TOTAL_TIMEOUT} s", args.unreachable)
        if not report_file.exists():
            detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
            return _unreachable(f"pip-audit stopped: {detail[0]}", args.unreachable)
        report = json.loads(report_file.read_text())

    dependencies = report.get("dependencies", [])
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"VULNERABLE {dep['name']}=={dep['version']}: {vuln['id']} (fixed in: {fixed})")
    skipped = [dep for dep in dependencies if dep.get("skip_reason")]
    audited = len(dependencies) - len(skipped)
    print(
        f"pip-audit: {audited} of {len(dependencies)} locked packages audited, "
        f"{len(vulnerable)} with known vulnerabilities, {len(IGNORED)} ignored by id."
    )
    if vulnerable:
        return 1
    if skipped or not dependencies:
        first = skipped[0]["skip_reason"] if skipped else "no packages in the report"
        return _unreachable(
            f"{len(skipped)} of {len(dependencies)} packages could not be audited ({first})",
            args.unreachable,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
