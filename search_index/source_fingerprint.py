"""A fingerprint of the database rows each store product's document is built from.

``search_index check`` compares it with the one sealed into the document when it was
written, so it never has to build documents to find stale ones (building is what cost
the old check 38 s at 100,000 store products). PostgreSQL computes it, in one query per
chunk, over the very queries the serializer reads (``search_index.serialization``): the
store product's joined row, its prices, its events and their sessions. Every row is
reduced to ``hash_record_extended`` (every column, nulls included) and a store product's
related rows are summed, so their order does not matter; the columns that order them
(dates, sequences) are hashed too. The product's groups, with their ancestors' names and
codes, come from the group tree, in Python, as do the settings a document depends on.

``hash_record_extended`` is PostgreSQL's own (hash partitioning uses it); should a major
upgrade ever change it, ``check`` reports every document stale and a rebuild, or
``check --repair``, writes them all again.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from hashlib import blake2b

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from catalog.models import ProductGroupMembership, StoreProduct
from search_index.group_facts import GroupFacts
from search_index.serialization import (
    EVENT_COLUMNS,
    PRICE_COLUMNS,
    SESSION_COLUMNS,
    STORE_PRODUCT_COLUMNS,
    Owners,
    owned_by,
    related_querysets,
    sessions_of,
)


def _columns(prefix: str, count: int) -> str:
    return ", ".join(f"{prefix}{n}" for n in range(count))


def _sql(queryset: QuerySet) -> tuple[str, tuple]:
    return queryset.order_by().query.sql_with_params()


def _sessions_of_event(event: str) -> str:
    """The sessions the serializer reads (``sessions_of``) of one event, looked up by
    its id: a lateral lookup, which PostgreSQL cannot turn into a scan of every session."""
    quote = connection.ops.quote_name
    model = sessions_of([]).model
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in SESSION_COLUMNS)
    owner = quote(model._meta.get_field("tutorial_event").column)
    return (
        f"SELECT sum(hash_record_extended(row({columns}), 0)) AS h "
        f"FROM {quote(model._meta.db_table)} WHERE {owner} = {event}"
    )


_ID = f"p{STORE_PRODUCT_COLUMNS.index('id')}"
_PRODUCT_ID = f"p{STORE_PRODUCT_COLUMNS.index('product_product_variation__product_id')}"
_EVENT_ID = f"c{EVENT_COLUMNS.index('id')}"


def _query(products: QuerySet[StoreProduct], owners: Owners) -> tuple[str, list]:
    """(id, product id, hash) per store product of ``products`` that ``owners`` selects.

    Prices and events are read by the serializer's own queries; their first column is
    their store product's id.
    """
    prices, events = related_querysets(owners)
    parts = [
        _sql(products.filter(owners("pk")).values_list(*STORE_PRODUCT_COLUMNS)),
        _sql(prices.values_list(*PRICE_COLUMNS)),
        _sql(events.values_list(*EVENT_COLUMNS)),
    ]
    sql = f"""
        WITH sp ({_columns("p", len(STORE_PRODUCT_COLUMNS))}) AS ({parts[0][0]}),
        prices AS (
            SELECT r.c0 AS owner, sum(hash_record_extended(r, 0)) AS h
            FROM ({parts[1][0]}) AS r ({_columns("c", len(PRICE_COLUMNS))}) GROUP BY 1),
        events AS (
            SELECT r.c0 AS owner,
                   sum(hash_record_extended(r, 0)) + coalesce(sum(sessions.h), 0) AS h
            FROM ({parts[2][0]}) AS r ({_columns("c", len(EVENT_COLUMNS))})
            LEFT JOIN LATERAL ({_sessions_of_event(f"r.{_EVENT_ID}")}) AS sessions ON true
            GROUP BY 1)
        SELECT sp.{_ID}, sp.{_PRODUCT_ID}, md5(concat_ws('|', hash_record_extended(sp, 0),
                                 coalesce(prices.h, 0), coalesce(events.h, 0)))
        FROM sp LEFT JOIN prices ON prices.owner = sp.{_ID}
        LEFT JOIN events ON events.owner = sp.{_ID}
    """  # The ORM's own SQL and the models' names; every value is a parameter.
    return sql, [param for _, params in parts for param in params]


def fingerprint_context() -> bytes:
    """What every document depends on besides its rows: its shape and the time zone its
    session times are written in. Part of every fingerprint; read once per chunk."""
    from search_index.documents import MAPPING_VERSION

    return f"{MAPPING_VERSION}|{settings.TIME_ZONE}|".encode()


@dataclass(frozen=True, slots=True)
class RowHash:
    store_product_id: int
    product_id: int
    rows: str


def _row_hashes(products: QuerySet[StoreProduct], owners: Owners) -> list[RowHash]:
    sql, params = _query(products, owners)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [RowHash(*row) for row in cursor.fetchall()]


def row_hashes(products: QuerySet[StoreProduct], ids: Collection[int]) -> list[RowHash]:
    """The rows' hash of every store product of ``products`` whose id is in ``ids``."""
    return _row_hashes(products, owned_by(sorted(ids))) if ids else []


def row_hashes_between(products: QuerySet[StoreProduct], after: int, upto: int) -> list[RowHash]:
    """The same for ids in ``(after, upto]``: for ``check``, which reads every store
    product in order. A range, not 10,000 ids in an array: PostgreSQL planned such a
    query for 167 ms and ran it for 374 ms."""

    def owners(field: str) -> Q:
        return Q(**{f"{field}__gt": after, f"{field}__lte": upto})

    return _row_hashes(products, owners)


def fingerprint(rows: RowHash, groups: GroupFacts, context: bytes) -> str:
    """The source fingerprint: the rows' hash, the product's groups and the context."""
    text = context + rows.rows.encode() + groups.fingerprint.encode()
    return blake2b(text, digest_size=16).hexdigest()


def product_groups(product_ids: Collection[int]) -> dict[int, list[int]]:
    """Group ids of each product."""
    memberships = ProductGroupMembership.objects.filter(product_id__in=product_ids).order_by()
    grouped: dict[int, list[int]] = {}
    for product_id, group_id in memberships.values_list("product_id", "product_group_id"):
        grouped.setdefault(product_id, []).append(group_id)
    return grouped
