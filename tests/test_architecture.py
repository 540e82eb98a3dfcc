"""Dependency direction: the catalog apps never import the search index (issue 8)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INDEPENDENT_APPS = ("catalog", "tutorials", "administrate")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
        elif (  # importlib.import_module("search_index…") and __import__("search_index…")
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            modules.add(node.args[0].value)
    return modules


@pytest.mark.parametrize("app", INDEPENDENT_APPS)
def test_app_never_imports_search_index(app: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            module for module in imported_modules(path) if module.split(".")[0] == "search_index"
        )
        for path in sorted((ROOT / app).rglob("*.py"))
    }
    assert {path: modules for path, modules in offenders.items() if modules} == {}


def test_the_check_sees_an_import_when_there_is_one(tmp_path: Path) -> None:
    module = tmp_path / "offender.py"
    module.write_text(
        "import search_index.sync\nfrom search_index import fast_path\n"
        "def f():\n    from search_index.writing import write_documents\n"
    )
    assert imported_modules(module) == {"search_index.sync", "search_index", "search_index.writing"}
