"""The quick validation of usual search bodies never disagrees with the serializer."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from benchmarks.measure import SEARCHES
from catalog.filtering import FilterType
from search_index.api.quick_validation import quick_search_box_params, quick_validated
from search_index.api.request import SearchBoxQuerySerializer, SearchRequestSerializer
from search_index.filter_config import ConfiguredFilter, FilterSet
from search_index.search.sorting import SORTS

FILTERS = FilterSet(
    (
        ConfiguredFilter("subjects", FilterType.SUBJECT, "Subjects", 1),
        ConfiguredFilter("categories", FilterType.FILTER_GROUP, "Categories", 2, ("Tutorial",)),
        ConfiguredFilter("products", FilterType.PRODUCT_ID, "Products", 3),
        ConfiguredFilter("modes_of_delivery", FilterType.MODE_OF_DELIVERY, "Modes", 5),
        # A configured key that is also a built-in one: the built-in meaning wins.
        ConfiguredFilter("locations", FilterType.TUTORIAL_LOCATION, "Locations", 4),
    )
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=2**64),
    st.sampled_from(["", " ", "CM2", " CM2 ", "a\x00b", "x" * 200, "x" * 201, "\u00e9t\u00e9"]),
    st.sampled_from(["2025-07-01", "2025-02-30", "20250701", "2025-7-1", "2025-06-01T00:00"]),
    st.text(max_size=5),
)


def mostly(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Values of the right shape, one time in twelve anything else."""
    return st.integers(0, 11).flatmap(lambda n: scalars if n == 0 else valid)


