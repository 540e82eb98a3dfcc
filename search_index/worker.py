"""``search_index sync --follow``: a long-running worker that drains the outbox.

It sleeps on PostgreSQL ``LISTEN`` (the capture triggers ``NOTIFY`` on commit), drains
batch after batch until nothing is left to claim, backs off while OpenSearch (or the
database) is unreachable, prunes old done changes now and then, and stops between two
batches when asked (SIGTERM, Ctrl-C). Any number may run, on any number of machines:
``FOR UPDATE SKIP LOCKED`` keeps them off each other's batches, and the same keeps a
worker's own lanes (two batches at a time, see ``LANES``) apart.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from django.db import DatabaseError, connection
from opensearchpy import OpenSearch
from opensearchpy.exceptions import OpenSearchException

from search_index.conf import search_setting
from search_index.sync import (
    SYNC_BATCH,
    BatchResult,
    IndexingFailed,
    drain_batch,
    prune_done,
)

logger = logging.getLogger(__name__)

CHANNEL = "search_index_changes"
# How often a sleeping worker looks at its stop flag (not at the database).
STOP_CHECK_S = 0.5
# A drain even without a notification, in case one was missed while reconnecting.
RESCAN_S = 60.0
BACKOFF_FIRST_S = 1.0
BACKOFF_MAX_S = 60.0
PRUNE_EVERY_S = 600.0
# Batches a worker applies at a time, each on its own thread with its own database
# connection and transaction: while one lane waits for its last bulk requests, the other
# claims and builds its next batch. With a single lane the two never overlapped.
LANES = 2


@dataclass
class WorkerStats:
    changes: int = 0
    store_products: int = 0
    batches: int = 0
    failures: int = 0


class Worker:
    def __init__(
        self,
        client: OpenSearch,
        *,
        bulk_workers: int | None = None,
        lanes: int = LANES,
        batch_size: int = SYNC_BATCH,
        on_batch: Callable[[BatchResult], None] = lambda batch: None,
        on_failure: Callable[[Exception, float], None] = lambda exc, wait: None,
    ) -> None:
        self.client = client
        # The rebuild's parallel bulk threads: the next chunk is read and serialised while
        # the last one is written (one thread: 1,425 store products/s; measured below).
        self.bulk_workers = bulk_workers or search_setting("WORKERS")
        self.on_batch = on_batch
        self.on_failure = on_failure
        self.lanes = lanes
        self.batch_size = batch_size
        self.stats = WorkerStats()
        self._stop = threading.Event()
        self._stats_lock = threading.Lock()

    def stop(self) -> None:
        """Finish the batch in hand, then return from ``run``."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self) -> WorkerStats:
        backoff = BACKOFF_FIRST_S
        next_prune = 0.0
        listener: psycopg.Connection | None = None
        try:
            while not self.stopping:
                try:
                    listener = listener or self._listen()
                    self._drain()
                    if time.monotonic() >= next_prune:
                        prune_done(search_setting("CHANGE_RETENTION_HOURS"))
                        next_prune = time.monotonic() + PRUNE_EVERY_S
                    backoff = BACKOFF_FIRST_S
                    self._wait(listener)
                except (IndexingFailed, OpenSearchException, DatabaseError, psycopg.Error) as exc:
                    self.stats.failures += 1
                    self.on_failure(exc, backoff)
                    logger.warning("sync worker: %s; retrying in %.0f s", exc, backoff)
                    if isinstance(exc, DatabaseError | psycopg.Error):
                        connection.close()  # reconnect on the next query
                        listener = _close(listener)
                    self._stop.wait(backoff)
                    backoff = min(backoff * 2, BACKOFF_MAX_S)
        finally:
            _close(listener)
        return self.stats

    def _listen(self) -> psycopg.Connection:
        connection.ensure_connection()
        listener = psycopg.connect(**connection.get_connection_params(), autocommit=True)
        listener.execute(f"LISTEN {CHANNEL}")
        return listener

    def _drain(self) -> None:
        """Drain until nothing is left to claim, ``lanes`` batches at a time; re-raise the
        first lane's failure once every lane has stopped."""
        if self.lanes == 1:
            self._drain_lane(threading.Event())
            return
        failed = threading.Event()  # one lane failing stops the others after their batch
        failures: list[BaseException] = []

        def lane() -> None:
            try:
                self._drain_lane(failed)
            except BaseException as exc:  # reported by the caller, after the join
                failures.append(exc)
                failed.set()
            finally:
                connection.close()  # this thread's own connection

        threads = [threading.Thread(target=lane, name=f"sync-lane-{n}") for n in range(self.lanes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]

    def _drain_lane(self, failed: threading.Event) -> None:
        while not self.stopping and not failed.is_set():
            batch = drain_batch(self.client, workers=self.bulk_workers, limit=self.batch_size)
            if batch is None:
                return
            with self._stats_lock:
                self.stats.changes += batch.changes
                self.stats.store_products += batch.store_products
                self.stats.batches += 1
            self.on_batch(batch)

    def _wait(self, listener: psycopg.Connection) -> None:
        """Until a change commits (NOTIFY), a stop is requested, or ``RESCAN_S`` passes."""
        deadline = time.monotonic() + RESCAN_S
        while not self.stopping and time.monotonic() < deadline:
            for _ in listener.notifies(timeout=STOP_CHECK_S, stop_after=1):
                return


def _close(listener: psycopg.Connection | None) -> None:
    if listener is not None:
        listener.close()


def run_until_signalled(worker: Worker) -> WorkerStats:
    """Run ``worker`` until SIGTERM or SIGINT, which finish the current batch first."""
    stop_signals = (signal.SIGTERM, signal.SIGINT)
    previous = {sig: signal.signal(sig, lambda *_: worker.stop()) for sig in stop_signals}
    try:
        return worker.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
