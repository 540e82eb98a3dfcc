"""What an index still stores that a page's store products must be sent without.

From mapping version 7 an index keeps the ``search`` object out of the stored ``_source``
(``documents.UNSTORED_FIELDS``): the store products of a page of rows are then asked for
as stored, unfiltered. A source filter made OpenSearch parse every document to drop
``search``: 3.0 against 1.8 ms for a page of 20 rows at 20k store products, 5.1 against
2.2 ms for a page of tutorials with their sessions (issue 11). An index built before
still stores it and is filtered until a rebuild replaces it: the rows are the same.

Asked per concrete index (a row head's ``_index``): an index's ``_source`` mapping never
changes, so the answer is kept for the process's life. The store products are still
asked of the alias (the head's index may be deleted by then, after a rebuild's swap); only
an alias moved back to an index built before version 7 between a search's two requests
would send that one page's rows with their ``search`` object.
"""

from __future__ import annotations

from functools import lru_cache

from opensearchpy import OpenSearch
from opensearchpy.exceptions import OpenSearchException

from config.breaker import CircuitOpenError
from search_index.documents import UNSTORED_FIELDS


def stored_extras(client: OpenSearch, index: str) -> tuple[str, ...]:
    """The fields ``index`` stores that a search must leave out of ``_source`` itself. An
    index whose mapping cannot be read now gets the filter (the safe answer), and is
    asked again next time."""
    try:
        return _stored_extras(client, index)
    except (OpenSearchException, CircuitOpenError):
        return tuple(UNSTORED_FIELDS)


@lru_cache(maxsize=32)
def _stored_extras(client: OpenSearch, index: str) -> tuple[str, ...]:
    mapping = client.indices.get_mapping(index=index)[index]["mappings"]
    excluded = mapping.get("_source", {}).get("excludes", [])
    return tuple(field for field in UNSTORED_FIELDS if field not in excluded)
