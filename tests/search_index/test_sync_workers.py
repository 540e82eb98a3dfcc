"""``search_index sync --follow`` workers: together, killed, woken, stopped (issue 8)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from catalog.models import Price, Product, ProductProductVariation, StoreProduct
from search_index.client import get_client
from search_index.worker import Worker
from tests import factories
from tests.search_index.capture_helpers import (
    build_live_index,
    opensearch_unreachable,
    other_connection,
    pending,
    search_count,
)
from tests.search_index.test_rebuild import ROOT, database_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("opensearch_index"),
]

STORE_PRODUCTS = 500
PRICE_UPDATES = 20  # x 500 store products: a 10,000-change backlog


def build_catalog(count: int) -> None:
    """``count`` store products with a price each, in one transaction (bulk, for speed)."""
    with transaction.atomic():
        essp = factories.ExamSessionSubjectFactory()
        variation = factories.ProductVariationFactory()
        products = Product.objects.bulk_create(
            Product(code=f"W{n}", fullname=f"Worker product {n}", shortname=f"W{n}")
            for n in range(count)
        )
        links = ProductProductVariation.objects.bulk_create(
            ProductProductVariation(product=product, product_variation=variation)
            for product in products
        )
        store_products = StoreProduct.objects.bulk_create(
            StoreProduct(
                exam_session_subject=essp, product_product_variation=link, product_code=f"W/{n}"
            )
            for n, link in enumerate(links)
        )
        Price.objects.bulk_create(
            Price(store_product=store_product, amount=Decimal("99"))
            for store_product in store_products
        )


def start_worker(name: str) -> subprocess.Popen[str]:
    # PGAPPNAME names the worker's database sessions, so the test can see its transaction.
    env = {**os.environ, "DATABASE_URL": database_url(), "PGAPPNAME": name}
    return subprocess.Popen(
        [sys.executable, "manage.py", "search_index", "sync", "--follow", "--verbosity", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.005)


def in_a_batch(name: str) -> bool:
    """The worker's session is inside a transaction: it holds claimed changes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = %s"
            " AND xact_start IS NOT NULL AND query ILIKE '%%search_index%%')",
            [name],
        )
        return cursor.fetchone()[0]


def test_two_workers_drain_a_10000_change_backlog_and_survive_a_kill_9() -> None:
    # Given a live index and a 10,000-change backlog written by another process
    build_catalog(STORE_PRODUCTS)
    build_live_index()
    with other_connection() as other:
        for _ in range(PRICE_UPDATES):
            other.execute("UPDATE acted.prices SET amount = amount + 1")
            other.commit()
    assert pending() == STORE_PRODUCTS * PRICE_UPDATES

    # When two workers drain it and one is killed with SIGKILL in the middle of a batch
    first, second = start_worker("sync-worker-a"), start_worker("sync-worker-b")
    try:
        wait_for(lambda: in_a_batch("sync-worker-a"), "worker a to claim a batch")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)

        # Then the other worker applies every change, the killed batch's included
        wait_for(lambda: pending() == 0, "the backlog to drain")
        final_price = {"term": {"variations.prices.amount": 99 + PRICE_UPDATES}}
        assert search_count(final_price) == STORE_PRODUCTS
        out = StringIO()
        call_command("search_index", "check", stdout=out)
        assert f"checked {STORE_PRODUCTS} store products: 0 missing, 0 stale" in out.getvalue()

        # And an idle worker wakes on the commit of a change (NOTIFY), not a timer
        with other_connection() as other:
            other.execute(
                "UPDATE acted.prices SET amount = 7 WHERE id = (SELECT min(id) FROM acted.prices)"
            )
            other.commit()
        wait_for(lambda: pending() == 0, "the worker to wake", timeout=10)

        # And SIGTERM stops it cleanly
        second.send_signal(signal.SIGTERM)
        output, _ = second.communicate(timeout=30)
        assert second.returncode == 0, output
        assert "Stopped: applied" in output
        assert "applied" in output.split("Stopped")[0]  # it did share the work
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.kill()
                process.wait()


def test_a_worker_applies_its_batches_on_two_lanes_and_backs_off_when_both_cannot_write() -> None:
    # Given a live index and 200 changes committed by another process
    build_catalog(200)
    build_live_index()
    with other_connection() as other:
        other.execute("UPDATE acted.prices SET amount = 55")
        other.commit()
    assert pending() == 200

    # When a two-lane worker runs while OpenSearch is unreachable, it reports the failure,
    # backs off, and every change stays pending
    failures: list[Exception] = []

    def give_up(exc: Exception, wait: float) -> None:
        failures.append(exc)
        worker.stop()

    with opensearch_unreachable():
        worker = Worker(get_client(), lanes=2, on_failure=give_up)
        worker.run()
    assert len(failures) == 1 and worker.stats.changes == 0
    assert pending() == 200

    # Then, reachable again, its lanes apply every change, each once, in small batches
    worker = Worker(get_client(), lanes=2, batch_size=20)
    worker._drain()
    assert (worker.stats.changes, worker.stats.batches) == (200, 10)
    assert pending() == 0
    assert search_count({"term": {"variations.prices.amount": 55}}) == 200
