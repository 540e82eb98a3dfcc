"""Shared fixtures: process state reset for every test, the catalogs (one fixture per
shape, built by ``tests.catalogs``), the index. The real services themselves come from
``tests/services_plugin.py``."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from opensearchpy import OpenSearch

from catalog.filtering import seed_standard_filters
from config.breaker import OPENSEARCH as OPENSEARCH_BREAKER
from search_index.client import (
    SEARCH_ALIAS,
    OrjsonSerializer,
    configure_connections,
    search_connection_options,
)
from search_index.filter_config import clear_cache as clear_filter_cache
from search_index.rebuild import rebuild
from search_index.storefront.facets import clear_option_labels
from tests.catalogs.client_contract import ClientCatalog, build_client_catalog
from tests.catalogs.small import SmallCatalog, build_small_catalog
from tests.catalogs.storefront_pages import StorefrontCatalog, build_storefront_catalog
from tests.catalogs.wider import WiderCatalog, build_wider_catalog


@pytest.fixture(autouse=True)
def fresh_process_state() -> Iterator[None]:
    """Each test starts from the process state a new worker has, whatever ran before it.

    Caches filled from another test's database (the filter configuration, the
    storefront's option labels), Django's cache (throttle counts) and the OpenSearch
    circuit breaker (opened, or reconfigured, by a test that made the cluster
    unreachable) are process-wide.
    """
    threshold, reset_after = OPENSEARCH_BREAKER.failure_threshold, OPENSEARCH_BREAKER.reset_after_s

    def forget() -> None:
        clear_filter_cache()
        clear_option_labels()
        cache.clear()
        OPENSEARCH_BREAKER.configure(threshold, reset_after)
        OPENSEARCH_BREAKER.reset()

    forget()
    yield
    forget()


@pytest.fixture
def small_catalog(db: None) -> SmallCatalog:
    return build_small_catalog()


@pytest.fixture
def indexed_small_catalog(small_catalog: SmallCatalog, opensearch_index: None) -> SmallCatalog:
    rebuild()
    return small_catalog


@pytest.fixture
def indexed_wider_catalog(small_catalog: SmallCatalog, opensearch_index: None) -> WiderCatalog:
    catalog = build_wider_catalog(small_catalog)
    rebuild()
    return catalog


@pytest.fixture
def indexed_client_catalog(small_catalog: SmallCatalog, opensearch_index: None) -> ClientCatalog:
    catalog = build_client_catalog(small_catalog)
    rebuild()
    return catalog


@pytest.fixture
def indexed_storefront_catalog(db: None, opensearch_index: None) -> StorefrontCatalog:
    catalog = build_storefront_catalog()
    rebuild()
    return catalog


@pytest.fixture
def opensearch_index() -> Iterator[None]:
    """A clean alias for this test: no versioned index before, none left after."""
    from search_index import lifecycle
    from search_index.client import get_client

    client = get_client()

    def wipe() -> None:
        for name in lifecycle.versioned_indices(client):
            client.indices.delete(index=name, ignore_unavailable=True)

    wipe()
    yield
    wipe()


@pytest.fixture(scope="session")
def opensearch_client() -> Iterator[OpenSearch]:
    """One client for the run, on the cluster the services plugin provided."""
    client = OpenSearch(os.environ["OPENSEARCH_URL"].split(","), timeout=30)
    yield client
    client.close()


@pytest.fixture(autouse=True)
def _clean_schema_tables_for_transactional_tests(request, django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    """Empty the ``acted`` and ``adm`` tables before a transactional test.

    Django flushes after such tests only the tables its introspection finds on the
    search path (``public``), so rows committed in our schemas would leak into the next
    transactional test.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if not transactional:
        return
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables"
            " WHERE schemaname IN ('acted', 'adm')"
        )
        tables = [row[0] for row in cursor.fetchall()]
        if tables:
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    with django_db_blocker.unblock():
        seed_standard_filters()  # migration data, emptied with the rest


@pytest.fixture
def opensearch_unreachable() -> Iterator[None]:
    """The search connection, as configured (budget, breaker, lean connection), points at
    a local port nothing listens on; restored after."""
    from django.conf import settings
    from opensearchpy.connection.connections import connections

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    options = {
        "serializer": OrjsonSerializer(),
        **settings.OPENSEARCH_DSL["default"],
        "hosts": [f"http://127.0.0.1:{closed_port}"],
    }
    connections.create_connection(SEARCH_ALIAS, **search_connection_options(options))
    yield
    configure_connections()
    OPENSEARCH_BREAKER.reset()
