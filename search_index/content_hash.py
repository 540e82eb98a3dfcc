"""A hash of a document's content, stored in the document, for ``search_index check``.

Comparing hashes lets ``check`` find stale documents without fetching their sources.
The hash covers the document as sent (keys sorted), minus the hash field itself.
"""

from __future__ import annotations

from decimal import Decimal
from hashlib import blake2b
from typing import Any

import orjson

HASH_FIELD = "content_hash"


def _fallback(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"Unable to hash {value!r} ({type(value).__name__})")


def content_hash(document: dict[str, Any]) -> str:
    """Hex digest of ``document`` without ``search.content_hash``."""
    search = {key: value for key, value in document.get("search", {}).items() if key != HASH_FIELD}
    content = {**document, "search": search}
    encoded = orjson.dumps(
        content, default=_fallback, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
    )
    return blake2b(encoded, digest_size=16).hexdigest()
