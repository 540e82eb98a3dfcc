"""The searches of a request, sent to the index as the search client's own calls send them.

The row heads and the counts of a search are separate requests so that the counts can
be cached (``search_index.search.query``); sent together in one ``_msearch`` they cost
one round trip. Both go straight to the client's transport (the budget, the circuit
breaker, the kept-open connection: ``search_index.client``) with the body encoded once
as bytes: opensearch-py's ``search``/``msearch`` methods add only their argument
handling, about 7% of a search's CPU in the worker (issue 11). Same method, path and
body as those methods send.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.client.utils import _make_path
from opensearchpy.exceptions import HTTP_EXCEPTIONS, TransportError

from search_index.client import encode_json
from search_index.documents import alias_name

# OpenSearch's shard request cache keeps a shard's answer to an identical request until
# the next refresh that changes the shard. By default it keeps only ``size: 0`` requests;
# asked explicitly it also keeps a page of hits (the query phase: ids and sort values).
CACHED: dict[str, Any] = {"request_cache": True}
_CACHED_LINE = encode_json(CACHED) + b"\n"


@lru_cache(maxsize=64)
def _path(index: str, endpoint: str) -> str:
    return _make_path(index, endpoint)


def search_one(client: OpenSearch, body: dict[str, Any], decode: bool = True) -> Any:
    """The answer to one search of the index (``client.search``'s request); its body's
    bytes with ``decode=False``."""
    path = _path(alias_name(), "_search")
    return client.transport.perform_request("POST", path, body=encode_json(body), decode=decode)


def search_all(client: OpenSearch, bodies: list[dict[str, Any]], decode: bool = True) -> Any:
    """The answers to ``bodies``, in order; a failed search raises what ``search`` raises.
    ``decode=False``: the answer's bytes, for a caller that decodes only what it reads
    and raises ``failed_search`` itself (``search_index.search.json_rows``)."""
    ndjson = b"".join(_CACHED_LINE + encode_json(body) + b"\n" for body in bodies)
    path = _path(alias_name(), "_msearch")
    answer = client.transport.perform_request("POST", path, body=ndjson, decode=decode)
    if not decode:
        return answer
    responses = answer["responses"]
    for response in responses:
        if "error" in response:
            raise failed_search(response.get("status", 500), response["error"])
    return responses


def failed_search(status: Any, error: Any) -> TransportError:
    """The exception ``client.search`` would have raised for a failed search of an
    ``_msearch`` answer (its ``status`` and ``error``)."""
    status = int(status)
    kind = error.get("type", "") if isinstance(error, dict) else str(error)
    info = {"error": error, "status": status}
    return HTTP_EXCEPTIONS.get(status, TransportError)(status, kind, info)
