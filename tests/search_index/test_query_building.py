"""The generated OpenSearch request, checked without a cluster."""

from __future__ import annotations

import datetime as dt

from search_index.search.filters import all_of
from search_index.search.query import SearchRequest, build_search_body


def test_without_a_query_rows_sort_by_subject_then_product_name() -> None:
    body = build_search_body(SearchRequest())

    assert body["query"] == {"match_all": {}}
    assert body["sort"][:2] == [{"subject_code": "asc"}, {"product_short_name.raw": "asc"}]
    assert "post_filter" not in body
    assert body["collapse"]["field"] == "search.row_key"


def test_with_a_query_relevance_comes_first() -> None:
    body = build_search_body(SearchRequest(query="cm2 londn"))

    assert body["sort"][0] == "_score"
    fuzzy = body["query"]["bool"]["must"][0]["bool"]["must"][0]["bool"]["should"][0]
    assert fuzzy["match"]["search.text"]["fuzziness"] == "AUTO:4,7"


def test_each_facet_is_filtered_by_the_other_filters_only() -> None:
    body = build_search_body(
        SearchRequest(filters={"subjects": ["CM2"], "categories": ["Tutorial"]})
    )

    subjects_filter = body["aggs"]["facet_subjects"]["filter"]["bool"]["filter"]
    categories_filter = body["aggs"]["facet_categories"]["filter"]["bool"]["filter"]
    assert subjects_filter == [{"terms": {"search.categories": ["Tutorial"]}}]
    assert categories_filter == [{"terms": {"subject_code.folded": ["CM2"]}}]
    assert len(body["post_filter"]["bool"]["filter"]) == 2


def test_event_filters_share_one_nested_clause() -> None:
    filters = {
        "locations": ["London"],
        "event_start_from": dt.date(2025, 6, 1),
        "available_only": True,
    }

    body = build_search_body(SearchRequest(filters=filters))

    [nested] = body["post_filter"]["bool"]["filter"]
    assert nested["nested"]["path"] == "variations.events"
    assert len(nested["nested"]["query"]["bool"]["filter"]) == 4


def test_pages_translate_to_offsets() -> None:
    body = build_search_body(SearchRequest(page=3, page_size=20))
    assert (body["from"], body["size"]) == (40, 20)


def test_all_of_ands_filters_and_matches_everything_without_any() -> None:
    clause = {"term": {"buy_both": False}}

    assert all_of([]) == {"match_all": {}}
    assert all_of([clause]) == {"bool": {"filter": [clause]}}


def test_rows_are_counted_under_the_same_filters_as_the_hits() -> None:
    body = build_search_body(
        SearchRequest(filters={"exam_sessions": ["2026-04"], "essp_ids": [719]})
    )

    assert body["aggs"]["rows"]["filter"] == body["post_filter"]
    assert body["post_filter"]["bool"]["filter"] == [
        {"terms": {"store_product_id": [719]}},
        {"terms": {"exam_session_code": ["2026-04"]}},
    ]


def test_event_start_to_is_an_upper_bound_on_nested_event_starts() -> None:
    body = build_search_body(SearchRequest(filters={"event_start_to": dt.date(2025, 7, 1)}))

    [nested] = body["post_filter"]["bool"]["filter"]
    assert nested["nested"]["query"]["bool"]["filter"] == [
        {"range": {"variations.events.start_date": {"lte": "2025-07-01"}}}
    ]
