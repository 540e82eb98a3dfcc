"""``GET /healthz``: are PostgreSQL and OpenSearch answering right now?

Both checks run concurrently with short timeouts so the answer always comes within
about two seconds, even when a service hangs rather than refuses.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import psycopg
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from opensearchpy import OpenSearch

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 1.5


def check_database() -> None:
    """Open a fresh connection with a short timeout; Django's own may be long-lived."""
    params = connection.get_connection_params()
    params["connect_timeout"] = 1
    with psycopg.connect(**params) as conn:
        conn.execute("SELECT 1")


def check_opensearch() -> None:
    client = OpenSearch(settings.OPENSEARCH_HOSTS, timeout=CHECK_TIMEOUT_S, max_retries=0)
    try:
        # No `timeout=` here: opensearch-py takes it as the HTTP timeout, not a query param.
        client.cluster.health()
    finally:
        client.close()


CHECKS = {"database": check_database, "opensearch": check_opensearch}


def run_checks() -> dict[str, str]:
    results: dict[str, str] = {}
    pool = ThreadPoolExecutor(max_workers=len(CHECKS))
    futures = {name: pool.submit(check) for name, check in CHECKS.items()}
    for name, future in futures.items():
        try:
            future.result(timeout=CHECK_TIMEOUT_S + 0.3)
            results[name] = "ok"
        except FutureTimeout:
            results[name] = "unavailable: timed out"
        except Exception as exc:  # any failure, even a malformed URL, is "unavailable"
            logger.warning("health check %s failed: %s", name, exc)
            results[name] = f"unavailable: {type(exc).__name__}"
    # A hung check must not hold the response: let its thread finish on its own.
    pool.shutdown(wait=False, cancel_futures=True)
    return results


def healthz(request: HttpRequest) -> JsonResponse:
    results = run_checks()
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(results, status=200 if healthy else 503)
