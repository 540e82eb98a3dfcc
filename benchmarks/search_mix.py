"""The API benchmark's search mix: every benchmark of the search uses these bodies.

Importable without Django, for the load generator."""

from __future__ import annotations

from typing import Any

SEARCHES: list[dict[str, Any]] = [
    {},
    {"searchQuery": "cm2"},
    {"searchQuery": "cm2 londn"},
    {"searchQuery": "ebook revision"},
    {"filters": {"subjects": ["CM2", "CS1"], "categories": ["Tutorial"]}},
    {"filters": {"modes_of_delivery": ["eBook"]}, "pagination": {"page": 3}},
    {"searchQuery": "tutorial london", "filters": {"available_only": True}},
    {"filters": {"event_start_from": "2025-07-01"}, "options": {"sort": "earliest_event"}},
]
