"""POST /api/search/unified/ and the compatibility endpoints, on a real index."""

from __future__ import annotations

import pytest

from search_index.rebuild import rebuild
from tests.endpoints import UNIFIED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opensearch_index")]


def post(client, body):  # type: ignore[no-untyped-def]
    return client.post(UNIFIED, data=body, content_type="application/json")


def test_without_filters_rows_are_grouped_and_ordered(client, indexed_small_catalog) -> None:
    response = post(client, {})

    assert response.status_code == 200
    body = response.json()
    keys = [(row["subject_code"], row["product_short_name"]) for row in body["products"]]
    assert keys == [
        ("CM1", "Core Study Materials"),
        ("CM2", "Core Study Materials"),
        ("CM2", "Face-to-face 5 days"),
    ]
    assert [row["kind"] for row in body["products"]] == ["material", "material", "tutorial"]
    cm2_material = body["products"][1]
    assert [v["variation_type"] for v in cm2_material["variations"]] == ["Printed", "eBook"]
    assert cm2_material["id"] == indexed_small_catalog.material_printed.pk
    assert "search" not in cm2_material
    assert body["pagination"] == {
        "page": 1,
        "page_size": 20,
        "total_count": 3,
        "total_pages": 1,
        "has_next": False,
        "has_previous": False,
    }


def test_facet_counts_are_disjunctive(client, indexed_small_catalog) -> None:
    # When CM2 is chosen
    body = post(client, {"filters": {"subjects": ["CM2"]}}).json()

    # Then the rows are CM2's, while the subject facet still offers CM1 to widen the choice
    assert {row["subject_code"] for row in body["products"]} == {"CM2"}
    counts = body["filter_counts"]
    assert counts["subjects"] == {
        "CM1": {"count": 1, "name": "CM1"},
        "CM2": {"count": 3, "name": "CM2"},
    }
    # and the other facets count CM2's store products only
    assert counts["categories"] == {
        "Material": {"count": 2, "name": "Material"},
        "Tutorial": {"count": 1, "name": "Tutorial"},
    }
    assert counts["tutorial_location"] == {"DUB": {"count": 1, "name": "DUB"}}
    # the hidden product filter counts only the products chosen: none here
    assert counts["products"] == {}


def test_a_parent_group_matches_its_descendants(client, indexed_small_catalog) -> None:
    body = post(client, {"filters": {"categories": ["Material"]}}).json()

    assert {row["product_code"] for row in body["products"]} == {"CSM01"}
    assert body["pagination"]["total_count"] == 2
    assert body["filter_counts"]["product_types"] == {
        "Core Study Materials": {"count": 3, "name": "Core Study Materials"}
    }


def test_filters_combine_and_values_or(client, indexed_small_catalog) -> None:
    body = post(
        client,
        {"filters": {"subjects": ["CM2", "CM1"], "modes_of_delivery": ["ebook", "face-to-face"]}},
    ).json()

    rows = {(row["subject_code"], row["product_code"]) for row in body["products"]}
    assert rows == {("CM2", "CSM01"), ("CM2", indexed_small_catalog.tutorial.product_code)}


def test_text_search_tolerates_typos_and_ranks_exact_codes_first(
    client, indexed_small_catalog
) -> None:
    body = post(client, {"searchQuery": "cm2 dublni"}).json()
    assert [row["tutorial_location_code"] for row in body["products"]] == ["DUB"]

    body = post(client, {"searchQuery": "cm2"}).json()
    assert {row["subject_code"] for row in body["products"]} == {"CM2"}

    body = post(client, {"searchQuery": "cm"}).json()
    assert {row["subject_code"] for row in body["products"]} == {"CM1", "CM2"}


def test_event_filters_match_nested_events(client, indexed_small_catalog) -> None:
    body = post(
        client, {"filters": {"locations": ["dublin"], "event_start_from": "2025-07-30"}}
    ).json()
    assert [row["id"] for row in body["products"]] == [indexed_small_catalog.tutorial.pk]

    body = post(client, {"filters": {"event_start_from": "2026-01-01"}}).json()
    assert body["products"] == []
    assert body["pagination"]["total_count"] == 0


def test_pagination_pages_rows(client, indexed_small_catalog) -> None:
    body = post(client, {"pagination": {"page": 2, "page_size": 2}}).json()

    assert [row["tutorial_location_name"] for row in body["products"]] == ["Dublin"]
    assert body["pagination"]["has_previous"] is True
    assert body["pagination"]["total_pages"] == 2


