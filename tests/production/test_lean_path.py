"""The search endpoints' lean paths answer exactly as the DRF views behind them (issue 11).

Each request is sent on a real index through the lean middleware
(``search_index.api.lean_path``) and through the whole middleware stack to the DRF views
(the lean middleware taken out of ``MIDDLEWARE``): status, body and headers must be the
same, and the lean path must not have gone through DRF's dispatch. Then as gunicorn
sends it, to the WSGI application of ``config.wsgi``, whose front
(``search_index.api.lean_wsgi``) answers the plain requests before Django's handler: the
same status, body and headers, in the same order, as Django's handler with the lean
middleware, and what it does not take reaches Django untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory
from rest_framework.throttling import AnonRateThrottle

from config.breaker import OPENSEARCH as BREAKER
from search_index.api import lean_path
from search_index.api.lean_wsgi import SearchFirst
from search_index.api.views import SearchBoxView, UnifiedSearchView
from tests.endpoints import SEARCH_BOX, UNIFIED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opensearch_index")]
LEAN = "search_index.api.lean_path.SearchEndpointsMiddleware"
STOREFRONT = "https://shop.example.com"
PROXY = {"HTTP_X_FORWARDED_PROTO": "https"}
Send = Callable[[Client], Any]


def post(body: str | bytes, **extra: str) -> Send:
    return lambda client: client.post(
        UNIFIED, data=body, content_type="application/json", **PROXY, **extra
    )


def get(query: str, **extra: str) -> Send:
    return lambda client: client.get(f"{SEARCH_BOX}?{query}", **PROXY, **extra)


def answer(response: Any) -> tuple[int, bytes, dict[str, str]]:
    headers = {name: value for name, value in response.items() if name != "X-Request-ID"}
    return response.status_code, response.content, headers


@dataclass
class WsgiAnswer:
    status_code: int
    content: bytes
    headers: list[tuple[str, str]]

    def items(self) -> list[tuple[str, str]]:
        return self.headers


class WsgiClient:
    """Sends the test client's requests to a WSGI application as gunicorn calls it: an
    environ in, ``start_response``, the body iterated, then closed."""

    def __init__(self, application: Callable[..., Iterable[bytes]]) -> None:
        self.application = application
        self.factory = RequestFactory()

    def send(self, request: WSGIRequest) -> WsgiAnswer:
        started: list[Any] = []
        body = self.application(request.environ, lambda *args: started.extend(args))
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        status, headers = started[:2]
        names = [name.lower() for name, _ in headers]
        assert len(names) == len(set(names)), headers
        return WsgiAnswer(int(status.split()[0]), content, list(headers))

    def get(self, path: str, **extra: Any) -> WsgiAnswer:
        return self.send(self.factory.get(path, **extra))

    def post(self, path: str, data: Any = None, content_type: str = "", **extra: Any) -> WsgiAnswer:
        return self.send(self.factory.post(path, data, content_type or "text/plain", **extra))

    def options(self, path: str, **extra: Any) -> WsgiAnswer:
        return self.send(self.factory.options(path, **extra))


@pytest.fixture
def wsgi_calls() -> Iterator[None]:
    """The test's database connection kept open across WSGI calls, as Django's test
    client keeps it: the request signals would close it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _django_forbidden(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    raise AssertionError("the front passed a plain search request on to Django")


def front_and_stack(send: Send, settings_fixture: Any) -> tuple[WsgiAnswer, WsgiAnswer]:
    """The answers of the WSGI front (Django not called) and of Django's handler with
    the lean middleware, built after the test's settings."""
    with drf_dispatch_raising(AssertionError("DRF's dispatch on the lean path")):
        front = send(WsgiClient(SearchFirst(_django_forbidden)))  # type: ignore[arg-type]
        stack = send(WsgiClient(WSGIHandler()))  # type: ignore[arg-type]
    return front, stack


def without_request_id(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, value in headers if name != "X-Request-ID"]


@contextmanager
def drf_dispatch_raising(error: Exception) -> Iterator[None]:
    with (
        mock.patch.object(UnifiedSearchView, "initial", side_effect=error),
        mock.patch.object(SearchBoxView, "initial", side_effect=error),
    ):
        yield


def both_ways(send: Send, settings_fixture: Any) -> tuple[Any, Any]:
    """The answers through the lean path (DRF's dispatch forbidden) and through DRF."""
    with drf_dispatch_raising(AssertionError("DRF's dispatch on the lean path")):
        lean = answer(send(Client()))
    # (the settings fixture puts it back after the test)
    settings_fixture.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != LEAN]
    return lean, answer(send(Client()))


