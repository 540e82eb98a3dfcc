"""``manage.py search_index``: subcommands, and clear errors instead of tracebacks."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from opensearchpy import OpenSearch

from search_index import lifecycle
from search_index.client import get_client
from search_index.documents import alias_name

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opensearch_index")]


def test_create_then_delete(capsys) -> None:
    call_command("search_index", "create")
    client = get_client()
    live = lifecycle.live_index(client)
    assert live is not None
    assert client.count(index=alias_name())["count"] == 0

    with pytest.raises(CommandError, match="already points at an index"):
        call_command("search_index", "create")

    call_command("search_index", "delete", "--no-input")
    assert lifecycle.versioned_indices(client) == []
    assert "Deleted 1 indices" in capsys.readouterr().out


def test_dry_run_changes_nothing(small_catalog, capsys) -> None:
    call_command("search_index", "rebuild", "--dry-run")

    assert "Dry run: 4 store products would be indexed" in capsys.readouterr().out
    assert lifecycle.versioned_indices(get_client()) == []


def test_rebuild_with_opensearch_down_is_a_command_error(small_catalog, monkeypatch) -> None:
    down = OpenSearch(["http://127.0.0.1:9"], max_retries=0, timeout=1)
    monkeypatch.setattr("search_index.management.commands.search_index.get_client", lambda: down)

    with pytest.raises(CommandError, match=r"OpenSearch is not reachable.*make services"):
        call_command("search_index", "rebuild", "--quiet")


def test_status_before_any_rebuild(capsys) -> None:
    call_command("search_index", "status")

    assert "(none — run rebuild)" in capsys.readouterr().out


def test_openapi_schema_renders(client) -> None:
    response = client.get("/api/search/schema/")

    assert response.status_code == 200
    assert b"/api/search/unified/" in response.content


@pytest.mark.parametrize("option", ["--chunk-size", "--workers", "--keep"])
def test_rebuild_options_must_be_positive(option) -> None:
    with pytest.raises(CommandError, match="must be a positive integer"):
        call_command("search_index", "rebuild", option, "0")
