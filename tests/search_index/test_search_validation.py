"""Bad search requests are 400s naming the field, judged before any search: no index.

Validation reads the filter configuration (the database) and nothing else, so these
tests build no catalog and no index; were a bad request ever to reach OpenSearch, the
missing index would answer 503 and the test would fail.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.endpoints import UNIFIED

pytestmark = pytest.mark.django_db

ADVANCED_FUZZY = "/api/search/advanced-fuzzy/"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"filters": {"colour": ["red"]}}, "filters.colour"),
        ({"filters": {"subjects": "CM2"}}, "filters.subjects"),
        ({"filters": {"product_ids": ["x"]}}, "filters.product_ids[0]"),
        ({"pagination": {"page": 0}}, "pagination.page"),
        ({"pagination": {"page_size": 101}}, "pagination.page_size"),
        ({"pagination": {"page": 1000, "page_size": 100}}, "pagination.page"),
        ({"options": {"sort": "random"}}, "options.sort"),
        ({"filters": {"event_start_from": "not a date"}}, "filters.event_start_from"),
        ([1, 2], "body"),
        # Ids beyond OpenSearch's long (2**63 - 1) are refused here, not by the cluster.
        ({"filters": {"product_ids": [99999999999999999999]}}, "filters.product_ids[0]"),
        ({"filters": {"essp_ids": [2**63]}}, "filters.essp_ids[0]"),
        ({"filters": {"essp_ids": [0]}}, "filters.essp_ids[0]"),
        # Configured filters take strings (integers as strings), nothing else.
        ({"filters": {"subjects": [None]}}, "filters.subjects[0]"),
        ({"filters": {"subjects": [True]}}, "filters.subjects[0]"),
        ({"filters": {"subjects": [""]}}, "filters.subjects[0]"),
        ({"filters": {"subjects": [{"code": "CM2"}]}}, "filters.subjects[0]"),
        ({"filters": {"subjects": None}}, "filters.subjects"),
        ({"filters": {"categories": [False]}}, "filters.categories[0]"),
        ({"filters": {"product_types": [""]}}, "filters.product_types[0]"),
        # The built-in id filters are not coerced.
        ({"filters": {"product_ids": ["5"]}}, "filters.product_ids[0]"),
        ({"filters": {"product_ids": [True]}}, "filters.product_ids[0]"),
        ({"filters": {"product_ids": [5.0]}}, "filters.product_ids[0]"),
        ({"searchQuery": 12}, "searchQuery"),
        ({"pagination": {"page": "2"}}, "pagination.page"),
        ({"pagination": {"page_size": True}}, "pagination.page_size"),
        ({"filters": {"available_only": "yes"}}, "filters.available_only"),
        ({"filters": {"available_only": 1}}, "filters.available_only"),
        ({"options": {"include_bundles": "false"}}, "options.include_bundles"),
        ({"filters": {"event_start_from": 20250701}}, "filters.event_start_from"),
    ],
)
def test_bad_requests_are_400s_naming_the_field(client: Client, body: Any, field: str) -> None:
    # When the storefront posts a body that breaks the contract
    response = client.post(UNIFIED, data=body, content_type="application/json")

    # Then it is a 400 in the client's error shape, naming the field (in both the new
    # "details" and the "errors" this API sent before)
    assert response.status_code == 400
    answer = response.json()
    assert answer["error"] == "Invalid request format"
    assert field in answer["details"]
    assert field in answer["errors"]


def test_a_body_that_is_not_json_is_a_400(client: Client) -> None:
    response = client.post(UNIFIED, data="{nope", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"] == "Invalid request format"
    assert "body" in response.json()["errors"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=x", "limit"),
        ("subjects=9223372036854775808", "subjects"),
        ("subjects=0", "subjects"),
        ("subjects=1,x", "subjects"),
        ("subjects=1_000", "subjects"),
        ("categories=-3", "categories"),
    ],
)
def test_bad_compat_parameters_are_400s_naming_them(client: Client, query: str, field: str) -> None:
    response = client.get(f"{ADVANCED_FUZZY}?{query}")

    assert response.status_code == 400
    assert field in response.json()["errors"]
