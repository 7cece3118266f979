"""The house rules a new contributor relies on: no import cycle, the command line on top, small documented modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "assess"
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    mods = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = path
    return mods


MODULES = _modules()


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path) -> set[str]:
    """The assess modules a module imports, at the top or inside functions (not under TYPE_CHECKING)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            for child in ast.iter_child_nodes(node):
                visit(child)
            return
        found.update(t for t in targets if t in MODULES and t != name)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycle() -> list[str] | None:
    """One import cycle of the package, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for n in sorted(GRAPH[m]):
            if state.get(n) == 1:
                return path[path.index(n) :] + [n]
            if n not in state and (found := visit(n)):
                return found
        path.pop()
        state[m] = 2
        return None

    for m in sorted(GRAPH):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_the_walk_finds_a_cycle_when_there_is_one():
    saved = dict(GRAPH)
    try:
        GRAPH["assess.errors"] = GRAPH["assess.errors"] | {"assess.cli"}
        assert _cycle() is not None
    finally:
        GRAPH.clear()
        GRAPH.update(saved)


def test_no_module_imports_one_that_imports_it_back():
    assert _cycle() is None, " -> ".join(_cycle() or [])


def test_only_main_imports_the_command_line():
    importers = sorted(m for m, deps in GRAPH.items() if "assess.cli" in deps)
    assert importers == ["assess.__main__"]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_are_small_and_say_what_they_do(name):
    path = MODULES[name]
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE.parent)} has {lines} lines: split it by job"
    tree = ast.parse(text)
    assert ast.get_docstring(tree), f"{path}: the module needs a one-line docstring"
    missing = []

    def walk(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith(
                "_"
            ):
                if not ast.get_docstring(node):
                    missing.append(f"{prefix}{node.name} (line {node.lineno})")
                if isinstance(node, ast.ClassDef):
                    walk(node.body, f"{node.name}.")

    walk(tree.body, "")
    assert not missing, f"{path.relative_to(PACKAGE.parent)}: public names without a docstring: {', '.join(missing)}"


def _layout() -> set[str]:
    """The modules the README's Layout section lists, as paths under assess/."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Layout", 1)[1].split("```", 2)[1]
    listed: set[str] = set()
    folders: list[str] = []
    for line in block.splitlines():
        if not line.strip():
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        first, _, rest = line.strip().partition(" ")
        folders = folders[:depth]
        if first.endswith("/"):
            folders.append(first.rstrip("/"))
            inline = [w.strip(",()") for w in rest.split() if w.strip(",()").endswith(".py")]
            listed.update("/".join([*folders[1:], w]) for w in inline)
        elif first.endswith(".py"):
            listed.add("/".join([*folders[1:], first]))
    return listed


def test_the_readme_layout_lists_every_module():
    actual = {
        str(path.relative_to(PACKAGE))
        for path in MODULES.values()
        if path.name != "__init__.py" or path.parent.name in ("builder", "scoring")
    }
    listed = _layout()
    assert not actual - listed, f"README.md's Layout misses: {sorted(actual - listed)}"
    assert not listed - actual, f"README.md's Layout lists modules that are gone: {sorted(listed - actual)}"


def test_no_module_or_test_reaches_into_a_private_name_of_another():
    reached = []
    for path in [*MODULES.values(), *sorted((PACKAGE.parent / "tests").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("assess")):
                names = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                reached += [f"{path.name}:{node.lineno} {name}" for name in names]
    assert not reached, reached


def test_no_test_patches_a_private_name():
    patched = []
    for path in sorted((PACKAGE.parent / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "setattr":
                names = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                last = [n.rpartition(".")[2] for n in names]
                patched += [f"{path.name}:{node.lineno} {n}" for n in last if n.startswith("_") and "__" not in n]
    assert not patched, patched
