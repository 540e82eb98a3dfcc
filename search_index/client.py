"""The OpenSearch clients, configured once from settings, with a fast JSON serializer.

Three connections: ``default`` for index maintenance (rebuild, commands: long timeouts),
``sync`` for re-indexing after an admin save (short, no retries), and ``search`` for
the API, whose every call fits the request's time budget and goes through the circuit
breaker (``config.breaker.OPENSEARCH``) so that a down or frozen cluster costs a search
milliseconds, not the budget.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from django.conf import settings
from opensearchpy import OpenSearch, Transport
from opensearchpy.connection.connections import connections
from opensearchpy.exceptions import (
    ConnectionError,
    ConnectionTimeout,
    SerializationError,
    TransportError,
)
from opensearchpy.serializer import JSONSerializer

from config.breaker import OPENSEARCH as BREAKER
from config.request_context import remaining_budget_s
from search_index.lean_connection import LeanHttpConnection


def _fallback(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"Unable to serialize {value!r} ({type(value).__name__})")


def encode_json(data: Any) -> bytes:
    """``data`` as the client's serializer encodes it, as bytes (``SerializationError``
    if it cannot be)."""
    try:
        return orjson.dumps(data, default=_fallback, option=orjson.OPT_NON_STR_KEYS)
    except (TypeError, orjson.JSONEncodeError) as exc:
        raise SerializationError(data, exc) from exc


class OrjsonSerializer(JSONSerializer):
    """orjson encodes a bulk body several times faster than the standard library."""

    def dumps(self, data: Any) -> str | bytes:
        if isinstance(data, str | bytes):  # encoded already (opensearch-py's rule)
            return data
        return encode_json(data).decode()

    def loads(self, s: str) -> Any:
        return orjson.loads(s)


# Cluster answers that mean "not available right now" rather than "bad request".
UNAVAILABLE_STATUSES = frozenset({429, 502, 503, 504})
# The half-open probe's single attempt: long enough for a healthy cluster, short for the
# shopper whose search it is while the cluster is still down.
PROBE_TIMEOUT_S = 0.5


class BudgetedTransport(Transport):
    """Retries within the request's remaining time budget, behind the circuit breaker.

    opensearch-py's own loop gives every attempt the full timeout, so retries multiply
    the worst case; here each attempt gets at most what is left of the budget, and a
    request whose budget is spent fails at once with ``ConnectionTimeout``.
    """

    def perform_request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        params: Any = None,
        body: Any = None,
        timeout: float | None = None,
        ignore: Any = (),
        headers: Any = None,
        *,
        decode: bool = True,
    ) -> Any:
        """``decode=False``: the answer's body as bytes, not decoded (for
        ``search_index.search.json_rows``)."""
        probe = BREAKER.before_call()
        method, params, body, ignore, timeout = self._resolve_request_args(
            method, params, body, ignore, timeout
        )
        if probe:  # one short attempt: a real search waits on it
            timeout = min(timeout or PROBE_TIMEOUT_S, PROBE_TIMEOUT_S)
        try:
            result = self._attempts(
                method,
                url,
                params,
                body,
                timeout,
                ignore,
                headers,
                retries=0 if probe else None,
                decode=decode,
            )
        except (ConnectionError, ConnectionTimeout) as exc:
            BREAKER.record_failure(type(exc).__name__)
            raise
        except TransportError as exc:
            if exc.status_code in UNAVAILABLE_STATUSES:
                BREAKER.record_failure(f"HTTP {exc.status_code}")
            else:  # the cluster answered: it is up
                BREAKER.record_success()
            raise
        except BaseException:
            BREAKER.release_probe()
            raise
        BREAKER.record_success()
        return result

    def _attempts(
        self,
        method: str,
        url: str,
        params: Any,
        body: Any,
        timeout: float | None,
        ignore: Any,
        headers: Any,
        retries: int | None = None,
        decode: bool = True,
    ) -> Any:
        max_retries = self.max_retries if retries is None else retries
        for attempt in range(max_retries + 1):
            left = remaining_budget_s()
            if left is not None and left <= 0.01:
                raise ConnectionTimeout("TIMEOUT", "request time budget spent", None)
            attempt_timeout = timeout if left is None else min(timeout or left, left)
            connection = self.get_connection()
            try:
                status, response_headers, data = connection.perform_request(
                    method,
                    url,
                    params,
                    body,
                    headers=headers,
                    ignore=ignore,
                    timeout=attempt_timeout,
                )
            except TransportError as exc:
                if method == "HEAD" and exc.status_code == 404:
                    return False
                retry = (
                    isinstance(exc, ConnectionError)
                    and (self.retry_on_timeout or not isinstance(exc, ConnectionTimeout))
                ) or exc.status_code in self.retry_on_status
                if not retry or attempt == max_retries:
                    raise
                self.mark_dead(connection)
                continue
            self.connection_pool.mark_live(connection)
            if method == "HEAD":
                return 200 <= status < 300
            if not decode:  # bytes from the lean connection, text from urllib3's
                return data.encode() if isinstance(data, str) else data
            content_type = {k.lower(): v for k, v in response_headers.items()}.get("content-type")
            return self.deserializer.loads(data, content_type) if data else data
        raise AssertionError("unreachable: the last attempt returns or raises")


# Indexing after an admin save runs in the request: a hung cluster must not hold it for
# long. Pending changes are applied later anyway (``search_index sync``).
SYNC_ALIAS = "sync"
SYNC_TIMEOUT_S = 2.0
SEARCH_ALIAS = "search"


def search_connection_options(default: dict[str, Any]) -> dict[str, Any]:
    """The ``search`` connection: the default's hosts and security, the budget's timeouts."""
    budget = settings.SEARCH_BUDGET
    BREAKER.configure(budget["BREAKER_FAILURES"], budget["BREAKER_RESET_S"])
    return {
        **default,
        "transport_class": BudgetedTransport,
        # Plain HTTP on a kept-open connection per thread, answers parsed from bytes.
        "connection_class": LeanHttpConnection,
        "timeout": budget["ATTEMPT_TIMEOUT_S"],
        "max_retries": budget["RETRIES"],
        "retry_on_timeout": True,
        # A node that refused or timed out is skipped for this long, then tried again.
        "dead_timeout": 10,
    }


def configure_connections() -> None:
    """django-opensearch-dsl's connections from ``OPENSEARCH_DSL``, with our serializer."""
    configured = {
        alias: {"serializer": OrjsonSerializer(), **options}
        for alias, options in settings.OPENSEARCH_DSL.items()
    }
    configured[SYNC_ALIAS] = {
        **configured["default"],
        "timeout": SYNC_TIMEOUT_S,
        "max_retries": 0,
        "retry_on_timeout": False,
    }
    configured[SEARCH_ALIAS] = search_connection_options(configured["default"])
    connections.configure(**configured)


def get_client() -> OpenSearch:
    return connections.get_connection()


def get_sync_client() -> OpenSearch:
    return connections.get_connection(SYNC_ALIAS)


def get_search_client() -> OpenSearch:
    """The API's client: bounded by the request's time budget, behind the circuit breaker."""
    return connections.get_connection(SEARCH_ALIAS)
