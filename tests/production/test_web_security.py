"""CORS, anonymous throttling, admin lockout, request ids, JSON logs, the API reference page."""

from __future__ import annotations

import logging

import orjson
import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.test import Client
from rest_framework.throttling import AnonRateThrottle

from config.jsonlog import JsonFormatter
from config.request_context import request_id

pytestmark = pytest.mark.django_db
FUZZY = "/api/search/fuzzy/?q=cm2"
STOREFRONT = "https://shop.example.com"


def test_cors_allows_only_the_configured_storefront_origin(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    # given the storefront's origin is the one configured
    settings.CORS_ALLOWED_ORIGINS = [STOREFRONT]

    # when the browser pre-flights a search from it and from another site
    def preflight(origin: str) -> str | None:
        response = client.options(
            "/api/search/unified/",
            HTTP_ORIGIN=origin,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        )
        return response.get("Access-Control-Allow-Origin")

    # then only the storefront is allowed
    assert preflight(STOREFRONT) == STOREFRONT
    assert preflight("https://evil.example.net") is None


def test_anonymous_callers_are_throttled_with_a_json_429(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a rate of three requests a minute
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", "3/minute")
    cache.clear()

    # when a fourth request comes within the minute
    statuses = [client.get("/api/search/fuzzy/?limit=0").status_code for _ in range(4)]
    fourth = client.get("/api/search/fuzzy/?limit=0")
    cache.clear()

    # then it is refused with a JSON body and Retry-After
    assert statuses[:3] == [400, 400, 400]
    assert fourth.status_code == 429
    assert "throttled" in fourth.json()["detail"]
    assert int(fourth["Retry-After"]) > 0


def test_admin_login_locks_out_after_repeated_wrong_passwords(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    # given a staff user and a lockout after 3 failures
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_user("editor", password="right-horse-battery", is_staff=True)

    def login(password: str) -> int:
        return client.post(
            "/admin/login/?next=/admin/", {"username": "editor", "password": password}
        ).status_code

    # when someone guesses three times
    guesses = [login("wrong") for _ in range(3)]

    # then even the right password is refused while locked out
    assert guesses[:2] == [200, 200]  # the form again, with an error
    assert login("right-horse-battery") == 429
    assert "_auth_user_id" not in client.session


def test_every_response_carries_a_request_id(client: Client) -> None:
    # when a request comes without an id, and one with an id of its own
    generated = client.get("/healthz/live")["X-Request-ID"]
    echoed = client.get("/healthz/live", HTTP_X_REQUEST_ID="lb-1234")["X-Request-ID"]
    refused = client.get("/healthz/live", HTTP_X_REQUEST_ID="bad id\nwith newline")

    # then ours is generated, a sane given one is kept, a hostile one replaced
    assert len(generated) == 32
    assert echoed == "lb-1234"
    assert refused["X-Request-ID"] != "bad id\nwith newline"


def test_json_log_lines_carry_the_request_id() -> None:
    # given a log record written while a request is being handled
    token = request_id.set("req-42")
    try:
        record = logging.makeLogRecord(
            {"name": "search", "levelname": "ERROR", "msg": "search failed: %s", "args": ("x",)}
        )
        line = JsonFormatter().format(record)
    finally:
        request_id.reset(token)

    # then it is one JSON object with the message and the request id
    entry = orjson.loads(line)
    assert entry["message"] == "search failed: x"
    assert entry["request_id"] == "req-42"
    assert entry["level"] == "ERROR"


def test_the_api_reference_page_serves_swagger_ui_from_our_own_static_files(
    client: Client,
) -> None:
    # when the reference page is opened
    page = client.get("/api/search/docs/").content.decode()

    # then it loads Swagger UI from /static/, from no CDN, and the files exist
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert "/api/search/schema/" in page


def test_health_hides_details_from_anonymous_callers_and_shows_them_to_staff(
    client: Client, admin_client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    # given OpenSearch unreachable (health uses settings.OPENSEARCH_HOSTS)
    settings.OPENSEARCH_HOSTS = ["http://127.0.0.1:9"]

    # when anonymous and staff callers ask
    anonymous = client.get("/healthz/ready")
    staff = admin_client.get("/healthz/ready")

    # then both learn what failed and a coarse reason; only staff see the exception
    assert anonymous.status_code == staff.status_code == 503
    assert anonymous.json() == {"database": "ok", "opensearch": "unavailable: unreachable"}
    assert "ConnectionError" in staff.json()["details"]["opensearch"]
    assert staff.json()["details"]["opensearch_breaker"]["state"] == "closed"


def test_liveness_does_not_depend_on_the_backends(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OPENSEARCH_HOSTS = ["http://127.0.0.1:9"]
    response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
