"""Keeping the index in step with the database.

Saving and indexing are separate concerns, joined after commit: a save records the store
products it touched in ``IndexChange`` (same transaction), and once it commits they are
re-indexed. A failed attempt is logged and never fails or undoes the save: the change
stays pending until ``search_index sync`` or the next rebuild applies it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from opensearchpy import OpenSearch
from opensearchpy.helpers import bulk

from search_index.building import indexable_store_products, iter_documents
from search_index.client import get_sync_client
from search_index.conf import search_setting
from search_index.documents import alias_name
from search_index.models import IndexChange

logger = logging.getLogger(__name__)

# A transaction that began before a rebuild's snapshot but committed after it stamped
# its change earlier than the snapshot; replaying this much further back catches it.
REPLAY_MARGIN = timedelta(minutes=10)
# Pending changes applied per bulk request by ``sync_pending``.
SYNC_BATCH = 500


class IndexingFailed(RuntimeError):
    """Some documents could not be written; the changes stay pending."""


def record_changes(store_product_ids: Iterable[int]) -> set[int]:
    """Mark store products for re-indexing, inside the caller's transaction."""
    ids = set(store_product_ids)
    IndexChange.objects.bulk_create(IndexChange(store_product_id=pk) for pk in ids)
    return ids


def reindex_store_products(
    ids: Iterable[int], *, client: OpenSearch | None = None, index: str | None = None
) -> int:
    """Index the indexable store products among ``ids``, delete the others' documents."""
    ids = set(ids)
    if not ids:
        return 0
    client = client or get_sync_client()
    index = index or alias_name()
    indexable = indexable_store_products().filter(pk__in=ids)
    actions: list[dict[str, object]] = [
        {"_index": index, "_id": pk, "_source": document}
        for pk, document in iter_documents(indexable, search_setting("CHUNK_SIZE"))
    ]
    indexed = {action["_id"] for action in actions}
    actions += [{"_op_type": "delete", "_index": index, "_id": pk} for pk in ids - indexed]
    _, errors = bulk(client, actions, raise_on_error=False, refresh="wait_for")
    # Deleting a document that was never indexed is a 404: already as it should be.
    failures = [e for e in errors if e.get("delete", {}).get("status") != 404]  # type: ignore[union-attr]
    if failures:
        raise IndexingFailed(f"{len(failures)} documents not written, e.g. {failures[0]}")
    return len(ids)


def mark_indexed(ids: Iterable[int], up_to: datetime) -> None:
    """Changes recorded up to ``up_to`` for ``ids`` are now in the index."""
    IndexChange.objects.filter(
        store_product_id__in=set(ids), changed_at__lte=up_to, indexed_at__isnull=True
    ).update(indexed_at=timezone.now())


def sync_pending(client: OpenSearch | None = None) -> int:
    """Apply every pending change (after OpenSearch was down, for instance)."""
    applied = 0
    while True:
        up_to = timezone.now()
        ids = list(
            IndexChange.objects.filter(indexed_at__isnull=True, changed_at__lte=up_to)
            .values_list("store_product_id", flat=True)
            .distinct()[:SYNC_BATCH]
        )
        if not ids:
            return applied
        applied += reindex_store_products(ids, client=client)
        mark_indexed(ids, up_to)


def changed_since(since: datetime) -> set[int]:
    """Store products recorded as changed, or stamped as updated, since ``since``.

    The stamps catch changes made outside the admin (scripts, the shell); the records
    catch deletions and changes to products, subjects and groups, which stamp nothing
    on the store product.
    """
    recorded = IndexChange.objects.filter(changed_at__gte=since).values_list(
        "store_product_id", flat=True
    )
    stamped = indexable_store_products().filter(
        Q(updated_at__gte=since)
        | Q(prices__updated_at__gte=since)
        | Q(tutorial_events__updated_at__gte=since)
        | Q(tutorial_events__sessions__updated_at__gte=since)
    )
    return set(recorded) | set(stamped.values_list("pk", flat=True))


def replay_changes(client: OpenSearch, index: str, since: datetime) -> int:
    """The rebuild hook: re-apply changes committed after its snapshot was taken.

    Everything pending is then in the new index (older changes through the snapshot),
    and records older than the replay window are dropped.
    """
    window_start = since - REPLAY_MARGIN
    up_to = timezone.now()
    replayed = reindex_store_products(changed_since(window_start), client=client, index=index)
    IndexChange.objects.filter(indexed_at__isnull=True, changed_at__lte=up_to).update(
        indexed_at=timezone.now()
    )
    IndexChange.objects.filter(changed_at__lt=window_start).delete()
    return replayed


def pending_count() -> int:
    return IndexChange.objects.filter(indexed_at__isnull=True).count()


def reindex_after_commit(store_product_ids: Iterable[int]) -> None:
    """Record the change now; re-index once the surrounding transaction commits."""
    ids = record_changes(store_product_ids)
    if not ids:
        return
    recorded_at = timezone.now()

    def run() -> None:
        try:
            reindex_store_products(ids)
            mark_indexed(ids, recorded_at)
        except Exception as exc:  # the save has committed: report, keep it pending
            logger.error(
                "search index not updated for store products %s (pending; run "
                "`manage.py search_index sync`): %s",
                sorted(ids),
                exc,
            )

    transaction.on_commit(run, robust=True)
