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
from search_index.building import build_document, indexable_store_products
from search_index.bulk import bulk_load
from search_index.conf import search_setting
from search_index.documents import alias_name
from search_index.serialization import load_records

VERSION_SEQUENCE = "search_index_document_version"


class IndexingFailed(RuntimeError):
    """Some documents could not be written; the changes stay pending."""


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
        page = indexable_store_products().filter(pk__in=chunk).order_by("pk")
        written = set()
        for record in load_records(page, groups):
            pk = record.header["store_product_id"]
            written.add(pk)
            yield {**versioning, "_id": pk, "_source": build_document(record, groups)}
        for pk in set(chunk) - written:
            yield {**versioning, "_op_type": "delete", "_id": pk}


def _settled(error: dict[str, Any]) -> bool:
    """Already as it should be: deleting what is not there, or a newer version is there."""
    (operation, item), *_ = error.items()
    if item.get("status") == 409:
        return True
    return operation == "delete" and item.get("result") == "not_found"


def _reason(error: dict[str, Any]) -> str:
    (operation, item), *_ = error.items()
    return f"{operation} {item.get('_id')}: {str(item.get('error'))[:300]}"


def _no_index(error: dict[str, Any]) -> bool:
    item = next(iter(error.values()), {})
    return isinstance(item.get("error"), dict) and item["error"].get("type") == (
        "index_not_found_exception"
    )


def write_documents(
    ids: Collection[int],
    *,
    client: OpenSearch,
    index: str | None = None,
    workers: int = 1,
    versioned: bool = True,
) -> int:
    """Bring the documents of ``ids`` in line with the database; return how many.

    Raises ``IndexingFailed`` if any could not be written (OpenSearch down included).
    No refresh wait: documents become searchable at the index's refresh interval.
    """
    if not ids:
        return 0
    result = bulk_load(
        client,
        _actions(ids, index or alias_name(), search_setting("CHUNK_SIZE"), versioned),
        workers=workers,
        chunk_size=search_setting("BULK_CHUNK_SIZE"),
        max_retries=search_setting("BULK_MAX_RETRIES"),
        # Writing to a missing alias would otherwise create a concrete index in its name.
        params=None if index else {"require_alias": "true"},
    )
    failures = [error for error in result.errors if not _settled(error)]
    if failures and all(_no_index(error) for error in failures):
        raise NoLiveIndex(f"no index behind {alias_name()!r} yet. Hint: run rebuild.")
    if failures:
        raise IndexingFailed(f"{len(failures)} documents not written, e.g. {_reason(failures[0])}")
    return len(ids)
