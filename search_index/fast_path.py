"""The fast path: right after a transaction that wrote catalog rows commits, index what it
changed, in the same process — best effort.

The triggers have already recorded the changes (durably, in the transaction); this
only saves waiting for a ``sync --follow`` worker. It watches every query of every
connection (an execute wrapper, so ``QuerySet.update()``, bulk operations and raw SQL
are seen as well as ``save()``), notes the first write to a captured table in each
transaction, and after commit drains that transaction's own changes. If OpenSearch is
down or slow it logs, sends ``signals.indexing_failed`` and leaves the changes pending;
the save is never failed or undone. Writes from other processes are the workers' job.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from search_index.changes import current_txid, pending_in_transaction, pending_summary
from search_index.client import get_sync_client
from search_index.signals import indexing_failed

logger = logging.getLogger(__name__)

# A transaction with more changes than this (an import), or whose changes reach more
# store products (a group renamed), is left to the workers: an editor's request never
# indexes half the catalog.
FAST_PATH_MAX_STORE_PRODUCTS = 2000

CAPTURED_TABLES = (
    "subjects", "exam_sessions", "exam_session_subjects", "product_groups", "products",
    "product_product_groups", "product_variations", "product_product_variations",
    "store_products", "prices", "tutorial_events", "tutorial_sessions",
)  # fmt: skip
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
_CAPTURED = re.compile(rf"\b({'|'.join(CAPTURED_TABLES)})\b", re.IGNORECASE)


def writes_captured_table(sql: str) -> bool:
    return bool(_WRITE.match(sql)) and bool(_CAPTURED.search(sql))


class IndexAfterCommit:
    """The on-commit callback of one transaction."""

    def __init__(self, txid: int) -> None:
        self.txid = txid

    def __call__(self) -> None:
        from search_index.sync import TooManyForFastPath, drain_batch
        from search_index.writing import NoLiveIndex

        try:
            changes = pending_in_transaction(self.txid)
            if changes > FAST_PATH_MAX_STORE_PRODUCTS:  # an import, say: no fan-out needed
                logger.info("fast path: %d changes, left to the sync workers", changes)
                return
            while drain_batch(
                get_sync_client(),
                txid=self.txid,
                max_store_products=FAST_PATH_MAX_STORE_PRODUCTS,
            ):
                continue
        except TooManyForFastPath as exc:
            logger.info("fast path: %s changed, left to the sync workers", exc)
        except NoLiveIndex:  # nothing to keep up to date: the first rebuild takes it all
            logger.debug("fast path: no live index yet")
        except Exception as exc:  # the save has committed: report, keep the change pending
            self.report(exc)

    def report(self, exc: Exception) -> None:
        try:
            pending = pending_summary().count
        except Exception:  # the database went too; the warning matters more than the count
            pending = 0
        logger.error(
            "search index not updated after commit (%d changes pending; a "
            "`search_index sync --follow` worker or `search_index sync` applies them): %s",
            pending,
            exc,
        )
        indexing_failed.send(sender=IndexAfterCommit, pending=pending)


def _scheduled(connection: BaseDatabaseWrapper) -> bool:
    return any(isinstance(func, IndexAfterCommit) for _, func, _ in connection.run_on_commit)


def _schedule(connection: BaseDatabaseWrapper) -> None:
    if not _scheduled(connection):
        transaction.on_commit(IndexAfterCommit(current_txid()), using=connection.alias, robust=True)


def capture_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """Execute wrapper: schedule the fast path for transactions that write catalog rows."""
    if not isinstance(sql, str) or not writes_captured_table(sql):
        return execute(sql, params, many, context)
    connection = context["connection"]
    if connection.in_atomic_block:
        result = execute(sql, params, many, context)
        _schedule(connection)
        return result
    # Autocommit: the statement is its own transaction; make it explicit so that its
    # id can be read before it commits.
    with transaction.atomic(using=connection.alias):
        result = execute(sql, params, many, context)
        _schedule(connection)
    return result


def install(sender: Any = None, connection: BaseDatabaseWrapper | None = None, **_: Any) -> None:
    """``connection_created`` receiver: wrap each new connection once."""
    if connection is not None and capture_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(capture_writes)
