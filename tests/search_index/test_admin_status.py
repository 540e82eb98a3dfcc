"""The index's state where editors work: save warning, status page, sync now, rebuild, action.

Real PostgreSQL and OpenSearch; "unreachable" is a client pointed at a closed port, swapped
in for the short-timeout ``sync`` connection that the fast path and the admin use.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.urls import reverse
from opensearchpy import OpenSearch
from opensearchpy.connection.connections import connections

from search_index.admin_status.models import RebuildRun
from search_index.client import SYNC_ALIAS, get_client
from search_index.documents import alias_name
from search_index.rebuild import rebuild
from search_index.sync import pending_summary
from tests import factories

STATUS = "admin:search_index_admin_rebuildrun_changelist"
CLOSED_PORT = "http://127.0.0.1:9"


@pytest.fixture
def opensearch_down() -> Iterator[None]:
    """The ``sync`` connection answers from nowhere until the test ends (or restores it)."""
    reachable = connections.get_connection(SYNC_ALIAS)
    connections.add_connection(SYNC_ALIAS, OpenSearch([CLOSED_PORT], max_retries=0, timeout=1))
    yield
    connections.add_connection(SYNC_ALIAS, reachable)


def event_change_form(event, title_1: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {
        "code": event.code, "venue": event.venue, "location": event.location,
        "remain_space": str(event.remain_space), "start_date": str(event.start_date),
        "end_date": str(event.end_date), "store_product": str(event.store_product_id),
        "sessions-TOTAL_FORMS": "1", "sessions-INITIAL_FORMS": "1",
        "sessions-MIN_NUM_FORMS": "0", "sessions-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    session = event.sessions.get()
    start, end = session.start_date.astimezone(), session.end_date.astimezone()
    data.update(
        {
            "sessions-0-id": str(session.pk),
            "sessions-0-tutorial_event": str(event.pk),
            "sessions-0-sequence": "1",
            "sessions-0-title": title_1,
            "sessions-0-location": session.location,
            "sessions-0-venue": session.venue,
            "sessions-0-start_date_0": start.strftime("%Y-%m-%d"),
            "sessions-0-start_date_1": start.strftime("%H:%M"),
            "sessions-0-end_date_0": end.strftime("%Y-%m-%d"),
            "sessions-0-end_date_1": end.strftime("%H:%M"),
            "sessions-0-url": "",
        }
    )
    return data


def indexed_titles(store_product_id: int) -> list[str]:
    source = get_client().get(index=alias_name(), id=store_product_id)["_source"]
    return [s["title"] for e in source["variations"][0]["events"] for s in e["sessions"]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("opensearch_index")
def test_down_index_warns_after_save_and_sync_now_clears_the_backlog(
    admin_client, opensearch_down
) -> None:
    # Given an indexed event, and then OpenSearch unreachable
    event = factories.TutorialEventFactory(sessions=1)
    rebuild()  # with the maintenance client, which is not the one taken down

    # When an editor saves the event
    response = admin_client.post(
        reverse("admin:tutorials_tutorialevent_change", args=[event.pk]),
        event_change_form(event, "Day 1 - Saved while down"),
        follow=True,
    )

    # Then the save stands, and the page says search does not show it yet
    page = response.content.decode()
    pending = pending_summary().count
    assert pending >= 1
    assert (
        f"Saved; search will show it once the index is reachable — pending changes: {pending}"
    ) in page
    status = admin_client.get(reverse(STATUS)).content.decode()
    assert "The index cannot be reached" in status
    assert f'<td id="index-pending">{pending} (oldest' in status

    # When OpenSearch is back and the editor presses "Sync now"
    connections.add_connection(SYNC_ALIAS, get_client())
    synced = admin_client.post(reverse("admin:search_index_admin_sync"), follow=True)

    # Then nothing is pending and search shows the change
    assert "Applied" in synced.content.decode()
    assert '<td id="index-pending">0</td>' in synced.content.decode()
    get_client().indices.refresh(index=alias_name())
    assert indexed_titles(event.store_product_id) == ["Day 1 - Saved while down"]


@pytest.mark.django_db
def test_sync_now_with_the_index_down_says_what_is_still_pending(
    admin_client, opensearch_down
) -> None:
    factories.TutorialEventFactory(sessions=1)  # recorded as pending by the triggers
    pending = pending_summary().count

    response = admin_client.post(reverse("admin:search_index_admin_sync"), follow=True)

    assert response.status_code == 200
    assert f"{pending} changes are still pending" in response.content.decode()


@pytest.mark.django_db
def test_dashboard_panel_shows_pending_changes(admin_client) -> None:
    factories.TutorialEventFactory(sessions=1)

    page = admin_client.get(reverse("admin:index")).content.decode()

    assert 'id="index-status-panel"' in page
    assert f'<td id="index-pending">{pending_summary().count} (oldest' in page


@pytest.mark.django_db
def test_rebuild_is_for_superusers_only(client, django_user_model) -> None:
    editor = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    client.force_login(editor)

    page = client.get(reverse(STATUS))
    response = client.post(reverse("admin:search_index_admin_rebuild"))

    assert page.status_code == 200
    assert 'id="sync-now"' in page.content.decode()
    assert 'id="rebuild"' not in page.content.decode()
    assert response.status_code == 403
    assert not RebuildRun.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("opensearch_index")
def test_rebuild_runs_in_its_own_process_with_visible_progress(admin_client) -> None:
    store_products = [factories.TutorialEventFactory().store_product_id for _ in range(3)]

    response = admin_client.post(reverse("admin:search_index_admin_rebuild"), follow=True)

    assert "Rebuild started" in response.content.decode()
    run = RebuildRun.objects.get()
    progress_url = reverse("admin:search_index_admin_rebuild_progress", args=[run.pk])
    deadline = time.monotonic() + 60
    while (state := admin_client.get(progress_url).json())["active"]:
        assert time.monotonic() < deadline, state
        time.sleep(0.2)  # polling the page's own progress endpoint, as the page does
    assert state["state"] == "succeeded", state
    assert state["indexed"] == state["total"] == len(store_products)
    assert get_client().count(index=alias_name())["count"] == len(store_products)
    assert "Finished" in admin_client.get(reverse(STATUS)).content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("opensearch_index")
def test_reindex_selected_action_rewrites_the_documents(admin_client) -> None:
    event = factories.TutorialEventFactory(sessions=1)
    rebuild()
    get_client().delete(index=alias_name(), id=event.store_product_id, refresh=True)

    response = admin_client.post(
        reverse("admin:catalog_storeproduct_changelist"),
        {"action": "reindex_selected", "_selected_action": [event.store_product_id]},
        follow=True,
    )

    assert "Re-indexed 1 store products" in response.content.decode()
    assert get_client().exists(index=alias_name(), id=event.store_product_id)
