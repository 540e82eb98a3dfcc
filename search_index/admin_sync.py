"""Admin edits reach the search index: after the save commits, never inside it."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest

from search_index.sync import reindex_after_commit


class ReindexOnSaveMixin:
    """Re-index the store products an admin save or delete touched, after commit."""

    def affected_store_product_ids(self, obj: Any) -> list[int]:
        raise NotImplementedError

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Inlines (prices, sessions) are saved here, after the object itself.
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        reindex_after_commit(self.affected_store_product_ids(form.instance))

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        ids = self.affected_store_product_ids(obj)
        super().delete_model(request, obj)  # type: ignore[misc]
        reindex_after_commit(ids)
