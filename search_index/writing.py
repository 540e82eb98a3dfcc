"""Rewrite the documents of chosen store products in the live index (or a given one).

Every write carries an external version taken from a PostgreSQL sequence *before* the
rows are read, and OpenSearch keeps the highest (``external_gte``). Two writers that
resolve to the same store product at once (two workers, the fast path and a worker, a
rebuild's replay) can therefore finish in any order: the document that stays is the one
read last, so no write ever replaces a newer state with an older one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from django.db import connection
from opensearchpy import OpenSearch

from catalog.groups import GroupTree
from search_index.any_of import any_of
from search_index.building import build_documents, indexable_store_products
from search_index.bulk import bulk_load, describe_failures, failed_ids
from search_index.conf import search_setting
from search_index.documents import alias_name

VERSION_SEQUENCE = "search_index_document_version"


class IndexingFailed(RuntimeError):
    """Some documents could not be written; the changes stay pending."""

    def __init__(self, message: str, store_product_ids: list[str] | None = None) -> None:
        super().__init__(message)
        # The ids of the documents OpenSearch rejected (none when it was not reached).
        self.store_product_ids = store_product_ids or []


class NoLiveIndex(IndexingFailed):
    """The alias points at no index (never built, or deleted): a rebuild takes it all in."""


def next_document_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [VERSION_SEQUENCE])
        return cursor.fetchone()[0]


def _actions(
    ids: Collection[int], index: str, chunk_size: int, versioned: bool
) -> Iterator[dict[str, Any]]:
    """Index actions for the indexable ids, delete actions for the rest, chunk by chunk."""
    versioning: dict[str, Any] = {"_index": index}
    if versioned:
        versioning.update(_version=next_document_version(), _version_type="external_gte")
    groups = GroupTree.load()
    ordered = sorted(ids)
    for start in range(0, len(ordered), chunk_size):
        chunk = ordered[start : start + chunk_size]
        page = indexable_store_products().filter(any_of("pk", chunk)).order_by("pk")
        written = set()
        for pk, document in build_documents(page, groups):
            written.add(pk)
            yield {**versioning, "_id": pk, "_source": document}
        for pk in set(chunk) - written:
            yield {**versioning, "_op_type": "delete", "_id": pk}


def _settled(error: dict[str, Any]) -> bool:
    """Already as it should be: deleting what is not there, or a newer version is there."""
    (operation, item), *_ = error.items()
    if item.get("status") == 409:
        return True
    return operation == "delete" and item.get("result") == "not_found"


def _no_index(error: dict[str, Any]) -> bool:
    item = next(iter(error.values()), {})
    return isinstance(item.get("error"), dict) and item["error"].get("type") == (
        "index_not_found_exception"
    )


def _bulk_chunk_size(documents: int, workers: int) -> int:
    """Small enough that every bulk thread sends several requests per call.

    The threads share one queue, so each fills its first request at the same pace; with
    1,000 documents, 2 threads and 500 a request, nothing was sent until every document
    was built, and building and sending never overlapped.
    """
    return max(1, min(search_setting("BULK_CHUNK_SIZE"), documents // (4 * workers)))


def write_documents(
    ids: Collection[int],
    *,
    client: OpenSearch,
    index: str | None = None,
    workers: int = 1,
    versioned: bool = True,
) -> int:
    """Bring the documents of ``ids`` in line with the database; return how many.

    Raises ``IndexingFailed`` naming the store products that could not be written
    (OpenSearch down included). No refresh wait unless ``REFRESH_ON_WRITE`` asks for
    one: documents become searchable at the index's refresh interval.
    """
    if not ids:
        return 0
    # Writing to a missing alias would create a concrete index in its name: index actions
    # are refused by require_alias, but OpenSearch auto-creates an index for an
    # externally versioned delete whatever the flag says.
    params = {} if index else {"require_alias": "true"}
    if not index and not client.indices.exists_alias(name=alias_name()):
        raise NoLiveIndex(f"no index behind {alias_name()!r} yet. Hint: run rebuild.")
    if search_setting("REFRESH_ON_WRITE"):
        params["refresh"] = "wait_for"
    result = bulk_load(
        client,
        _actions(ids, index or alias_name(), search_setting("CHUNK_SIZE"), versioned),
        workers=workers,
        chunk_size=_bulk_chunk_size(len(ids), workers),
        max_retries=search_setting("BULK_MAX_RETRIES"),
        params=params,
    )
    failures = [error for error in result.errors if not _settled(error)]
    if failures and all(_no_index(error) for error in failures):
        raise NoLiveIndex(f"no index behind {alias_name()!r} yet. Hint: run rebuild.")
    if failures:
        raise IndexingFailed(describe_failures(failures), failed_ids(failures))
    return len(ids)
