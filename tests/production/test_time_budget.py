"""A search answers or fails within its time budget; with the circuit open, at once."""

from __future__ import annotations

import os
import statistics
import time

import pytest
from django.test import Client

from config.breaker import OPENSEARCH as OPENSEARCH_BREAKER
from search_index.client import PROBE_TIMEOUT_S
from tests.endpoints import UNIFIED

pytestmark = pytest.mark.django_db
BUDGET_S = 2.0
OPEN_CIRCUIT_S = 0.05
# What a request spends outside OpenSearch (routing, validation, rendering) on a test
# machine that other work may be loading.
SLACK_S = 0.5


def timed_search(client: Client) -> tuple[int, dict[str, object], str | None, float]:
    started = time.monotonic()
    response = client.post(UNIFIED, data={}, content_type="application/json")
    elapsed = time.monotonic() - started
    return response.status_code, response.json(), response.get("Retry-After"), elapsed


def test_a_frozen_opensearch_is_a_503_within_the_budget_then_instant(
    client: Client, frozen_opensearch: str, search_hosts
) -> None:  # type: ignore[no-untyped-def]
    # given OpenSearch accepts connections but never answers
    search_hosts([frozen_opensearch])

    # when searches keep coming until the circuit opens
    slow = [timed_search(client) for _ in range(OPENSEARCH_BREAKER.failure_threshold)]
    fast = [timed_search(client) for _ in range(5)]

    # then each slow one is a JSON 503 with Retry-After within the budget (plus test slack)
    for status, body, retry_after, elapsed in slow:
        assert status == 503, body
        assert "unavailable" in str(body).lower()
        assert retry_after is not None and int(retry_after) >= 1
        assert elapsed < BUDGET_S + SLACK_S
    # and once the circuit is open they fail in milliseconds, saying when to retry
    assert OPENSEARCH_BREAKER.snapshot().state == "open"
    for status, body, retry_after, _ in fast:
        assert status == 503, body
        assert retry_after is not None and 1 <= int(retry_after) <= 6
    assert statistics.median(elapsed for *_, elapsed in fast) < OPEN_CIRCUIT_S


def test_a_refused_connection_opens_the_circuit_and_health_says_why(
    client: Client, search_hosts
) -> None:  # type: ignore[no-untyped-def]
    # given nothing listens where OpenSearch should be
    search_hosts(["http://127.0.0.1:9"])

    # when searches fail until the circuit opens
    for _ in range(OPENSEARCH_BREAKER.failure_threshold):
        assert timed_search(client)[0] == 503

    # then readiness reports the open circuit at once, without internals
    started = time.monotonic()
    response = client.get("/healthz/ready")
    assert time.monotonic() - started < 0.5
    assert response.status_code == 503
    assert response.json()["opensearch"].startswith("unavailable: circuit open")
    assert "details" not in response.json()


def test_the_circuit_lets_one_probe_through_after_the_cool_down(
    client: Client, search_hosts
) -> None:  # type: ignore[no-untyped-def]
    # given a circuit opened by a refused connection, with a short cool-down
    search_hosts(["http://127.0.0.1:9"])
    OPENSEARCH_BREAKER.configure(failure_threshold=1, reset_after_s=0.2)
    assert timed_search(client)[0] == 503
    assert OPENSEARCH_BREAKER.snapshot().state == "open"
    assert timed_search(client)[3] < OPEN_CIRCUIT_S * 4

    # when OpenSearch is back and the cool-down has passed
    search_hosts(os.environ["OPENSEARCH_URL"].split(","))
    OPENSEARCH_BREAKER.configure(failure_threshold=1, reset_after_s=0.2)
    deadline = time.monotonic() + 2
    while OPENSEARCH_BREAKER.snapshot().state == "open" and time.monotonic() < deadline:
        time.sleep(0.02)

    # then the next search probes the cluster, which answers, and the circuit closes
    timed_search(client)
    assert OPENSEARCH_BREAKER.snapshot().state == "closed"


def test_while_still_frozen_the_probe_after_the_cool_down_is_short(
    client: Client, frozen_opensearch: str, search_hosts
) -> None:  # type: ignore[no-untyped-def]
    # given a circuit opened by a frozen OpenSearch, with a short cool-down
    search_hosts([frozen_opensearch])
    OPENSEARCH_BREAKER.configure(failure_threshold=1, reset_after_s=0.2)
    assert timed_search(client)[0] == 503
    deadline = time.monotonic() + 2
    while OPENSEARCH_BREAKER.snapshot().state == "open" and time.monotonic() < deadline:
        time.sleep(0.02)

    # when the next search is let through as the probe and OpenSearch is still frozen
    status, _, _, elapsed = timed_search(client)

    # then it fails after one short attempt, not the whole budget, and the circuit re-opens
    assert status == 503
    assert elapsed < PROBE_TIMEOUT_S + SLACK_S
    assert OPENSEARCH_BREAKER.snapshot().state == "open"
