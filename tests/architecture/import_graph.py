"""The app-level import graph of a package, counting every import statement.

``lint-imports`` checks the layers; this module is the independent second check the
architecture test runs: it reads every module's syntax tree, so an import written inside a
function (or a method, or under ``if TYPE_CHECKING``) counts exactly like one at the top, and
reports every cycle between apps. An app is a direct sub-package (or module) of the root.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Edge:
    source: str  # module that imports, e.g. perspectief.candidates.views
    target: str  # module imported, e.g. perspectief.matching.selectors
    line: int
    in_function: bool


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imported(
    node: ast.Import | ast.ImportFrom, module: str, is_package: bool, is_module
) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".")
        if not is_package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    # ``from package import module`` imports the module; ``from module import name`` the module.
    return [
        f"{target}.{alias.name}" if is_module(f"{target}.{alias.name}") else target
        for alias in node.names
    ]


def edges(root: Path, *, skip: tuple[str, ...] = ("migrations",)) -> list[Edge]:
    """Every import of a module inside ``root`` (a package directory) by a module in it."""
    package = root.name

    def is_module(name: str) -> bool:
        path = root.parent.joinpath(*name.split("."))
        return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()

    found: list[Edge] = []
    for path in sorted(root.rglob("*.py")):
        if any(part in skip for part in path.relative_to(root).parts):
            continue
        module = module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found += _edges_of(tree, module, path.name == "__init__.py", package, is_module)
    return found


def _edges_of(tree: ast.AST, module: str, is_package: bool, package: str, is_module) -> list[Edge]:
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                for target in _imported(child, module, is_package, is_module):
                    if target.startswith(package + "."):
                        found.append(Edge(module, target, child.lineno, in_function))
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            visit(child, inner)

    visit(tree, False)
    return found


def app_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") else module


def app_graph(found: list[Edge], ignore: frozenset[tuple[str, str]] = frozenset()) -> dict:
    """App → the apps it imports, leaving out the (importer, imported) module pairs in
    ``ignore`` (the import-linter contract's ``ignore_imports``)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for edge in found:
        if any(
            edge.source == source
            and (edge.target == target or edge.target.startswith(target + "."))
            for source, target in ignore
        ):
            continue
        source, target = app_of(edge.source), app_of(edge.target)
        if source != target:
            graph[source].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one app (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    counter = 0

    def connect(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    nodes = set(graph) | {target for targets in graph.values() for target in targets}
    for node in sorted(nodes):
        if node not in index:
            connect(node)
    return sorted(result)
