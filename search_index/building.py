"""Search documents from store products, reusing the DB serializer's rows and prefetches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from catalog.groups import GroupTree
from catalog.models import PriceType, StoreProduct
from catalog.serialization import (
    Row,
    product_group_ids,
    row_key,
    serialize_rows,
    store_product_queryset,
)

TUTORIAL_CATEGORY = "Tutorial"


def indexable_store_products() -> QuerySet[StoreProduct]:
    """What the index holds: active store products."""
    return StoreProduct.objects.filter(is_active=True)


def _search_fields(store_product: StoreProduct, row: Row, groups: GroupTree) -> dict[str, Any]:
    group_ids = product_group_ids(store_product)
    categories, product_types = groups.categories_and_types(group_ids)
    lineage = groups.with_ancestors(group_ids)
    variation = row["variations"][0]
    events = variation.get("events", [])
    modes = [variation["variation_type"]]
    if TUTORIAL_CATEGORY in categories:
        modes.extend(product_types)
    prices = {price["price_type"]: price["amount"] for price in variation["prices"]}
    standard = prices.get(PriceType.STANDARD) or min(prices.values(), default=None)
    codes = [
        row["subject_code"],
        row["product_code"],
        variation["name"],
        variation["product_code"],
        *(event["code"] for event in events),
    ]
    words = [
        row["subject_code"],
        row["subject_description"],
        row["product_code"],
        row["product_name"],
        row["product_short_name"],
        row["product_description"],
        row["type"],
        variation["variation_type"],
        variation["name"],
        variation["description"],
        *categories,
        *product_types,
        *{place for event in events for place in (event["location"], event["venue"])},
    ]
    return {
        "row_key": row_key(store_product),
        "categories": categories,
        "product_types": product_types,
        # "id:name", so group facets can report ids and names from the index alone.
        "group_keys": [f"{group.pk}:{group.name}" for group in lineage],
        "group_ids": [group.pk for group in lineage],
        "modes_of_delivery": sorted(set(modes)),
        "codes": codes,
        "text": " ".join(word for word in words if word),
        "standard_price": standard,
        "earliest_event": min((e["start_date"] for e in events), default=None),
        "updated_at": store_product.updated_at.isoformat(),
    }


def build_document(store_product: StoreProduct, groups: GroupTree | None = None) -> dict[str, Any]:
    """The API row of this one store product, plus the fields only searching needs."""
    groups = groups or GroupTree.load()
    row = serialize_rows([store_product], groups)[0]
    return {**row, "search": _search_fields(store_product, row, groups)}


def iter_chunks(queryset: QuerySet[StoreProduct], chunk_size: int) -> Iterator[list[StoreProduct]]:
    """Keyset pages (``pk > last``): each page costs the same, unlike OFFSET."""
    last_pk = 0
    while True:
        page = list(
            store_product_queryset(queryset.filter(pk__gt=last_pk)).order_by("pk")[:chunk_size]
        )
        if not page:
            return
        yield page
        last_pk = page[-1].pk


def iter_documents(
    queryset: QuerySet[StoreProduct], chunk_size: int
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(pk, document)`` for every store product, a constant number of queries per chunk."""
    groups = GroupTree.load()
    for page in iter_chunks(queryset, chunk_size):
        for store_product in page:
            yield store_product.pk, build_document(store_product, groups)
