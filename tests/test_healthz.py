"""``GET /healthz`` against the real services, and with each one made unreachable."""

from __future__ import annotations

import socket
import time
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client

from catalog import health

if TYPE_CHECKING:  # pytest-django >= 4.12 names it Settings (SettingsWrapper before)
    from pytest_django.fixtures import Settings

ANSWER_WITHIN_S = 2.5  # the promise is 2 s; the margin absorbs a slow test machine


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def timed_get(client: Client, path: str) -> tuple[HttpResponse, float]:
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


@pytest.mark.django_db
def test_healthz_is_ok_when_both_services_answer(client: Client) -> None:
    # given the real PostgreSQL and OpenSearch of this run

    # when we ask for health
    response = client.get("/healthz")

    # then both are ok
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "opensearch": "ok"}


@pytest.mark.django_db
def test_healthz_names_opensearch_when_its_port_is_closed(
    client: Client, settings: Settings
) -> None:
    # given OpenSearch configured on a port nothing listens on
    settings.OPENSEARCH_HOSTS = [f"http://127.0.0.1:{closed_port()}"]

    # when we ask for health
    response, elapsed = timed_get(client, "/healthz")

    # then it is a prompt 503 that names OpenSearch, without a traceback
    body = response.json()
    assert response.status_code == 503
    assert body["database"] == "ok"
    assert body["opensearch"].startswith("unavailable")
    assert "Traceback" not in response.content.decode()
    assert elapsed < ANSWER_WITHIN_S


@pytest.mark.django_db
def test_healthz_names_the_database_when_it_is_unreachable(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given database parameters that point at a port nothing listens on
    params = {**connection.get_connection_params(), "host": "127.0.0.1", "port": closed_port()}
    monkeypatch.setattr(
        health, "connection", SimpleNamespace(get_connection_params=lambda: dict(params))
    )

    # when we ask for health
    response, elapsed = timed_get(client, "/healthz")

    # then it is a prompt 503 that names the database, without a traceback
    body = response.json()
    assert response.status_code == 503
    assert body["opensearch"] == "ok"
    assert body["database"].startswith("unavailable")
    assert "Traceback" not in response.content.decode()
    assert elapsed < ANSWER_WITHIN_S
