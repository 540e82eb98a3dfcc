"""Fixtures for the production-readiness tests (issue 13)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from django.conf import settings

from search_index.client import configure_connections


@pytest.fixture
def frozen_opensearch() -> Iterator[str]:
    """A URL where connections are accepted and never answered: a stopped (SIGSTOP) node.

    The kernel completes TCP handshakes into the listen backlog without the process ever
    calling accept, exactly what a frozen OpenSearch looks like to a client.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


@pytest.fixture
def search_hosts(settings_restored: None) -> Iterator[object]:
    """Point the search client at other hosts for one test: ``search_hosts(["http://…"])``."""

    def point_at(hosts: list[str]) -> None:
        settings.OPENSEARCH_DSL = {
            **settings.OPENSEARCH_DSL,
            "default": {**settings.OPENSEARCH_DSL["default"], "hosts": hosts},
        }
        settings.OPENSEARCH_HOSTS = hosts
        configure_connections()

    yield point_at


@pytest.fixture
def settings_restored() -> Iterator[None]:
    saved = settings.OPENSEARCH_DSL, settings.OPENSEARCH_HOSTS
    yield
    settings.OPENSEARCH_DSL, settings.OPENSEARCH_HOSTS = saved
    configure_connections()
