"""Applied changes are pruned after the retention, never while a rebuild needs them."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from search_index.conf import check_settings
from search_index.models import IndexChange
from search_index.rebuild import REBUILD_LOCK_KEY
from search_index.sync import pending_summary, prune_done

pytestmark = pytest.mark.django_db


def record(*, indexed_hours_ago: float | None) -> IndexChange:
    indexed_at = None
    if indexed_hours_ago is not None:
        indexed_at = timezone.now() - timedelta(hours=indexed_hours_ago)
    return IndexChange.objects.create(table="prices", row_id=1, txid=1, indexed_at=indexed_at)


def test_done_changes_older_than_the_retention_are_pruned() -> None:
    old, recent, waiting = (record(indexed_hours_ago=h) for h in (30, 2, None))

    assert prune_done(24) == 1

    assert set(IndexChange.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert old.pk not in IndexChange.objects.values_list("pk", flat=True)
    summary = pending_summary()
    assert summary.count == 1 and summary.oldest == waiting.changed_at


def test_nothing_is_pruned_while_a_rebuild_runs() -> None:
    record(indexed_hours_ago=30)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [REBUILD_LOCK_KEY])
        try:
            assert prune_done(24) == 0
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [REBUILD_LOCK_KEY])
    assert prune_done(24) == 1


def test_a_rebuild_of_another_database_does_not_stop_pruning() -> None:
    # Given a rebuild holding its lock in another database on the same server
    record(indexed_hours_ago=30)
    other = {**connection.get_connection_params(), "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**other) as elsewhere:
        elsewhere.execute("SELECT pg_advisory_lock(%s)", [REBUILD_LOCK_KEY])

        # Then this database's old changes are still pruned
        assert prune_done(24) == 1


def test_retention_setting_is_checked(settings) -> None:
    settings.SEARCH_INDEX = {"CHANGE_RETENTION_HOURS": -1}
    assert any("CHANGE_RETENTION_HOURS" in problem for problem in check_settings())
    settings.SEARCH_INDEX = {"CHANGE_RETENTION_HOURS": 0}
    assert check_settings() == []
