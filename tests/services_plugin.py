"""Provide real PostgreSQL and OpenSearch to the test run before Django reads its settings.

Order: URLs already in the environment; else testcontainers when a Docker engine answers;
else the local services (``devtools.services``), started if needed. Each run gets its own
index-name prefix, and its indices are deleted at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable

import pytest

_cleanups: list[Callable[[], None]] = []


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=2).ping()
    except Exception:
        return False
    return True


def _start_containers() -> None:
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.waiting_utils import wait_for_logs
    from testcontainers.postgres import PostgresContainer

    postgres = PostgresContainer("postgres:17", driver=None).start()
    _cleanups.append(postgres.stop)
    os.environ["DATABASE_URL"] = postgres.get_connection_url()

    node = (
        DockerContainer("opensearchproject/opensearch:2.19.3")
        .with_env("discovery.type", "single-node")
        .with_env("DISABLE_SECURITY_PLUGIN", "true")
        .with_env("OPENSEARCH_JAVA_OPTS", "-Xms512m -Xmx512m")
        .with_exposed_ports(9200)
        .start()
    )
    _cleanups.append(node.stop)
    wait_for_logs(node, "started", timeout=120)
    port = node.get_exposed_port(9200)
    os.environ["OPENSEARCH_URL"] = f"http://{node.get_container_host_ip()}:{port}"


def _start_local() -> None:
    from devtools.services.__main__ import up_local

    for key, value in up_local().items():
        os.environ.setdefault(key, value)


def provide_services() -> None:
    # Development mode unless the caller says otherwise: deploy mode (DEBUG off) requires
    # SECRET_KEY and ALLOWED_HOSTS, which a test run has no reason to invent.
    os.environ.setdefault("DEBUG", "1")
    if not (os.environ.get("DATABASE_URL") and os.environ.get("OPENSEARCH_URL")):
        if _docker_answers():
            _start_containers()
        else:
            _start_local()
    run = uuid.uuid4().hex[:8]
    os.environ["SEARCH_INDEX_PREFIX"] = f"test_{run}_"
    os.environ["TEST_DATABASE_NAME"] = f"test_catalog_{run}"


def _delete_run_indices() -> None:
    from opensearchpy import OpenSearch
    from opensearchpy.exceptions import OpenSearchException

    prefix = os.environ.get("SEARCH_INDEX_PREFIX")
    if not prefix or not os.environ.get("OPENSEARCH_URL"):
        return
    client = OpenSearch(os.environ["OPENSEARCH_URL"].split(","))
    try:
        client.indices.delete(index=f"{prefix}*", ignore_unavailable=True, expand_wildcards="all")
    except OpenSearchException as exc:  # leftovers are harmless; stopping containers is not
        print(f"could not delete this run's indices {prefix}*: {exc}")


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):  # type: ignore[no-untyped-def]
    provide_services()
    return (yield)


def pytest_unconfigure(config: pytest.Config) -> None:
    try:
        _delete_run_indices()
    finally:
        for cleanup in reversed(_cleanups):
            cleanup()
