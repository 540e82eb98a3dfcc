"""A durable record of which store products need their search document rewritten.

Written in the same transaction as the change itself, so a committed edit is never lost
to the index even if OpenSearch is down at that moment: ``search_index sync`` (or the
next rebuild) applies what the after-commit attempt could not.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class IndexChange(models.Model):
    # Not a foreign key: the store product may have been deleted, and then its document
    # must be deleted too.
    store_product_id = models.BigIntegerField(db_index=True)
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    indexed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        db_table = "search_index_changes"
        ordering = ["changed_at"]

    def __str__(self) -> str:
        return f"store product {self.store_product_id} changed {self.changed_at:%Y-%m-%d %H:%M}"
