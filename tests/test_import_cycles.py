"""No two of our files import each other, directly or round a ring.

import-linter checks the layers between packages; it does not see a ring inside one package, and a ring
hidden in a function body or under `if TYPE_CHECKING:` is still a ring: the two files cannot be understood,
tested or moved apart. So every import counts here — module level, lazy inside a function, and type-only.

`from pkg import name` points at `pkg/name.py` when that file exists, else at `pkg/__init__.py`. The
implicit import of parent packages is not counted: it would make every package's `__init__` a ring member.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kiosk", "db", "config", "devices", "printers", "ui")


def _project_files() -> Iterator[Path]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            # Alembic revisions are loaded by path, never imported by our code.
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            yield path


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_modules(path: Path, module: str) -> Iterator[str]:
    """Every module name `path` imports, wherever in the file the import stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    package_parts = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package_parts[: len(package_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                # `from pkg import sub` may name a submodule; the resolver decides which exists.
                yield f"{base}.{alias.name}" if alias.name != "*" else base
            yield base


def import_graph(files: dict[str, Path] | None = None) -> dict[Path, set[Path]]:
    """File -> the project files it imports; `files` maps module names to paths (default: the project)."""
    if files is None:
        files = {_module_name(p): p for p in _project_files()}
    graph: dict[Path, set[Path]] = {p: set() for p in files.values()}
    for module, path in files.items():
        for name in _imported_modules(path, module):
            target = _resolve(name, files)
            if target is not None and target != path:
                graph[path].add(target)
    return graph


def _resolve(name: str, files: dict[str, Path]) -> Path | None:
    # `from pkg.mod import Name` yields both `pkg.mod.Name` (no file: dropped) and `pkg.mod` (the edge).
    return files.get(name)


def _strongly_connected(graph: dict[Path, set[Path]]) -> list[list[Path]]:
    """Tarjan's algorithm, iterative (the graph has hundreds of files)."""
    index: dict[Path, int] = {}
    low: dict[Path, int] = {}
    on_stack: set[Path] = set()
    stack: list[Path] = []
    components: list[list[Path]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work: list[tuple[Path, Iterator[Path]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[Path] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def _ring_through(first: Path, component: set[Path], graph: dict[Path, set[Path]]) -> list[Path]:
    """The shortest path from `first` back to itself inside one component (breadth first)."""
    came_from: dict[Path, Path] = {}
    frontier = [first]
    while frontier:
        following: list[Path] = []
        for node in frontier:
            for child in sorted(graph[node] & component):
                if child == first:
                    path = [node]
                    while path[-1] != first:
                        path.append(came_from[path[-1]])
                    return [first, *reversed(path[:-1]), first]
                if child not in came_from:
                    came_from[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError(f"{first} is in a component but on no ring")


def import_rings() -> list[str]:
    graph = import_graph()
    rings = []
    for component in _strongly_connected(graph):
        ring = _ring_through(component[0], set(component), graph)
        shown = " -> ".join(str(p.relative_to(ROOT)) for p in ring)
        rest = len(component) - (len(ring) - 1)
        rings.append(shown + (f"  (+{rest} more files in the same knot)" if rest else ""))
    return rings


def test_no_file_imports_itself_back_round_a_ring() -> None:
    rings = import_rings()
    assert rings == [], "import circles (lazy and TYPE_CHECKING imports count):\n" + "\n".join(rings)


def test_the_checker_sees_lazy_type_only_and_relative_imports(tmp_path: Path) -> None:
    # A bad input for the checker itself: a ring hidden in a function and under TYPE_CHECKING is still found.
    files = {"pkg": tmp_path / "pkg" / "__init__.py", "pkg.a": tmp_path / "pkg" / "a.py",
             "pkg.b": tmp_path / "pkg" / "b.py", "pkg.c": tmp_path / "pkg" / "c.py"}
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    files["pkg"].write_text("")
    files["pkg.a"].write_text("def f():\n    from pkg.b import thing\n")
    files["pkg.b"].write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import c\n")
    files["pkg.c"].write_text("import pkg.a\n")
    graph = import_graph(files)
    components = _strongly_connected(graph)
    assert components == [sorted([files["pkg.a"], files["pkg.b"], files["pkg.c"]])]
    ring = _ring_through(files["pkg.a"], set(components[0]), graph)
    assert ring == [files["pkg.a"], files["pkg.b"], files["pkg.c"], files["pkg.a"]]
