"""The rebuild never shows the storefront an empty or half-built index."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from catalog.models import StoreProduct
from search_index import lifecycle
from search_index.client import get_client
from search_index.documents import MAPPING_VERSION, alias_name
from search_index.rebuild import RebuildError, RebuildOptions, rebuild, rebuild_running
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def build_store_products(count: int) -> None:
    essp = factories.ExamSessionSubjectFactory()
    for _ in range(count):
        store_product = factories.StoreProductFactory(exam_session_subject=essp)
        factories.PriceFactory(store_product=store_product)


@pytest.mark.django_db
@pytest.mark.usefixtures("opensearch_index")
def test_first_rebuild_on_an_empty_cluster_creates_the_alias() -> None:
    build_store_products(3)

    result = rebuild()

    client = get_client()
    assert result.previous_index is None
    assert lifecycle.live_index(client) == result.index
    assert client.count(index=alias_name())["count"] == 3


class SearchLoop(threading.Thread):
    """Searches the alias in a loop, recording which index answered each search and how."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.client = get_client()
        self.stop = threading.Event()
        self.served_by: list[str] = []
        self.failures: list[str] = []
        self._answered = threading.Condition()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                answer = self.client.search(index=alias_name(), body={"size": 1})
                hits = answer["hits"]
                if hits["total"]["value"] != 300:
                    self.failures.append(f"saw {hits['total']['value']} documents")
                served_by = hits["hits"][0]["_index"] if hits["hits"] else "(no hit)"
            except Exception as exc:
                self.failures.append(repr(exc))
                served_by = "(failed)"
            with self._answered:
                self.served_by.append(served_by)
                self._answered.notify_all()

    def answer_more(self) -> None:
        """Wait until the loop has answered one more search than it had at the call."""
        with self._answered:
            seen = len(self.served_by)
            assert self._answered.wait_for(lambda: len(self.served_by) > seen, timeout=30)


@pytest.mark.django_db
@pytest.mark.usefixtures("opensearch_index")
def test_searches_during_a_rebuild_never_fail_or_come_back_empty() -> None:
    # Given a live index, and searches running in a loop
    build_store_products(300)
    first = rebuild().index
    searches = SearchLoop()
    searches.start()

    def search_while_loading(total: int):  # type: ignore[no-untyped-def]
        waited: list[bool] = []

        def on_progress(n: int) -> None:
            if not waited:  # the new index is half-filled: a search must still see all
                waited.append(True)
                searches.answer_more()

        return on_progress

    # When the index is rebuilt twice, in small chunks, each time with a search answered
    # while the new index loads
    try:
        options = RebuildOptions(chunk_size=20, bulk_chunk_size=20, workers=2, keep=1)
        second = rebuild(options, progress=search_while_loading).index
        third = rebuild(options, progress=search_while_loading).index
        searches.answer_more()  # and one after the last swap
    finally:
        searches.stop.set()
        searches.join()

    # Then every search answered with the full catalog, from the old index until each
    # swap and from the new one after it: never from none, never half-built
    assert searches.failures == []
    served_in_order = list(dict.fromkeys(searches.served_by))
    assert served_in_order == [first, second, third]
    assert lifecycle.index_status(get_client()).other_versions == []


@pytest.mark.django_db
@pytest.mark.usefixtures("opensearch_index")
def test_count_mismatch_aborts_the_swap(monkeypatch) -> None:
    build_store_products(5)
    first = rebuild()
    # A document silently lost: the documents stream skips one store product.
    from search_index import rebuild as rebuild_module

    original = rebuild_module.iter_documents

    def lossy(queryset, chunk_size):  # type: ignore[no-untyped-def]
        documents = original(queryset, chunk_size)
        next(documents)
        yield from documents

    monkeypatch.setattr(rebuild_module, "iter_documents", lossy)

    with pytest.raises(RebuildError, match="holds 4 documents but 5 rows"):
        rebuild()

    client = get_client()
    assert lifecycle.live_index(client) == first.index
    assert lifecycle.versioned_indices(client) == [first.index]


