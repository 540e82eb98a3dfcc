"""The generated OpenSearch request, checked without a cluster."""

from __future__ import annotations

import datetime as dt

import pytest

from catalog.filtering import FilterType
from search_index.filter_config import ConfiguredFilter, FilterSet
from search_index.search.compat import DefaultData, FuzzySearch
from search_index.search.facets import facet_counts
from search_index.search.filters import NavbarFilter, all_of
from search_index.search.query import (
    ROW_COUNT,
    ROW_COUNT_AGGREGATION,
    RowSearch,
    SearchRequest,
    row_count,
)
from search_index.search.service import SearchBox, UnifiedSearch

FILTERS = FilterSet(
    (
        ConfiguredFilter("subjects", FilterType.SUBJECT, "Subjects", 1),
        ConfiguredFilter(
            "categories", FilterType.FILTER_GROUP, "Categories", 2, ("Material", "Tutorial")
        ),
        ConfiguredFilter("programme_type", FilterType.FILTER_GROUP, "Programmes", 3),
        ConfiguredFilter("products", FilterType.PRODUCT_ID, "Products", 4),
    )
)


def body_for(request: SearchRequest) -> dict:  # type: ignore[type-arg]
    return RowSearch(request, FILTERS).heads_body()


def counts_for(request: SearchRequest) -> dict:  # type: ignore[type-arg]
    return RowSearch(request, FILTERS).counts_body()


def counted(request: SearchRequest, name: str) -> tuple[dict, dict] | None:  # type: ignore[type-arg]
    """The filter an aggregation of the counts body is counted under, and the aggregation."""
    for group in counts_for(request)["aggs"].values():
        if name in group["aggs"]:
            return group["filter"], group["aggs"][name]
    return None


def test_without_a_query_rows_sort_by_subject_then_product_name() -> None:
    body = body_for(SearchRequest())

    assert body["query"] == {"match_all": {}}
    assert body["sort"][:2] == [{"subject_code": "asc"}, {"product_short_name.raw": "asc"}]
    assert "post_filter" not in body
    assert body["collapse"]["field"] == "search.row_key"


def test_with_a_query_relevance_comes_first() -> None:
    body = body_for(SearchRequest(query="cm2 londn"))

    assert body["sort"][0] == "_score"
    fuzzy = body["query"]["bool"]["must"][0]["bool"]["must"][0]["bool"]["should"][0]
    assert fuzzy["match"]["search.text"]["fuzziness"] == "AUTO:4,7"


def test_each_facet_is_filtered_by_the_other_filters_only() -> None:
    request = SearchRequest(filters={"subjects": ["CM2"], "categories": ["Tutorial"]})
    body = body_for(request)

    subjects_filter, _ = counted(request, "facet_subjects")
    categories_filter, _ = counted(request, "facet_categories")
    assert subjects_filter["bool"]["filter"] == [{"terms": {"search.group_names": ["Tutorial"]}}]
    assert categories_filter["bool"]["filter"] == [{"terms": {"subject_code.folded": ["CM2"]}}]
    assert len(body["post_filter"]["bool"]["filter"]) == 2


def test_facets_counted_under_the_same_filters_share_one_filter_aggregation() -> None:
    request = SearchRequest(filters={"subjects": ["CM2"]})

    groups = counts_for(request)["aggs"]

    # subjects under no filter; categories and the row count under the subject filter
    assert len(groups) == 2
    assert counted(request, "facet_categories")[0] == counted(request, ROW_COUNT)[0]
    assert counted(request, "facet_subjects")[0] == {"match_all": {}}


def test_the_page_of_row_heads_carries_no_counts_and_no_source() -> None:
    body = body_for(SearchRequest(query="cm2", filters={"subjects": ["CM2"]}))

    assert "aggs" not in body
    assert body["_source"] is False
    assert body["track_total_hits"] is False


def test_counts_are_aggregations_only_under_the_text_query() -> None:
    request = SearchRequest(query="cm2", filters={"subjects": ["CM2"]}, page=3, sort="price_asc")

    counts = counts_for(request)

    # No page, sort or post_filter: page 3 or another sort reuses page 1's cached counts.
    assert counts["size"] == 0
    assert counts["query"] == body_for(request)["query"]
    assert counts == counts_for(SearchRequest(query="cm2", filters={"subjects": ["CM2"]}))


def test_event_filters_share_one_nested_clause() -> None:
    filters = {
        "locations": ["London"],
        "event_start_from": dt.date(2025, 6, 1),
        "available_only": True,
    }

    body = body_for(SearchRequest(filters=filters))

    [nested] = body["post_filter"]["bool"]["filter"]
    assert nested["nested"]["path"] == "variations.events"
    assert len(nested["nested"]["query"]["bool"]["filter"]) == 4


