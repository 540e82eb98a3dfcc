"""``search_index check [--repair]``: does the index hold exactly what the database says?

The database side is every indexable store product's document, built in keyset chunks
as the rebuild builds them, reduced to its content hash; the index side is each
document's id and stored hash (doc values only, no sources fetched). A document is
*missing* (in the database, not the index), *stale* (hashes differ) or *extra* (in the
index, not indexable). Repairing rewrites exactly those documents from the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from opensearchpy import OpenSearch
from opensearchpy.helpers import scan

from search_index.building import indexable_store_products, iter_documents
from search_index.conf import search_setting
from search_index.content_hash import HASH_FIELD
from search_index.documents import alias_name
from search_index.writing import write_documents

HASH_PATH = f"search.{HASH_FIELD}"
# Hits per scroll page: ids and hashes only, so a large page is cheap.
SCROLL_PAGE = 5000
_MISSING = object()


@dataclass
class Drift:
    checked: int = 0
    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def found(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.extra)


def _index_hashes(client: OpenSearch, index: str) -> dict[str, str | None]:
    """Every document id in ``index`` with its stored hash (None if it has none)."""
    hits = scan(
        client,
        index=index,
        query={"_source": False, "docvalue_fields": [HASH_PATH], "query": {"match_all": {}}},
        size=SCROLL_PAGE,
    )
    return {hit["_id"]: hit.get("fields", {}).get(HASH_PATH, [None])[0] for hit in hits}


def _database_hashes() -> Iterator[tuple[int, str]]:
    documents = iter_documents(indexable_store_products(), search_setting("CHUNK_SIZE"))
    for pk, document in documents:
        yield pk, document["search"][HASH_FIELD]


def find_drift(client: OpenSearch, index: str | None = None) -> Drift:
    in_index = _index_hashes(client, index or alias_name())
    drift = Drift()
    for pk, expected in _database_hashes():
        drift.checked += 1
        stored = in_index.pop(str(pk), _MISSING)
        if stored is _MISSING:
            drift.missing.append(pk)
        elif stored != expected:
            drift.stale.append(pk)
    drift.extra = sorted(in_index, key=lambda doc_id: (len(doc_id), doc_id))
    return drift


def repair(drift: Drift, client: OpenSearch, index: str | None = None) -> int:
    """Rewrite every drifted document from the database; return how many.

    Unversioned on purpose: a document altered behind our back may carry any version.
    """
    index = index or alias_name()
    numeric = {int(doc_id) for doc_id in drift.extra if doc_id.isdigit()}
    strays = [doc_id for doc_id in drift.extra if not doc_id.isdigit()]
    for doc_id in strays:  # not a store product id at all: nothing to rebuild it from
        client.delete(index=index, id=doc_id, ignore=[404])
    ids = {*drift.missing, *drift.stale, *numeric}
    return write_documents(ids, client=client, index=index, versioned=False) + len(strays)
