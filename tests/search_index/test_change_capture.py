"""Every committed write to a table a document is built from reaches the index, whatever
wrote it; a rolled-back one records nothing (issue 8)."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import F

from catalog.models import Price, PriceType, Product, StoreProduct, Subject
from search_index.signals import indexing_failed
from search_index.sync import sync_pending
from tests import factories
from tests.search_index.capture_helpers import (
    build_live_index,
    document,
    indexed_values,
    opensearch_unreachable,
    other_connection,
    pending,
    search_count,
)
from tutorials.models import TutorialEvent, TutorialSession

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("opensearch_index"),
]


def _edit_subject_in_admin(admin_client, subject: Subject, description: str):  # type: ignore[no-untyped-def]
    """Post the admin's own change form back with one field changed."""
    url = f"/admin/catalog/subject/{subject.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value is not None}
    data["description"] = description
    return admin_client.post(url, data)


def _amounts(pk: int) -> list[str]:
    return [price["amount"] for price in document(pk)["variations"][0]["prices"]]


def test_model_save_of_a_session_title_reaches_the_index(small_catalog) -> None:  # type: ignore[no-untyped-def]
    build_live_index()
    session = TutorialSession.objects.get(sequence=1)

    session.title = "Day one, renamed in the shell"
    session.save()

    events = document(small_catalog.tutorial.pk)["variations"][0]["events"]
    titles = [s["title"] for event in events for s in event["sessions"]]
    assert "Day one, renamed in the shell" in titles
    assert pending() == 0


def test_bulk_queryset_update_of_prices_reaches_the_index(small_catalog) -> None:  # type: ignore[no-untyped-def]
    build_live_index()

    Price.objects.update(amount=F("amount") + 1)

    for store_product in StoreProduct.objects.all():
        assert _amounts(store_product.pk) == ["100.00"]


def test_queryset_delete_of_an_event_reaches_the_index(small_catalog) -> None:  # type: ignore[no-untyped-def]
    build_live_index()

    TutorialEvent.objects.filter(code="CM2-55-25S").delete()

    events = document(small_catalog.tutorial.pk)["variations"][0]["events"]
    assert [event["code"] for event in events] == ["CM2-56-25S"]


def test_bulk_create_and_bulk_update_reach_the_index(small_catalog) -> None:  # type: ignore[no-untyped-def]
    build_live_index()
    target = small_catalog.material_ebook

    Price.objects.bulk_create(
        [Price(store_product=target, price_type=PriceType.RETAKER, amount=Decimal("50"))]
    )
    assert sorted(_amounts(target.pk)) == ["50.00", "99.00"]

    prices = list(Price.objects.filter(store_product=target))
    for price in prices:
        price.amount = Decimal("10")
    Price.objects.bulk_update(prices, ["amount"])
    assert _amounts(target.pk) == ["10.00", "10.00"]


def test_many_to_many_changes_reach_the_index_with_facet_counts(small_catalog) -> None:  # type: ignore[no-untyped-def]
    build_live_index()
    groups = small_catalog.groups
    dublin = small_catalog.tutorial.product_product_variation.product
    live_online = {"term": {"search.product_types": "Live Online"}}
    assert search_count(live_online) == 0

    dublin.groups.remove(groups["Face-to-face"])
    dublin.groups.add(groups["Live Online"])

    assert indexed_values(small_catalog.tutorial.pk, "search.product_types") == ["Live Online"]
    assert search_count(live_online) == 1
    assert search_count({"term": {"search.product_types": "Face-to-face"}}) == 0


def test_raw_sql_from_another_connection_reaches_the_index_after_sync(small_catalog) -> None:  # type: ignore[no-untyped-def]
    build_live_index()

    with other_connection() as other:
        other.execute("UPDATE acted.tutorial_sessions SET title = 'Raw SQL title'")
        other.commit()
    # Another process's write: no fast path here, a worker (or sync) applies it.
    assert pending() == 1
    assert sync_pending() == 1

    events = document(small_catalog.tutorial.pk)["variations"][0]["events"]
    assert {s["title"] for event in events for s in event["sessions"]} == {"Raw SQL title"}


def test_admin_edit_reaches_the_index(small_catalog, admin_client) -> None:  # type: ignore[no-untyped-def]
    build_live_index()
    cm2 = Subject.objects.get(code="CM2")

    response = _edit_subject_in_admin(admin_client, cm2, "Edited in the admin")

    assert response.status_code == 302, response.content[:500]
    assert document(small_catalog.tutorial.pk)["subject_description"] == "Edited in the admin"


