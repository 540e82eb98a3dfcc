"""One measurement in its own process, so peak RSS belongs to it alone.

``python -m benchmarks.measure <name>`` prints one JSON object: seconds, documents and
database queries. The parent (``benchmarks.run``) adds the peak RSS from ``wait4``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.backends.signals import connection_created  # noqa: E402

from benchmarks.api_vs_raw import api_vs_raw  # noqa: E402
from benchmarks.client_api import configured_facets_cost, search_box_latency  # noqa: E402
from benchmarks.search_mix import SEARCHES  # noqa: E402
from benchmarks.server_floor import server_floor  # noqa: E402
from benchmarks.storefront import storefront_latency  # noqa: E402
from benchmarks.sync_bench import SYNC_MEASUREMENTS  # noqa: E402

QUERIES = {"count": 0}


def _count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    QUERIES["count"] += 1
    return execute(sql, params, many, context)


def _watch(sender: Any, connection: Any, **kwargs: Any) -> None:
    if _count not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count)


def count_queries_everywhere() -> None:
    """Count queries on every connection, including those opened by worker threads."""
    connection_created.connect(_watch)
    for conn in connections.all():
        _watch(None, conn)


def ours() -> dict[str, Any]:
    from search_index.rebuild import RebuildOptions, rebuild

    result = rebuild(RebuildOptions(keep=1))
    return {"documents": result.indexed}


def _dod(parallel: bool) -> dict[str, Any]:
    # Its command is not installed (``config.settings``): called here as the baseline.
    from django_opensearch_dsl.management.commands.opensearch import Command as Opensearch

    from search_index.client import get_client
    from search_index.documents import alias_name

    call_command(Opensearch(), "index", "rebuild", "--force", verbosity=0)
    # Serial is its default (its --no-parallel flag clashes with --refresh in 0.8).
    flags = ["--parallel"] if parallel else []
    call_command(Opensearch(), "document", "index", "--force", *flags, verbosity=0)
    client = get_client()
    client.indices.refresh(index=alias_name())
    return {"documents": client.count(index=alias_name())["count"]}


def dod_serial() -> dict[str, Any]:
    return _dod(parallel=False)


def dod_parallel() -> dict[str, Any]:
    return _dod(parallel=True)


def serializer() -> dict[str, Any]:
    from catalog.models import StoreProduct
    from search_index.serialization import serialize_rows

    ids = list(StoreProduct.objects.order_by("pk").values_list("pk", flat=True)[:1000])
    QUERIES["count"] = 0
    started = time.perf_counter()
    rows = serialize_rows(StoreProduct.objects.filter(pk__in=ids).order_by("pk"))
    return {"documents": len(ids), "rows": len(rows), "seconds": time.perf_counter() - started}


def raw_bulk() -> dict[str, Any]:
    """OpenSearch's own ceiling: the same documents, serialised before the clock starts."""
    from concurrent.futures import ThreadPoolExecutor

    from search_index import lifecycle
    from search_index.building import indexable_store_products, iter_documents
    from search_index.client import get_client
    from search_index.conf import search_setting

    client = get_client()
    index = lifecycle.new_index_name()
    lifecycle.create_index(client, index, rebuild_started_at=datetime.now(UTC))
    lines = []
    for pk, document in iter_documents(indexable_store_products(), search_setting("CHUNK_SIZE")):
        lines.append(json.dumps({"index": {"_index": index, "_id": pk}}))
        lines.append(json.dumps(document))
    per_request = 2 * search_setting("BULK_CHUNK_SIZE")
    bodies = [
        "\n".join(lines[i : i + per_request]) + "\n" for i in range(0, len(lines), per_request)
    ]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=search_setting("WORKERS")) as pool:
        for response in pool.map(lambda body: client.bulk(body=body), bodies):
            assert not response["errors"], "bulk rejected documents"
    client.indices.refresh(index=index)
    seconds = time.perf_counter() - started
    documents = client.count(index=index)["count"]
    client.indices.delete(index=index)
    return {"documents": documents, "seconds": seconds}


SEARCH_ROUNDS = 25


def search_latency() -> dict[str, Any]:
    """POST /api/search/unified/ in-process: validation, query, response shaping."""
    from django.test import Client

    client = Client(SERVER_NAME="localhost")
    timings = []
    for _ in range(SEARCH_ROUNDS):
        for body in SEARCHES:
            started = time.perf_counter()
            response = client.post("/api/search/unified/", body, content_type="application/json")
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.content[:300]
    timings.sort()
    return {
        "documents": len(timings),
        "kinds": len(SEARCHES),
        "p50_ms": 1000 * timings[len(timings) // 2],
        "p95_ms": 1000 * timings[int(len(timings) * 0.95)],
        "max_ms": 1000 * timings[-1],
    }


MEASUREMENTS: dict[str, Callable[[], dict[str, Any]]] = {
    "ours": ours,
    "dod-serial": dod_serial,
    "dod-parallel": dod_parallel,
    "serializer": serializer,
    "raw-bulk": raw_bulk,
    "search": search_latency,
    "storefront": storefront_latency,
    "facets": configured_facets_cost,
    "search-box": search_box_latency,
}
MEASUREMENTS.update(SYNC_MEASUREMENTS)
MEASUREMENTS["api-vs-raw"] = api_vs_raw
MEASUREMENTS["server-floor"] = server_floor


def main(name: str) -> None:
    count_queries_everywhere()
    connection.ensure_connection()
    started = time.perf_counter()
    result = MEASUREMENTS[name]()
    result.setdefault("seconds", time.perf_counter() - started)
    result["queries"] = QUERIES["count"]
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