@pytest.mark.django_db
@pytest.mark.usefixtures("opensearch_index")
def test_interrupted_rebuild_keeps_the_old_index() -> None:
    build_store_products(50)
    first = rebuild()

    def interrupt(total: int):  # type: ignore[no-untyped-def]
        def on_progress(done: int) -> None:
            raise KeyboardInterrupt

        return on_progress

    with pytest.raises(KeyboardInterrupt):
        rebuild(RebuildOptions(chunk_size=10, bulk_chunk_size=10, workers=1), progress=interrupt)

    client = get_client()
    assert lifecycle.live_index(client) == first.index
    assert client.count(index=alias_name())["count"] == 50
    assert lifecycle.versioned_indices(client) == [first.index]


def database_url() -> str:
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
        f"{settings['PORT']}/{settings['NAME']}"
    )


def wait_until_loading(process: subprocess.Popen[bytes], live: str) -> str:
    """The rebuild's new index, once documents have reached it (polled; 60 s at most)."""
    client = get_client()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        for name in lifecycle.versioned_indices(client):
            if name == live:
                continue
            # Loading runs without refreshes: refresh to count what has arrived so far.
            client.indices.refresh(index=name, ignore_unavailable=True)
            if client.count(index=name)["count"] > 0:
                return name
        time.sleep(0.05)
    raise AssertionError("the rebuild wrote no document within 60 s")


def wait_until_its_lock_is_freed() -> None:
    """A killed rebuild's lock lasts until its backend notices the closed connection: at
    once when idle, at its next write when busy streaming rows (polled; 30 s at most)."""
    deadline = time.monotonic() + 30
    while rebuild_running():
        assert time.monotonic() < deadline, "the killed rebuild's lock was never freed"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("opensearch_index")
def test_rebuild_killed_half_way_leaves_the_alias_and_the_next_one_cleans_up() -> None:
    # Given a live index and enough rows that a slow rebuild takes a few seconds (written
    # in one transaction: one commit, not one per row)
    with transaction.atomic():
        build_store_products(1500)
    first = rebuild()
    client = get_client()
    env = {**os.environ, "DATABASE_URL": database_url()}

    # When a rebuild process is killed with SIGKILL while it loads
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "search_index",
            "rebuild",
            "--quiet",
            "--chunk-size",
            "5",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # (killed once its new index holds documents: loading has begun, the swap is far off)
    loading = wait_until_loading(process, first.index)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 0 < client.count(index=loading)["count"] < 1500
    wait_until_its_lock_is_freed()

    # Then the alias still points at the complete old index, and an orphan is left
    assert lifecycle.live_index(client) == first.index
    assert client.count(index=alias_name())["count"] == 1500
    orphans = [name for name in lifecycle.versioned_indices(client) if name != first.index]
    assert len(orphans) == 1

    # And the next rebuild succeeds and removes the orphan
    call_command("search_index", "rebuild", "--quiet", "--keep", "1")
    assert set(lifecycle.versioned_indices(client)) == {lifecycle.live_index(client)}
    assert client.count(index=alias_name())["count"] == StoreProduct.objects.count()


@pytest.mark.django_db
@pytest.mark.usefixtures("opensearch_index")
def test_status_reports_live_index_and_counts(capsys) -> None:
    build_store_products(2)
    rebuild()

    call_command("search_index", "status")

    out = capsys.readouterr().out
    assert "documents:       2 (database: 2 indexable store products)" in out
    assert f"mapping version: {MAPPING_VERSION}" in out


