"""Shared by the change-capture tests: the live index, its documents, an unreachable cluster."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from django.db import connection, transaction
from opensearchpy import OpenSearch
from opensearchpy.connection.connections import connections

from search_index.client import SYNC_ALIAS, get_client
from search_index.documents import alias_name
from search_index.rebuild import rebuild
from search_index.replay import replay_changes
from search_index.sync import pending_summary

# Nothing listens here: connections are refused at once, as from a stopped node.
UNREACHABLE = "http://127.0.0.1:9"


def build_live_index() -> None:
    """A rebuild as the command runs it: what was pending before its snapshot is done."""
    rebuild(after_swap=replay_changes)


def document(pk: int) -> dict[str, Any] | None:
    """The store product's document as searches see it (after a refresh), or None."""
    client = get_client()
    client.indices.refresh(index=alias_name())
    found = client.get(index=alias_name(), id=pk, ignore=[404])
    return found["_source"] if found.get("found") else None


def indexed_values(pk: int, field: str) -> list[Any]:
    """A search field's values as indexed for one document (its doc values, sorted): the
    ``search`` object is indexed but not stored in ``_source``."""
    client = get_client()
    client.indices.refresh(index=alias_name())
    body = {"query": {"ids": {"values": [pk]}}, "docvalue_fields": [field], "_source": False}
    [hit] = client.search(index=alias_name(), body=body)["hits"]["hits"]
    return hit.get("fields", {}).get(field, [])


def search_count(query: dict[str, Any]) -> int:
    client = get_client()
    client.indices.refresh(index=alias_name())
    return client.count(index=alias_name(), body={"query": query})["count"]


def pending() -> int:
    return pending_summary().count


@contextmanager
def other_connection() -> Iterator[psycopg.Connection]:
    """A second session on the test database, as another process or language would use."""
    with psycopg.connect(**connection.get_connection_params(), autocommit=False) as other:
        yield other


@contextmanager
def opensearch_unreachable() -> Iterator[None]:
    """Every client of the app (fast path, workers, commands) points at a dead port."""
    originals = {alias: connections.get_connection(alias) for alias in ("default", SYNC_ALIAS)}
    for alias in originals:
        connections.add_connection(alias, OpenSearch([UNREACHABLE], max_retries=0, timeout=1))
    try:
        yield
    finally:
        for alias, client in originals.items():
            connections.add_connection(alias, client)


def committed(function: Any) -> Any:
    """Run ``function`` in its own committed transaction (the fast path runs after it)."""
    with transaction.atomic():
        return function()
