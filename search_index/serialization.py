"""Store products as the storefront's result rows (``docs/search-api.md``).

The search documents are built from this same code, so the index and the database
give one shape. Each relation is read with one ordered query per batch (events by start
date then code, sessions by ``sequence``, prices by type), so the number of queries is
constant whatever the batch size, and rows are built straight from the fetched tuples.

Why tuples and not ``prefetch_related``: building model instances and Django's
per-instance prefetch bookkeeping took 4.7 of the 7 s a 20,000-product rebuild spent in
Python (measured); reading ``values_list`` tuples takes a fraction of that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from catalog.groups import GroupTree
from catalog.models import Price, ProductGroupMembership, StoreProduct, VariationType
from search_index.any_of import any_of
from search_index.group_facts import group_facts
from search_index.row_kinds import (
    KIND_BY_ROW_TYPE,
    MARKING,
    MATERIAL,
    PLACELESS_GROUP_CODES,
    SINGLE_ROW_KEY_PREFIX,
    TUTORIAL,
    tutorial_format,
)
from tutorials.models import TutorialEvent, TutorialSession

Row = dict[str, Any]

# One query for the store products and everything they point at, in this column order.
STORE_PRODUCT_COLUMNS = (
    "id",
    "product_code",
    "exam_session_subject_id",
    "exam_session_subject__subject_id",
    "exam_session_subject__subject__code",
    "exam_session_subject__subject__description",
    "exam_session_subject__exam_session_id",
    "exam_session_subject__exam_session__session_code",
    "product_product_variation__product_id",
    "product_product_variation__product__code",
    "product_product_variation__product__fullname",
    "product_product_variation__product__shortname",
    "product_product_variation__product__description",
    "product_product_variation__product__buy_both",
    "product_product_variation__product_variation_id",
    "product_product_variation__product_variation__variation_type",
    "product_product_variation__product_variation__name",
    "product_product_variation__product_variation__description",
    "product_product_variation__product_variation__description_short",
    "product_product_variation__product_variation__code",
    "exam_session_subject__subject__subject_type",
)
PRICE_COLUMNS = ("store_product_id", "id", "price_type", "amount", "currency")
EVENT_COLUMNS = (
    "store_product_id", "id", "code", "venue", "location", "is_soldout", "remain_space",
    "finalisation_date", "start_date", "end_date", "price",
)  # fmt: skip
SESSION_COLUMNS = (
    "tutorial_event_id", "id", "title", "location", "venue", "start_date", "end_date",
    "sequence", "url",
)  # fmt: skip


@dataclass(slots=True)
class StoreProductRecord:
    """One store product, serialised: the row it would head, and its own variation."""

    header: Row
    variation: Row
    row_key: str
    group_ids: list[int]
    subject_type: str


def _as_text(queryset: QuerySet, columns: tuple[str, ...]) -> QuerySet:
    """``values_list(*columns)`` with dates, times and amounts as PostgreSQL writes them.

    ISO dates and two-decimal amounts are already what a row holds; parsing them into
    ``date`` and ``Decimal`` to write them back out, and 115,000 session times into
    aware datetimes, was the largest single cost of serialising 20,000 store products
    (profiled: 2.3 of 13.4 s in psycopg's date-time parser alone).
    """
    return queryset.values_list(
        *(Cast(column, TextField()) if column in _TEXT_COLUMNS else column for column in columns)
    )


_TEXT_COLUMNS = frozenset({"amount", "price", "finalisation_date", "start_date", "end_date"})


class LocalTimes(dict[str, str]):
    """Session times, as PostgreSQL writes them, in local ISO form, each worked out once:
    a catalog has few distinct times (1,907 among 283,934 sessions at 100k). Kept from
    batch to batch (``local_times``), and emptied should it ever grow large."""

    LIMIT = 100_000

    def __init__(self, zone: tzinfo) -> None:
        super().__init__()
        self.zone = zone

    def __missing__(self, written: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        local = datetime.fromisoformat(written).astimezone(self.zone).isoformat()
        self[written] = local
        return local


_LOCAL_TIMES: dict[tzinfo, LocalTimes] = {}


def local_times(zone: tzinfo) -> LocalTimes:
    if zone not in _LOCAL_TIMES:
        _LOCAL_TIMES[zone] = LocalTimes(zone)
    return _LOCAL_TIMES[zone]


def _by_owner(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    """Group ordered rows by their first column, keeping the order within each group."""
    grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    return grouped


def _session(row: tuple[Any, ...], local: LocalTimes) -> Row:
    _, pk, title, location, venue, start, end, sequence, url = row
    return {
        "id": pk, "title": title, "location": location, "venue": venue,
        "start_date": local[start], "end_date": local[end], "sequence": sequence,
        "url": url or None,
    }  # fmt: skip


def _event(row: tuple[Any, ...], sessions: list[tuple[Any, ...]], local: LocalTimes) -> Row:
    _, pk, code, venue, location, soldout, space, finalisation, start, end, price = row
    return {
        "id": pk, "code": code, "title": code, "venue": venue, "location": location,
        "is_soldout": soldout, "remain_space": space,
        "finalisation_date": finalisation, "start_date": start, "end_date": end,
        "price": price, "sessions": [_session(session, local) for session in sessions],
    }  # fmt: skip


# A filter on the field that names the owning store product: which batch to read.
Owners = Callable[[str], Any]


def owned_by(store_product_ids: list[int]) -> Owners:
    return lambda field: any_of(field, store_product_ids)


def related_querysets(owners: Owners) -> tuple[QuerySet, QuerySet]:
    """The prices and events of a batch, each in the order a row lists them (read with
    ``PRICE_COLUMNS`` and ``EVENT_COLUMNS``; the source fingerprint reads the same)."""
    prices = Price.objects.filter(owners("store_product_id")).order_by(
        "store_product_id", "price_type", "id"
    )
    events = TutorialEvent.objects.filter(owners("store_product_id"))
    return prices, events.order_by("store_product_id", "start_date", "code")


def sessions_of(event_ids: list[int]) -> QuerySet[TutorialSession]:
    """The events' sessions in sequence order, by the events' own ids.

    Not through ``tutorial_event__store_product_id__in``: PostgreSQL expects four times
    the events a batch has and scans every session of the catalog (62 ms of a 1,000
    store-product batch at 100k, on both cores) instead of looking them up.
    """
    return TutorialSession.objects.filter(any_of("tutorial_event_id", event_ids)).order_by(
        "tutorial_event_id", "sequence"
    )


def _related(store_product_ids: list[int], product_ids: set[int]) -> tuple[dict, ...]:
    """Prices, events, sessions and group memberships of a batch: four ordered queries."""
    prices, events = related_querysets(owned_by(store_product_ids))
    event_rows = list(_as_text(events, EVENT_COLUMNS))
    sessions = sessions_of([row[1] for row in event_rows])
    memberships = ProductGroupMembership.objects.filter(any_of("product_id", product_ids)).order_by(
        "product_id", "product_group_id"
    )
    return (
        _by_owner(_as_text(prices, PRICE_COLUMNS)),
        _by_owner(event_rows),
        _by_owner(_as_text(sessions, SESSION_COLUMNS)),
        _by_owner(memberships.values_list("product_id", "product_group_id")),
    )


def load_records(
    queryset: QuerySet[StoreProduct], groups: GroupTree | None = None
) -> list[StoreProductRecord]:
    """Serialise every store product of ``queryset``, in its order, in five queries."""
    groups = groups or GroupTree.load()
    products = list(queryset.values_list(*STORE_PRODUCT_COLUMNS))
    if not products:
        return []
    prices, events, sessions, memberships = _related(
        [row[0] for row in products], {row[8] for row in products}
    )
    local = local_times(timezone.get_current_timezone())
    records = []
    for row in products:
        (pk, store_code, essp_id, subject_id, subject_code, subject_description,
         session_id, session_code, product_id, product_code, fullname, shortname,
         description, buy_both, variation_id, variation_type, variation_name,
         variation_description, variation_short, variation_code, subject_type) = row  # fmt: skip
        group_ids = [membership[1] for membership in memberships.get(product_id, [])]
        facts = group_facts(groups, group_ids)
        label = facts.row_type
        kind = KIND_BY_ROW_TYPE[label]
        header = {
            "id": pk, "essp_id": pk, "store_product_id": pk, "kind": kind, "type": label,
            "product_id": product_id, "product_code": product_code,
            "product_name": fullname, "product_short_name": shortname,
            "product_description": description, "buy_both": buy_both,
            "subject_id": subject_id, "subject_code": subject_code,
            "subject_description": subject_description, "exam_session_id": session_id,
            "exam_session_code": session_code,
        }  # fmt: skip
        variation: Row = {
            "id": variation_id, "store_product_id": pk, "product_code": store_code,
            "variation_type": variation_type, "name": variation_name,
            "description": variation_description, "description_short": variation_short,
            "prices": [
                {"id": p[1], "price_type": p[2], "amount": p[3], "currency": p[4]}
                for p in prices.get(pk, [])
            ],
        }  # fmt: skip
        if variation_type == VariationType.TUTORIAL:
            variation["events"] = [
                _event(event, sessions.get(event[1], []), local) for event in events.get(pk, [])
            ]
        if kind == MATERIAL:
            row_key = f"{essp_id}:{product_id}"
        else:
            # A tutorial or marking row is one store product, named by what it is.
            row_key = f"{SINGLE_ROW_KEY_PREFIX}{pk}"
            header.update(product_code=store_code, prices=variation["prices"])
        if kind == TUTORIAL:
            family = facts.tutorial_family
            tutorial = tutorial_format(variation_code, family, variation_short or variation_name)
            placeless = family is not None and family.code in PLACELESS_GROUP_CODES
            header.update(
                product_name=tutorial.display, product_short_name=tutorial.display,
                format=tutorial.code, format_display=tutorial.display,
                tutorial_location_name=None if placeless else shortname,
                tutorial_location_code=None if placeless else product_code,
            )  # fmt: skip
        elif kind == MARKING:
            header.update(marking_template_name=fullname, marking_template_code=product_code)
        records.append(StoreProductRecord(header, variation, row_key, group_ids, subject_type))
    return records


def rows_from_records(records: Iterable[StoreProductRecord]) -> list[Row]:
    """Group store products into result rows (one per product in a session subject)."""
    rows: dict[str, Row] = {}
    for record in records:
        if record.row_key not in rows:
            rows[record.row_key] = {**record.header, "variations": []}
        rows[record.row_key]["variations"].append(record.variation)
    return list(rows.values())


def serialize_rows(queryset: QuerySet[StoreProduct], groups: GroupTree | None = None) -> list[Row]:
    """The API rows of ``queryset``'s store products, in its order."""
    return rows_from_records(load_records(queryset, groups))
