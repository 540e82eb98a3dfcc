"""The outbox: a durable record of every committed write a search document depends on.

Rows are written by PostgreSQL triggers (migration ``0002_change_capture``) in the same
transaction as the write itself, whatever wrote it (admin, ORM, bulk, raw SQL, another
process), so a rolled-back write records nothing and a committed one is never lost to
the index. A row names the *anchor* of the change — a store product, or a row many
store products hang from (a subject, a product, a group…) — and is resolved to store
products only when it is drained (``search_index.changes``), so renaming a subject
writes one row, not one per store product.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class IndexChange(models.Model):
    # The anchor's table (``store_products``, ``subjects``…) and primary key. Not a
    # foreign key: the row may be gone, and then its documents must go too.
    table = models.CharField(max_length=40)
    row_id = models.BigIntegerField()
    # ``pg_current_xact_id()`` of the writing transaction: a rebuild replays exactly
    # the changes its snapshot could not see.
    txid = models.BigIntegerField()
    changed_at = models.DateTimeField(default=timezone.now)
    indexed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "search_index_changes"
        ordering = ["id"]
        indexes = [
            # Workers claim the oldest pending rows; done rows drop out of this index.
            models.Index(
                fields=["id"], condition=Q(indexed_at__isnull=True), name="search_changes_pending"
            ),
            # The fast path finds its own transaction's rows, the replay a rebuild's.
            models.Index(fields=["txid"], name="search_changes_txid"),
        ]

    def __str__(self) -> str:
        return f"{self.table} {self.row_id} changed {self.changed_at:%Y-%m-%d %H:%M}"
