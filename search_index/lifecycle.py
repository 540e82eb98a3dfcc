"""Versioned indices behind one alias: create, swap atomically, clean up, describe.

The storefront only ever reads the alias. A rebuild fills ``<alias>-<timestamp>`` and
then moves the alias in one ``_aliases`` call, so searches never see an empty or
half-built index; indices that are not behind the alias are leftovers of older or
interrupted rebuilds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import NotFoundError

from search_index.conf import search_setting
from search_index.documents import MAPPING_VERSION, alias_name, index_body


class IndexLifecycleError(RuntimeError):
    """The alias or its indices are not in a state we can safely change."""


def new_index_name(now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S%f")
    return f"{alias_name()}-{stamp}"


def versioned_indices(client: OpenSearch) -> list[str]:
    """Every versioned index of this alias, oldest first (names sort by timestamp)."""
    found = client.indices.get(
        index=f"{alias_name()}-*",
        expand_wildcards="all",
        ignore_unavailable=True,
        allow_no_indices=True,
    )
    return sorted(found)


def live_index(client: OpenSearch) -> str | None:
    """The index the alias points at, or None before the first rebuild."""
    try:
        targets = client.indices.get_alias(name=alias_name())
    except NotFoundError:
        return None
    return next(iter(sorted(targets)), None)


def create_index(client: OpenSearch, name: str, *, rebuild_started_at: datetime) -> None:
    """Create an index tuned for loading: no refresh, no replicas until it is complete."""
    body = index_body()
    body["mappings"]["_meta"]["rebuild_started_at"] = rebuild_started_at.isoformat()
    body["settings"] = {
        **body.get("settings", {}),
        "refresh_interval": "-1",
        "number_of_replicas": 0,
        # A failed load is thrown away and rebuilt, so an fsync per request buys nothing.
        "translog.durability": "async",
    }
    client.indices.create(index=name, body=body)


def finish_loading(client: OpenSearch, name: str) -> None:
    """Restore the configured refresh and replicas, then make everything searchable."""
    settings = index_body().get("settings", {})
    client.indices.put_settings(
        index=name,
        body={
            "index": {
                "refresh_interval": settings.get("refresh_interval", "1s"),
                "number_of_replicas": settings.get("number_of_replicas", 0),
                "translog.durability": "request",
            }
        },
    )
    client.indices.refresh(index=name)
    merge_segments(client, name)


# A merge of a large catalog's index takes a while; it runs before the index is live.
MERGE_TIMEOUT_S = 1800


def merge_segments(client: OpenSearch, name: str) -> None:
    """Merge the loaded index into ``MERGE_SEGMENTS`` segments (none if 0).

    A bulk load leaves a dozen segments; every search then aggregates each one apart,
    and an uncached facet count at 100k paid for it (BENCHMARKS.md, issue 11). Merged
    once before the swap, while nothing reads it; later writes add small segments that
    OpenSearch's own merge policy folds in.
    """
    segments = search_setting("MERGE_SEGMENTS")
    if not segments:
        return
    client.indices.forcemerge(
        index=name, max_num_segments=segments, params={"request_timeout": MERGE_TIMEOUT_S}
    )
    client.indices.refresh(index=name)


def swap_alias(client: OpenSearch, new_index: str) -> str | None:
    """Point the alias at ``new_index`` in one atomic call; return the previous index."""
    alias = alias_name()
    if client.indices.exists(index=alias) and not client.indices.exists_alias(name=alias):
        raise IndexLifecycleError(
            f"{alias!r} is a concrete index, not an alias (created outside this command?). "
            f"Hint: delete that index, then rebuild."
        )
    previous = live_index(client)
    actions: list[dict[str, Any]] = [{"add": {"index": new_index, "alias": alias}}]
    if previous:
        actions.insert(0, {"remove": {"index": previous, "alias": alias}})
    client.indices.update_aliases(body={"actions": actions})
    return previous


def delete_old_versions(client: OpenSearch, keep: int) -> list[str]:
    """Delete versioned indices beyond the newest ``keep`` (never the live one)."""
    live = live_index(client)
    older = [name for name in versioned_indices(client) if name != live]
    doomed = older[: max(0, len(older) - (keep - 1))]
    for name in doomed:
        client.indices.delete(index=name, ignore_unavailable=True)
    return doomed


def delete_orphans(client: OpenSearch) -> list[str]:
    """Delete versioned indices newer than the live one: left by interrupted rebuilds."""
    live = live_index(client)
    orphans = [name for name in versioned_indices(client) if live is None or name > live]
    for name in orphans:
        client.indices.delete(index=name, ignore_unavailable=True)
    return orphans


@dataclass
class IndexStatus:
    alias: str
    live_index: str | None
    documents: int | None
    mapping_version: int | None
    current_mapping_version: int
    rebuild_started_at: str | None
    other_versions: list[str]


def index_status(client: OpenSearch) -> IndexStatus:
    live = live_index(client)
    documents = mapping_version = started = None
    if live:
        documents = client.count(index=live)["count"]
        meta = client.indices.get_mapping(index=live)[live]["mappings"].get("_meta", {})
        mapping_version = meta.get("mapping_version")
        started = meta.get("rebuild_started_at")
    return IndexStatus(
        alias=alias_name(),
        live_index=live,
        documents=documents,
        mapping_version=mapping_version,
        current_mapping_version=MAPPING_VERSION,
        rebuild_started_at=started,
        other_versions=[name for name in versioned_indices(client) if name != live],
    )