def test_a_rolled_back_write_records_nothing_and_changes_nothing(small_catalog) -> None:  # type: ignore[no-untyped-def]
    build_live_index()
    before = document(small_catalog.material_printed.pk)

    with pytest.raises(RuntimeError), transaction.atomic():
        Price.objects.update(amount=Decimal("1"))
        Product.objects.update(fullname="Never committed")
        raise RuntimeError("roll back")
    with other_connection() as other:
        other.execute("UPDATE acted.prices SET amount = 2")
        other.rollback()

    assert pending() == 0
    assert document(small_catalog.material_printed.pk) == before


def test_fan_out_renames_and_deletions_reach_every_store_product(small_catalog) -> None:  # type: ignore[no-untyped-def]
    build_live_index()
    cm2_ids = [small_catalog.material_printed.pk, small_catalog.material_ebook.pk,
               small_catalog.tutorial.pk]  # fmt: skip
    core = small_catalog.material_printed.product_product_variation.product

    # A subject rename: one outbox row, three documents
    with transaction.atomic():
        Subject.objects.filter(code="CM2").update(description="Financial Maths")
        assert pending() == 1
    assert {document(pk)["subject_description"] for pk in cm2_ids} == {"Financial Maths"}

    # A product rename reaches both subjects' store products
    Product.objects.filter(pk=core.pk).update(fullname="Core Reading")
    core_ids = [small_catalog.material_printed.pk, small_catalog.material_ebook.pk,
                small_catalog.cm1_material.pk]  # fmt: skip
    assert {document(pk)["product_name"] for pk in core_ids} == {"Core Reading"}
    assert search_count({"match_phrase": {"product_name": "core reading"}}) == 3

    # Deleting a store product (Model.delete) deletes its document and its facet count
    assert search_count({"term": {"subject_code": "CM1"}}) == 1
    doomed = small_catalog.cm1_material.pk
    small_catalog.cm1_material.delete()
    assert document(doomed) is None
    assert search_count({"term": {"subject_code": "CM1"}}) == 0


def test_group_rename_reaches_products_in_its_subtree(small_catalog) -> None:  # type: ignore[no-untyped-def]
    build_live_index()
    tutorial_root = small_catalog.groups["Tutorial"]

    tutorial_root.name = "Tutorials"
    tutorial_root.save()

    assert indexed_values(small_catalog.tutorial.pk, "search.categories") == ["Tutorials"]
    assert search_count({"term": {"search.categories": "Tutorials"}}) == 1


def test_opensearch_down_edits_succeed_stay_pending_and_one_sync_drains_them(
    small_catalog, admin_client
) -> None:  # type: ignore[no-untyped-def]
    build_live_index()
    warnings: list[int] = []

    def on_failure(sender, pending, **kwargs) -> None:  # type: ignore[no-untyped-def]
        warnings.append(pending)

    indexing_failed.connect(on_failure)
    cm1 = Subject.objects.get(code="CM1")
    try:
        with opensearch_unreachable():
            # 25 ORM edits and 25 admin edits, every one committed
            for n in range(25):
                Price.objects.filter(store_product=small_catalog.tutorial).update(amount=n)
                response = _edit_subject_in_admin(admin_client, cm1, f"Offline edit {n}")
                assert response.status_code == 302
            assert pending() == 50
            assert warnings[-1] == 50
            # status shows the backlog although OpenSearch cannot be reached
            out = StringIO()
            with pytest.raises(CommandError, match="not reachable"):
                call_command("search_index", "status", stdout=out)
            assert "pending changes: 50 (oldest" in out.getvalue()
    finally:
        indexing_failed.disconnect(on_failure)

    assert sync_pending() == 50
    assert pending() == 0
    assert _amounts(small_catalog.tutorial.pk) == ["24.00"]
    assert document(small_catalog.cm1_material.pk)["subject_description"] == "Offline edit 24"
    out = StringIO()
    call_command("search_index", "check", stdout=out)
    assert "0 missing, 0 stale, 0 extra" in out.getvalue()


def test_a_write_before_any_index_exists_stays_pending_for_the_first_rebuild(db) -> None:  # type: ignore[no-untyped-def]
    from search_index import lifecycle
    from search_index.client import get_client

    factories.PriceFactory()

    # The fast path did not create a concrete index in the alias's name
    assert lifecycle.versioned_indices(get_client()) == []
    assert not get_client().indices.exists(index=lifecycle.alias_name())
    assert pending() > 0
    build_live_index()
    assert pending() == 0


def test_the_capture_migration_is_reversible(db) -> None:  # type: ignore[no-untyped-def]
    def triggers() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'search_index_%'")
            return cursor.fetchone()[0]

    assert triggers() == 36  # 12 tables, insert/update/delete each
    call_command("migrate", "search_index", "0001", verbosity=0)
    try:
        assert triggers() == 0
    finally:
        call_command("migrate", "search_index", verbosity=0)
    assert triggers() == 36
