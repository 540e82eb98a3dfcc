"""Zero-downtime rebuild: fill a new versioned index from a database snapshot, verify, swap.

The read runs in one REPEATABLE READ transaction, so the documents and the count they
are verified against come from the same snapshot. Changes committed after the snapshot
was taken are replayed into the new index right after the swap (``after_swap``, see
``search_index.replay.replay_changes``): exactly the changes the snapshot could not see.
Documents carry the external version taken just before the snapshot, so a slow writer
that read the database earlier cannot overwrite them. One rebuild runs at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from opensearchpy import OpenSearch

from search_index import lifecycle
from search_index.building import indexable_store_products, iter_documents
from search_index.bulk import bulk_load, describe_failures
from search_index.client import get_client
from search_index.conf import search_setting
from search_index.replay import take_snapshot
from search_index.writing import next_document_version

ProgressFactory = Callable[[int], Callable[[int], None]]


class RebuildError(RuntimeError):
    """The rebuild did not produce a complete index; the alias was left untouched."""


@dataclass
class RebuildOptions:
    chunk_size: int = field(default_factory=lambda: search_setting("CHUNK_SIZE"))
    workers: int = field(default_factory=lambda: search_setting("WORKERS"))
    keep: int = field(default_factory=lambda: search_setting("KEEP"))
    bulk_chunk_size: int = field(default_factory=lambda: search_setting("BULK_CHUNK_SIZE"))
    max_retries: int = field(default_factory=lambda: search_setting("BULK_MAX_RETRIES"))
    dry_run: bool = False


@dataclass
class RebuildResult:
    index: str
    expected: int
    indexed: int
    started_at: datetime
    previous_index: str | None = None
    deleted: list[str] = field(default_factory=list)
    replayed: int = 0
    # pg_current_snapshot() of the read: what the replay must add to it.
    snapshot: str = ""


def _actions(
    index: str, documents: Iterator[tuple[int, dict[str, Any]]], version: int
) -> Iterator[dict[str, Any]]:
    versioning = {"_index": index, "_version": version, "_version_type": "external_gte"}
    for pk, document in documents:
        yield {**versioning, "_id": pk, "_source": document}


@contextmanager
def _snapshot() -> Iterator[str]:
    """One consistent read for documents and count, when we own the transaction.

    Inside an outer transaction (a caller's ``atomic``, a test) the isolation level can
    no longer be set; the read then uses the caller's transaction as it is.
    """
    if connection.in_atomic_block:
        yield take_snapshot()
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield take_snapshot()


def _load(
    client: OpenSearch, index: str, options: RebuildOptions, progress: ProgressFactory
) -> tuple[int, int, str]:
    """Stream every indexable row into ``index``; return (expected, indexed, snapshot)."""
    version = next_document_version()  # before the snapshot: nextval() needs read-write
    with _snapshot() as snapshot:
        queryset = indexable_store_products()
        expected = queryset.count()
        on_progress = progress(expected)
        result = bulk_load(
            client,
            _actions(index, iter_documents(queryset, options.chunk_size), version),
            workers=options.workers,
            chunk_size=options.bulk_chunk_size,
            max_retries=options.max_retries,
            on_progress=on_progress,
        )
    if result.errors:
        raise RebuildError(f"{describe_failures(result.errors)}; the alias was not moved")
    return expected, result.indexed, snapshot


def _build(
    client: OpenSearch,
    index: str,
    options: RebuildOptions,
    progress: ProgressFactory,
    started_at: datetime,
) -> tuple[int, int, str]:
    """Create and fill ``index``, verified complete; on any failure, delete it."""
    lifecycle.create_index(client, index, rebuild_started_at=started_at)
    try:
        expected, indexed, snapshot = _load(client, index, options, progress)
        lifecycle.finish_loading(client, index)
        in_index = client.count(index=index)["count"]
        if in_index != expected:
            raise RebuildError(
                f"index {index} holds {in_index} documents but {expected} rows are "
                f"indexable; the alias was not moved"
            )
    except BaseException:
        # Interrupted or incomplete: the alias stays on the old index; drop the new one.
        client.indices.delete(index=index, ignore_unavailable=True)
        raise
    return expected, indexed, snapshot


# Arbitrary, fixed key of the PostgreSQL advisory lock that lets one rebuild run at a time.
REBUILD_LOCK_KEY = 0x5EA2C4


@contextmanager
def _one_rebuild_at_a_time() -> Iterator[None]:
    """A session lock in PostgreSQL: a killed rebuild's connection closes and frees it.

    Without it a second rebuild would take the first one's half-built index for an
    orphan of an interrupted run and delete it.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [REBUILD_LOCK_KEY])
        if not cursor.fetchone()[0]:
            raise RebuildError("Another rebuild is running; try again when it has finished.")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [REBUILD_LOCK_KEY])


def rebuild_running() -> bool:
    """Whether a rebuild of this database holds the lock (a killed one's, until its
    backend notices the closed connection)."""
    with connection.cursor() as cursor:
        cursor.execute(
            # Advisory locks belong to a database: another database's rebuild is not ours.
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND classid = %s AND objid = %s AND objsubid = 1)",
            [REBUILD_LOCK_KEY >> 32, REBUILD_LOCK_KEY & 0xFFFFFFFF],
        )
        return cursor.fetchone()[0]


def rebuild(
    options: RebuildOptions | None = None,
    *,
    client: OpenSearch | None = None,
    progress: ProgressFactory = lambda total: lambda n: None,
    after_swap: Callable[[OpenSearch, str, str], int] | None = None,
) -> RebuildResult:
    """Build a complete new index, then move the alias to it in one atomic call."""
    options = options or RebuildOptions()
    client = client or get_client()
    started_at = datetime.now(UTC)
    index = lifecycle.new_index_name(started_at)
    if options.dry_run:
        expected = indexable_store_products().count()
        return RebuildResult(index=index, expected=expected, indexed=0, started_at=started_at)

    with _one_rebuild_at_a_time():
        lifecycle.delete_orphans(client)
        expected, indexed, snapshot = _build(client, index, options, progress, started_at)
        previous = lifecycle.swap_alias(client, index)
    result = RebuildResult(
        index=index,
        expected=expected,
        indexed=indexed,
        started_at=started_at,
        previous_index=previous,
        snapshot=snapshot,
    )
    if after_swap is not None:
        result.replayed = after_swap(client, index, snapshot)
    result.deleted = lifecycle.delete_old_versions(client, options.keep)
    return result
