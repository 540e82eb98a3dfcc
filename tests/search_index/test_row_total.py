"""A count alone answers what the unified search's ``total_count`` would, in one request."""

from __future__ import annotations

from typing import Any

import pytest

from search_index.api.unified import unified_search, unified_total
from tests.catalogs.wider import WiderCatalog
from tests.search_index.sent_searches import record_searches

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opensearch_index")]

BODIES: list[dict[str, Any]] = [
    {},
    {"searchQuery": "cm2"},
    {"searchQuery": "dublin"},
    {"filters": {"subjects": ["CM2"]}},
    {"filters": {"modes_of_delivery": ["ebook"]}},
    {"filters": {"subjects": ["CM2", "CM1"], "modes_of_delivery": ["ebook", "face-to-face"]}},
    {"searchQuery": "cm2", "filters": {"modes_of_delivery": ["printed"]}},
    {"searchQuery": "qqqqzzzz"},
    {"options": {"include_bundles": False}},
]


@pytest.mark.parametrize("body", BODIES, ids=lambda body: str(body) or "{}")
def test_the_count_is_the_searchs_own_total(
    body: dict[str, Any], indexed_wider_catalog: WiderCatalog
) -> None:
    assert unified_total(body) == unified_search(body)["pagination"]["total_count"]


def test_a_navbar_parameter_narrows_the_count_as_it_narrows_the_search(
    indexed_wider_catalog: WiderCatalog,
) -> None:
    params = {"tutorial": "1"}
    everything = unified_total({})

    narrowed = unified_total({}, params)

    assert narrowed == unified_search({}, params)["pagination"]["total_count"]
    assert 0 < narrowed < everything


def test_the_count_is_one_request_without_rows_or_facets(
    indexed_wider_catalog: WiderCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = record_searches(monkeypatch)

    unified_total({"filters": {"subjects": ["CM2"]}})

    [(url, body)] = sent
    assert url.endswith("/_search")
    assert body["size"] == 0
    [group] = body["aggs"].values()
    assert list(group["aggs"]) == ["row_count"]
