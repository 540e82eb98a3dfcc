"""Search documents from store products, built on the DB serializer's records."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from catalog.groups import TUTORIAL_ROOT, GroupTree
from catalog.models import PriceType, StoreProduct
from search_index.codes import code_key
from search_index.content_hash import HASH_FIELD, content_hash
from search_index.row_kinds import MATERIAL
from search_index.serialization import StoreProductRecord, load_records, rows_from_records


def indexable_store_products() -> QuerySet[StoreProduct]:
    """What the index holds: active store products."""
    return StoreProduct.objects.filter(is_active=True)


def _search_fields(record: StoreProductRecord, groups: GroupTree) -> dict[str, Any]:
    header, variation = record.header, record.variation
    categories, product_types = groups.categories_and_types(record.group_ids)
    lineage = groups.with_ancestors(record.group_ids)
    events = variation.get("events", [])
    modes = [variation["variation_type"]]
    if TUTORIAL_ROOT in groups.root_codes(record.group_ids):
        modes.extend(product_types)
    prices = {price["price_type"]: price["amount"] for price in variation["prices"]}
    standard = prices.get(PriceType.STANDARD) or min(prices.values(), key=Decimal, default=None)
    codes = [header["subject_code"], header["product_code"], variation["name"],
             variation["product_code"], *(event["code"] for event in events)]  # fmt: skip
    if header["kind"] != MATERIAL:  # its product_code is the store product's: add the catalog's
        codes.append(header.get("tutorial_location_code") or header.get("marking_template_code"))
    words = [
        header["subject_code"], header["subject_description"], header["product_code"],
        header["product_name"], header["product_short_name"], header["product_description"],
        header["type"], variation["variation_type"], variation["name"],
        variation["description"], *categories, *product_types,
        # Sorted: a set's order changes from process to process, and with it the content
        # hash that ``check`` compares (found: 4,668 of 100,701 "stale" after a rebuild).
        *sorted({place for event in events for place in (event["location"], event["venue"])}),
    ]  # fmt: skip
    return {
        "row_key": record.row_key,
        "categories": categories,
        "product_types": product_types,
        # "id:name", so group facets can report ids and names from the index alone.
        "group_keys": [f"{group.pk}:{group.name}" for group in lineage],
        "group_ids": [group.pk for group in lineage],
        "modes_of_delivery": sorted(set(modes)),
        "codes": [code for code in codes if code],
        # Codes as pasted: "cs1/pcsm01/2025-09", "CS1 PCSM01 2025 09" and "CS1PCSM012025-09"
        # all find the store product (see ``code_key``).
        "code_keys": sorted({code_key(code) for code in codes if code}),
        "kind": header["kind"],
        "subject_type": record.subject_type,
        "group_names": [group.name for group in lineage],
        "tutorial_format": header.get("format"),
        "tutorial_location": header.get("tutorial_location_code"),
        "marking_template": header.get("marking_template_code"),
        "text": " ".join(word for word in words if word),
        "standard_price": standard,
        "earliest_event": min((event["start_date"] for event in events), default=None),
    }


def build_document(record: StoreProductRecord, groups: GroupTree) -> dict[str, Any]:
    """The API row of this one store product, plus the fields only searching needs."""
    [row] = rows_from_records([record])
    document = {**row, "search": _search_fields(record, groups)}
    document["search"][HASH_FIELD] = content_hash(document)  # for ``search_index check``
    return document


def iter_record_chunks(
    queryset: QuerySet[StoreProduct], chunk_size: int, groups: GroupTree
) -> Iterator[list[StoreProductRecord]]:
    """Keyset pages (``pk > last``): each page costs the same five queries, unlike OFFSET."""
    last_pk = 0
    while True:
        page = queryset.filter(pk__gt=last_pk).order_by("pk")[:chunk_size]
        records = load_records(page, groups)
        if not records:
            return
        yield records
        last_pk = records[-1].header["store_product_id"]


def iter_documents(
    queryset: QuerySet[StoreProduct], chunk_size: int
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(pk, document)`` for every store product, a constant number of queries per chunk."""
    groups = GroupTree.load()
    for records in iter_record_chunks(queryset, chunk_size, groups):
        for record in records:
            yield record.header["store_product_id"], build_document(record, groups)
