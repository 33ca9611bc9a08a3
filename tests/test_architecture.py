"""The shape of the code: no import hides inside a function, and the layers hold."""

from __future__ import annotations

import ast
from pathlib import Path

from portal.paths import PROJECT_ROOT

PORTAL = PROJECT_ROOT / "portal"


def _imports_inside_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    found.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    return found


def test_no_module_of_the_portal_imports_inside_a_function():
    # An import inside a function hides a dependency (often to dodge a cycle): every
    # dependency is declared at the top, where lint-imports can hold it to the layers.
    found = [place for path in sorted(PORTAL.rglob("*.py"))
             for place in _imports_inside_functions(path)]

    assert found == []


def test_importing_the_package_does_not_build_the_app():
    source = (PORTAL / "__init__.py").read_text(encoding="utf-8")

    assert [type(node).__name__ for node in ast.parse(source).body] == ["Expr"]
