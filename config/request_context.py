"""Per-request context: a request id for the logs and a deadline for backend calls.

The middleware sets both in context variables, so the JSON log formatter and the
OpenSearch transport read them without being handed the request.
"""

from __future__ import annotations

import contextvars
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# A caller-supplied id is kept only if it is short and harmless in a log line.
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)


def remaining_budget_s() -> float | None:
    """Seconds left for backend calls in this request; None outside a request."""
    deadline = _deadline.get()
    return None if deadline is None else deadline - time.monotonic()


def request_id_for(given: str) -> str:
    """The caller's ``X-Request-ID`` if it is safe to log, else a new one."""
    return given if _SAFE_ID.fullmatch(given) else uuid.uuid4().hex


@contextmanager
def request_scope(rid: str) -> Iterator[None]:
    """The request id and the time budget set for what runs inside (the middleware
    below, and the search endpoints' WSGI front, ``search_index.api.lean_wsgi``)."""
    id_token = request_id.set(rid)
    deadline_token = _deadline.set(time.monotonic() + float(settings.SEARCH_BUDGET["REQUEST_S"]))
    try:
        yield
    finally:
        _deadline.reset(deadline_token)
        request_id.reset(id_token)


class RequestContextMiddleware:
    """Give every request an id (echoed in ``X-Request-ID``) and a time budget."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id_for(request.headers.get(REQUEST_ID_HEADER, ""))
        with request_scope(rid):
            response = self.get_response(request)
        response[REQUEST_ID_HEADER] = rid
        return response
