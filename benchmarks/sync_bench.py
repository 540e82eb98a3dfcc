"""Issue 8's figures: change capture and the outbox, measured on the loaded catalog.

- ``sync-latency``: commit-to-searchable over 100 edits with one ``sync --follow`` worker
  running (ORM edits in this process, where the fast path runs too, and raw SQL from
  another session, which only the worker sees).
- ``sync-drain``: a 10,000-change backlog drained by one worker process, then by two.
- ``capture-overhead``: a 10,000-row ``QuerySet.update()`` of prices, triggers on vs off.
- ``check``: ``search_index check`` over the whole catalog.
- ``admin-during-rebuild``: 5 editors saving in the admin while a rebuild runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EDITS = 100
BACKLOG = 10_000


def _load_average() -> float:
    """The one-minute load average: other work on the machine, to print beside a figure."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def _ensure_live_index() -> None:
    from search_index import lifecycle
    from search_index.client import get_client
    from search_index.rebuild import rebuild
    from search_index.replay import replay_changes

    if lifecycle.live_index(get_client()) is None:
        rebuild(after_swap=replay_changes)


def _drain_everything() -> None:
    from search_index.sync import sync_pending

    sync_pending()


@contextmanager
def _workers(count: int) -> Iterator[list[subprocess.Popen[str]]]:
    """``count`` ``sync --follow`` processes, each ready (it printed its first line)."""
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "search_index", "sync", "--follow"],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    try:
        for process in processes:
            assert process.stdout is not None
            process.stdout.readline()  # "Following changes …"
        yield processes
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=60)


def _wait_until(
    condition: Callable[[], bool], timeout: float = 60.0, interval: float = 0.002
) -> float:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        time.sleep(interval)
    return time.monotonic()


def _searchable(amount: str) -> Callable[[], bool]:
    from search_index.client import get_client
    from search_index.documents import alias_name

    client = get_client()
    query = {"query": {"term": {"variations.prices.amount": amount}}}
    return lambda: client.count(index=alias_name(), body=query)["count"] > 0


def sync_latency() -> dict[str, Any]:
    from django.db import connection

    from catalog.models import Price

    _ensure_live_index()
    _drain_everything()
    prices = list(Price.objects.order_by("?").values_list("pk", flat=True)[: 2 * EDITS])
    orm, raw = [], []
    with _workers(1):
        for n, pk in enumerate(prices[:EDITS]):
            amount = f"{70000 + n}.00"
            price = Price.objects.get(pk=pk)
            price.amount = amount
            price.save()  # autocommit: committed when save() returns
            committed = time.monotonic()
            orm.append(_wait_until(_searchable(amount)) - committed)
        other = connection.get_new_connection(connection.get_connection_params())
        other.autocommit = True
        for n, pk in enumerate(prices[EDITS:]):
            amount = f"{80000 + n}.00"
            other.execute("UPDATE acted.prices SET amount = %s WHERE id = %s", [amount, pk])
            committed = time.monotonic()
            raw.append(_wait_until(_searchable(amount)) - committed)
        other.close()
    return {
        "documents": 2 * EDITS,
        "orm_p50_ms": 1000 * statistics.median(orm),
        "orm_p95_ms": 1000 * _percentile(orm, 0.95),
        "orm_max_ms": 1000 * max(orm),
        "raw_p50_ms": 1000 * statistics.median(raw),
        "raw_p95_ms": 1000 * _percentile(raw, 0.95),
        "raw_max_ms": 1000 * max(raw),
    }


def _make_backlog() -> int:
    """10,000 price changes of 10,000 store products, written by another session."""
    from django.db import connection

    other = connection.get_new_connection(connection.get_connection_params())
    other.autocommit = True
    other.execute(
        "UPDATE acted.prices SET amount = amount + 1 WHERE id IN "
        "(SELECT min(id) FROM acted.prices GROUP BY store_product_id ORDER BY 1 LIMIT %s)",
        [BACKLOG],
    )
    other.close()
    from search_index.sync import pending_summary

    return pending_summary().count


def sync_drain() -> dict[str, Any]:
    from search_index.sync import pending_summary

    _ensure_live_index()
    _drain_everything()
    result: dict[str, Any] = {}
    for workers in (1, 2):
        changes = _make_backlog()
        started = time.monotonic()
        with _workers(workers):
            started = time.monotonic()
            # Every 50 ms (1 % of a drain): counting 10,000 pending rows every 2 ms kept
            # PostgreSQL busy on one of the two cores the workers need.
            finished = _wait_until(lambda: pending_summary().count == 0, timeout=600, interval=0.05)
        result[f"workers_{workers}_changes"] = changes
        result[f"workers_{workers}_seconds"] = finished - started
        result[f"workers_{workers}_per_s"] = changes / (finished - started)
        result[f"workers_{workers}_load"] = _load_average()
    result["documents"] = BACKLOG
    return result