def lists_of(item: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return mostly(st.lists(mostly(item), max_size=3))


names = lists_of(st.sampled_from(["London", " Leeds ", "\u00c9dinburgh", "x" * 200]))
ids = lists_of(st.integers(min_value=1, max_value=2**63 - 1))
filter_values = lists_of(
    st.one_of(st.sampled_from(["CM2", "Tutorial", " x "]), st.integers(0, 999))
)
dates = mostly(st.sampled_from(["2025-06-15", "2025-07-01", "2025-07-31"]))
filters = st.fixed_dictionaries(
    {},
    optional={
        "product_ids": ids,
        "essp_ids": ids,
        "exam_sessions": names,
        "locations": names,
        "venues": names,
        "event_start_from": dates,
        "event_start_to": dates,
        "available_only": mostly(st.booleans()),
        "subjects": filter_values,
        "categories": filter_values,
        "products": filter_values,
        "modes_of_delivery": filter_values,
    },
)
filters = st.one_of(filters, filters, filters, st.builds(lambda f: {**f, "unknown": []}, filters))
pages = st.fixed_dictionaries(
    {},
    optional={
        # the edges of each limit, often: 500 x 20 is the deepest page served
        "page": mostly(st.one_of(st.sampled_from([0, 1, 2, 100, 500, 501]), st.integers(0, 40))),
        "page_size": mostly(st.one_of(st.sampled_from([0, 1, 20, 100, 101]), st.integers(0, 120))),
        "other": scalars,
    },
)
options = st.fixed_dictionaries(
    {},
    optional={
        "include_bundles": mostly(st.booleans()),
        "sort": mostly(st.sampled_from(sorted(SORTS))),
        "include_analytics": scalars,
    },
)
bodies = st.one_of(
    scalars,
    st.fixed_dictionaries(
        {},
        optional={
            "searchQuery": mostly(st.text(max_size=12)),
            "filters": mostly(filters),
            "pagination": mostly(pages),
            "options": mostly(options),
            "other": scalars,
        },
    ),
)


def serializer_answer(body: Any) -> dict[str, Any] | None:
    serializer = SearchRequestSerializer(data=body, context={"filter_set": FILTERS})
    return serializer.validated_data if serializer.is_valid() else None


def plain(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """Nested dicts as ordered item lists: key order matters (it orders the clauses)."""
    return [(k, plain(v) if isinstance(v, dict) else v) for k, v in data.items()]


# Every limit at its edge, always tried, beside the generated bodies.
EDGES = [
    {"pagination": {"page_size": 100}},
    {"pagination": {"page_size": 101}},
    {"pagination": {"page": 500, "page_size": 20}},
    {"pagination": {"page": 501, "page_size": 20}},
    {"searchQuery": "x" * 200},
    {"searchQuery": "x" * 201},
    {"searchQuery": " " + "x" * 200 + " "},
    {"filters": {"venues": ["v" * 200]}},
    {"filters": {"venues": ["v" * 201]}},
    {"filters": {"subjects": ["s" * 200]}},
    {"filters": {"subjects": ["s" * 201]}},
    {"filters": {"subjects": ["s"] * 100}},
    {"filters": {"subjects": ["s"] * 101}},
    {"filters": {"essp_ids": [2**63 - 1]}},
    {"filters": {"essp_ids": [2**63]}},
    {"filters": {"essp_ids": [0]}},
    {"filters": {"event_start_from": "2025-07-01", "event_start_to": "2025-07-01"}},
    {"filters": {"event_start_from": "2025-07-02", "event_start_to": "2025-07-01"}},
]


def with_edges(test: Any) -> Any:
    for edge in EDGES:
        test = example(edge)(test)
    return test


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@with_edges
@given(bodies)
def test_a_quickly_validated_body_is_exactly_what_the_serializer_makes_of_it(body: Any) -> None:
    # Given any body, near the contract or not
    # When both validate it
    quick = quick_validated(body, FILTERS)
    expected = serializer_answer(body)

    # Then the quick path either stands aside or agrees, key order included
    if quick is not None:
        assert expected is not None, f"quick path accepted a body the serializer refuses: {body}"
        assert plain(quick) == plain(dict(expected))


def test_the_storefronts_usual_bodies_take_the_quick_path() -> None:
    usual = [
        *SEARCHES,
        {"searchQuery": " cm2 ", "filters": {"subjects": ["CM2"], "products": [129, "130"]}},
        {"filters": {"locations": ["London"], "event_start_to": "2025-09-01"}},
        {"pagination": {"page": 2, "page_size": 50}, "options": {"include_analytics": False}},
    ]

    for body in usual:
        quick = quick_validated(body, FILTERS)
        assert quick is not None, body
        assert plain(quick) == plain(dict(serializer_answer(body)))


def test_bad_bodies_are_left_to_the_serializer() -> None:
    for body in (
        [],
        {"searchQuery": 5},
        {"filters": {"nope": ["x"]}},
        {"filters": {"subjects": [""]}},
        {"filters": {"event_start_from": "2025-08-01", "event_start_to": "2025-07-01"}},
        {"pagination": {"page": 501, "page_size": 20}},
        {"options": {"sort": "cheapest"}},
    ):
        assert quick_validated(body, FILTERS) is None, body
        assert serializer_answer(body) is None, body


box_values = st.one_of(
    st.sampled_from(["", " ", "cm2", " cm2 ", "c", "a\x00b", "x" * 200, "x" * 201, "\ud800"]),
    st.sampled_from(["0", "1", "5", "05", "100", "101", "5.0", " 5", "-1", "\u0665", "1e2"]),
    st.text(max_size=4),
)
box_query_strings = st.lists(
    st.tuples(st.sampled_from(["q", "limit", "min_score"]), box_values), max_size=4
)


@settings(max_examples=400, deadline=None)
@given(box_query_strings)
def test_quick_search_box_parameters_are_what_the_serializer_makes_of_them(
    pairs: list[tuple[str, str]],
) -> None:
    # Given a query string of the search box, repeated keys and all
    params = QueryDict(mutable=True)
    for key, value in pairs:
        params.appendlist(key, value)

    # When both validate it
    quick = quick_search_box_params(params)
    serializer = SearchBoxQuerySerializer(data=params)

    # Then the quick path either stands aside or agrees
    if quick is not None:
        assert serializer.is_valid(), (pairs, serializer.errors)
        assert quick == dict(serializer.validated_data)


def test_the_search_boxs_usual_parameters_take_the_quick_path() -> None:
    for query in ("q=cm2&limit=50", "q=cm2+londn", "q=CS1%2FPCSM01%2F2025-09&limit=5", ""):
        assert quick_search_box_params(QueryDict(query)) is not None, query
