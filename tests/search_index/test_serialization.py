"""The DB serializer builds the contract's rows in a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import StoreProduct
from search_index.serialization import serialize_rows
from tests import factories

ROW_FIELDS = {
    "id",
    "essp_id",
    "store_product_id",
    "type",
    "product_id",
    "product_code",
    "product_name",
    "product_short_name",
    "product_description",
    "buy_both",
    "subject_id",
    "subject_code",
    "subject_description",
    "exam_session_id",
    "exam_session_code",
    "variations",
}
VARIATION_FIELDS = {
    "id",
    "store_product_id",
    "variation_type",
    "name",
    "description",
    "description_short",
    "prices",
}
EVENT_FIELDS = {
    "id",
    "code",
    "title",
    "venue",
    "location",
    "is_soldout",
    "remain_space",
    "finalisation_date",
    "start_date",
    "end_date",
    "price",
    "sessions",
}
# The storefront client's preview card of a tutorial reads these.
TUTORIAL_FIELDS = {
    "kind",
    "prices",
    "format",
    "format_display",
    "tutorial_location_name",
    "tutorial_location_code",
}
SESSION_FIELDS = {"id", "title", "location", "venue", "start_date", "end_date", "sequence", "url"}


def rows_by_product(rows: list[dict]) -> dict[str, dict]:
    """Rows by subject and catalog product code (a tutorial's is its location's)."""
    return {
        f"{row['subject_code']}/{row.get('tutorial_location_code') or row['product_code']}": row
        for row in rows
    }


def test_rows_carry_every_contract_field(small_catalog) -> None:
    # Given the small catalog
    # When it is serialized
    rows = rows_by_product(serialize_rows(StoreProduct.objects.order_by("pk")))

    # Then every row, variation, event and session has the contract's fields
    tutorial = rows["CM2/DUB"]
    assert tutorial.keys() >= ROW_FIELDS | TUTORIAL_FIELDS
    assert rows["CM2/CSM01"].keys() >= ROW_FIELDS
    variation = tutorial["variations"][0]
    assert VARIATION_FIELDS | {"events"} <= variation.keys()
    assert variation["events"][0].keys() >= EVENT_FIELDS
    assert variation["events"][0]["sessions"][0].keys() >= SESSION_FIELDS
    assert tutorial["type"] == "Tutorial"
    assert variation["prices"] == [
        {
            "id": variation["prices"][0]["id"],
            "price_type": "standard",
            "amount": "99.00",
            "currency": "GBP",
        }
    ]


def test_one_row_per_product_in_a_session_subject(small_catalog) -> None:
    rows = rows_by_product(serialize_rows(StoreProduct.objects.order_by("pk")))

    material = rows["CM2/CSM01"]
    assert material["type"] == "Materials"
    assert [v["variation_type"] for v in material["variations"]] == ["Printed", "eBook"]
    assert (
        material["id"]
        == material["essp_id"]
        == material["store_product_id"]
        == (small_catalog.material_printed.pk)
    )
    assert "events" not in material["variations"][0]
    assert set(rows) == {"CM2/CSM01", "CM2/DUB", "CM1/CSM01"}


def test_events_by_date_and_sessions_by_sequence(small_catalog) -> None:
    rows = rows_by_product(serialize_rows(StoreProduct.objects.all()))

    events = rows["CM2/DUB"]["variations"][0]["events"]
    assert [event["code"] for event in events] == ["CM2-55-25S", "CM2-56-25S"]
    assert [s["sequence"] for s in events[0]["sessions"]] == [1, 2, 3]
    assert events[1]["sessions"] == []
    session = events[0]["sessions"][0]
    assert session["start_date"] == "2025-07-22T09:00:00+01:00"
    assert session["url"] is None


def build_products(count: int) -> None:
    for _ in range(count):
        event = factories.TutorialEventFactory(
            store_product__product_product_variation__product_variation__variation_type="Tutorial"
        )
        factories.PriceFactory(store_product=event.store_product)
        factories.TutorialSessionFactory.create_batch(2, tutorial_event=event)


def count_serializer_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        serialize_rows(StoreProduct.objects.all())
    return len(queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_products() -> None:
    # Given one product, then fifty
    build_products(1)
    one = count_serializer_queries()
    build_products(49)
    fifty = count_serializer_queries()

    # Then serializing them issues the same number of queries
    assert StoreProduct.objects.count() == 50
    assert one == fifty
    assert fifty <= 8


def test_tutorial_rows_are_one_store_product_described_by_format_and_location(
    small_catalog,
) -> None:
    [row] = serialize_rows(StoreProduct.objects.filter(pk=small_catalog.tutorial.pk))

    assert row["kind"] == "tutorial"
    assert row["product_code"] == small_catalog.tutorial.product_code
    assert (row["format"], row["format_display"]) == ("F2F_5", "Face-to-face 5 days")
    assert row["product_name"] == row["product_short_name"] == "Face-to-face 5 days"
    assert (row["tutorial_location_name"], row["tutorial_location_code"]) == ("Dublin", "DUB")
    assert row["prices"] == row["variations"][0]["prices"]


def test_an_online_classroom_has_no_location(small_catalog) -> None:
    online = factories.ProductFactory(
        code="OC", fullname="Tutorial - Online", shortname="Online Classroom",
        groups=[small_catalog.groups["Online Classroom"]],
    )  # fmt: skip
    store_product = factories.StoreProductFactory(
        product_product_variation__product=online,
        product_product_variation__product_variation=factories.ProductVariationFactory(
            code="OC_CM2", name="OC_CM2", variation_type="Tutorial"
        ),
    )

    [row] = serialize_rows(StoreProduct.objects.filter(pk=store_product.pk))

    assert (row["format"], row["format_display"]) == ("OC", "Online Classroom")
    assert row["tutorial_location_name"] is row["tutorial_location_code"] is None


def test_marking_rows_name_their_template(small_catalog) -> None:
    template = factories.ProductFactory(
        code="X", fullname="Series X Assignments", shortname="Series X",
        groups=[small_catalog.groups["Marking"]],
    )  # fmt: skip
    store_product = factories.StoreProductFactory(
        product_product_variation__product=template,
        product_product_variation__product_variation=factories.ProductVariationFactory(
            code="MX", name="Marking", variation_type="Marking"
        ),
    )
    factories.PriceFactory(store_product=store_product)

    [row] = serialize_rows(StoreProduct.objects.filter(pk=store_product.pk))

    assert (row["kind"], row["type"]) == ("marking", "Markings")
    assert row["product_code"] == store_product.product_code
    assert (row["marking_template_name"], row["marking_template_code"]) == (
        "Series X Assignments",
        "X",
    )
    assert [price["price_type"] for price in row["prices"]] == ["standard"]
