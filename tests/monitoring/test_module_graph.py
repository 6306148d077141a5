"""The monitoring's modules import one way: no circle between its files (#15 ended
``disclosure ↔ indicators ↔ report`` with the periods module), counting imports written
inside functions too."""

from collections import defaultdict
from pathlib import Path

from ..architecture.import_graph import cycles, edges

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "perspectief"


def test_the_monitoring_modules_form_no_circle():
    graph = defaultdict(set)
    for edge in edges(PACKAGE):
        if edge.source.startswith("perspectief.monitoring") and edge.target.startswith(
            "perspectief.monitoring"
        ):
            graph[edge.source].add(edge.target)
    assert graph  # the graph was read
    assert cycles(graph) == []


def test_a_circle_between_modules_would_be_found(tmp_path):
    root = tmp_path / "pkg"
    for name, text in {
        "__init__.py": "",
        "app/__init__.py": "",
        "app/periods.py": "",
        "app/report.py": "from pkg.app import indicators\n",
        "app/indicators.py": "def f():\n    from pkg.app import report\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    graph = defaultdict(set)
    for edge in edges(root):
        graph[edge.source].add(edge.target)
    assert cycles(graph) == [["pkg.app.indicators", "pkg.app.report"]]
