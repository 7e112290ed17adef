"""The shape of the package (issue 11): no module in iockit/ over 400 lines, no function over 40, no
import cycle among iockit's modules.

Sizes are measured with ``ast``: a function is ``end_lineno - lineno + 1`` lines (its ``def`` line to its
last line, decorators not counted), every ``def`` and ``async def`` counts, methods and nested functions
too. Imports are read from the source, so those inside functions and under ``if TYPE_CHECKING:`` count
as well; relative imports are resolved, ``from P import name`` is an import of ``P.name`` when that is
a module, and importing ``a.b.c`` also runs ``a.b``'s ``__init__`` (an edge to ``a.b``) unless ``a.b``
is a package the importing module is itself inside. Imports by name at run time
(``importlib.import_module``) are not seen.

What offends today is listed below, exactly: a new offender fails, and so does an entry that no longer
offends (remove it), so both lists can only shrink.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import iockit

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 40
PACKAGE = Path(iockit.__file__).resolve().parent
ROOT = PACKAGE.parent

#: Offenders allowed: a module path (over 400 lines) or ``path::qualified.function`` (over 40). Empty since
#: issue 11 split the last of them; keep it empty.
ALLOWLIST: dict[str, str] = {}

#: The import cycles of today, each as the set of modules that import one another round (a strongly
#: connected component of the import graph). ``lookup`` imports ``theory`` for type checking only.
KNOWN_CYCLES: set[frozenset[str]] = set()  # none left: theory loads contexts and encoding (issue 11)


# --- sizes -------------------------------------------------------------------------------------------------------

def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _functions(node: ast.AST, prefix: str = ""):
    """(qualified name, lines) of every function under ``node``, methods and nested functions included."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield prefix + child.name, child.end_lineno - child.lineno + 1
            yield from _functions(child, f"{prefix}{child.name}.")
        elif isinstance(child, ast.ClassDef):
            yield from _functions(child, f"{prefix}{child.name}.")
        else:
            yield from _functions(child, prefix)


@lru_cache(maxsize=1)
def _sources() -> dict[str, str]:
    return {_rel(p): p.read_text(encoding="utf-8") for p in sorted(PACKAGE.rglob("*.py"))}


@lru_cache(maxsize=1)
def _offenders() -> dict[str, int]:
    """Every module over the limit (path -> lines) and every function over it (path::name -> lines)."""
    out: dict[str, int] = {}
    for path, text in _sources().items():
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            out[path] = lines
        for name, length in _functions(ast.parse(text, path)):
            if length > MAX_FUNCTION_LINES:
                out[f"{path}::{name}"] = length
    return out


def test_no_module_over_400_lines():
    new = {k: n for k, n in _offenders().items() if "::" not in k and k not in ALLOWLIST}
    assert not new, f"modules over {MAX_MODULE_LINES} lines (split them along their seams): {new}"


def test_no_function_over_40_lines():
    new = {k: n for k, n in _offenders().items() if "::" in k and k not in ALLOWLIST}
    assert not new, f"functions over {MAX_FUNCTION_LINES} lines (name their stages): {new}"


def test_size_allowlist_only_shrinks():
    fixed = sorted(set(ALLOWLIST) - set(_offenders()))
    assert not fixed, f"no longer over the limit, remove from ALLOWLIST in {__file__}: {fixed}"


def test_size_measure_counts_methods_and_nested_functions():
    tree = ast.parse("class A:\n    def f(self):\n        def g():\n            pass\n        return g\n")
    assert dict(_functions(tree)) == {"A.f": 4, "A.f.g": 2}


# --- import cycles -----------------------------------------------------------------------------------------------

def _module_name(path: str) -> str:
    parts = path.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@lru_cache(maxsize=1)
def _modules() -> dict[str, str]:
    """Module name -> path, for every module of the package."""
    return {_module_name(path): path for path in _sources()}


def _imported(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The dotted names an import statement in ``module`` brings in, relative imports resolved."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    source = node.module or ""
    if node.level:
        here = module.split(".")
        package = here if _modules()[module].endswith("/__init__.py") else here[:-1]
        base = package[: len(package) - node.level + 1]
        source = ".".join([*base, *([node.module] if node.module else [])])
    return [f"{source}.{a.name}" if f"{source}.{a.name}" in _modules() else source for a in node.names]


def _edges(module: str, name: str) -> set[str]:
    """The iockit modules importing ``name`` from ``module`` runs: it and the packages above it, except
    the packages ``module`` itself lives in (they are already running)."""
    parts = name.split(".")
    found = {".".join(parts[:i]) for i in range(1, len(parts) + 1)} & set(_modules())
    return {m for m in found if m != module and not module.startswith(m + ".")}


@lru_cache(maxsize=1)
def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in _modules().items():
        tree = ast.parse(_sources()[path], path)
        graph[module] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for name in _imported(module, node):
                    graph[module] |= _edges(module, name)
    return graph


def cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: set[frozenset[str]] = set()
    for start in sorted(graph):
        if start not in index:
            _strong_from(graph, start, index, low, stack, found)
    return found


def _strong_from(graph, start, index, low, stack, found) -> None:
    work = [(start, iter(sorted(graph[start])))]
    index[start] = low[start] = len(index)
    stack.append(start)
    while work:
        node, children = work[-1]
        child = next(children, None)
        if child is None:
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = stack[stack.index(node):]
                del stack[stack.index(node):]
                if len(component) > 1:
                    found.add(frozenset(component))
        elif child not in index:
            index[child] = low[child] = len(index)
            stack.append(child)
            work.append((child, iter(sorted(graph[child]))))
        elif child in stack:
            low[node] = min(low[node], index[child])


def _one_round(graph: dict[str, set[str]], component: frozenset[str]) -> str:
    """One import cycle through ``component``, as ``a -> b -> a`` (breadth first, so a shortest one)."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    for node in queue:
        for child in sorted(graph[node] & component):
            if child == start:
                return " -> ".join([*paths[node], start])
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    return ", ".join(sorted(component))


def test_no_import_cycle():
    graph = import_graph()
    new = [_one_round(graph, c) for c in cycles(graph) - KNOWN_CYCLES]
    assert not new, f"import cycles among iockit's modules (move the shared part below both): {new}"


def test_known_cycles_only_shrink():
    gone = [sorted(c) for c in KNOWN_CYCLES - cycles(import_graph())]
    assert not gone, f"no longer a cycle as listed, update KNOWN_CYCLES in {__file__}: {gone}"


def test_import_walker_sees_relative_and_function_level_imports():
    graph = import_graph()
    assert {"iockit.cli.queries", "iockit.cli.command", "iockit.errors"} <= graph["iockit.cli.parser"]
    assert "iockit.theory" in graph["iockit.sim.model"]  # inside a function: from ..theory import load_theory
    assert {"iockit.sim.inputs", "iockit.sim.equations"} <= graph["iockit.sim.model"]  # from . import equations
    assert "iockit.sim" not in graph["iockit.contexts"]
    assert "iockit.cli" not in graph["iockit.cli.parser"]  # its own package is already running


def test_cycle_finder():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e", "d"}}
    assert cycles(graph) == {frozenset("abc")}
    assert _one_round(graph, frozenset("abc")) == "a -> b -> c -> a"
