"""Ranking, sort options and every filter of POST /api/search/unified/, on a real index."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.catalogs.wider import WiderCatalog
from tests.endpoints import UNIFIED


def search(client: Client, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(UNIFIED, data=body, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def rows(body: dict[str, Any]) -> list[tuple[str, str]]:
    """(subject, catalog product code): a tutorial row is named by its location's code."""
    return [
        (row["subject_code"], row.get("tutorial_location_code") or row["product_code"])
        for row in body["products"]
    ]


R1 = ("CB1", "CSM02")
R2 = ("CM1", "CSM01")
R3 = ("CM1", "LON")
R4 = ("CM2", "CSM01")
R5 = ("CM2", "DUB")


# Ranking


def test_a_typo_still_finds_the_tutorial_and_only_it(
    client: Client, indexed_wider_catalog: WiderCatalog
) -> None:
    body = search(client, {"searchQuery": "cm2 dublni"})

    assert rows(body) == [R5]


def test_an_exact_product_code_ranks_above_a_near_miss(
    client: Client, indexed_wider_catalog: WiderCatalog
) -> None:
    # Given CSM01 (two rows) and CSM02 (one edit away, so a fuzzy match)
    # When the shopper types the exact code
    body = search(client, {"searchQuery": "CSM01"})

    # Then the exact rows come first and the near miss last
    assert [row["product_code"] for row in body["products"]] == ["CSM01", "CSM01", "CSM02"]


def test_subject_and_product_code_together_put_that_row_first(
    client: Client, indexed_wider_catalog: WiderCatalog
) -> None:
    body = search(client, {"searchQuery": "cm2 csm01"})

    assert rows(body)[0] == R4


# Sorts


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("subject", [R1, R2, R3, R4, R5]),
        # A row sorts by its cheapest store product ascending (R4: eBook 60) …
        ("price_asc", [R2, R4, R1, R5, R3]),
        # … and by its dearest descending (R4: Printed 130).
        ("price_desc", [R3, R5, R4, R1, R2]),
        # Rows without events last, in subject order.
        ("earliest_event", [R3, R5, R1, R2, R4]),
    ],
)
def test_sort_options_order_the_rows(
    client: Client, indexed_wider_catalog: WiderCatalog, sort: str, expected: list[tuple[str, str]]
) -> None:
    body = search(client, {"options": {"sort": sort}})

    assert rows(body) == expected


def test_without_a_query_or_a_sort_rows_are_in_subject_order(
    client: Client, indexed_wider_catalog: WiderCatalog
) -> None:
    assert rows(search(client, {})) == [R1, R2, R3, R4, R5]


# Filters


def test_exam_sessions_filter(client: Client, indexed_wider_catalog: WiderCatalog) -> None:
    body = search(client, {"filters": {"exam_sessions": ["2026-04"]}})

    assert rows(body) == [R1]
    assert body["products"][0]["exam_session_code"] == "2026-04"


def test_venues_filter_ignores_case(client: Client, indexed_wider_catalog: WiderCatalog) -> None:
    assert rows(search(client, {"filters": {"venues": ["holiday inn"]}})) == [R3]
    assert rows(search(client, {"filters": {"venues": ["CAMDEN COURT HOTEL"]}})) == [R5]


def test_available_only_excludes_sold_out_and_full_events(
    client: Client, indexed_wider_catalog: WiderCatalog
) -> None:
    # Given London's events are sold out or full, and Dublin's have space
    body = search(client, {"filters": {"available_only": True}})

    # Then only Dublin is offered
    assert rows(body) == [R5]


def test_available_only_false_filters_nothing(
    client: Client, indexed_wider_catalog: WiderCatalog
) -> None:
    assert rows(search(client, {"filters": {"available_only": False}})) == [R1, R2, R3, R4, R5]


def test_event_start_to_filter(client: Client, indexed_wider_catalog: WiderCatalog) -> None:
    assert rows(search(client, {"filters": {"event_start_to": "2025-07-01"}})) == [R3]
    assert rows(search(client, {"filters": {"event_start_to": "2025-07-22"}})) == [R3, R5]


def test_product_ids_filter(client: Client, indexed_wider_catalog: WiderCatalog) -> None:
    csm01, dublin = indexed_wider_catalog.csm01.pk, indexed_wider_catalog.dublin.pk
    body = search(client, {"filters": {"product_ids": [csm01]}})
    assert rows(body) == [R2, R4]

    body = search(client, {"filters": {"product_ids": [csm01, dublin]}})
    assert rows(body) == [R2, R4, R5]


def test_essp_ids_filter_keeps_only_the_chosen_store_products(
    client: Client, indexed_wider_catalog: WiderCatalog
) -> None:
    ebook = indexed_wider_catalog.small.material_ebook

    body = search(client, {"filters": {"essp_ids": [ebook.pk, indexed_wider_catalog.london.pk]}})

    assert rows(body) == [R3, R4]
    cm2_material = body["products"][1]
    assert cm2_material["id"] == ebook.pk
    assert [v["store_product_id"] for v in cm2_material["variations"]] == [ebook.pk]


def test_products_filter_takes_catalog_product_ids_and_selects_material_rows(
    client: Client, indexed_wider_catalog: WiderCatalog
) -> None:
    # Given CSM01 is sold in CM1 and CM2, and Dublin is a tutorial location product
    csm01, dublin = str(indexed_wider_catalog.csm01.pk), indexed_wider_catalog.dublin.pk

    # When the navigation drills down to CSM01 by id (a string, or an integer)
    by_string = search(client, {"filters": {"products": [csm01]}})
    by_integer = search(client, {"filters": {"products": [int(csm01), "not-an-id"]}})

    # Then its material rows are found, and the hidden facet names the chosen product
    assert rows(by_string) == rows(by_integer) == [R2, R4]
    assert by_string["filter_counts"]["products"] == {
        csm01: {"count": 3, "name": "Core Study Materials"}
    }
    # and a tutorial's product id selects no material row
    assert rows(search(client, {"filters": {"products": [str(dublin)]}})) == []


def test_variations_reflect_the_mode_of_delivery_filter(
    client: Client, indexed_wider_catalog: WiderCatalog
) -> None:
    # Given CM2 CSM01 is sold Printed and as an eBook
    # When only eBooks are asked for
    body = search(client, {"filters": {"modes_of_delivery": ["eBook"]}})

    # Then the row lists the eBook only, and is headed by it
    assert rows(body) == [R4]
    [row] = body["products"]
    assert [v["variation_type"] for v in row["variations"]] == ["eBook"]
    assert row["id"] == indexed_wider_catalog.small.material_ebook.pk
