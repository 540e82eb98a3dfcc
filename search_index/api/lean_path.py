"""The two search endpoints, answered without the middleware and dispatch they do not use.

Through Django's whole middleware stack and DRF's view dispatch a search spent about
1 ms of CPU outside the search itself (issue 11): sessions, CSRF, authentication,
messages, the admin's save warnings, axes, DRF's request wrapping, content negotiation
and response finalising; the whole request has about 1 ms outside OpenSearch. This
middleware sits right after the ones every request needs (request id and time budget,
security headers and the HTTPS redirect, static files, CORS) and answers
``POST /api/search/unified/`` and ``GET /api/catalog/search/`` itself, with DRF's own
pieces for what DRF did: ``REST_FRAMEWORK``'s throttles, the bounded JSON parser
(issue 13's limits), the API's exception handler (the same error bodies and
``Retry-After``), the configured renderer; and the ``X-Frame-Options`` header the later
middleware would have added. The time budget and the circuit breaker live in the search
client and apply alike.

Only the plain case is taken: the exact path and method, a JSON body (or none), an
``Accept`` that JSON satisfies, no ``?format=``, and an API without authentication or
permission classes. Anything else goes on through the stack to the DRF views, which stay
the reference (and the OpenAPI schema's source): ``tests/production/test_lean_path.py``
checks that both answer alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.urls import reverse
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from search_index.api.parsers import parse_bounded_json
from search_index.api.search_box import search_box_answer
from search_index.api.unified import unified_search
from search_index.api.views import SearchBoxView, UnifiedSearchView


@dataclass(frozen=True)
class Endpoint:
    """One search endpoint: the DRF view it stands in for, and its answer."""

    view: type[APIView]
    answer: Callable[[HttpRequest], Any]
    reads_body: bool


def _unified(request: HttpRequest) -> Any:
    try:  # as DRF reads it: no length (or a bad one) is no body
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = parse_bounded_json(request) if length > 0 else {}
    return unified_search(body, request.GET, rows_as_json=True)


def _search_box(request: HttpRequest) -> Any:
    return search_box_answer(request.GET)


def _accepts_json(accept: str) -> bool:
    return not accept or "*/*" in accept or "application/json" in accept


@dataclass(frozen=True, slots=True)
class LeanAnswer:
    """An endpoint's answer before the outer middlewares' headers: status, the rendered
    body, and its own headers (``Content-Type``, ``Content-Length``, ``Allow``, and what
    the exception handler set, such as ``Retry-After``)."""

    status: int
    body: bytes
    headers: list[tuple[str, str]]

    def http_response(self) -> HttpResponse:
        response = HttpResponse(self.body, status=self.status)
        for name, value in self.headers:
            response[name] = value
        return response


class SearchEndpoints:
    """Which requests the lean path takes, and their answers: shared by the middleware
    below and the WSGI front (``search_index.api.lean_wsgi``)."""

    def __init__(self) -> None:
        self._endpoints: dict[tuple[str, str], Endpoint] | None = None
        self._renderer = api_settings.DEFAULT_RENDERER_CLASSES[0]()
        charset = self._renderer.charset
        media_type = self._renderer.media_type
        self._content_type = f"{media_type}; charset={charset}" if charset else media_type
        # DRF answers the anonymous caller only while the API authenticates no one.
        self._enabled = not (
            api_settings.DEFAULT_AUTHENTICATION_CLASSES or api_settings.DEFAULT_PERMISSION_CLASSES
        )

    def endpoints(self) -> dict[tuple[str, str], Endpoint]:
        """Keyed by method and path, read from the URLconf on first use."""
        if self._endpoints is None:
            self._endpoints = {
                ("POST", reverse("search-unified")): Endpoint(UnifiedSearchView, _unified, True),
                ("GET", reverse("catalog-search")): Endpoint(SearchBoxView, _search_box, False),
            }
        return self._endpoints

    def match(self, method: str, path: str) -> Endpoint | None:
        return self.endpoints().get((method, path))

    def plain(self, request: HttpRequest, endpoint: Endpoint) -> bool:
        """The case the lean path takes; anything else goes on to the DRF views."""
        meta = request.META
        return (
            self._enabled
            and _accepts_json(meta.get("HTTP_ACCEPT", ""))
            and (not endpoint.reads_body or request.content_type == "application/json")
            and api_settings.URL_FORMAT_OVERRIDE not in request.GET
        )

    def answer(self, request: HttpRequest, endpoint: Endpoint) -> LeanAnswer:
        """What the DRF view answers, without DRF's dispatch. An exception the API's
        handler does not answer is raised, as DRF raises it."""
        view = endpoint.view()
        view.setup(request)
        # What DRF's request leaves on Django's: no user (nothing authenticates).
        request.user = None  # type: ignore[assignment]
        headers: list[tuple[str, str]] = []
        try:
            view.check_throttles(request)  # type: ignore[arg-type]
            data, status = endpoint.answer(request), 200
        except Exception as exc:
            context = view.get_exception_handler_context()
            handled: Response | None = view.get_exception_handler()(exc, context)
            if handled is None:
                raise
            data, status = handled.data, handled.status_code
            headers = [(name, value) for name, value in handled.items() if name != "Content-Type"]
        body = self._renderer.render(data)
        return LeanAnswer(
            status,
            body,
            [
                ("Content-Type", self._content_type),
                ("Content-Length", str(len(body))),
                ("Allow", ", ".join(view.allowed_methods)),
                *headers,
            ],
        )


class SearchEndpointsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.search = SearchEndpoints()
        # Django's own header logic, applied as the later middleware would have.
        self._frame_options = XFrameOptionsMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        endpoint = self.search.match(request.method or "", request.path_info)
        if endpoint is None or not self.search.plain(request, endpoint):
            return self.get_response(request)
        response = self.search.answer(request, endpoint).http_response()
        return self._frame_options.process_response(request, response)
