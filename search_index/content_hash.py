"""Two hashes in every document, for ``search_index check``.

- ``search.content_hash``: the document's content (keys sorted), without either hash.
- ``search.source_hash``: that content hash sealed with the fingerprint of the database
  rows the document was built from (``search_index.source_fingerprint``).

``check`` reads both (doc values, no sources) and recomputes the fingerprint from the
database: a document is current when ``seal(fingerprint now, its content hash)`` equals
its source hash. That catches rows changed since it was written (the fingerprint moved)
and a document rewritten behind the project's back (its content hash moved, even when
recomputed to match, as the seal binds it to the rows), without building any document.
"""

from __future__ import annotations

from decimal import Decimal
from hashlib import blake2b
from typing import Any

import orjson

HASH_FIELD = "content_hash"
SEAL_FIELD = "source_hash"
_HASH_FIELDS = (HASH_FIELD, SEAL_FIELD)


def _fallback(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"Unable to hash {value!r} ({type(value).__name__})")


def _digest(document: dict[str, Any]) -> str:
    encoded = orjson.dumps(
        document, default=_fallback, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
    )
    return blake2b(encoded, digest_size=16).hexdigest()


def content_hash(document: dict[str, Any]) -> str:
    """Hex digest of ``document`` without its two hash fields."""
    search = document.get("search", {})
    if any(field in search for field in _HASH_FIELDS):
        search = {key: value for key, value in search.items() if key not in _HASH_FIELDS}
        document = {**document, "search": search}
    return _digest(document)


def seal(source_fingerprint: str, content: str) -> str:
    """The source hash: the rows' fingerprint and the content hash, bound together."""
    return blake2b(f"{source_fingerprint}:{content}".encode(), digest_size=16).hexdigest()


def add_hashes(document: dict[str, Any], source_fingerprint: str) -> dict[str, Any]:
    """Store both hashes in ``document`` (built without them); return it."""
    content = content_hash(document)
    document["search"][HASH_FIELD] = content
    document["search"][SEAL_FIELD] = seal(source_fingerprint, content)
    return document