REQUESTS = {
    "empty body": post("{}"),
    # (the test client leaves the content type out with an empty body; a browser does not)
    "no body": post("", CONTENT_TYPE="application/json"),
    "query and filter": post('{"searchQuery": "cm2", "filters": {"subjects": ["CM2"]}}'),
    "page and sort": post('{"pagination": {"page": 2, "page_size": 1}, "options": {"sort": "az"}}'),
    "navbar parameter": lambda client: client.post(
        f"{UNIFIED}?group=Tutorial", data="{}", content_type="application/json", **PROXY
    ),
    "bad filter type": post('{"filters": {"subjects": "CM2"}}'),
    "unknown key": post('{"searchQuery": "cm2", "sorting": "az"}'),
    "bad JSON": post("{"),
    "not UTF-8": post(b"\xff\xfe"),
    "too deep": post("[" * 50 + "]" * 50),
    "too large": post('{"searchQuery": "' + "x" * 70_000 + '"}'),
    "search box": get("q=cm2&limit=5"),
    "search box, short query": get("q=c"),
    "search box, limit 0": get("q=cm2&limit=0"),
    "search box, limit 5.0": get("q=cm2&limit=5.0"),
    "search box, NUL": get("q=cm%002"),
    "from the storefront's origin": post("{}", HTTP_ORIGIN=STOREFRONT),
    "from another origin": post("{}", HTTP_ORIGIN="https://evil.example.net"),
}


def third_request(client: Client) -> Any:
    """The third search in a row: refused once the rate is two a minute."""
    cache.clear()
    for _ in range(2):
        assert post("{}")(client).status_code == 200
    return post("{}")(client)


def while_open(client: Client) -> Any:
    """A search while the circuit to OpenSearch is open."""
    for _ in range(BREAKER.failure_threshold):
        BREAKER.record_failure("test")
    try:
        return get("q=cm2")(client)
    finally:
        BREAKER.reset()


@pytest.mark.parametrize("name", REQUESTS)
def test_the_lean_path_answers_as_the_drf_views(
    name: str, indexed_small_catalog: object, settings: Any
) -> None:
    settings.CORS_ALLOWED_ORIGINS = [STOREFRONT]
    lean, full = both_ways(REQUESTS[name], settings)
    assert lean == full
    assert lean[0] in (200, 400)


def test_throttled_callers_get_the_same_429(indexed_small_catalog: object, settings: Any) -> None:
    with mock.patch.dict(AnonRateThrottle.THROTTLE_RATES, {"anon": "2/minute"}):
        lean, full = both_ways(third_request, settings)
    cache.clear()

    assert lean == full
    assert lean[0] == 429 and int(lean[2]["Retry-After"]) > 0


def test_an_open_circuit_is_the_same_503(indexed_small_catalog: object, settings: Any) -> None:
    lean, full = both_ways(while_open, settings)

    assert lean[:2] == full[:2]
    assert lean[0] == 503
    # Retry-After counts down between the two requests; both say when to come back.
    assert int(lean[2].pop("Retry-After")) >= int(full[2].pop("Retry-After")) >= 1
    assert lean[2] == full[2]


@pytest.mark.parametrize(
    "send",
    [
        pytest.param(lambda c: c.get(UNIFIED, **PROXY), id="GET unified"),
        pytest.param(lambda c: c.post(UNIFIED, {"searchQuery": "x"}, **PROXY), id="form body"),
        pytest.param(lambda c: c.options(UNIFIED, **PROXY), id="OPTIONS"),
        pytest.param(post("{}", HTTP_ACCEPT="text/html"), id="HTML only"),
        pytest.param(get("q=cm2&format=json"), id="format parameter"),
    ],
)
def test_anything_else_goes_on_to_drf(send: Send, indexed_small_catalog: object) -> None:
    with drf_dispatch_raising(RuntimeError("DRF")), pytest.raises(RuntimeError, match="DRF"):
        send(Client())


@pytest.mark.usefixtures("wsgi_calls")
@pytest.mark.parametrize("name", REQUESTS)
def test_the_wsgi_front_answers_as_the_stack_and_the_drf_views(
    name: str, indexed_small_catalog: object, settings: Any
) -> None:
    settings.CORS_ALLOWED_ORIGINS = [STOREFRONT]
    front, stack = front_and_stack(REQUESTS[name], settings)
    # the same headers in the same order (the request ids differ, both new)
    assert (front.status_code, front.content) == (stack.status_code, stack.content)
    assert without_request_id(front.headers) == without_request_id(stack.headers)
    assert [name for name, _ in front.headers][-1] == "X-Request-ID"

    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != LEAN]
    drf = REQUESTS[name](WsgiClient(WSGIHandler()))  # type: ignore[arg-type]
    assert answer(front) == answer(drf)


