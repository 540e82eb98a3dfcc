"""The production gunicorn configuration: slow clients do not stall it, limits hold."""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import orjson
import pytest

from benchmarks.server import gunicorn

SLOW_CLIENTS = 6  # three times the two sync workers that one pair of slow clients stalled


@pytest.fixture(scope="module")
def server_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"


@pytest.fixture(scope="module")
def server(server_log: Path) -> Iterator[tuple[str, int]]:
    with gunicorn(log=server_log) as url:
        parts = urlsplit(url)
        yield parts.hostname or "127.0.0.1", parts.port or 80


def get(server: tuple[str, int], path: str, **headers: str) -> tuple[int, float]:
    started = time.monotonic()
    conn = http.client.HTTPConnection(*server, timeout=10)
    conn.request("GET", path, headers=headers)
    status = conn.getresponse().status
    conn.close()
    return status, time.monotonic() - started


def test_slow_clients_do_not_stall_health(server: tuple[str, int]) -> None:
    # given clients that send half a request and then go silent
    slow = []
    for _ in range(SLOW_CLIENTS):
        sock = socket.create_connection(server, timeout=5)
        sock.sendall(
            b"POST /api/search/unified/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
        )
        slow.append(sock)
    try:
        # when a health probe comes meanwhile
        status, elapsed = get(server, "/healthz/live")

        # then it is answered at once
        assert status == 200
        assert elapsed < 1.0
    finally:
        for sock in slow:
            sock.close()


def test_connections_are_kept_alive(server: tuple[str, int]) -> None:
    # when two requests are sent over one connection
    conn = http.client.HTTPConnection(*server, timeout=10)
    conn.request("GET", "/healthz/live")
    first = conn.getresponse()
    first.read()
    local_port = conn.sock.getsockname()[1]
    conn.request("GET", "/healthz/live")
    second = conn.getresponse()
    second.read()

    # then both are answered on the same socket
    assert (first.status, second.status) == (200, 200)
    assert conn.sock.getsockname()[1] == local_port
    assert first.getheader("Connection", "").lower() != "close"
    conn.close()


def test_oversized_request_lines_and_headers_are_refused(server: tuple[str, int]) -> None:
    # a request line longer than limit_request_line
    assert get(server, "/healthz/live?" + "q" * 5000)[0] == 414
    # more header fields than limit_request_fields
    many = {f"X-Filler-{i}": "x" for i in range(60)}
    assert get(server, "/healthz/live", **many)[0] in (400, 431)


def access_log_entry(log: Path, request_id: str) -> dict[str, object]:
    """The access log's line for ``request_id``, once gunicorn has written it."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for line in log.read_bytes().splitlines():
            if request_id.encode() in line:
                return orjson.loads(line)
        time.sleep(0.05)
    raise AssertionError(f"no access log line for {request_id}")


def test_each_request_is_one_json_access_log_line(
    server: tuple[str, int], server_log: Path
) -> None:
    # when a request comes with an id and a user agent that is awkward in JSON
    agent = 'probe "quoted" \\ \u00e9'
    status, _ = get(server, "/healthz/live", **{"X-Request-ID": "log-42", "User-Agent": agent})

    # then its access log line is valid JSON naming the request
    entry = access_log_entry(server_log, "log-42")
    assert status == 200
    assert entry["path"] == "/healthz/live"
    assert entry["status"] == 200
    assert entry["method"] == "GET"
    assert entry["user_agent"] == agent
    assert isinstance(entry["duration_us"], int) and isinstance(entry["bytes"], int)


def test_a_search_answered_in_front_of_django_is_logged_alike(
    server: tuple[str, int], server_log: Path
) -> None:
    # when the search box is asked (a query too short to search: no index needed), which
    # the WSGI front answers before Django's handler (search_index.api.lean_wsgi)
    conn = http.client.HTTPConnection(*server, timeout=10)
    conn.request("GET", "/api/catalog/search/?q=c", headers={"X-Request-ID": "front-7"})
    response = conn.getresponse()
    body = response.read()
    conn.close()

    # then it is answered with the request id, and logged with its status and size
    assert response.status == 200
    assert response.getheader("X-Request-ID") == "front-7"
    entry = access_log_entry(server_log, "front-7")
    assert entry["path"] == "/api/catalog/search/"
    assert (entry["status"], entry["bytes"], entry["request_id"]) == (200, len(body), "front-7")
