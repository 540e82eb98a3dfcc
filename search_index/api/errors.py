"""API errors as JSON that names the problem, never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from opensearchpy.exceptions import NotFoundError, RequestError, SerializationError, TransportError
from rest_framework import status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """``{"filters": {"subjects": [...]}}`` → ``{"filters.subjects": [...]}``."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(key, int):  # a list item: filters.product_ids[0]
                path = f"{prefix}[{key}]"
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, path))
        return flat
    if isinstance(detail, list) and detail and all(isinstance(d, (dict, list)) for d in detail):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(_flatten(value, f"{prefix}[{index}]"))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "body": [str(message) for message in messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ValidationError):
        errors = _flatten(exc.detail)
        return Response(
            {"detail": "Invalid request.", "errors": errors}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, ParseError):
        return Response(
            {"detail": "Invalid request.", "errors": {"body": [str(exc.detail)]}},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, NotFoundError):
        logger.error("search index missing: %s", exc)
        return Response(
            {"detail": "The search index has not been built yet."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    if isinstance(exc, (RequestError, SerializationError)):
        # The cluster refused our query (HTTP 400), or it could not be encoded: a bug on
        # our side that retrying will not fix, so not "temporarily unavailable".
        logger.error("search request rejected: %s", exc, exc_info=exc)
        return Response({"detail": "Search failed."}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    if isinstance(exc, (OpenSearchConnectionError, TransportError)):
        logger.error("search unavailable: %s", exc)
        return Response(
            {"detail": "Search is temporarily unavailable."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    return drf_exception_handler(exc, context)
