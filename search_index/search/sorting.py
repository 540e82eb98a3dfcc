"""Sort options as named constants and a map (``options.sort``)."""

from __future__ import annotations

from typing import Any

RELEVANCE = "relevance"
SUBJECT = "subject"
PRICE_ASC = "price_asc"
PRICE_DESC = "price_desc"
EARLIEST_EVENT = "earliest_event"

# Ties always end on the row key, so pages never overlap or skip rows.
_TIEBREAK = [{"search.row_key": "asc"}]
_BY_SUBJECT = [{"subject_code": "asc"}, {"product_short_name.raw": "asc"}]

SORTS: dict[str, list[Any]] = {
    RELEVANCE: ["_score", *_BY_SUBJECT, *_TIEBREAK],
    SUBJECT: [*_BY_SUBJECT, *_TIEBREAK],
    PRICE_ASC: [
        {"search.standard_price": {"order": "asc", "missing": "_last"}},
        *_BY_SUBJECT,
        *_TIEBREAK,
    ],
    PRICE_DESC: [
        {"search.standard_price": {"order": "desc", "missing": "_last"}},
        *_BY_SUBJECT,
        *_TIEBREAK,
    ],
    EARLIEST_EVENT: [
        {"search.earliest_event": {"order": "asc", "missing": "_last"}},
        *_BY_SUBJECT,
        *_TIEBREAK,
    ],
}


def sort_clause(sort: str | None, has_query: bool) -> list[Any]:
    """Relevance by default with a query; subject then product name without one."""
    return SORTS[sort or (RELEVANCE if has_query else SUBJECT)]
