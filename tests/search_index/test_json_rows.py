"""The API's rows spliced from OpenSearch's JSON are the rows the storefront page reads.

``search_index.search.json_rows`` hands the renderer each row as the bytes OpenSearch
sent; ``rows_from_hits`` decodes them into dicts. Encoded, both must be the same bytes.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from search_index.search.json_rows import json_rows
from search_index.search.query import ROW_KEY, SearchRequest
from search_index.search.rows import rows_from_hits
from search_index.search.service import search, search_box
from tests.catalogs.wider import WiderCatalog

pytestmark = pytest.mark.django_db

REQUESTS = [
    SearchRequest(),
    SearchRequest(query="cm2"),
    SearchRequest(query="london"),  # a tutorial row alone: read from its head
    SearchRequest(query="core study material", page_size=2),
    SearchRequest(filters={"modes_of_delivery": ["eBook"]}),
    SearchRequest(page=2, page_size=1, sort="price_desc"),
    SearchRequest(query="no such thing at all xyzzy"),
]


@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: repr(r)[:60])
def test_the_api_rows_are_the_decoded_rows_encoded(
    request_: SearchRequest, indexed_wider_catalog: WiderCatalog
) -> None:
    assert orjson.dumps(search(request_, rows_as_json=True)) == orjson.dumps(search(request_))


def test_a_row_of_several_store_products_is_spliced_alike(
    indexed_wider_catalog: WiderCatalog,
) -> None:
    # Given a row sold Printed and as an eBook (two documents, one row)
    answer = search(SearchRequest(query="cm2"))
    assert any(len(row["variations"]) > 1 for row in answer["products"])

    # Then its spliced JSON is the merged row
    assert orjson.dumps(search(SearchRequest(query="cm2"), rows_as_json=True)) == orjson.dumps(
        answer
    )


@pytest.mark.parametrize("query", ["cm2", "dublin", "x"])
def test_the_search_box_rows_alike(query: str, indexed_wider_catalog: WiderCatalog) -> None:
    assert orjson.dumps(search_box(query, 50, rows_as_json=True)) == orjson.dumps(
        search_box(query, 50)
    )


def _hit(key: str, source: dict[str, Any]) -> dict[str, Any]:
    return {"_id": "x", "_score": None, "_source": source, "fields": {ROW_KEY: [key]}}


# Compact JSON (as OpenSearch writes it) is spliced; spaced JSON, or a first document
# that names "variations" elsewhere too, is rebuilt key by key: the same rows either way.
FIRST_DOCUMENTS = {
    "compact": {"id": 1, "name": "é \u2028", "variations": [{"v": 1}], "price": "1.50"},
    "named twice": {"id": 1, "label": "variations", "variations": [{"v": 1}], "price": "1.50"},
    "nested alike": {"id": 1, "x": {"variations": [{"v": 1}]}, "variations": [{"v": 1}]},
}


@pytest.mark.parametrize("first", FIRST_DOCUMENTS.values(), ids=FIRST_DOCUMENTS.keys())
@pytest.mark.parametrize("spaced", [False, True], ids=["compact", "spaced"])
def test_json_rows_follow_the_heads_and_merge_variations_as_rows_from_hits(
    first: dict[str, Any], spaced: bool
) -> None:
    # Given heads for three rows, one of whose store products are gone
    heads = [{"fields": {ROW_KEY: [key]}} for key in ("b", "gone", "a")]
    members = [
        _hit("a", first),
        _hit("b", {"id": 2, "variations": []}),
        _hit("a", {"id": 3, "name": "other", "variations": [{"v": 2}, {"v": 3}]}),
        _hit("b", {"id": 4, "variations": [{"v": 4}]}),
    ]
    option = orjson.OPT_INDENT_2 if spaced else None
    answer = orjson.dumps({"took": 1, "hits": {"hits": members}}, option=option)

    # Then the spliced rows are the dict rows, in the heads' order, keys in order
    spliced = orjson.loads(orjson.dumps(json_rows(heads, answer)))
    assert spliced == rows_from_hits(heads, members)
    assert [row["id"] for row in spliced] == [2, 1]
    assert list(spliced[1]) == list(first)