def test_the_largest_id_opensearch_holds_is_accepted(client, indexed_small_catalog) -> None:
    response = post(client, {"filters": {"product_ids": [2**63 - 1], "essp_ids": [2**63 - 1]}})

    assert response.status_code == 200
    assert response.json()["products"] == []


def test_search_answers_without_touching_the_database(
    client, indexed_small_catalog, django_assert_num_queries
) -> None:
    # Given a first search has read the filter configuration (kept in memory)
    post(client, {})

    # Then a search reads nothing from the database
    with django_assert_num_queries(0):
        response = post(client, {"searchQuery": "dublin", "filters": {"subjects": ["CM2"]}})
    assert response.status_code == 200


def test_opensearch_down_is_a_503_not_a_traceback(
    client, indexed_small_catalog, opensearch_unreachable
) -> None:
    response = post(client, {})

    assert response.status_code == 503
    assert response.json()["error"] == "Search is temporarily unavailable."
    assert response.json()["detail"] == "Search is temporarily unavailable."


def test_a_query_the_cluster_rejects_is_a_json_500_not_unavailable(
    client, indexed_small_catalog, monkeypatch, caplog
) -> None:
    # Given a query the real cluster answers with HTTP 400 (the query itself is wrong:
    # a sort on a text field)
    monkeypatch.setattr(
        "search_index.search.service.UnifiedSearch.heads_body",
        lambda search: {"sort": [{"product_name": "asc"}]},
    )

    # When the storefront searches
    response = post(client, {})

    # Then it is our failure, logged with the exception, not "temporarily unavailable"
    assert response.status_code == 500
    assert response.json()["error"] == response.json()["detail"] == "Search failed."
    [record] = [r for r in caplog.records if r.name == "search_index.api.errors"]
    assert record.exc_info is not None
    assert "search_phase_execution_exception" in record.getMessage()


def test_a_missing_index_is_still_a_503(client) -> None:
    # Given no index has been built (opensearch_index leaves none)
    response = post(client, {})

    assert response.status_code == 503
    assert response.json()["error"] == "The search index has not been built yet."


def test_fuzzy_and_default_data(client, indexed_small_catalog) -> None:
    body = client.get("/api/search/fuzzy/?q=CM2&limit=50").json()
    assert body["total_count"] == 2
    assert body["search_info"] == {"query": "CM2", "matches_found": 2}
    assert {p["subject_code"] for p in body["products"]} == {"CM2"}

    nothing = client.get("/api/search/fuzzy/?q=zzzzqqq").json()
    assert (nothing["products"], nothing["total_count"]) == ([], 0)

    tutorial = indexed_small_catalog.groups["Tutorial"].pk
    body = client.get(f"/api/search/advanced-fuzzy/?q=&categories={tutorial}").json()
    assert [p["product_code"] for p in body["products"]] == [
        indexed_small_catalog.tutorial.product_code
    ]

    data = client.get("/api/search/default-data/?limit=2").json()
    assert data["total_count"] == 3
    assert len(data["popular_products"]) == 2
    assert {s["code"] for s in data["suggested_filters"]["subjects"]} == {"CM1", "CM2"}
    assert {"Material", "Tutorial", "Face-to-face"} <= {
        g["name"] for g in data["suggested_filters"]["product_groups"]
    }


def test_bundles_can_be_excluded(client, indexed_small_catalog) -> None:
    product = indexed_small_catalog.tutorial.product_product_variation.product
    product.buy_both = True
    product.save()
    rebuild()

    body = post(client, {"options": {"include_bundles": False}}).json()
    assert indexed_small_catalog.tutorial.pk not in {row["id"] for row in body["products"]}


def test_advanced_fuzzy_filters_by_subject_id_and_respects_limit(
    client, indexed_small_catalog
) -> None:
    # Given CM1 has one row and CM2 two
    cm2 = indexed_small_catalog.material_printed.exam_session_subject.subject

    # When the rows of CM2 are asked for, one at most
    body = client.get(f"/api/search/advanced-fuzzy/?subjects={cm2.pk}&limit=1").json()

    # Then one CM2 row comes back, out of the two there are
    assert [p["subject_code"] for p in body["products"]] == ["CM2"]
    assert body["total_count"] == 2

    body = client.get(f"/api/search/advanced-fuzzy/?subjects={cm2.pk}").json()
    assert [(p["subject_code"], p["product_code"]) for p in body["products"]] == [
        ("CM2", "CSM01"),
        ("CM2", indexed_small_catalog.tutorial.product_code),
    ]
