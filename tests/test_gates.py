"""The gates stay true to each other: the lock files pin what pyproject.toml asks for, with
hashes; the dependency audit never passes without having audited; pre-commit runs the same
checks as `make lint`; the licence is the same everywhere (docs/development.md, "The gates")."""

import importlib.util
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# A pin may carry extras (`celery[redis]==5.7.0`): the test lock keeps them (Makefile, `lock`).
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)", re.MULTILINE)


def _pins(name: str) -> dict[str, str]:
    """A lock file's pins, by normalised package name; each must carry its hashes."""
    text = (ROOT / "requirements" / name).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text)
    pins = {}
    for entry in entries:
        match = PIN.match(entry)
        if match:
            assert "--hash=sha256:" in entry, f"{name}: {match[1]} has no hash"
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def _check_pinned(requirements: list[str], pins: dict[str, str], lock: str) -> list[str]:
    problems = []
    for line in requirements:
        requirement = Requirement(line)
        version = pins.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement.name} is not in {lock}: run `make lock`")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{lock} pins {requirement.name}=={version}, outside {line!r}")
    return problems


def test_the_lock_files_pin_every_dependency_within_its_bounds():
    base, test = _pins("base.txt"), _pins("test.txt")
    project = PYPROJECT["project"]
    build = PYPROJECT["build-system"]["requires"]
    problems = _check_pinned(project["dependencies"] + build, base, "base.txt")
    problems += _check_pinned(
        project["dependencies"] + project["optional-dependencies"]["test"] + build,
        test,
        "test.txt",
    )
    problems += [
        f"base.txt pins {name}=={version}, test.txt {test.get(name)}"
        for name, version in base.items()
        if test.get(name) != version
    ]
    assert not problems, "\n".join(problems)


def test_the_lock_files_name_no_local_index_or_file():
    for lock in (ROOT / "requirements").glob("*.txt"):
        text = lock.read_text()
        assert "file://" not in text and "--find-links" not in text and "--index-url" not in text


# --- the dependency audit (.ci/audit.py) ----------------------------------------------------


@pytest.fixture
def audit(monkeypatch):
    """The audit script, with pip-audit replaced by a report the test writes."""
    spec = importlib.util.spec_from_file_location("ci_audit", ROOT / ".ci" / "audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def run(dependencies=None, *, argv=("requirements/test.txt",), crash=False):
        def fake_pip_audit(lock, report):
            if not crash:
                report.write_text(json.dumps({"dependencies": dependencies, "fixes": []}))
            return subprocess.CompletedProcess([], 1, "", "ConnectionError: no route to host")

        monkeypatch.setattr(module, "_run_pip_audit", fake_pip_audit)
        return module.main(list(argv))

    run.module = module
    return run


CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2.1",
    "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"], "aliases": []}],
}
SKIPPED = {"name": "django", "skip_reason": "Dependency not found on PyPI"}


def test_the_audit_passes_only_when_every_package_was_audited_clean(audit, capsys):
    assert audit([CLEAN, {**CLEAN, "name": "celery"}]) == 0
    assert "2 of 2 locked packages audited" in capsys.readouterr().out


def test_the_audit_fails_on_a_known_vulnerability(audit, capsys):
    assert audit([VULNERABLE, SKIPPED], argv=["--unreachable=warn", "x.txt"]) == 1
    assert "VULNERABLE django==5.2.1: PYSEC-2025-1 (fixed in: 5.2.2)" in capsys.readouterr().out


@pytest.mark.parametrize(
    "dependencies", [[CLEAN, SKIPPED], [SKIPPED], []], ids=["some", "all", "none"]
)
def test_an_audit_that_could_not_read_the_vulnerability_data_is_no_pass(
    audit, capsys, dependencies
):
    assert audit(dependencies) == 3
    assert "AUDIT FAILED" in capsys.readouterr().err
    assert audit(dependencies, argv=["--unreachable=warn", "x.txt"]) == 0
    assert "NOT AUDITED" in capsys.readouterr().err


def test_the_audit_fails_when_pip_audit_stops_without_a_report(audit, capsys):
    assert audit(crash=True) == 3
    assert "no route to host" in capsys.readouterr().err


def test_an_ignored_vulnerability_needs_its_reason(audit, monkeypatch):
    monkeypatch.setitem(audit.module.IGNORED, "PYSEC-2025-1", " ")
    assert audit([CLEAN]) == 2


# --- pre-commit runs what `make lint` runs --------------------------------------------------


def _command(text: str) -> str:
    """A command without its environment, its tool folder and pre-commit's own flag."""
    text = re.sub(r"^(env\s+)?([A-Z_]+=\S+\s+)*", "", text.strip())
    text = re.sub(r"^(\.venv/bin/|\$\(BIN\)/)", "", text)
    return text.replace(" --force-exclude", "")


def test_pre_commit_runs_the_same_checks_as_make_lint():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {repo["repo"] for repo in config["repos"]} == {"local"}  # nothing downloaded
    assert {hook["language"] for hook in hooks} == {"system"}
    makefile = (ROOT / "Makefile").read_text()
    recipes = re.search(r"^lint:.*?\n((?:\t.*\n)+)", makefile, re.MULTILINE)[1]
    recipes += re.search(r"^typecheck:.*?\n((?:\t.*\n)+)", makefile, re.MULTILINE)[1]
    lint = {_command(line) for line in recipes.splitlines()} - {
        "pre-commit validate-config",
        "$(MAKE) typecheck",
    }
    lint = {re.sub(r" src tests bench \.ci$", "", command) for command in lint}
    assert {_command(hook["entry"]) for hook in hooks} == lint


# --- licence and publiccode.yml -------------------------------------------------------------


def test_the_licence_is_the_eupl_everywhere():
    assert PYPROJECT["project"]["license"] == "EUPL-1.2"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2\nEUPL © the European Union")
    assert "Appendix" in text and "15.Applicable Law" in text
    publiccode = yaml.safe_load((ROOT / "publiccode.yml").read_text())
    assert publiccode["legal"]["license"] == "EUPL-1.2"


def test_publiccode_yml_describes_the_platform_in_its_languages():
    publiccode = yaml.safe_load((ROOT / "publiccode.yml").read_text())
    assert publiccode["publiccodeYmlVersion"] == "0.4"
    assert publiccode["platforms"] == ["web"]
    assert publiccode["softwareType"] == "standalone/web"
    languages = [code for code, _name in settings.LANGUAGES]
    assert publiccode["localisation"]["availableLanguages"] == languages
    assert sorted(publiccode["description"]) == sorted(languages)
    for description in publiccode["description"].values():
        assert len(description["shortDescription"]) <= 150
        assert 150 <= len(description["longDescription"]) <= 10_000
        assert description["features"]


def test_the_audit_script_runs_under_this_python():
    result = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "audit.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
