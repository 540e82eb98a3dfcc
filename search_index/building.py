"""Search documents from store products, built on the DB serializer's records.

Every path that writes documents (the rebuild, the sync workers, the fast path, repairs,
django-opensearch-dsl's ``prepare``) builds them here, a chunk of store products at a
time: their records, then one query for their source fingerprints, sealed into each.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet

from catalog.groups import TUTORIAL_ROOT, GroupTree
from catalog.models import PriceType, StoreProduct
from search_index.codes import code_key
from search_index.content_hash import add_hashes
from search_index.group_facts import GroupFacts, group_facts
from search_index.row_kinds import MATERIAL
from search_index.serialization import StoreProductRecord, load_records, rows_from_records
from search_index.source_fingerprint import fingerprint, fingerprint_context, row_hashes


def indexable_store_products() -> QuerySet[StoreProduct]:
    """What the index holds: active store products."""
    return StoreProduct.objects.filter(is_active=True)


# Most codes (subjects, products, locations) recur in thousands of documents.
_code_key = lru_cache(maxsize=65_536)(code_key)


def _search_fields(record: StoreProductRecord, facts: GroupFacts) -> dict[str, Any]:
    header, variation = record.header, record.variation
    categories, product_types = facts.categories, facts.product_types
    events = variation.get("events", [])
    modes = [variation["variation_type"]]
    if TUTORIAL_ROOT in facts.root_codes:
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
        "group_keys": list(facts.lineage_keys),
        "group_ids": list(facts.lineage_ids),
        "modes_of_delivery": sorted(set(modes)),
        "codes": [code for code in codes if code],
        # Codes as pasted: "cs1/pcsm01/2025-09", "CS1 PCSM01 2025 09" and "CS1PCSM012025-09"
        # all find the store product (see ``code_key``).
        "code_keys": sorted({_code_key(code) for code in codes if code}),
        "kind": header["kind"],
        "subject_type": record.subject_type,
        "group_names": list(facts.lineage_names),
        "tutorial_format": header.get("format"),
        "tutorial_location": header.get("tutorial_location_code"),
        "marking_template": header.get("marking_template_code"),
        "text": " ".join(word for word in words if word),
        "standard_price": standard,
        "earliest_event": min((event["start_date"] for event in events), default=None),
    }


def build_document(
    record: StoreProductRecord, groups: GroupTree, source_fingerprint: str
) -> dict[str, Any]:
    """The API row of this one store product, plus the fields only searching needs."""
    [row] = rows_from_records([record])
    document = {**row, "search": _search_fields(record, group_facts(groups, record.group_ids))}
    return add_hashes(document, source_fingerprint)  # for ``search_index check``


def build_documents(
    page: QuerySet[StoreProduct], groups: GroupTree
) -> list[tuple[int, dict[str, Any]]]:
    """``(pk, document)`` for every store product of ``page``, in its order: the
    serializer's five queries and one for the source fingerprints."""
    records = load_records(page, groups)
    ids = [record.header["store_product_id"] for record in records]
    hashes = {row.store_product_id: row for row in row_hashes(StoreProduct.objects.all(), ids)}
    context = fingerprint_context()
    documents = []
    for pk, record in zip(ids, records, strict=True):
        source = fingerprint(hashes[pk], group_facts(groups, record.group_ids), context)
        documents.append((pk, build_document(record, groups, source)))
    return documents


def iter_document_chunks(
    queryset: QuerySet[StoreProduct], chunk_size: int
) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    """Keyset pages (``pk > last``): each page costs the same six queries, unlike OFFSET."""
    groups = GroupTree.load()
    last_pk = 0
    while documents := build_documents(
        queryset.filter(pk__gt=last_pk).order_by("pk")[:chunk_size], groups
    ):
        yield documents
        last_pk = documents[-1][0]


def iter_documents(
    queryset: QuerySet[StoreProduct], chunk_size: int
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(pk, document)`` for every store product, a constant number of queries per chunk."""
    for documents in iter_document_chunks(queryset, chunk_size):
        yield from documents
