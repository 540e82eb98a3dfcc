"""The search endpoints' lean path answers exactly as the DRF views behind it (issue 11).

Each request is sent twice on a real index: through the lean path
(``search_index.api.lean_path``, as deployed) and through the whole middleware stack to
the DRF views (the lean middleware taken out of ``MIDDLEWARE``). Status, body and
headers must be the same, and the lean path must not have gone through DRF's dispatch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from rest_framework.throttling import AnonRateThrottle

from config.breaker import OPENSEARCH as BREAKER
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


@pytest.mark.parametrize("name", REQUESTS)
def test_the_lean_path_answers_as_the_drf_views(
    name: str, indexed_small_catalog: object, settings: Any
) -> None:
    settings.CORS_ALLOWED_ORIGINS = [STOREFRONT]
    lean, full = both_ways(REQUESTS[name], settings)
    assert lean == full
    assert lean[0] in (200, 400)


def test_throttled_callers_get_the_same_429(indexed_small_catalog: object, settings: Any) -> None:
    def third_request(client: Client) -> Any:
        cache.clear()
        for _ in range(2):
            assert post("{}")(client).status_code == 200
        return post("{}")(client)

    with mock.patch.dict(AnonRateThrottle.THROTTLE_RATES, {"anon": "2/minute"}):
        lean, full = both_ways(third_request, settings)
    cache.clear()

    assert lean == full
    assert lean[0] == 429 and int(lean[2]["Retry-After"]) > 0


def test_an_open_circuit_is_the_same_503(indexed_small_catalog: object, settings: Any) -> None:
    def while_open(client: Client) -> Any:
        for _ in range(BREAKER.failure_threshold):
            BREAKER.record_failure("test")
        try:
            return get("q=cm2")(client)
        finally:
            BREAKER.reset()

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
