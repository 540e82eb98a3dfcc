"""The searches the search client sends, as OpenSearch receives them."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from search_index.client import get_search_client


def record_searches(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """From now on, each request the search client sends: its path and decoded body (a
    ``_msearch`` body stays as sent; a request without one, such as the mapping read by
    ``stored_source``, is recorded with ``None``)."""
    transport = get_search_client().transport
    original = transport.perform_request
    sent: list[tuple[str, Any]] = []

    def recording(method: str, url: str, *args: Any, body: Any = None, **kw: Any) -> Any:
        as_sent = body is None or url.endswith("/_msearch")
        sent.append((url, body if as_sent else orjson.loads(body)))
        return original(method, url, *args, body=body, **kw)

    monkeypatch.setattr(transport, "perform_request", recording)
    return sent
