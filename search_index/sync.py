"""Draining the outbox into the index: once (``search_index sync``), per transaction (the
after-commit fast path), or for ever (``sync --follow`` workers, ``search_index.worker``).

Each batch is one transaction: claim pending changes (``FOR UPDATE SKIP LOCKED``, so
workers never share one), resolve them to store products (coalescing repeats), write
those documents, mark the changes done, commit. A worker killed mid-batch loses
nothing: its transaction rolls back and the changes are pending again for the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from opensearchpy import OpenSearch

from search_index.changes import (
    TABLE,
    PendingSummary,
    claim,
    mark_done,
    pending_summary,
    store_products_of,
)
from search_index.client import get_client
from search_index.rebuild import rebuild_running
from search_index.writing import IndexingFailed, write_documents

__all__ = [
    "IndexingFailed",
    "PendingSummary",
    "drain",
    "drain_batch",
    "pending_summary",
    "prune_done",
    "sync_pending",
]

# Changes claimed per transaction: large enough that a bulk request is well filled,
# small enough that a batch (and the row locks it holds) lasts about a second.
SYNC_BATCH = 1000


class TooManyForFastPath(Exception):
    """A transaction's changes reach more store products than the fast path indexes."""


@dataclass(frozen=True)
class BatchResult:
    changes: int
    store_products: int


def drain_batch(
    client: OpenSearch,
    *,
    txid: int | None = None,
    limit: int = SYNC_BATCH,
    max_store_products: int | None = None,
    workers: int = 1,
) -> BatchResult | None:
    """Apply one batch of pending changes (only transaction ``txid``'s if given).

    Returns None when nothing was left to claim. On any failure the batch's
    transaction rolls back, so its changes stay pending.
    """
    with transaction.atomic():
        changes = claim(limit, txid=txid)
        if not changes:
            return None
        ids = store_products_of(changes)
        if max_store_products is not None and len(ids) > max_store_products:
            raise TooManyForFastPath(f"{len(ids)} store products")
        write_documents(ids, client=client, workers=workers)
        mark_done([change.id for change in changes])
    return BatchResult(changes=len(changes), store_products=len(ids))


def drain(client: OpenSearch, *, txid: int | None = None, workers: int = 1) -> BatchResult:
    """Apply batches until none is left to claim; return the totals."""
    changes = store_products = 0
    while batch := drain_batch(client, txid=txid, workers=workers):
        changes += batch.changes
        store_products += batch.store_products
    return BatchResult(changes=changes, store_products=store_products)


def sync_pending(client: OpenSearch | None = None) -> int:
    """Apply every pending change once (after OpenSearch was down, say); return how many."""
    return drain(client or get_client()).changes


def prune_done(retention_hours: int) -> int:
    """Delete changes indexed more than ``retention_hours`` ago; return how many.

    Skipped while a rebuild runs: its replay needs every change committed after its
    snapshot, done or not.
    """
    if rebuild_running():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE indexed_at < now() - make_interval(hours => %s)",
            [retention_hours],
        )
        return cursor.rowcount
