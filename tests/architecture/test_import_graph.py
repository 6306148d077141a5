"""No cycle between apps, counting imports inside functions (#15).

``lint-imports`` enforces the layers declared in pyproject.toml; this test is the second,
independent check: it builds the app-level graph from every import statement, wherever it is
written, and fails on any cycle. Its only exceptions are the contract's own ``ignore_imports``.
"""

import tomllib
from pathlib import Path

import pytest

from .import_graph import app_graph, cycles, edges

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "perspectief"


def contract_ignores() -> frozenset[tuple[str, str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pairs = set()
    for contract in config["tool"]["importlinter"]["contracts"]:
        if contract["type"] == "layers":
            for line in contract.get("ignore_imports", []):
                source, target = (part.strip() for part in line.split("->"))
                pairs.add((source, target))
    return frozenset(pairs)


def test_the_apps_form_no_cycle():
    graph = app_graph(edges(PACKAGE), contract_ignores())
    assert cycles(graph) == []


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def layered(tmp_path):
    """A tiny package whose ``high`` app imports ``low`` at the top of a module."""
    root = tmp_path / "pkg"
    write(root, "__init__.py", "")
    write(root, "low/__init__.py", "")
    write(root, "low/models.py", "VALUE = 1\n")
    write(root, "high/__init__.py", "")
    write(root, "high/views.py", "from pkg.low.models import VALUE\n")
    return root


def test_a_downward_import_is_no_cycle(layered):
    assert cycles(app_graph(edges(layered))) == []


def test_an_upward_import_inside_a_function_is_a_cycle(layered):
    write(
        layered,
        "low/services.py",
        "def later():\n    from ..high import views\n\n    return views\n",
    )
    found = edges(layered)
    assert any(edge.in_function and edge.target.startswith("pkg.high") for edge in found)
    assert cycles(app_graph(found)) == [["high", "low"]]


def test_an_upward_import_in_a_method_under_type_checking_counts_too(layered):
    write(
        layered,
        "low/query.py",
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from pkg.high.views import VALUE\n",
    )
    assert cycles(app_graph(edges(layered))) == [["high", "low"]]


def test_an_ignored_pair_is_left_out(layered):
    write(layered, "low/services.py", "def later():\n    import pkg.high.views\n")
    assert (
        cycles(app_graph(edges(layered), frozenset({("pkg.low.services", "pkg.high.views")}))) == []
    )
