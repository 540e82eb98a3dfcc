"""Admin edits reach the search index: after the save commits, never inside it."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from catalog.models import StoreProduct
from search_index.sync import reindex_after_commit


class ReindexOnSaveMixin:
    """Re-index the store products an admin save or delete touched, after commit.

    ``store_product_lookup`` is the path from StoreProduct to the admin's model
    (``"prices"``, ``"tutorial_events__sessions"``, …).
    """

    store_product_lookup: str = "pk"

    def affected_store_products(self, objects: QuerySet[Any] | list[Model]) -> set[int]:
        lookup = f"{self.store_product_lookup}__in"
        pks = objects.values("pk") if isinstance(objects, QuerySet) else [o.pk for o in objects]
        matches = StoreProduct.objects.filter(**{lookup: pks})
        return set(matches.values_list("pk", flat=True))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # An edit can move the object to another store product (an event, a price): the
        # one it leaves must be re-indexed too, so look before saving.
        obj._store_products_before = self.affected_store_products([obj]) if change else set()
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Inlines (prices, sessions) are saved here, after the object itself.
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        before = getattr(form.instance, "_store_products_before", set())
        reindex_after_commit(before | self.affected_store_products([form.instance]))

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        ids = self.affected_store_products([obj])
        super().delete_model(request, obj)  # type: ignore[misc]
        reindex_after_commit(ids)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        ids = self.affected_store_products(queryset)
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        reindex_after_commit(ids)
