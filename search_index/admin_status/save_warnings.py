"""After a save whose index update failed, the editor is told so, on the next page.

The fast path sends ``indexing_failed`` from the on-commit callback, i.e. inside the
request that saved. The middleware remembers that request for the duration of the call
(a context variable: right per thread and per async task), and the receiver adds a
warning message to it — so the editor never sees a success-only message for a change
that search does not show yet.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from search_index.signals import indexing_failed

_current_request: ContextVar[HttpRequest | None] = ContextVar("admin_request", default=None)


def pending_warning(pending: int) -> str:
    return (
        "Saved; search will show it once the index is reachable — pending changes: "
        f"{pending}. The index status page can apply them (sync now)."
    )


class SaveWarningMiddleware:
    """Makes the current request available to the ``indexing_failed`` receiver."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def warn_editor(sender: Any, pending: int = 0, **kwargs: Any) -> None:
    request = _current_request.get()
    # Only where messages are shown (the admin); a script or worker has no request.
    if request is None or not hasattr(request, "_messages"):
        return
    messages.warning(request, pending_warning(pending))


def connect() -> None:
    indexing_failed.connect(warn_editor, dispatch_uid="search_index_admin.warn_editor")