@pytest.mark.usefixtures("wsgi_calls")
def test_the_front_echoes_a_safe_request_id_and_replaces_another(
    indexed_small_catalog: object, settings: Any
) -> None:
    front = WsgiClient(SearchFirst(_django_forbidden))  # type: ignore[arg-type]

    given = dict(get("q=cm2", HTTP_X_REQUEST_ID="shop-42.a")(front).headers)["X-Request-ID"]
    unsafe = dict(get("q=cm2", HTTP_X_REQUEST_ID="a b")(front).headers)["X-Request-ID"]

    assert given == "shop-42.a"
    assert unsafe != "a b" and len(unsafe) == 32


@pytest.mark.usefixtures("wsgi_calls")
def test_the_front_gives_the_same_429_and_503(indexed_small_catalog: object, settings: Any) -> None:
    with mock.patch.dict(AnonRateThrottle.THROTTLE_RATES, {"anon": "2/minute"}):
        throttled = front_and_stack(third_request, settings)
    cache.clear()
    unavailable = front_and_stack(while_open, settings)

    for (front, stack), status in ((throttled, 429), (unavailable, 503)):
        assert (front.status_code, front.content) == (stack.status_code, stack.content)
        assert front.status_code == status
        # Retry-After may count down a second between the two requests
        retry = [int(dict(side.headers).pop("Retry-After")) for side in (front, stack)]
        assert retry[0] >= retry[1] >= 1
        assert [n for n, _ in front.headers] == [n for n, _ in stack.headers]


@pytest.mark.usefixtures("wsgi_calls")
def test_an_unexpected_error_is_the_same_500(
    indexed_small_catalog: object, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with mock.patch.object(lean_path, "search_box_answer", side_effect=RuntimeError("bug")):
        front, stack = front_and_stack(get("q=cm2"), settings)

    assert front.status_code == stack.status_code == 500
    assert front.content == stack.content
    assert without_request_id(front.headers) == without_request_id(stack.headers)
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert [r.status_code for r in logged] == [500, 500]  # type: ignore[attr-defined]


@pytest.mark.usefixtures("wsgi_calls")
@pytest.mark.parametrize(
    "send",
    [
        pytest.param(lambda c: c.get(f"{SEARCH_BOX}?q=cm2"), id="plain HTTP: redirect"),
        pytest.param(lambda c: c.get(UNIFIED, **PROXY), id="GET unified"),
        pytest.param(lambda c: c.options(UNIFIED, **PROXY), id="OPTIONS"),
        pytest.param(post("{}", HTTP_ACCEPT="text/html"), id="HTML only"),
        pytest.param(get("q=cm2&format=json"), id="format parameter"),
        pytest.param(lambda c: c.get("/healthz/live"), id="another path"),
    ],
)
def test_the_front_gives_anything_else_to_django_untouched(
    send: Send, indexed_small_catalog: object, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    seen: list[dict[str, Any]] = []

    def django(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        seen.append(environ)
        return WSGIHandler()(environ, start_response)

    front = send(WsgiClient(SearchFirst(django)))  # type: ignore[arg-type]
    stack = send(WsgiClient(WSGIHandler()))  # type: ignore[arg-type]

    assert len(seen) == 1
    assert answer(front) == answer(stack)


def test_the_front_steps_aside_for_another_middleware_stack(settings: Any) -> None:
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != LEAN]
    assert not SearchFirst(_django_forbidden).enabled  # type: ignore[arg-type]


@pytest.mark.usefixtures("wsgi_calls")
@pytest.mark.parametrize("name", ["empty body", "search box", "bad filter type"])
def test_gunicorn_serves_the_front(name: str, indexed_small_catalog: object) -> None:
    from config import wsgi

    # given the application gunicorn serves: the front around Django's handler
    assert isinstance(wsgi.application, SearchFirst)
    assert wsgi.application.django is wsgi.django_application

    # then it answers as Django's handler with the lean middleware does
    with drf_dispatch_raising(AssertionError("DRF's dispatch on the lean path")):
        front = REQUESTS[name](WsgiClient(wsgi.application))
        stack = REQUESTS[name](WsgiClient(WSGIHandler()))  # type: ignore[arg-type]
    assert (front.status_code, front.content) == (stack.status_code, stack.content)
    assert without_request_id(front.headers) == without_request_id(stack.headers)
