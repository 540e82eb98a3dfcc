"""Writing parsed CSV events: location products, formats, store products, events, sessions.

Each event belongs to the store product (location product x format) of its subject in
the tutorial sitting. Events are keyed by code and sessions by (event, sequence), so a
second load updates in place; sessions a shorter format no longer has are deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from catalog.models import Price, PriceType, StoreProduct
from demo.bulk import upsert
from demo.csv_events import EventRow
from demo.formats import TutorialFamily, TutorialFormat
from demo.reference import (
    FAMILY_GROUP_CODE,
    TUTORIAL_SESSION_CODE,
    ReferenceData,
    add_to_groups,
    ensure_pairs,
    location_product,
    new_store_product,
    tutorial_price,
    tutorial_variation,
    upsert_prices,
    upsert_products,
    upsert_store_products,
    upsert_variations,
)
from demo.sessions import plan_sessions, session_from_plan
from tutorials.models import TutorialEvent, TutorialSession

DAY_SESSION_TITLE = "Day {n}"
# The self-paced Online Classroom has no days: one session covers the access period.
ONLINE_CLASSROOM_SESSION_TITLE = "Online Classroom access"

EVENT_UPDATE_FIELDS = (
    "venue",
    "location",
    "is_soldout",
    "finalisation_date",
    "remain_space",
    "start_date",
    "end_date",
    "store_product",
    "updated_at",
)
SESSION_UPDATE_FIELDS = ("title", "location", "venue", "start_date", "end_date", "updated_at")


@dataclass(frozen=True)
class EventCounts:
    location_products: int
    formats: int
    store_products: int
    events: int
    sessions: int


def load_events(rows: list[EventRow], reference: ReferenceData) -> EventCounts:
    """Write ``rows`` (already validated) and everything they hang from."""
    with transaction.atomic():
        locations = {row.location.code: row.location for row in rows}
        products = {
            product.code: product
            for product in upsert_products([location_product(s) for s in locations.values()])
        }
        family_by_location = {row.location.code: row.tutorial_format.family for row in rows}
        add_to_groups(
            (products[code], reference.groups[FAMILY_GROUP_CODE[family]])
            for code, family in family_by_location.items()
        )
        formats = {row.tutorial_format.code: row.tutorial_format for row in rows}
        variations = upsert_variations(tutorial_variation(f) for f in formats.values())
        pairs = {
            (pair.product.code, pair.product_variation.code): pair
            for pair in ensure_pairs(
                (products[location], variations[fmt])
                for location, fmt in {(row.location.code, row.tutorial_format.code) for row in rows}
            )
        }

        # Keyed by (format, location): the store product's natural key within the sitting.
        store_products: dict[tuple[TutorialFormat, str], StoreProduct] = {}
        for row in rows:
            key = (row.tutorial_format, row.location.code)
            if key not in store_products:
                essp = reference.exam_session_subjects[
                    (TUTORIAL_SESSION_CODE, row.tutorial_format.subject_code)
                ]
                store_products[key] = new_store_product(
                    essp, pairs[(row.location.code, row.tutorial_format.code)]
                )
        upsert_store_products(store_products.values())  # sets the primary keys in place
        upsert_prices(
            [
                Price(
                    store_product=store_product,
                    price_type=PriceType.STANDARD,
                    amount=tutorial_price(tutorial_format),
                )
                for (tutorial_format, _), store_product in store_products.items()
            ]
        )

        events = upsert(
            TutorialEvent,
            [
                event_from_row(row, store_products[(row.tutorial_format, row.location.code)])
                for row in rows
            ],
            unique_fields=["code"],
            update_fields=EVENT_UPDATE_FIELDS,
        )
        sessions = write_sessions(zip(events, rows, strict=True))
    return EventCounts(
        location_products=len(products),
        formats=len(variations),
        store_products=len(store_products),
        events=len(events),
        sessions=sessions,
    )


def event_from_row(row: EventRow, store_product: StoreProduct) -> TutorialEvent:
    return TutorialEvent(
        code=row.code,
        venue=row.venue,
        location=row.location.shortname,
        is_soldout=row.is_soldout,
        finalisation_date=row.finalisation_date,
        remain_space=row.remain_space,
        start_date=row.start.date(),
        end_date=row.end.date(),
        store_product=store_product,
    )


def session_title(family: TutorialFamily) -> str:
    if family is TutorialFamily.ONLINE_CLASSROOM:
        return ONLINE_CLASSROOM_SESSION_TITLE
    return DAY_SESSION_TITLE


def sessions_for(event: TutorialEvent, row: EventRow) -> list[TutorialSession]:
    plans = plan_sessions(
        row.start, row.end, row.sessions, session_title(row.tutorial_format.family)
    )
    return [session_from_plan(event, plan) for plan in plans]


def write_sessions(events: Iterable[tuple[TutorialEvent, EventRow]]) -> int:
    """Upsert each event's sessions and delete the ones beyond its new count."""
    events = list(events)
    sessions = upsert(
        TutorialSession,
        [session for event, row in events for session in sessions_for(event, row)],
        unique_fields=["tutorial_event", "sequence"],
        update_fields=SESSION_UPDATE_FIELDS,
    )
    TutorialSession.objects.filter(tutorial_event__in=[event for event, _ in events]).exclude(
        pk__in=[session.pk for session in sessions]
    ).delete()
    return len(sessions)
