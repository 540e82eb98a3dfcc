"""The API's result rows as the JSON OpenSearch sent them, never decoded and encoded again.

A page of rows is the ``_source`` of its store products (``search_index.search.rows``):
the API decoded up to 130 KB of them only to encode them again, a quarter of a search's
CPU in the worker (issue 11). Here the answer is read with msgspec, whose ``Raw`` keeps
each ``_source`` as the bytes OpenSearch sent without building its objects, and each row
goes to the renderer as an ``orjson.Fragment``, copied into the response as it is. The
row heads' answer is read the same way (``heads_and_counts``): a tutorial or marking
row is its head's document. A row of one store product is its document as sent; a row
of several is its first document with every document's ``variations`` items in one
list, spliced into the first document's bytes where its own list was (rebuilding the
document key by key cost more than a third of a search's row work on a page of
material rows).

The same rows as ``rows_from_hits`` builds, in the same key order: OpenSearch writes a
filtered ``_source`` compactly, as orjson writes the decoded values (a number in exponent
form or a control character in a string would be spelled differently, the same JSON
value). The storefront page, which reads the rows, keeps ``rows_from_hits``.
"""

from __future__ import annotations

from typing import Any

import msgspec
import orjson

from search_index.search.multi import failed_search
from search_index.search.query import ROW_KEY
from search_index.search.rows import row_key_of, row_sources


class _Hit(msgspec.Struct):
    source: msgspec.Raw = msgspec.field(name="_source")
    fields: dict[str, list[str]] = {}


class _Hits(msgspec.Struct):
    hits: list[_Hit]


class _Answer(msgspec.Struct):
    hits: _Hits


class _Variations(msgspec.Struct):
    variations: msgspec.Raw


class _Head(msgspec.Struct):
    index: str = msgspec.field(name="_index")
    fields: dict[str, list[str]] = {}
    source: msgspec.Raw = msgspec.field(name="_source", default=msgspec.Raw())


class _Heads(msgspec.Struct):
    hits: list[_Head]


class _Response(msgspec.Struct):
    hits: _Heads | None = None
    aggregations: dict[str, Any] = {}
    error: Any = None
    status: int = 500


class _MultiAnswer(msgspec.Struct):
    responses: list[_Response]


_answer = msgspec.json.Decoder(_Answer)
_multi_answer = msgspec.json.Decoder(_MultiAnswer)
_variations = msgspec.json.Decoder(_Variations)
_top_level = msgspec.json.Decoder(dict[str, msgspec.Raw])
_KEY = b'"variations"'


def heads_and_counts(answer: bytes) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The row heads and the counts' aggregations from a ``RowSearch``'s ``_msearch``
    answer (bytes), each head's ``_source`` kept as sent; a failed search raises what
    ``search_all`` raises."""
    heads, counts = _multi_answer.decode(answer).responses
    for response in (heads, counts):
        if response.error is not None:
            raise failed_search(response.status, response.error)
    found = heads.hits.hits if heads.hits else []
    hits = [{"_index": h.index, "fields": h.fields, "_source": h.source} for h in found]
    return hits, counts.aggregations


def json_rows(
    row_hits: list[dict[str, Any]],
    member_answer: bytes | None,
    single: dict[str, msgspec.Raw] | None = None,
) -> list[orjson.Fragment]:
    """Rows in ``row_hits`` order from the store products' search answer (bytes), each
    its first store product with all of its matching store products as variations; a
    row whose store products are gone is left out (as ``rows_from_hits``). A row in
    ``single`` (``rows.single_rows`` of ``heads_and_counts``'s heads) is its head."""
    members = row_sources(row_hits, single)
    hits = _answer.decode(member_answer).hits.hits if member_answer is not None else []
    for hit in hits:
        members[hit.fields[ROW_KEY][0]].append(hit.source)
    rows = []
    for hit in row_hits:
        sources = members[row_key_of(hit)]
        if sources:
            row = bytes(sources[0]) if len(sources) == 1 else _merged(sources)
            rows.append(orjson.Fragment(row))
    return rows


def _merged(sources: list[msgspec.Raw]) -> bytes:
    """The first document with every document's variations, as ``rows_from_hits``."""
    first = bytes(sources[0])
    lists = [bytes(_variations.decode(source).variations) for source in sources]
    items = (raw.strip()[1:-1].strip() for raw in lists)
    merged = b"[" + b",".join(item for item in items if item) + b"]"
    # The key written once and followed by the list as read: that is the top-level one.
    own = _KEY + b":" + lists[0]
    at = first.find(own) if first.count(_KEY) == 1 else -1
    if at < 0:  # spaced JSON, or the key's name inside a value too
        return _rebuilt(first, merged)
    start = at + len(_KEY) + 1
    return first[:start] + merged + first[start + len(lists[0]) :]


def _rebuilt(first: bytes, variations: bytes) -> bytes:
    """``first`` with ``variations`` for its own, rebuilt key by key."""
    row: dict[str, Any] = dict(_top_level.decode(first))
    row["variations"] = variations
    members = (orjson.dumps(key) + b":" + bytes(value) for key, value in row.items())
    return b"{" + b",".join(members) + b"}"
