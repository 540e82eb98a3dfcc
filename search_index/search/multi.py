"""Several searches of the index in one round trip (``_msearch``), failing as one would.

The row heads and the counts of a search are separate requests so that the counts can
be cached (``search_index.search.query``); sent together they cost one round trip.
"""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import HTTP_EXCEPTIONS, TransportError

from search_index.documents import alias_name

# OpenSearch's shard request cache keeps a shard's answer to an identical request until
# the next refresh that changes the shard. By default it keeps only ``size: 0`` requests;
# asked explicitly it also keeps a page of hits (the query phase: ids and sort values).
CACHED: dict[str, Any] = {"request_cache": True}


def search_all(client: OpenSearch, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The answers to ``bodies``, in order; a failed search raises what ``search`` raises."""
    lines: list[dict[str, Any]] = []
    for body in bodies:
        lines += [CACHED, body]
    responses = client.msearch(body=lines, index=alias_name())["responses"]
    for response in responses:
        if "error" in response:
            raise _error(response)
    return responses


def _error(response: dict[str, Any]) -> TransportError:
    """The exception ``client.search`` would have raised for this failed search."""
    status = int(response.get("status", 500))
    error = response["error"]
    kind = error.get("type", "") if isinstance(error, dict) else str(error)
    return HTTP_EXCEPTIONS.get(status, TransportError)(status, kind, response)
