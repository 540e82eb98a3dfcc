"""Keeping the live index in step with the database.

Saving and indexing are separate concerns: a save commits first, and the affected store
products are re-indexed after the commit. An indexing failure is logged and never undoes
or fails the save (``SEARCH_INDEX`` cannot turn that off: the database is the source of
truth, and ``search_index rebuild`` or ``replay_changes`` repairs the index).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q
from opensearchpy import OpenSearch
from opensearchpy.exceptions import OpenSearchException
from opensearchpy.helpers import bulk

from catalog.models import StoreProduct
from search_index.building import iter_documents
from search_index.client import get_client
from search_index.conf import search_setting
from search_index.documents import alias_name

logger = logging.getLogger(__name__)


def changed_store_product_ids(since: datetime) -> set[int]:
    """Store products whose own row, prices, events or sessions changed since ``since``."""
    changed = StoreProduct.objects.filter(
        Q(updated_at__gte=since)
        | Q(prices__updated_at__gte=since)
        | Q(tutorial_events__updated_at__gte=since)
        | Q(tutorial_events__sessions__updated_at__gte=since)
    )
    return set(changed.values_list("pk", flat=True).distinct())


def reindex_store_products(
    ids: Iterable[int], *, client: OpenSearch | None = None, index: str | None = None
) -> int:
    """Index active store products among ``ids`` and delete the rest from the index."""
    ids = set(ids)
    if not ids:
        return 0
    client = client or get_client()
    index = index or alias_name()
    active = StoreProduct.objects.filter(pk__in=ids, is_active=True)
    actions: list[dict[str, object]] = [
        {"_index": index, "_id": pk, "_source": document}
        for pk, document in iter_documents(active, search_setting("CHUNK_SIZE"))
    ]
    gone = ids - {int(action["_id"]) for action in actions}  # type: ignore[call-overload]
    actions += [{"_op_type": "delete", "_index": index, "_id": pk} for pk in gone]
    # A delete of a document that was never indexed is a 404 item, not a failure.
    bulk(client, actions, raise_on_error=False, refresh="wait_for")
    return len(ids)


def replay_changes(client: OpenSearch, index: str, since: datetime) -> int:
    """The rebuild hook: re-apply changes committed after its snapshot was taken."""
    return reindex_store_products(changed_store_product_ids(since), client=client, index=index)


def reindex_after_commit(ids: Iterable[int]) -> None:
    """Re-index after the surrounding transaction commits; log, never raise, on failure."""
    from django.db import transaction

    ids = set(ids)

    def run() -> None:
        try:
            reindex_store_products(ids)
        except OpenSearchException as exc:
            logger.error("search index not updated for store products %s: %s", sorted(ids), exc)

    transaction.on_commit(run)
