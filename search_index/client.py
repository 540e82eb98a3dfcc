"""The OpenSearch client, configured once from settings, with a fast JSON serializer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from django.conf import settings
from opensearchpy import OpenSearch
from opensearchpy.connection.connections import connections
from opensearchpy.exceptions import SerializationError
from opensearchpy.serializer import JSONSerializer


def _fallback(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"Unable to serialize {value!r} ({type(value).__name__})")


class OrjsonSerializer(JSONSerializer):
    """orjson encodes a bulk body several times faster than the standard library."""

    def dumps(self, data: Any) -> str:
        if isinstance(data, str):
            return data
        try:
            return orjson.dumps(data, default=_fallback, option=orjson.OPT_NON_STR_KEYS).decode()
        except (TypeError, orjson.JSONEncodeError) as exc:
            raise SerializationError(data, exc) from exc

    def loads(self, s: str) -> Any:
        return orjson.loads(s)


# Indexing after an admin save runs in the request: a hung cluster must not hold it for
# long. Pending changes are applied later anyway (``search_index sync``).
SYNC_ALIAS = "sync"
SYNC_TIMEOUT_S = 2.0


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
    connections.configure(**configured)


def get_client() -> OpenSearch:
    return connections.get_connection()


def get_sync_client() -> OpenSearch:
    return connections.get_connection(SYNC_ALIAS)
