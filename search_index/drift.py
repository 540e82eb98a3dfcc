"""``search_index check [--repair]``: does the index hold exactly what the database says?

No document is built. The database side is every indexable store product's source
fingerprint (``search_index.source_fingerprint``, computed by PostgreSQL in keyset
chunks); the index side is each document's id, content hash and source hash (an aggregation: no
document is fetched), read on a second thread meanwhile. A document is *missing*
(in the database, not the index), *stale* (its source hash is not the seal of the
fingerprint now and its content hash: the rows changed since it was written, or the
document was rewritten behind our back) or *extra* (in the index, not indexable).
Repairing rewrites exactly those documents from the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from opensearchpy import OpenSearch
from opensearchpy.exceptions import NotFoundError

from catalog.groups import GroupTree
from search_index.building import indexable_store_products
from search_index.bulk import bulk_load, describe_failures, failed_ids
from search_index.conf import search_setting
from search_index.content_hash import HASH_FIELD, SEAL_FIELD, seal
from search_index.documents import MAPPING_VERSION, alias_name
from search_index.group_facts import group_facts
from search_index.lifecycle import IndexLifecycleError
from search_index.source_fingerprint import (
    fingerprint,
    fingerprint_context,
    product_groups,
    row_hashes_between,
)
from search_index.writing import IndexingFailed, write_documents

HASH_PATH = f"search.{HASH_FIELD}"
SEAL_PATH = f"search.{SEAL_FIELD}"
# Documents per composite page. Each page is a pass over every document, so few large
# pages; below the default ``search.max_buckets`` (65,535).
COMPOSITE_PAGE = 50_000
# Store products per fingerprint query: PostgreSQL's fixed cost per query (the small
# tables it joins) is paid once for many rows (10,000: 3.2 s for 100,000 store products;
# 1,000: 7.1 s, measured on a loaded machine).
FINGERPRINT_CHUNK = 10_000


@dataclass
class Drift:
    checked: int = 0
    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def found(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.extra)


def _composite_page(
    client: OpenSearch, index: str, after: dict[str, Any] | None
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    sources = [
        {"id": {"terms": {"field": "_id"}}},
        {"content": {"terms": {"field": HASH_PATH, "missing_bucket": True}}},
        {"seal": {"terms": {"field": SEAL_PATH, "missing_bucket": True}}},
    ]
    composite: dict[str, Any] = {"size": COMPOSITE_PAGE, "sources": sources}
    if after is not None:
        composite["after"] = after
    response = client.search(
        index=index,
        body={"size": 0, "track_total_hits": False, "aggs": {"docs": {"composite": composite}}},
        filter_path="aggregations",
        request_timeout=120,
    )
    docs = response.get("aggregations", {}).get("docs", {})
    return docs.get("buckets", []), docs.get("after_key")


def _index_hashes(client: OpenSearch, index: str) -> dict[str, tuple[str | None, str | None]]:
    """Every document id in ``index`` with its stored (content hash, source hash).

    Read as a composite aggregation over ``_id`` and the two hashes, not by scrolling
    hits: no fetch phase, so no stored field is read for any document (100,701
    documents: 3-6 s against 7 s for a doc-values scroll, on the loaded machine).
    """
    hashes: dict[str, tuple[str | None, str | None]] = {}
    after = None
    while True:
        buckets, after = _composite_page(client, index, after)
        for bucket in buckets:
            key = bucket["key"]
            hashes[key["id"]] = (key["content"], key["seal"])
        if not buckets or after is None:
            return hashes


def _chunk_end(ids: QuerySet, chunk_size: int) -> int | None:
    """The last of the next ``chunk_size`` ids in order (None when there are none)."""
    chunk = list(ids[:chunk_size])
    return chunk[-1] if chunk else None


def _database_fingerprints(chunk_size: int = FINGERPRINT_CHUNK) -> Iterator[tuple[int, str]]:
    """(pk, source fingerprint) of every indexable store product, in id order."""
    groups = GroupTree.load()
    indexable = indexable_store_products().order_by("pk").values_list("pk", flat=True)
    last_pk = 0
    while upto := _chunk_end(indexable.filter(pk__gt=last_pk), chunk_size):
        hashes = row_hashes_between(indexable_store_products(), last_pk, upto)
        group_ids = product_groups({row.product_id for row in hashes})
        context = fingerprint_context()
        for row in sorted(hashes, key=lambda row: row.store_product_id):
            facts = group_facts(groups, group_ids.get(row.product_id, ()))
            yield row.store_product_id, fingerprint(row, facts, context)
        last_pk = upto


def _same_mapping_version(client: OpenSearch, index: str) -> None:
    """Refuse to compare with an index of another mapping version (or none at all):
    every document would differ, and ``--repair`` could not write them into it."""
    try:
        mappings = client.indices.get_mapping(index=index)
    except NotFoundError as exc:
        raise IndexLifecycleError(f"No index behind {index!r}. Hint: run rebuild.") from exc
    for name, body in mappings.items():
        version = body["mappings"].get("_meta", {}).get("mapping_version")
        if version != MAPPING_VERSION:
            raise IndexLifecycleError(
                f"{name} holds documents of mapping version {version}; this code builds "
                f"version {MAPPING_VERSION}, so every document would differ. Hint: run rebuild."
            )


def find_drift(client: OpenSearch, index: str | None = None) -> Drift:
    index = index or alias_name()
    _same_mapping_version(client, index)
    # Compare with everything written so far, a repair a moment ago included, not with
    # what the last scheduled refresh happened to publish.
    client.indices.refresh(index=index)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="check-index") as pool:
        # The index is read while PostgreSQL fingerprints: the two overlap.
        in_index_future = pool.submit(_index_hashes, client, index)
        expected = list(_database_fingerprints())
        in_index = in_index_future.result()
    drift = Drift()
    for pk, source in expected:
        drift.checked += 1
        stored = in_index.pop(str(pk), None)
        if stored is None:
            drift.missing.append(pk)
        elif stored[1] is None or stored[1] != seal(source, stored[0] or ""):
            drift.stale.append(pk)
    drift.extra = sorted(in_index, key=lambda doc_id: (len(doc_id), doc_id))
    return drift


def repair(drift: Drift, client: OpenSearch, index: str | None = None) -> int:
    """Rewrite every drifted document from the database; return how many.

    Unversioned on purpose: a document altered behind our back may carry any version.
    """
    index = index or alias_name()
    numeric = {int(doc_id) for doc_id in drift.extra if doc_id.isdigit()}
    # Not a store product id at all: nothing to rebuild it from, so deleted, through the
    # same bulk code as every other write.
    strays = [doc_id for doc_id in drift.extra if not doc_id.isdigit()]
    if strays:
        result = bulk_load(
            client,
            ({"_op_type": "delete", "_index": index, "_id": doc_id} for doc_id in strays),
            workers=1,
            chunk_size=search_setting("BULK_CHUNK_SIZE"),
            max_retries=search_setting("BULK_MAX_RETRIES"),
        )
        failures = [e for e in result.errors if e.get("delete", {}).get("status") != 404]
        if failures:
            raise IndexingFailed(describe_failures(failures), failed_ids(failures))
    ids = {*drift.missing, *drift.stale, *numeric}
    return write_documents(ids, client=client, index=index, versioned=False) + len(strays)
