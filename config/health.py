"""Health: ``/healthz/live`` (is this process serving?) and ``/healthz/ready`` (can it serve
searches: are PostgreSQL and OpenSearch answering right now?). ``/healthz`` is readiness.

Both readiness checks run concurrently with short timeouts, so the answer comes within
about two seconds even when a service hangs rather than refuses; while the OpenSearch
circuit breaker is open the answer is immediate. Anonymous callers learn what failed and
a coarse reason (timed out, unreachable, circuit open); staff also see exception details,
which are logged in any case.
"""

from __future__ import annotations

import logging
import socket
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionTimeout, TransportError

from config.breaker import OPENSEARCH as OPENSEARCH_BREAKER
from config.breaker import CircuitOpenError

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 1.5
# Client options that are about where and how to connect, not about timing.
_CONNECTION_OPTIONS = ("http_auth", "ca_certs", "verify_certs", "ssl_show_warn")


def check_database() -> None:
    """Open a fresh connection with a short timeout; Django's own may be long-lived."""
    params = connection.get_connection_params()
    params["connect_timeout"] = 1
    with psycopg.connect(**params) as conn:
        conn.execute("SELECT 1")


def check_opensearch() -> None:
    """Fail at once while the breaker is open; otherwise ask the cluster directly."""
    breaker = OPENSEARCH_BREAKER.snapshot()
    if breaker.state == "open":
        raise CircuitOpenError(
            OPENSEARCH_BREAKER.name, breaker.retry_after_s, breaker.last_failure or "failures"
        )
    default = settings.OPENSEARCH_DSL["default"]
    options = {key: default[key] for key in _CONNECTION_OPTIONS if key in default}
    client = OpenSearch(
        settings.OPENSEARCH_HOSTS, timeout=CHECK_TIMEOUT_S, max_retries=0, **options
    )
    try:
        client.cluster.health()
    finally:
        client.close()


CHECKS = {"database": check_database, "opensearch": check_opensearch}


def public_reason(exc: BaseException) -> str:
    """A reason safe to show anyone: what kind of failure, not which class or host."""
    if isinstance(exc, CircuitOpenError):
        return f"circuit open, retry in {max(1, round(exc.retry_after_s))} s"
    if isinstance(exc, (FutureTimeout, TimeoutError, ConnectionTimeout, socket.timeout)):
        return "timed out"
    if isinstance(exc, TransportError) and isinstance(exc.status_code, int):
        return f"answered HTTP {exc.status_code}"
    if isinstance(exc, (OSError, psycopg.OperationalError, TransportError)):
        return "unreachable"
    return "error"


def run_checks() -> tuple[dict[str, str], dict[str, str]]:
    """``({name: "ok" | "unavailable: <reason>"}, {name: exception details})``."""
    results: dict[str, str] = {}
    details: dict[str, str] = {}
    pool = ThreadPoolExecutor(max_workers=len(CHECKS))
    futures = {name: pool.submit(check) for name, check in CHECKS.items()}
    for name, future in futures.items():
        try:
            future.result(timeout=CHECK_TIMEOUT_S + 0.3)
            results[name] = "ok"
        except Exception as exc:  # any failure, even a malformed URL, is "unavailable"
            if not isinstance(exc, CircuitOpenError):
                logger.warning("health check %s failed: %r", name, exc)
            results[name] = f"unavailable: {public_reason(exc)}"
            details[name] = f"{type(exc).__name__}: {exc}"
    # A hung check must not hold the response: let its thread finish on its own.
    pool.shutdown(wait=False, cancel_futures=True)
    return results, details


def _sees_details(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(settings.DEBUG or (user is not None and user.is_staff))


def live(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers requests. Never looks at PostgreSQL or OpenSearch,
    so an orchestrator does not restart healthy workers because a backend is down."""
    return JsonResponse({"status": "alive"})


def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when both backends answer, else 503 naming what failed and why."""
    results, details = run_checks()
    healthy = all(value == "ok" for value in results.values())
    body: dict[str, Any] = dict(results)
    if _sees_details(request):
        body["details"] = {**details, "opensearch_breaker": asdict(OPENSEARCH_BREAKER.snapshot())}
    return JsonResponse(body, status=200 if healthy else 503)


# ``/healthz`` predates the split and stays the readiness view.
healthz = ready