def test_pages_translate_to_offsets() -> None:
    body = body_for(SearchRequest(page=3, page_size=20))
    assert (body["from"], body["size"]) == (40, 20)


def test_all_of_ands_filters_and_matches_everything_without_any() -> None:
    clause = {"term": {"buy_both": False}}

    assert all_of([]) == {"match_all": {}}
    assert all_of([clause]) == {"bool": {"filter": [clause]}}


def test_rows_are_counted_under_the_same_filters_as_the_hits() -> None:
    request = SearchRequest(filters={"exam_sessions": ["2026-04"], "essp_ids": [719]})
    body = body_for(request)

    assert counted(request, ROW_COUNT)[0] == body["post_filter"]
    assert body["post_filter"]["bool"]["filter"] == [
        {"terms": {"exam_session_code": ["2026-04"]}},
        {"terms": {"store_product_id": [719]}},
    ]


def test_event_start_to_is_an_upper_bound_on_nested_event_starts() -> None:
    body = body_for(SearchRequest(filters={"event_start_to": dt.date(2025, 7, 1)}))

    [nested] = body["post_filter"]["bool"]["filter"]
    assert nested["nested"]["query"]["bool"]["filter"] == [
        {"range": {"variations.events.start_date": {"lte": "2025-07-01"}}}
    ]


def test_group_facets_count_only_their_offered_groups() -> None:
    _, facet = counted(SearchRequest(), "facet_categories")

    terms = facet["terms"]
    assert terms["field"] == "search.group_names"
    assert terms["include"] == ["Material", "Tutorial"]
    # a group filter offering no groups counts nothing, so it costs no aggregation
    assert counted(SearchRequest(), "facet_programme_type") is None


def test_the_product_facet_counts_the_chosen_ids_of_material_rows_only() -> None:
    assert counted(SearchRequest(), "facet_products") is None

    request = SearchRequest(filters={"products": ["129", "x"]})
    body = body_for(request)

    facet_filter, facet = counted(request, "facet_products")
    assert facet["terms"]["include"] == [129]
    assert facet_filter == {"bool": {"filter": [{"term": {"search.kind": "material"}}]}}
    assert body["post_filter"]["bool"]["filter"] == [
        {
            "bool": {
                "filter": [
                    {"terms": {"product_id": [129]}},
                    {"term": {"search.kind": "material"}},
                ]
            }
        }
    ]


def test_product_ids_that_are_not_numbers_match_nothing() -> None:
    body = body_for(SearchRequest(filters={"products": ["CSM01"]}))

    assert body["post_filter"]["bool"]["filter"] == [{"match_none": {}}]


def test_navbar_filters_narrow_the_hits_and_every_facet() -> None:
    navbar = NavbarFilter(kinds=frozenset({"tutorial"}), groups=("Live Online",))

    request = SearchRequest(filters={"subjects": ["CM2"]}, navbar=navbar)
    body = body_for(request)

    navbar_clauses = [
        {"terms": {"search.kind": ["tutorial"]}},
        {"term": {"search.group_names": "Live Online"}},
    ]
    assert counted(request, "facet_subjects")[0]["bool"]["filter"] == navbar_clauses
    assert body["post_filter"]["bool"]["filter"][1:] == navbar_clauses


def test_a_pasted_code_is_one_term_on_the_code_keys() -> None:
    body = body_for(SearchRequest(query="CS1/PCSM01/2025-09"))

    alternatives = body["query"]["bool"]["must"][0]["bool"]["must"][0]["bool"]["should"]
    assert {"term": {"search.code_keys": {"value": "cs1pcsm01202509", "boost": 100.0}}} in (
        alternatives
    )


def test_built_in_filter_keys_are_the_ones_editors_may_not_configure() -> None:
    from catalog.filtering import BUILT_IN_FILTER_KEYS
    from search_index.search.filters import BUILTIN_TERM_FIELDS, EVENT_KEYS

    assert set(BUILTIN_TERM_FIELDS) | set(EVENT_KEYS) == BUILT_IN_FILTER_KEYS


TWO_GROUP_FACETS = FilterSet(
    (
        ConfiguredFilter("categories", FilterType.FILTER_GROUP, "Categories", 1, ("Tutorial",)),
        ConfiguredFilter("formats", FilterType.FILTER_GROUP, "Formats", 2, ("Live Online",)),
    )
)


