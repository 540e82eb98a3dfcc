"""A real three-node cluster: one node killed while a client searches and staff edit.

The cluster is this test's own (own ports and data folders, 256 MB heaps), started from
the same launcher as the development node, and stopped afterwards.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal

import orjson
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from devtools.services.__main__ import DATA_ROOT
from devtools.services.cluster import TRANSPORT_OFFSET, Cluster
from search_index.client import configure_connections, get_client
from search_index.documents import alias_name
from search_index.rebuild import rebuild
from search_index.sync import sync_pending
from tests.endpoints import UNIFIED

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PACE_S = 0.02  # between one client's searches: a shopper typing, not a tight loop
MAX_RETRY_AFTER_S = 6.0


def free_port_block(size: int = 3) -> int:
    """A first HTTP port such that it, the next ones and their transport ports are free."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        wanted = [first + i for i in range(size)] + [
            first + i + TRANSPORT_OFFSET for i in range(size)
        ]
        if max(wanted) < 65000 and all(_free(port) for port in wanted):
            return first
    raise RuntimeError("no free block of ports")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    own = Cluster(DATA_ROOT / f"test-cluster-{uuid.uuid4().hex[:8]}", 3, free_port_block(), "256m")
    try:
        own.ensure_running()
        yield own
    finally:
        own.stop()
        shutil.rmtree(own.data_root, ignore_errors=True)


@pytest.fixture
def on_cluster(cluster: Cluster) -> Iterator[None]:
    """Every client of the app on the cluster's three hosts; indices with one replica.

    Restored by hand, not by pytest-django's ``settings`` fixture: that one is torn down
    after this one, and the connections must be rebuilt from the restored settings.
    """
    saved = settings.OPENSEARCH_DSL, settings.SEARCH_INDEX
    settings.OPENSEARCH_DSL = {
        **settings.OPENSEARCH_DSL,
        "default": {**settings.OPENSEARCH_DSL["default"], "hosts": cluster.urls()},
    }
    settings.SEARCH_INDEX = {**settings.SEARCH_INDEX, "REPLICAS": 1}
    configure_connections()
    try:
        yield
    finally:
        settings.OPENSEARCH_DSL, settings.SEARCH_INDEX = saved
        configure_connections()


class Searcher(threading.Thread):
    """Searches in a loop as the storefront does: a 503 is retried once, after Retry-After."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.results: list[tuple[int, float]] = []  # (final status, seconds) per search
        self.retried = 0

    def run(self) -> None:
        client = Client()
        try:
            while not self.stop.is_set():
                started = time.monotonic()
                response = self._search(client)
                if response.status_code == 503:
                    self.retried += 1
                    # The client's documented back-off, not synchronisation.
                    time.sleep(min(float(response.get("Retry-After", "1")), MAX_RETRY_AFTER_S))
                    response = self._search(client)
                self.results.append((response.status_code, time.monotonic() - started))
                self.stop.wait(PACE_S)
        finally:
            connection.close()

    @staticmethod
    def _search(client: Client):  # type: ignore[no-untyped-def]
        return client.post(UNIFIED, data={"searchQuery": "cm2"}, content_type="application/json")


def wait_green(timeout_s: int = 90) -> dict[str, object]:
    return get_client().cluster.health(
        index=alias_name(),
        wait_for_status="green",
        timeout=f"{timeout_s}s",
        request_timeout=timeout_s + 5,
    )


def primary_node(index: str) -> str:
    shards = get_client().cat.shards(index=index, format="json")
    return next(shard["node"] for shard in shards if shard["prirep"] == "p")


def test_killing_a_node_loses_no_search_and_no_edit(
    cluster: Cluster, on_cluster: None, small_catalog
) -> None:  # type: ignore[no-untyped-def]
    # given the catalog indexed with one replica on a green three-node cluster
    result = rebuild()
    # The index's replica count is bound when search_index.documents is imported, so a
    # settings override comes too late for it: set the replica on the index itself.
    get_client().indices.put_settings(index=result.index, body={"index": {"number_of_replicas": 1}})
    assert wait_green()["status"] == "green"
    assert len(get_client().cat.shards(index=result.index, format="json")) == 2
    victim = int(primary_node(result.index).removeprefix("node-")) - 1
    searcher = Searcher()
    searcher.start()
    while not searcher.results:
        time.sleep(0.01)

    # when the node holding the primary is killed while a client searches and staff edit
    cluster.kill_node(victim)
    store_products = [
        small_catalog.material_printed,
        small_catalog.material_ebook,
        small_catalog.tutorial,
        small_catalog.cm1_material,
    ]
    edited = {}
    for number, store_product in enumerate(store_products):
        price = store_product.prices.first()
        price.amount = Decimal(f"{700 + number}.25")
        price.save()  # indexed after commit if it can be; pending otherwise
        edited[store_product.pk] = str(price.amount)
    searches_during_outage = len(searcher.results)

    # and the node comes back
    cluster.start_node(victim)
    health = wait_green()
    sync_pending()
    time.sleep(0.5)  # a few more searches with the node back
    searcher.stop.set()
    searcher.join(timeout=30)

    # then no search failed, every edit is in the index, and the cluster is green again
    statuses = [status for status, _ in searcher.results]
    assert len(statuses) > searches_during_outage
    assert set(statuses) == {200}, (
        f"{statuses.count(200)} of {len(statuses)} searches succeeded after one retry"
    )
    print(
        f"searches: {len(statuses)}, retried once: {searcher.retried}, slowest "
        f"{max(elapsed for _, elapsed in searcher.results):.2f} s"
    )
    for pk, amount in edited.items():
        source = get_client().get(index=alias_name(), id=pk)["_source"]
        assert amount in orjson.dumps(source).decode(), (pk, amount)
    assert health["status"] == "green"
    assert health["number_of_nodes"] == 3
