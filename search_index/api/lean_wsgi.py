"""The search endpoints answered in front of Django's handler, as the stack would answer.

The lean middleware (``search_index.api.lean_path``) still ran inside Django's WSGI
handler: the request signals, the URLconf set and reset, five middleware layers each
wrapped for exceptions, the ``request.headers`` copy of every header, and a response
object whose every header is checked as it is set, about a fifth of a search's CPU in
the worker (issue 11). This WSGI application takes the plain requests of the two search
endpoints before the handler and gives everything else to Django unchanged.

What the middlewares before the lean one would have done is done with their own code:
the request id and time budget (``config.request_context``); the response headers of
``SecurityMiddleware``, ``CorsMiddleware`` and ``XFrameOptionsMiddleware``, computed by
those middlewares on an empty response once per kind of caller (HTTPS or not, its
``Origin``) and reused, since they depend on nothing else of a search's answer. A
request that would be redirected to HTTPS goes to Django, which redirects it. Answers
other than 200 (bad input, throttled, OpenSearch down, an unexpected error) are finished
through the real middleware hooks on a response object, and logged as Django logs them.

Taken only while ``MIDDLEWARE`` starts with exactly those middlewares followed by the
lean one; with any other stack everything goes to Django. ``tests/production/
test_lean_path.py`` checks that this front, the lean middleware and the DRF views answer
alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from corsheaders.middleware import CorsMiddleware
from corsheaders.signals import check_request_enabled
from django.conf import settings
from django.core import signals
from django.core.handlers.exception import response_for_exception
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils.log import log_response

from config.request_context import REQUEST_ID_HEADER, request_id_for, request_scope
from search_index.api.lean_path import SearchEndpoints

StartResponse = Callable[..., Any]

# The middlewares a search passes before the lean one, in order; the front answers only
# while the stack is exactly this (WhiteNoise serves static paths only: nothing to add).
OUTER_MIDDLEWARE = (
    "config.request_context.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "search_index.api.lean_path.SearchEndpointsMiddleware",
)
# Kinds of caller whose headers are kept (HTTPS or not, and the Origin): a few in practice,
# bounded because the Origin header is the caller's to choose.
MAX_CALLER_KINDS = 64


def _unused(request: HttpRequest) -> HttpResponse:
    raise AssertionError("the outer middlewares' hooks are called directly")


class OuterHeaders:
    """The headers the middlewares around the lean one add to its answer."""

    def __init__(self) -> None:
        self.frame_options = XFrameOptionsMiddleware(_unused)
        self.cors = CorsMiddleware(_unused)
        self.security = SecurityMiddleware(_unused)
        self._by_caller: dict[tuple[bool, str | None, str | None], list[tuple[str, str]]] = {}

    def finish(
        self, request: HttpRequest, response: HttpResponse, frame_options: bool = True
    ) -> HttpResponse:
        """``response`` as it leaves the middlewares, in the stack's order (innermost
        first), without the request id. ``frame_options``: the lean middleware's own
        header, not added to the answer of an exception it raised."""
        if frame_options:
            self.frame_options.process_response(request, response)
        self.cors.add_response_headers(request, response)
        return self.security.process_response(request, response)

    def for_request(self, request: WSGIRequest) -> list[tuple[str, str]]:
        """What ``finish`` adds to an answer with no header of its own in common."""
        meta = request.META
        caller = (
            request.is_secure(),
            meta.get("HTTP_ORIGIN"),
            meta.get("HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK"),
        )
        headers = self._by_caller.get(caller)
        if headers is None:
            empty = HttpResponse()
            del empty["Content-Type"]
            headers = list(self.finish(request, empty).items())
            # A receiver of corsheaders' signal may look at anything in the request.
            if len(self._by_caller) < MAX_CALLER_KINDS and not check_request_enabled.receivers:
                self._by_caller[caller] = headers
        return headers


class _Body(list[bytes]):
    """The answer's body; closing it ends the request as Django's response does."""

    def __init__(self, body: bytes, request: WSGIRequest) -> None:
        super().__init__((body,))
        self.request = request

    def close(self) -> None:
        self.request.close()
        signals.request_finished.send(sender=WSGIHandler)


def _stack_is_known() -> bool:
    stack = tuple(settings.MIDDLEWARE[: len(OUTER_MIDDLEWARE)])
    return stack == OUTER_MIDDLEWARE and not settings.FORCE_SCRIPT_NAME


class SearchFirst:
    """WSGI application: the search endpoints' plain requests here, the rest to Django."""

    def __init__(self, django_application: Callable[..., Iterable[bytes]]) -> None:
        self.django = django_application
        self.search = SearchEndpoints()
        self.outer = OuterHeaders()
        self.enabled = _stack_is_known()
        self.redirect_to_https = settings.SECURE_SSL_REDIRECT

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        endpoint = (
            self.search.match(environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""))
            if self.enabled and not environ.get("SCRIPT_NAME")
            else None
        )
        if endpoint is None:
            return self.django(environ, start_response)
        request = WSGIRequest(environ)
        if (self.redirect_to_https and not request.is_secure()) or not self.search.plain(
            request, endpoint
        ):
            # Nothing was read from the body: Django reads the request afresh.
            return self.django(environ, start_response)
        signals.request_started.send(sender=WSGIHandler, environ=environ)
        rid = request_id_for(environ.get("HTTP_X_REQUEST_ID", ""))
        with request_scope(rid):
            try:
                answer = self.search.answer(request, endpoint)
            except Exception as exc:  # as Django's handler answers an unhandled one
                response = response_for_exception(request, exc)
                return self._finished(request, response, rid, start_response, frame_options=False)
            if answer.status != 200:
                return self._finished(request, answer.http_response(), rid, start_response)
        start_response(
            "200 OK",
            [*answer.headers, *self.outer.for_request(request), (REQUEST_ID_HEADER, rid)],
        )
        return _Body(answer.body, request)

    def _finished(
        self,
        request: WSGIRequest,
        response: HttpResponse,
        rid: str,
        start_response: StartResponse,
        frame_options: bool = True,
    ) -> HttpResponse:
        """An answer other than 200 through the middlewares' own hooks, logged and
        returned as Django's handler does it (closing the response ends the request)."""
        self.outer.finish(request, response, frame_options)
        response[REQUEST_ID_HEADER] = rid
        response._resource_closers.append(request.close)
        if response.status_code >= 400:
            log_response(
                "%s: %s", response.reason_phrase, request.path, response=response, request=request
            )
        response._handler_class = WSGIHandler
        start_response(
            f"{response.status_code} {response.reason_phrase}",
            [
                *response.items(),
                *(("Set-Cookie", c.output(header="")) for c in response.cookies.values()),
            ],
        )
        return response