def capture_overhead() -> dict[str, Any]:
    from django.db import connection, transaction
    from django.db.models import F

    from catalog.models import Price

    ids = list(Price.objects.order_by("pk").values_list("pk", flat=True)[:BACKLOG])

    def timed_update(capture: bool) -> float:
        with transaction.atomic():
            if not capture:
                with connection.cursor() as cursor:
                    cursor.execute("ALTER TABLE acted.prices DISABLE TRIGGER USER")
            started = time.perf_counter()
            Price.objects.filter(pk__in=ids).update(amount=F("amount") + 1)
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)  # leave the catalog (and the outbox) as it was
        return elapsed

    timings: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(7):
        for capture in (False, True):
            timings[capture].append(timed_update(capture))
    with_capture, without = statistics.median(timings[True]), statistics.median(timings[False])
    return {
        "documents": len(ids),
        "with_ms": 1000 * with_capture,
        "without_ms": 1000 * without,
        "ratio": with_capture / without,
    }


def check() -> dict[str, Any]:
    from search_index.client import get_client
    from search_index.drift import find_drift

    _ensure_live_index()
    _drain_everything()
    load = _load_average()
    started = time.perf_counter()
    drift = find_drift(get_client())
    return {
        "documents": drift.checked,
        "seconds": time.perf_counter() - started,
        "drift": drift.found,
        "load": max(load, _load_average()),
    }


def admin_during_rebuild() -> dict[str, Any]:
    """5 editors, each saving a price in the admin in a loop, while a rebuild runs."""
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client
    from django.test.utils import setup_test_environment

    from catalog.models import Price

    setup_test_environment()  # so that the test client records the admin form's context

    _ensure_live_index()
    user = get_user_model().objects.filter(is_superuser=True).first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench-admin", "", "bench-password")
    prices = list(Price.objects.order_by("?").values_list("pk", flat=True)[:5])
    timings: list[float] = []
    stop = threading.Event()

    def open_form(pk: int) -> tuple[Client, str, dict[str, Any]]:
        """An editor with the price's change form open, before the rebuild starts."""
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        url = f"/admin/catalog/price/{pk}/change/"
        form = client.get(url).context["adminform"].form
        data = {name: form[name].value() for name in form.fields}
        return client, url, {name: value for name, value in data.items() if value is not None}

    def editor(client: Client, url: str, data: dict[str, Any]) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            data["amount"] = f"{60000 + n}.00"
            started = time.perf_counter()
            response = client.post(url, data)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 302, response.content[:300]
        connections.close_all()

    threads = [threading.Thread(target=editor, args=open_form(pk)) for pk in prices]
    rebuild = subprocess.Popen(
        [sys.executable, "manage.py", "search_index", "rebuild", "--quiet"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        text=True,
    )
    for thread in threads:
        thread.start()
    output, _ = rebuild.communicate()
    stop.set()
    for thread in threads:
        thread.join()
    return {
        "documents": len(timings),
        "p50_ms": 1000 * statistics.median(timings),
        "p95_ms": 1000 * _percentile(timings, 0.95),
        "max_ms": 1000 * max(timings),
        "replayed": next((line for line in output.splitlines() if "Replayed" in line), ""),
    }


SYNC_MEASUREMENTS: dict[str, Callable[[], dict[str, Any]]] = {
    "sync-latency": sync_latency,
    "sync-drain": sync_drain,
    "capture-overhead": capture_overhead,
    "check": check,
    "admin-during-rebuild": admin_during_rebuild,
}


def report(results: dict[str, dict[str, Any]]) -> list[str]:
    """BENCHMARKS.md lines for whichever of these measurements ran."""
    lines: list[str] = []
    if r := results.get("sync-latency"):
        lines.append(
            f"- commit → searchable, 1 `sync --follow` worker running: ORM edits (fast path "
            f"and worker) p50 {r['orm_p50_ms']:.0f} ms, p95 {r['orm_p95_ms']:.0f} ms, max "
            f"{r['orm_max_ms']:.0f} ms; raw SQL from another session (worker only) p50 "
            f"{r['raw_p50_ms']:.0f} ms, p95 {r['raw_p95_ms']:.0f} ms, max {r['raw_max_ms']:.0f} ms"
        )
    if r := results.get("sync-drain"):
        lines.append(
            f"- drain of a {r['documents']:,}-change backlog (as many store products): one "
            f"worker {r['workers_1_seconds']:.1f} s ({r['workers_1_per_s']:,.0f}/s, load "
            f"{r.get('workers_1_load', 0):.1f}), two workers {r['workers_2_seconds']:.1f} s "
            f"({r['workers_2_per_s']:,.0f}/s, load {r.get('workers_2_load', 0):.1f})"
        )
    if r := results.get("capture-overhead"):
        lines.append(
            f"- `QuerySet.update()` of {r['documents']:,} prices: {r['with_ms']:.0f} ms with "
            f"capture, {r['without_ms']:.0f} ms without: {r['ratio']:.2f}x"
        )
    if r := results.get("check"):
        lines.append(
            f"- `search_index check`, {r['documents']:,} store products: {r['seconds']:.1f} s, "
            f"{r['drift']} drifted, peak RSS {r['peak_rss_mb']:.0f} MB, load {r.get('load', 0):.1f}"
        )
    if r := results.get("admin-during-rebuild"):
        lines.append(
            f"- admin saves, 5 editors during a rebuild: {r['documents']} saves, p50 "
            f"{r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, max {r['max_ms']:.0f} ms"
        )
    return lines
