"""``GET /healthz`` against the real services, and with each one made unreachable."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client

from config import health
from tests.network import closed_port, silent_server

if TYPE_CHECKING:  # pytest-django >= 4.12 names it Settings (SettingsWrapper before)
    from pytest_django.fixtures import Settings

# Far below the opensearch-py default timeout (10 s) a hung service would otherwise cost,
# far above the check's own 1.5 s: a bound on behaviour (the check gives up by itself),
# not on how fast this machine is.
GIVES_UP_WITHIN_S = 8


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
    response = client.get("/healthz")

    # then it is a 503 that names OpenSearch as refusing (not as timed out: the refusal
    # was the answer, nothing waited for the check's timeout), without a traceback
    body = response.json()
    assert response.status_code == 503
    assert body["database"] == "ok"
    assert body["opensearch"] == "unavailable: unreachable"
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_healthz_gives_up_on_an_opensearch_that_never_answers(
    client: Client, settings: Settings
) -> None:
    # given OpenSearch at an address that accepts connections and never answers
    with silent_server() as port:
        settings.OPENSEARCH_HOSTS = [f"http://127.0.0.1:{port}"]

        # when we ask for health
        response, elapsed = timed_get(client, "/healthz")

    # then the check's own timeout ended the wait: a 503 saying so
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "opensearch": "unavailable: timed out"}
    assert elapsed < GIVES_UP_WITHIN_S


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
    response = client.get("/healthz")

    # then it is a 503 that names the database as refusing, without a traceback
    body = response.json()
    assert response.status_code == 503
    assert body["opensearch"] == "ok"
    assert body["database"] == "unavailable: unreachable"
    assert "Traceback" not in response.content.decode()
