"""The index stores the row alone; a page's store products are read as stored, and an
index built before (``search`` stored) still answers the same rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from search_index import lifecycle
from search_index.client import get_search_client
from search_index.documents import index_body
from search_index.rebuild import rebuild
from search_index.search.stored_source import stored_extras
from tests.catalogs.small import SmallCatalog
from tests.search_index.sent_searches import record_searches

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opensearch_index")]

UNIFIED = "/api/search/unified/"


def index_body_storing_search() -> dict[str, Any]:
    """The mapping as built before version 7: the whole document stored."""
    body = index_body()
    del body["mappings"]["_source"]
    return body


def sources(sent: list[tuple[str, Any]]) -> list[Any]:
    """The ``_source`` asked for by each store-product request (``_search``) sent."""
    return [body["_source"] for url, body in sent if url.endswith("/_search")]


def rows(client: Client) -> list[dict[str, Any]]:
    response = client.post(UNIFIED, {}, content_type="application/json")
    assert response.status_code == 200
    return response.json()["products"]


def test_a_page_is_read_as_stored_and_its_rows_carry_no_search_fields(
    client: Client, small_catalog: SmallCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebuild()
    live = lifecycle.live_index(get_search_client())
    assert stored_extras(get_search_client(), live) == ()
    sent = record_searches(monkeypatch)

    found = rows(client)

    assert found and all("search" not in row for row in found)
    assert sources(sent) == [True]


def test_an_index_that_stores_search_is_filtered_to_the_same_rows(
    client: Client, small_catalog: SmallCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebuild()
    expected = rows(client)
    # Given the live index replaced by one built the old way
    monkeypatch.setattr(lifecycle, "index_body", index_body_storing_search)
    rebuild()
    live = lifecycle.live_index(get_search_client())
    assert stored_extras(get_search_client(), live) == ("search",)
    sent = record_searches(monkeypatch)

    # Then the rows are the same, the stored search object filtered out by the request
    assert rows(client) == expected
    assert sources(sent) == [{"excludes": ["search"]}]
