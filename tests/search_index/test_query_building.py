"""The generated OpenSearch request, checked without a cluster."""

from __future__ import annotations

import datetime as dt

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