def test_group_facets_under_the_same_filters_share_one_terms_aggregation() -> None:
    # Given two product-group facets and no active filter
    [group] = RowSearch(SearchRequest(), TWO_GROUP_FACETS).counts_body()["aggs"].values()

    # Then one terms aggregation counts the groups of both
    shared = group["aggs"]["facet_categories|formats"]["terms"]
    assert shared["field"] == "search.group_names"
    assert shared["include"] == ["Tutorial", "Live Online"]

    # and each facet reads back only its own groups
    answer = {
        "under_0": {
            "doc_count": 9,
            "facet_categories|formats": {
                "buckets": [
                    {"key": "Tutorial", "doc_count": 5},
                    {"key": "Live Online", "doc_count": 3},
                ]
            },
            ROW_COUNT: {"value": 9},
        }
    }
    assert facet_counts(answer, TWO_GROUP_FACETS) == {
        "categories": {"Tutorial": {"count": 5, "name": "Tutorial"}},
        "formats": {"Live Online": {"count": 3, "name": "Live Online"}},
    }


def test_an_active_group_facet_is_counted_apart_from_the_others() -> None:
    request = SearchRequest(filters={"categories": ["Tutorial"]})

    groups = RowSearch(request, TWO_GROUP_FACETS).counts_body()["aggs"].values()

    names = sorted(name for group in groups for name in group["aggs"])
    assert names == ["facet_categories", "facet_formats", ROW_COUNT]


def test_rows_are_the_documents_that_are_not_material_plus_the_distinct_material_rows() -> None:
    # Given 10 matching documents, 6 of them material store products in 4 rows
    [group] = counts_for(SearchRequest())["aggs"].values()
    material = group["aggs"][ROW_COUNT]
    assert material["filter"] == {"term": {"search.kind": "material"}}
    answer = {"under_0": {"doc_count": 10, ROW_COUNT: {"doc_count": 6, "rows": {"value": 4}}}}

    # Then the 4 tutorial or marking documents are 4 rows of their own: 8 rows
    assert row_count(answer) == 8


# --- one builder: the unified search, the search box and the older endpoints ----------


def _every_search() -> list[RowSearch]:
    filtered = SearchRequest(query="cm2", filters={"subjects": ["CM2"], "products": ["129"]})
    return [
        UnifiedSearch(filtered, FILTERS),
        SearchBox(SearchRequest(query="cm2", page_size=5)),
        FuzzySearch("cm2", 5, subject_ids=[1], group_ids=[3]),
        DefaultData(5),
    ]


def _row_cardinalities(node: object) -> list[dict]:  # type: ignore[type-arg]
    """Every cardinality of the row key anywhere in a body."""
    found = []
    if isinstance(node, dict):
        if node.get("cardinality", {}).get("field") == "search.row_key":
            found.append(node)
        for value in node.values():
            found += _row_cardinalities(value)
    elif isinstance(node, list):
        for value in node:
            found += _row_cardinalities(value)
    return found


@pytest.mark.parametrize("index", range(4), ids=["unified", "box", "fuzzy", "default"])
def test_every_search_counts_its_rows_with_the_one_row_count(index: int) -> None:
    search = _every_search()[index]
    heads, counts = search.build_search()

    # One row count, the same for every endpoint, under the filters the rows are under
    [group] = [group for group in counts["aggs"].values() if ROW_COUNT in group["aggs"]]
    assert group["aggs"][ROW_COUNT] == ROW_COUNT_AGGREGATION
    assert group["filter"] == heads.get("post_filter", {"match_all": {}})
    assert _row_cardinalities(counts) == [ROW_COUNT_AGGREGATION["aggs"]["rows"]]
    # and what the endpoint counts besides is counted beside it
    assert set(search.aggregations()) <= set(group["aggs"])
    assert counts["query"] == heads["query"]


def test_fuzzy_filters_by_the_ids_it_is_given() -> None:
    heads = FuzzySearch("", 5, subject_ids=[1, 2], group_ids=[3]).heads_body()

    assert heads["post_filter"]["bool"]["filter"] == [
        {"terms": {"subject_id": [1, 2]}},
        {"terms": {"search.group_ids": [3]}},
    ]
    assert "post_filter" not in DefaultData(5).heads_body()


def test_a_search_computes_its_filters_and_text_query_once() -> None:
    calls: list[str] = []

    class Counted(UnifiedSearch):
        def filter_clauses(self):  # type: ignore[no-untyped-def]
            calls.append("filters")
            return super().filter_clauses()

        def query(self):  # type: ignore[no-untyped-def]
            calls.append("query")
            return super().query()

    search = Counted(SearchRequest(query="cm2", filters={"subjects": ["CM2"]}), FILTERS)
    heads, _ = search.build_search()
    variations = search.variations_body(["row-1"])

    assert sorted(calls) == ["filters", "query"]
    assert variations["query"]["bool"]["must"] == [heads["query"]]
    assert variations["query"]["bool"]["filter"][:-1] == heads["post_filter"]["bool"]["filter"]
