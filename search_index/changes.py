"""The outbox, read: what is pending, claiming a batch, resolving anchors to store products.

Triggers record the *anchor* of each write (see ``search_index.models.IndexChange``);
which store products an anchor stands for is decided here, when the change is drained,
from the database as it is then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from catalog.groups import GroupTree
from catalog.models import StoreProduct
from search_index.models import IndexChange

TABLE = IndexChange._meta.db_table

# Anchor table -> lookup from StoreProduct to the anchor's primary key.
STORE_PRODUCT_LOOKUPS = {
    "store_products": "pk",
    "subjects": "exam_session_subject__subject_id",
    "exam_sessions": "exam_session_subject__exam_session_id",
    "exam_session_subjects": "exam_session_subject_id",
    "products": "product_product_variation__product_id",
    "product_variations": "product_product_variation__product_variation_id",
    "product_product_variations": "product_product_variation_id",
    # Expanded to the group's subtree first: documents carry every ancestor's name.
    "product_groups": "product_product_variation__product__groups",
    "tutorial_events": "tutorial_events__id",
}


@dataclass(frozen=True)
class Change:
    id: int
    table: str
    row_id: int


@dataclass(frozen=True)
class PendingSummary:
    count: int
    oldest: datetime | None


def pending_summary() -> PendingSummary:
    """Changes not yet in the index, and when the oldest was made (database only)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), min(changed_at) FROM {TABLE} WHERE indexed_at IS NULL")
        count, oldest = cursor.fetchone()
    return PendingSummary(count=count, oldest=oldest)


def claim(limit: int, *, txid: int | None = None) -> list[Change]:
    """Lock up to ``limit`` of the oldest pending changes, skipping any another worker holds.

    Call inside a transaction: the locks last until it ends, and if the worker dies the
    transaction rolls back and the changes are pending again for any other worker.
    """
    only_transaction = "AND txid = %s" if txid is not None else ""
    params = [txid, limit] if txid is not None else [limit]
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT id, "table", row_id FROM {TABLE} WHERE indexed_at IS NULL '
            f"{only_transaction} ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
            params,
        )
        return [Change(*row) for row in cursor.fetchall()]


def pending_in_transaction(txid: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {TABLE} WHERE txid = %s AND indexed_at IS NULL", [txid]
        )
        return cursor.fetchone()[0]


def mark_done(change_ids: list[int]) -> None:
    if not change_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET indexed_at = now() WHERE id = ANY(%s) AND indexed_at IS NULL",
            [change_ids],
        )


def store_products_of(changes: Iterable[Change]) -> set[int]:
    """Every store product whose document the changes may have altered (deleted ones too)."""
    by_table: dict[str, set[int]] = defaultdict(set)
    for change in changes:
        by_table[change.table].add(change.row_id)
    ids = by_table.pop("store_products", set())
    if "product_groups" in by_table:
        by_table["product_groups"] = GroupTree.load().descendants_and_self(
            by_table["product_groups"]
        )
    for table, keys in by_table.items():
        if not keys:
            continue
        lookup = STORE_PRODUCT_LOOKUPS[table]
        matches = StoreProduct.objects.filter(**{f"{lookup}__in": keys})
        ids.update(matches.values_list("pk", flat=True).distinct())
    return ids


def current_txid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        return cursor.fetchone()[0]
