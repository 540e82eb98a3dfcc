""" "Did you mean …": a respelling of a query that found nothing, from the index's words.

The text search already forgives one typo in a word of 4-6 characters and two from 7
(``text.FUZZINESS``), with the first letter fixed. A query that still finds nothing may
be further off ("lndn", "xondon"): OpenSearch's term suggester looks up, for each word
the index does not hold, the indexed word nearest to it (two edits at most, any letter).
"""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import OpenSearchException

from config.breaker import CircuitOpenError
from search_index.client import get_search_client
from search_index.search.multi import search_one

TEXT_FIELD = "search.text"
MAX_EDITS = 2  # the suggester's own limit
MIN_WORD_LENGTH = 3  # codes such as "cm2" are matched exactly, never respelled


def suggester_body(query: str) -> dict[str, Any]:
    return {
        "size": 0,
        "suggest": {
            "text": query,
            "words": {
                "term": {
                    "field": TEXT_FIELD,
                    "suggest_mode": "missing",  # only words the index does not hold
                    "max_edits": MAX_EDITS,
                    "prefix_length": 0,
                    "min_word_length": MIN_WORD_LENGTH,
                    "size": 1,
                }
            },
        },
    }


def respelled_from(query: str, entries: list[dict[str, Any]]) -> str | None:
    """``query`` with each word the suggester corrected replaced (by its character
    offsets, so the rest of the query stays as typed); None when nothing changed."""
    text, shift = query, 0
    for entry in entries:
        if not entry.get("options"):
            continue
        best = entry["options"][0]["text"]
        start = entry["offset"] + shift
        text = text[:start] + best + text[start + entry["length"] :]
        shift += len(best) - entry["length"]
    return text if text.lower() != query.lower() else None


def respelled(query: str, client: OpenSearch | None = None) -> str | None:
    """A respelling of ``query`` made of words the index holds, or None.

    Best effort: it is asked only once a search has found nothing, so an OpenSearch
    failure here leaves the empty page as it is instead of failing it.
    """
    try:
        answer = search_one(client or get_search_client(), suggester_body(query))
    except (OpenSearchException, CircuitOpenError):
        return None
    return respelled_from(query, answer.get("suggest", {}).get("words", []))
