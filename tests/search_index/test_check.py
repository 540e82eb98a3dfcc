"""``search_index check [--repair]``: drift between database and index, found and fixed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from catalog.models import StoreProduct
from search_index import lifecycle
from search_index.client import get_client
from search_index.content_hash import content_hash
from search_index.documents import alias_name
from search_index.drift import find_drift, repair
from tests.search_index.capture_helpers import build_live_index, document


def built_document(pk: int) -> dict:
    """The document the project writes for a store product, search object and hashes
    included (what the index holds, where ``_source`` keeps the row alone)."""
    from search_index.building import iter_documents

    [(_, built)] = list(iter_documents(StoreProduct.objects.filter(pk=pk), 10))
    return built


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opensearch_index")]


def run_check(*args: str) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("search_index", "check", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_check_finds_and_repair_fixes_documents_changed_behind_our_back(small_catalog) -> None:  # type: ignore[no-untyped-def]
    build_live_index()
    client = get_client()
    deleted, altered = small_catalog.material_printed.pk, small_catalog.material_ebook.pk
    assert run_check() == ("checked 4 store products: 0 missing, 0 stale, 0 extra documents\n"
                           "Index and database agree.\n", None)  # fmt: skip

    # Given a document deleted, one altered, and one added, none of it through the project
    original = built_document(altered)
    client.delete(index=alias_name(), id=deleted)
    tampered = {**original, "product_name": "Tampered"}
    tampered["search"] = {**tampered["search"], "content_hash": content_hash(tampered)}
    client.index(index=alias_name(), id=altered, body=tampered)
    client.index(index=alias_name(), id=999999, body={"product_name": "Stray"})
    client.indices.refresh(index=alias_name())

    # When checking, then exactly those are reported, with a non-zero exit
    output, error = run_check()
    assert "1 missing, 1 stale, 1 extra" in output
    assert error is not None and "3 documents differed" in str(error)

    # When repairing, then they are fixed, and the next check is clean
    output, error = run_check("--repair")
    assert "Repaired 3 documents." in output
    assert error is not None  # drift was found this run, even though it is now fixed
    assert document(deleted) is not None
    assert document(altered) == {key: value for key, value in original.items() if key != "search"}
    assert document(999999) is None
    assert run_check()[1] is None


def write_unseen(sql: str, params: list[object]) -> None:
    """A write the outbox never hears of (triggers off for it), so no document follows."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


def store_products(**lookups: object) -> list[int]:
    return sorted(
        StoreProduct.objects.filter(is_active=True, **lookups).values_list("pk", flat=True)
    )


UNSEEN_WRITES = {
    "price": (
        "UPDATE acted.prices SET amount = amount + 1 WHERE store_product_id = %s",
        lambda catalog: [catalog.material_printed.pk],
        lambda catalog: [catalog.material_printed.pk],
    ),
    "session": (
        "UPDATE acted.tutorial_sessions SET title = 'Moved' WHERE id = (SELECT min(s.id) FROM "
        "acted.tutorial_sessions s JOIN acted.tutorial_events e ON e.id = s.tutorial_event_id "
        "WHERE e.store_product_id = %s)",
        lambda catalog: [catalog.tutorial.pk],
        lambda catalog: [catalog.tutorial.pk],
    ),
    "event": (
        "UPDATE acted.tutorial_events SET remain_space = 0 WHERE store_product_id = %s",
        lambda catalog: [catalog.tutorial.pk],
        lambda catalog: [catalog.tutorial.pk],
    ),
    "subject": (
        "UPDATE acted.subjects SET description = 'Renamed' WHERE code = %s",
        lambda catalog: ["CM1"],
        lambda catalog: store_products(exam_session_subject__subject__code="CM1"),
    ),
    "group name": (
        "UPDATE acted.product_groups SET name = 'In person' WHERE id = %s",
        lambda catalog: [catalog.groups["Face-to-face"].pk],
        lambda catalog: [catalog.tutorial.pk],
    ),
    "group membership": (
        "INSERT INTO acted.product_product_groups (product_id, product_group_id) VALUES (%s, %s)",
        lambda catalog: [
            catalog.tutorial.product_product_variation.product_id,
            catalog.groups["Live Online"].pk,
        ],
        lambda catalog: [catalog.tutorial.pk],
    ),
}


@pytest.mark.parametrize("write", UNSEEN_WRITES, ids=list(UNSEEN_WRITES))
def test_check_sees_every_kind_of_row_a_document_is_built_from(small_catalog, write) -> None:  # type: ignore[no-untyped-def]
    # Given a live index, and a row changed where the outbox cannot see it
    build_live_index()
    sql, params, affected = UNSEEN_WRITES[write]
    write_unseen(sql, params(small_catalog))

    # When checking, then exactly the store products built from that row are stale
    drift = find_drift(get_client())
    assert (drift.missing, drift.stale, drift.extra) == ([], affected(small_catalog), [])

    # and repairing rewrites them from the database
    repair(drift, get_client())
    assert find_drift(get_client()).found == 0


def test_check_reports_documents_without_hashes_as_stale(small_catalog) -> None:  # type: ignore[no-untyped-def]
    # A document written by older code, or by hand with our own fields but no hashes
    build_live_index()
    pk = small_catalog.tutorial.pk
    unsealed = built_document(pk)
    for field in ("content_hash", "source_hash"):
        del unsealed["search"][field]
    get_client().index(index=alias_name(), id=pk, body=unsealed, refresh=True)

    assert find_drift(get_client()).stale == [pk]


def test_repair_deletes_a_document_whose_id_is_no_store_product_id(small_catalog) -> None:  # type: ignore[no-untyped-def]
    build_live_index()
    get_client().index(index=alias_name(), id="left-by-a-script", body={"product_name": "X"})

    drift = find_drift(get_client())
    assert drift.extra == ["left-by-a-script"]

    assert repair(drift, get_client()) == 1
    assert not get_client().exists(index=alias_name(), id="left-by-a-script")
    assert find_drift(get_client()).found == 0


def test_check_refuses_an_index_of_another_mapping_version(small_catalog) -> None:  # type: ignore[no-untyped-def]
    build_live_index()
    live = lifecycle.live_index(get_client())
    get_client().indices.put_mapping(index=live, body={"_meta": {"mapping_version": 1}})

    _, error = run_check()

    assert error is not None
    assert f"{live} holds documents of mapping version 1" in str(error)
    assert "run rebuild" in str(error)
