"""A tutorial or marking row is one store product: its head, sent with its ``_source``,
is the row. A page of those is one request; a mixed page asks for the store products of
its material rows only; and the rows are the ones every row's store products make."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from django.test import Client

from search_index.search import service
from search_index.search.query import ROW_KEY
from tests.catalogs.wider import WiderCatalog
from tests.search_index.sent_searches import record_searches

pytestmark = [pytest.mark.django_db]

UNIFIED = "/api/search/unified/"


def unified(client: Client, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(UNIFIED, body, content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def endpoints(sent: list[tuple[str, Any]]) -> list[str]:
    """The searches sent, in order (``_msearch``, ``_search``), not the mapping read."""
    return [url.rsplit("/", 1)[1] for url, _ in sent if url.endswith(("/_msearch", "/_search"))]


def member_row_keys(sent: list[tuple[str, Any]]) -> list[str]:
    """The row keys the store-product request (``_search``) asked for."""
    [body] = [body for url, body in sent if url.endswith("/_search")]
    [keys] = [
        c["terms"][ROW_KEY]
        for c in body["query"]["bool"]["filter"]
        if ROW_KEY in c.get("terms", {})
    ]
    return keys


@pytest.mark.parametrize("body", [{"searchQuery": "london"}, {"searchQuery": "cm2"}, {}])
def test_rows_read_from_their_heads_are_the_rows_of_their_store_products(
    body: dict[str, Any],
    client: Client,
    indexed_wider_catalog: WiderCatalog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from_heads = unified(client, body)
    assert any(row["kind"] == "tutorial" for row in from_heads["products"])

    # When every row's store products are asked for, as before
    monkeypatch.setattr(service, "single_rows", lambda row_hits: {})

    # Then the answer is the same, byte for byte
    assert orjson.dumps(unified(client, body)) == orjson.dumps(from_heads)


def test_a_page_of_tutorials_is_one_request(
    client: Client, indexed_wider_catalog: WiderCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = record_searches(monkeypatch)

    rows = unified(client, {"searchQuery": "london"})["products"]

    assert [(row["kind"], row["product_code"]) for row in rows] == [
        ("tutorial", indexed_wider_catalog.london.product_code)
    ]
    assert rows[0]["variations"][0]["events"]
    assert endpoints(sent) == ["_msearch"]


def test_a_mixed_page_asks_for_the_store_products_of_its_material_rows_only(
    client: Client, indexed_wider_catalog: WiderCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = record_searches(monkeypatch)

    rows = unified(client, {"searchQuery": "cm2"})["products"]

    assert {row["kind"] for row in rows} == {"material", "tutorial"}
    assert endpoints(sent) == ["_msearch", "_search"]
    keys = member_row_keys(sent)
    assert len(keys) == sum(row["kind"] == "material" for row in rows)
    assert not any(key.startswith("sp:") for key in keys)


def test_the_search_box_reads_tutorial_rows_from_their_heads_without_sessions(
    client: Client, indexed_wider_catalog: WiderCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = record_searches(monkeypatch)

    response = client.get("/api/catalog/search/", {"q": "london", "limit": 50})

    assert response.status_code == 200
    [row] = response.json()["suggested_products"]
    [event, *_] = row["variations"][0]["events"]
    assert "sessions" not in event
    assert endpoints(sent) == ["_msearch"]
    [ndjson] = [body for url, body in sent if url.endswith("/_msearch")]
    heads = orjson.loads(ndjson.splitlines()[1])
    assert heads["_source"] == {"excludes": ["variations.events.sessions"]}
