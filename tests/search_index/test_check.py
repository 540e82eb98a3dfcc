"""``search_index check [--repair]``: drift between database and index, found and fixed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from search_index.client import get_client
from search_index.content_hash import content_hash
from search_index.documents import alias_name
from tests.search_index.capture_helpers import build_live_index, document

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
    original = document(altered)
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
    assert document(altered) == original
    assert document(999999) is None
    assert run_check()[1] is None