@pytest.mark.django_db
@pytest.mark.usefixtures("opensearch_index")
def test_a_second_rebuild_waits_its_turn() -> None:
    import psycopg

    from search_index.rebuild import REBUILD_LOCK_KEY

    build_store_products(2)
    first = rebuild()
    params = connection.get_connection_params()

    # Given another process holding the rebuild lock
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [REBUILD_LOCK_KEY])

        # Then a rebuild refuses to start, and nothing changes
        with pytest.raises(RebuildError, match="Another rebuild is running"):
            rebuild()
        assert lifecycle.versioned_indices(get_client()) == [first.index]
        # Released explicitly: a closed connection's backend may hold it a moment longer.
        other.execute("SELECT pg_advisory_unlock(%s)", [REBUILD_LOCK_KEY])

    # And once the lock is free, rebuilds work again
    assert rebuild().previous_index == first.index


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("opensearch_index")
def test_changes_committed_during_a_rebuild_reach_the_new_index() -> None:
    """Outside a test transaction, so the rebuild opens its own REPEATABLE READ snapshot."""
    from catalog.models import Product

    # Given a live index
    build_store_products(30)
    rebuild()
    # The last two by primary key: the keyset read reaches them last, long after the
    # changes below have committed
    renamed, doomed = StoreProduct.objects.order_by("-pk")[:2]
    product = renamed.product_product_variation.product
    isolation: list[str] = []

    def change_elsewhere() -> None:
        """Another session: delete one store product, rename another's product."""
        from django.db import connections, transaction

        with transaction.atomic():
            StoreProduct.objects.filter(pk=doomed.pk).delete()
        with transaction.atomic():
            Product.objects.filter(pk=product.pk).update(fullname="Renamed mid-rebuild")
        connections.close_all()

    def change_once_the_snapshot_is_taken(total: int):  # type: ignore[no-untyped-def]
        # Called once the rebuild has counted its rows, before it reads any of them.
        with connection.cursor() as cursor:
            cursor.execute("SHOW transaction_isolation")
            isolation.append(cursor.fetchone()[0])
        worker = threading.Thread(target=change_elsewhere)
        worker.start()
        worker.join()
        return lambda n: None

    # When both changes commit after the rebuild took its snapshot
    from search_index.replay import replay_changes

    result = rebuild(
        RebuildOptions(chunk_size=5, bulk_chunk_size=5, workers=1),
        progress=change_once_the_snapshot_is_taken,
        after_swap=replay_changes,
    )

    # Then the rebuild read one snapshot: all 30 rows, the deleted one included (under
    # READ COMMITTED it would have read 29 and refused to swap on the count)
    assert isolation == ["repeatable read"]
    assert result.indexed == 30
    # And the replay applied both changes. Recorded writes: the store product, its price
    # (deleted with it), the product
    assert result.replayed == 3
    client = get_client()
    assert not client.exists(index=alias_name(), id=doomed.pk)
    renamed_source = client.get(index=alias_name(), id=renamed.pk)["_source"]
    assert renamed_source["product_name"] == "Renamed mid-rebuild"
    # (the replay does not wait for a refresh; counting is a search, so refresh first)
    client.indices.refresh(index=alias_name())
    assert client.count(index=alias_name())["count"] == 29


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("opensearch_index")
def test_the_changes_a_rebuild_read_leave_the_outbox() -> None:
    """Committed before the rebuild (a test transaction would hide them from its snapshot)."""
    from django.utils import timezone

    from search_index.models import IndexChange
    from search_index.replay import replay_changes

    # Given the recorded writes of a catalog, pending (as an import's are: too many for
    # the fast path), and one change applied earlier
    build_store_products(3)
    assert IndexChange.objects.update(indexed_at=None) >= 6
    applied = IndexChange.objects.create(
        table="prices", row_id=1, txid=1, indexed_at=timezone.now()
    )

    # When a rebuild reads them all in its snapshot
    result = rebuild(after_swap=replay_changes)

    # Then nothing is replayed, the pending changes are gone (the index holds them), and
    # the applied one waits for its pruning as before
    assert result.replayed == 0
    assert list(IndexChange.objects.values_list("pk", flat=True)) == [applied.pk]
