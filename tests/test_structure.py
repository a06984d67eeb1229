"""The shape of the house, read from the source with ``ast`` (docs/architecture.md):

- no import cycle among the project's modules, counting imports made inside functions
  (imports under ``if TYPE_CHECKING:`` never run, so they do not count);
- no module imports a private name (``_x``) of another, or reaches ``module._x``;
- every module stays small (under 420 lines; the issue asks for about 400);

(tests/test_drivers.py checks that no driver imports another.)
- every package directory is listed in pyproject.toml, so a plain install ships it.
"""
from __future__ import annotations

import ast
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
#: package name -> directory, as pyproject.toml maps them
ROOTS = {"nos_shell": PROJECT / "nos_shell", "nos_shell.backends": PROJECT / "backends",
         "nos_shell.grammar": PROJECT / "grammar"}
MAX_LINES = 420


@dataclass
class Module:
    name: str
    path: Path
    package: str
    tree: ast.Module
    imports: set[str] = field(default_factory=set)


def _modules() -> dict[str, Module]:
    found: dict[str, Module] = {}
    for prefix, folder in ROOTS.items():
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            if prefix == "nos_shell" and parts and parts[0] in ("backends", "grammar"):
                continue
            if parts[-1] == "__init__":
                name = ".".join((prefix, *parts[:-1]))
                package = name
            else:
                name = ".".join((prefix, *parts))
                package = name.rpartition(".")[0]
            found[name] = Module(name, path, package, ast.parse(path.read_text(), str(path)))
    return found


def _runtime_nodes(node: ast.AST):
    """Every node below ``node`` except the bodies of ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            for other in child.orelse:
                yield other
                yield from _runtime_nodes(other)
            continue
        yield child
        yield from _runtime_nodes(child)


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.package.split(".")
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


@dataclass
class Graph:
    modules: dict[str, Module]
    private: list[str]


def _graph() -> Graph:
    modules = _modules()
    private: list[str] = []
    for module in modules.values():
        aliases: dict[str, str] = {}    # local name -> project module it names
        for node in _runtime_nodes(module.tree):
            if isinstance(node, ast.ImportFrom):
                source = _absolute(module, node)
                for alias in node.names:
                    full = f"{source}.{alias.name}"
                    if full in modules:
                        module.imports.add(full)
                        aliases[alias.asname or alias.name] = full
                    elif source in modules:
                        module.imports.add(source)
                        if alias.name.startswith("_") and not alias.name.startswith("__"):
                            private.append(f"{module.name} imports {source}.{alias.name}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules:
                        module.imports.add(alias.name)
                        if alias.asname:
                            aliases[alias.asname] = alias.name
        module.imports.discard(module.name)
        for node in ast.walk(module.tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                private.append(f"{module.name} reaches {aliases[node.value.id]}.{node.attr}")
    return Graph(modules, private)


GRAPH = _graph()


def _cycles(modules: dict[str, Module]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in modules:
        if start in index:
            continue
        work = [(start, iter(sorted(modules[start].imports)))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            advanced = False
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(modules[nxt].imports))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_graph_sees_the_imports_it_must():
    """The reader is not blind: known edges, including one made inside a function, appear."""
    session = GRAPH.modules["nos_shell.session"]
    assert "nos_shell.commands" in session.imports
    assert any(name.startswith("nos_shell.ops") for name in session.imports)   # imported in dispatch()
    assert len(GRAPH.modules) > 100


def test_the_cycle_finder_finds_a_cycle():
    def fake(name: str, *imports: str) -> Module:
        return Module(name, Path(name), "", ast.Module(body=[], type_ignores=[]), set(imports))

    modules = {"a": fake("a", "b"), "b": fake("b", "c"), "c": fake("c", "a"), "d": fake("d", "a")}
    assert _cycles(modules) == [["a", "b", "c"]]


def test_no_import_cycles():
    assert _cycles(GRAPH.modules) == []


def test_no_private_names_cross_modules():
    assert GRAPH.private == []


def test_modules_stay_small():
    big = {str(module.path.relative_to(PROJECT)): lines for module in GRAPH.modules.values()
           if (lines := module.path.read_text().count("\n")) > MAX_LINES}
    assert big == {}, "split these by job"


def test_every_package_is_shipped():
    listed = set(tomllib.loads((PROJECT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    packages = {name for name, module in GRAPH.modules.items() if module.path.name == "__init__.py"}
    assert packages - listed == set()
