"""Admin edits reach the search index after commit; a down cluster never loses a save."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog.models import StoreProduct
from search_index.client import get_client
from search_index.documents import alias_name
from search_index.rebuild import rebuild
from search_index.sync import pending_count, reindex_store_products
from tutorials.models import TutorialSession

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opensearch_index")]


def change_form(event, **changes):  # type: ignore[no-untyped-def]
    sessions = list(event.sessions.all())
    data = {
        "code": event.code,
        "venue": event.venue,
        "location": event.location,
        "remain_space": str(event.remain_space),
        "start_date": str(event.start_date),
        "end_date": str(event.end_date),
        "store_product": str(event.store_product_id),
        "sessions-TOTAL_FORMS": str(len(sessions)),
        "sessions-INITIAL_FORMS": str(len(sessions)),
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    for i, session in enumerate(sessions):
        local_start = session.start_date.astimezone()
        local_end = session.end_date.astimezone()
        data.update(
            {
                f"sessions-{i}-id": str(session.pk),
                f"sessions-{i}-tutorial_event": str(event.pk),
                f"sessions-{i}-sequence": str(session.sequence),
                f"sessions-{i}-title": changes.get(f"title_{session.sequence}", session.title),
                f"sessions-{i}-location": session.location,
                f"sessions-{i}-venue": session.venue,
                f"sessions-{i}-start_date_0": local_start.strftime("%Y-%m-%d"),
                f"sessions-{i}-start_date_1": local_start.strftime("%H:%M:%S"),
                f"sessions-{i}-end_date_0": local_end.strftime("%Y-%m-%d"),
                f"sessions-{i}-end_date_1": local_end.strftime("%H:%M:%S"),
                f"sessions-{i}-url": "",
            }
        )
    return data


def indexed_session_titles(store_product_id: int) -> list[str]:
    source = get_client().get(index=alias_name(), id=store_product_id)["_source"]
    event = next(e for e in source["variations"][0]["events"] if e["code"] == "CM2-55-25S")
    return [session["title"] for session in event["sessions"]]


def test_an_admin_edit_reaches_the_index_after_commit(
    admin_client, small_catalog, django_capture_on_commit_callbacks
) -> None:
    rebuild()
    event = small_catalog.tutorial.tutorial_events.get(code="CM2-55-25S")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:tutorials_tutorialevent_change", args=[event.pk]),
            change_form(event, title_2="Day 2 - Exam technique"),
        )

    assert response.status_code == 302
    assert indexed_session_titles(small_catalog.tutorial.pk) == [
        "Day 1",
        "Day 2 - Exam technique",
        "Day 3",
    ]


def test_a_save_with_opensearch_down_is_kept_and_logged(
    admin_client, small_catalog, django_capture_on_commit_callbacks, monkeypatch, caplog
) -> None:
    from opensearchpy import OpenSearch

    rebuild()
    down = OpenSearch(["http://127.0.0.1:9"], max_retries=0, timeout=1)
    monkeypatch.setattr("search_index.sync.get_sync_client", lambda: down)
    event = small_catalog.tutorial.tutorial_events.get(code="CM2-55-25S")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:tutorials_tutorialevent_change", args=[event.pk]),
            change_form(event, title_1="Day 1 - Saved anyway"),
        )

    assert response.status_code == 302
    assert TutorialSession.objects.get(tutorial_event=event, sequence=1).title == (
        "Day 1 - Saved anyway"
    )
    assert "search index not updated" in caplog.text
    assert pending_count() == 1

    # And once OpenSearch answers again, `search_index sync` applies the pending change
    monkeypatch.undo()
    call_command("search_index", "sync")
    assert indexed_session_titles(small_catalog.tutorial.pk)[0] == "Day 1 - Saved anyway"
    assert pending_count() == 0


def test_replay_applies_changes_made_after_a_rebuild_started(small_catalog) -> None:
    from search_index.sync import replay_changes

    result = rebuild()
    session = TutorialSession.objects.get(tutorial_event__code="CM2-55-25S", sequence=3)
    session.title = "Day 3 - Mock exam"
    session.save()

    replayed = replay_changes(get_client(), result.index, result.started_at)

    # Everything stamped within the replay margin is replayed: here the whole catalog,
    # built moments ago.
    assert replayed == StoreProduct.objects.count()
    assert indexed_session_titles(small_catalog.tutorial.pk)[2] == "Day 3 - Mock exam"


def test_deactivating_a_store_product_removes_it(small_catalog) -> None:
    rebuild()
    store_product = small_catalog.material_ebook
    store_product.is_active = False
    store_product.save()

    reindex_store_products([store_product.pk])

    assert not get_client().exists(index=alias_name(), id=store_product.pk)


def test_renaming_a_parent_group_reindexes_its_subtree(
    admin_client, small_catalog, django_capture_on_commit_callbacks
) -> None:
    rebuild()
    tutorial = small_catalog.groups["Tutorial"]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:catalog_productgroup_change", args=[tutorial.pk]),
            {"name": "Tutorials", "code": tutorial.code, "parent": "", "display_order": "1"},
        )

    assert response.status_code == 302
    source = get_client().get(index=alias_name(), id=small_catalog.tutorial.pk)["_source"]
    assert source["search"]["categories"] == ["Tutorials"]
    # The row type follows the group's code, not its editable name
    assert source["type"] == "Tutorial"
    assert "Face-to-face" in source["search"]["modes_of_delivery"]


def test_bulk_deleting_prices_reindexes_their_store_products(
    admin_client, small_catalog, django_capture_on_commit_callbacks
) -> None:
    from catalog.models import Price

    rebuild()
    price = Price.objects.get(store_product=small_catalog.material_ebook)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:catalog_price_changelist"),
            {"action": "delete_selected", "_selected_action": [price.pk], "post": "yes"},
        )

    assert response.status_code == 302
    source = get_client().get(index=alias_name(), id=small_catalog.material_ebook.pk)["_source"]
    assert source["variations"][0]["prices"] == []


def test_moving_an_event_reindexes_both_store_products(
    admin_client, small_catalog, django_capture_on_commit_callbacks
) -> None:
    from tests import factories

    rebuild()
    other = factories.StoreProductFactory(
        exam_session_subject=small_catalog.tutorial.exam_session_subject,
        product_product_variation__product_variation__variation_type="Tutorial",
    )
    reindex_store_products([other.pk])
    event = small_catalog.tutorial.tutorial_events.get(code="CM2-55-25S")

    form = change_form(event)
    form["store_product"] = str(other.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:tutorials_tutorialevent_change", args=[event.pk]), form
        )

    assert response.status_code == 302

    def event_codes(store_product_id: int) -> list[str]:
        source = get_client().get(index=alias_name(), id=store_product_id)["_source"]
        return [e["code"] for e in source["variations"][0]["events"]]

    assert event_codes(small_catalog.tutorial.pk) == ["CM2-56-25S"]
    assert event_codes(other.pk) == ["CM2-55-25S"]
