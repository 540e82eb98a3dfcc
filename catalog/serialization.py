"""Store products as the storefront's result rows (``shared/docs/search-api.md``).

The search documents are built from this same code, so the index and the database
give one shape. Ordering (events by date then code, sessions by ``sequence``) is done
by the prefetch querysets, and the number of queries is constant for any batch size.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from catalog.groups import GroupTree, row_type
from catalog.models import Price, ProductGroup, StoreProduct, VariationType
from tutorials.models import TutorialEvent, TutorialSession

Row = dict[str, Any]


# Prefetched lists land on these attributes. ``to_attr`` keeps plain lists: Django then
# skips cloning a related-manager queryset per instance, which took most of a rebuild's
# time (measured: 12 of 20 s for 20,000 store products).
PRICES = "prefetched_prices"
EVENTS = "prefetched_events"
SESSIONS = "prefetched_sessions"
GROUP_IDS = "prefetched_groups"


def store_product_queryset(base: QuerySet[StoreProduct] | None = None) -> QuerySet[StoreProduct]:
    """Everything a row needs, in a fixed number of queries whatever the batch size."""
    queryset = base if base is not None else StoreProduct.objects.all()
    sessions = TutorialSession.objects.order_by("sequence").defer("created_at", "updated_at")
    events = (
        TutorialEvent.objects.order_by("start_date", "code")
        .defer("created_at", "updated_at")
        .prefetch_related(Prefetch("sessions", queryset=sessions, to_attr=SESSIONS))
    )
    groups = ProductGroup.objects.only("id")
    return queryset.select_related(
        "exam_session_subject__subject",
        "exam_session_subject__exam_session",
        "product_product_variation__product",
        "product_product_variation__product_variation",
    ).prefetch_related(
        Prefetch("prices", queryset=Price.objects.order_by("price_type", "id"), to_attr=PRICES),
        Prefetch("tutorial_events", queryset=events, to_attr=EVENTS),
        Prefetch("product_product_variation__product__groups", queryset=groups, to_attr=GROUP_IDS),
    )


def product_group_ids(store_product: StoreProduct) -> list[int]:
    return [
        group.pk for group in getattr(store_product.product_product_variation.product, GROUP_IDS)
    ]


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _date(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _local_datetime(value: Any) -> str:
    return timezone.localtime(value).isoformat()


def serialize_session(session: TutorialSession) -> Row:
    return {
        "id": session.pk,
        "title": session.title,
        "location": session.location,
        "venue": session.venue,
        "start_date": _local_datetime(session.start_date),
        "end_date": _local_datetime(session.end_date),
        "sequence": session.sequence,
        "url": session.url or None,
    }


def serialize_event(event: TutorialEvent) -> Row:
    return {
        "id": event.pk,
        "code": event.code,
        "title": event.code,
        "venue": event.venue,
        "location": event.location,
        "is_soldout": event.is_soldout,
        "remain_space": event.remain_space,
        "finalisation_date": _date(event.finalisation_date),
        "start_date": _date(event.start_date),
        "end_date": _date(event.end_date),
        "price": _amount(event.price),
        "sessions": [serialize_session(session) for session in getattr(event, SESSIONS)],
    }


def serialize_variation(store_product: StoreProduct) -> Row:
    variation = store_product.product_product_variation.product_variation
    row: Row = {
        "id": variation.pk,
        "store_product_id": store_product.pk,
        "product_code": store_product.product_code,
        "variation_type": variation.variation_type,
        "name": variation.name,
        "description": variation.description,
        "description_short": variation.description_short,
        "prices": [
            {
                "id": price.pk,
                "price_type": price.price_type,
                "amount": _amount(price.amount),
                "currency": price.currency,
            }
            for price in getattr(store_product, PRICES)
        ],
    }
    if variation.variation_type == VariationType.TUTORIAL:
        events = getattr(store_product, EVENTS)
        row["events"] = [serialize_event(event) for event in events]
    return row


def serialize_row_header(store_product: StoreProduct, groups: GroupTree) -> Row:
    """The row's own fields, from its first store product."""
    essp = store_product.exam_session_subject
    product = store_product.product_product_variation.product
    categories, _ = groups.categories_and_types(product_group_ids(store_product))
    return {
        "id": store_product.pk,
        "essp_id": store_product.pk,
        "store_product_id": store_product.pk,
        "type": row_type(categories),
        "product_id": product.pk,
        "product_code": product.code,
        "product_name": product.fullname,
        "product_short_name": product.shortname,
        "product_description": product.description,
        "buy_both": product.buy_both,
        "subject_id": essp.subject_id,
        "subject_code": essp.subject.code,
        "subject_description": essp.subject.description,
        "exam_session_id": essp.exam_session_id,
        "exam_session_code": essp.exam_session.session_code,
    }


def row_key(store_product: StoreProduct) -> str:
    """One result row per catalog product within one exam session subject."""
    product_id = store_product.product_product_variation.product_id
    return f"{store_product.exam_session_subject_id}:{product_id}"


def serialize_rows(
    store_products: Iterable[StoreProduct], groups: GroupTree | None = None
) -> list[Row]:
    """Group store products into result rows, keeping the order they come in."""
    groups = groups or GroupTree.load()
    rows: dict[str, Row] = {}
    for store_product in store_products:
        key = row_key(store_product)
        if key not in rows:
            rows[key] = {**serialize_row_header(store_product, groups), "variations": []}
        rows[key]["variations"].append(serialize_variation(store_product))
    return list(rows.values())
