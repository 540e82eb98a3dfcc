"""Parallel bulk loading with retries: the one way documents reach OpenSearch.

The rebuild, the sync workers, the fast path, the replay, repairs and the admin's
re-index action all send their actions through ``bulk_load``: chunked, retried, and
failures reported by store product.

opensearch-py's ``parallel_bulk`` does not retry rejected (429) items and its
``streaming_bulk`` is single-threaded, so several ``streaming_bulk`` workers (each with
``max_retries``) drain one bounded queue that the database reader fills.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.helpers import streaming_bulk

_DONE = object()
# Actions buffered between the reader and the workers: enough to keep workers busy,
# small enough that memory stays flat whatever the catalog size.
QUEUE_DEPTH = 2000


@dataclass
class BulkResult:
    indexed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def failed_ids(errors: list[dict[str, Any]]) -> list[str]:
    """The document ids (store product ids) of rejected items, in the order reported."""
    return [str(item.get("_id")) for error in errors for item in error.values()]


def _reason(error: Any) -> str:
    if isinstance(error, dict):
        return f"{error.get('type', '')}: {error.get('reason', '')}"
    return str(error)


def describe_failures(errors: list[dict[str, Any]], shown: int = 20) -> str:
    """Which store products were not written, and the first one's reason, e.g.
    ``2 store products not written (12, 15), e.g. index 12: mapper_parsing_exception: …``"""
    ids = failed_ids(errors)
    listed = ", ".join(ids[:shown]) + (f" and {len(ids) - shown} more" if len(ids) > shown else "")
    (operation, item), *_ = errors[0].items()
    reason = _reason(item.get("error"))
    return (
        f"{len(ids)} store products not written ({listed}), e.g. {operation} "
        f"{item.get('_id')}: {reason[:300]}"
    )


def _drain(work: queue.Queue[Any]) -> Iterator[Any]:
    while (item := work.get()) is not _DONE:
        yield item


def bulk_load(
    client: OpenSearch,
    actions: Iterable[dict[str, Any]],
    *,
    workers: int,
    chunk_size: int,
    max_retries: int,
    on_progress: Callable[[int], None] = lambda n: None,
    params: dict[str, str] | None = None,
) -> BulkResult:
    """Index ``actions`` with ``workers`` threads.

    Rejected items are collected in the result; an exception in a worker (or raised by
    ``on_progress``) stops the load and is re-raised here once every worker has stopped.
    ``params`` go with every ``_bulk`` request (``require_alias``, say).
    """
    work: queue.Queue[Any] = queue.Queue(maxsize=QUEUE_DEPTH)
    result = BulkResult()
    lock = threading.Lock()
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            for ok, item in streaming_bulk(
                client,
                _drain(work),
                chunk_size=chunk_size,
                max_retries=max_retries,
                initial_backoff=1,
                raise_on_error=False,
                raise_on_exception=False,
                request_timeout=60,
                params=params,
            ):
                with lock:
                    if ok:
                        result.indexed += 1
                    else:
                        result.errors.append(item)
                on_progress(1)
        except BaseException as exc:  # reported to the caller below, after the join
            failures.append(exc)
            while work.get() is not _DONE:  # keep the producer from blocking forever
                continue

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    try:
        for action in actions:
            if failures:
                break
            work.put(action)
    finally:
        for _ in threads:
            work.put(_DONE)
        for thread in threads:
            thread.join()
    if failures:
        raise failures[0]
    return result
