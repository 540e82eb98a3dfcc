"""The search client's connection: kept open, retried once when stale, failing as urllib3's."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from opensearchpy.exceptions import ConnectionError, ConnectionTimeout, NotFoundError

from search_index.lean_connection import LeanHttpConnection

ANSWER = (
    b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}'
)


@contextmanager
def server(behaviour: str, answer: bytes = ANSWER) -> Iterator[tuple[int, list[int]]]:
    """A loopback server that answers once per connection then closes it without saying
    so (``close``), or accepts and never answers (``freeze``). Yields its port and the
    number of connections it accepted."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[int] = []
    held: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            accepted.append(1)
            if behaviour == "freeze":
                held.append(client)
                continue
            client.recv(65536)
            client.sendall(answer)
            client.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], accepted
    finally:
        listener.close()
        for client in held:
            client.close()


def test_a_connection_the_server_closed_is_replaced_and_the_request_sent_again() -> None:
    with server("close") as (port, accepted):
        connection = LeanHttpConnection(host="127.0.0.1", port=port, timeout=2)

        first = connection.perform_request("POST", "/i/_search", body=b"{}")
        second = connection.perform_request("POST", "/i/_search", body=b"{}")

    assert first[0] == second[0] == 200
    assert second[2] == b'{"ok":true}'
    assert len(accepted) == 2  # the stale one was dropped, a new one opened


def test_a_server_that_never_answers_is_a_connection_timeout() -> None:
    with server("freeze") as (port, _):
        connection = LeanHttpConnection(host="127.0.0.1", port=port, timeout=5)
        started = time.monotonic()

        with pytest.raises(ConnectionTimeout):
            connection.perform_request("POST", "/i/_search", body=b"{}", timeout=0.2)

    assert time.monotonic() - started < 1.0


def test_a_refused_connection_is_a_connection_error() -> None:
    connection = LeanHttpConnection(host="127.0.0.1", port=9, timeout=1)

    with pytest.raises(ConnectionError):
        connection.perform_request("GET", "/")


def test_an_error_answer_from_opensearch_raises_as_opensearch_py_does() -> None:
    node = urlsplit(os.environ["OPENSEARCH_URL"].split(",")[0])
    connection = LeanHttpConnection(host=node.hostname, port=node.port, timeout=5)

    with pytest.raises(NotFoundError):
        connection.perform_request("POST", "/no_such_index_for_this_test/_search", body=b"{}")
    status, _, data = connection.perform_request("GET", "/")
    assert status == 200 and b"cluster_name" in data  # the same connection, still usable


def test_tls_and_signed_requests_keep_urllib3s_path() -> None:
    assert LeanHttpConnection(host="localhost", port=9200)._lean
    assert not LeanHttpConnection(host="localhost", port=9200, use_ssl=True)._lean
    assert not LeanHttpConnection(host="localhost", http_auth=lambda *a: {})._lean


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b'5;ext=1\r\n{"ok"\r\n6\r\n:true}\r\n0\r\n\r\n',
            id="chunked",
        ),
        pytest.param(b'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{"ok":true}\r\n', id="to-close"),
    ],
)
def test_chunked_and_close_delimited_answers_are_read_whole(answer: bytes) -> None:
    with server("close", answer) as (port, _):
        connection = LeanHttpConnection(host="127.0.0.1", port=port, timeout=2)

        status, _, data = connection.perform_request("GET", "/")

    assert status == 200
    assert data.strip() == b'{"ok":true}'


def test_warning_headers_are_reported_as_opensearch_py_does() -> None:
    answer = ANSWER.replace(b"\r\n\r\n", b'\r\nWarning: 299 OpenSearch "deprecated"\r\n\r\n')
    with server("close", answer) as (port, _):
        connection = LeanHttpConnection(host="127.0.0.1", port=port, timeout=2)

        with pytest.warns(Warning, match="deprecated"):
            connection.perform_request("GET", "/")


def test_an_answer_cut_short_is_a_connection_error() -> None:
    with server("close", ANSWER[:-3]) as (port, _):
        connection = LeanHttpConnection(host="127.0.0.1", port=port, timeout=2)

        with pytest.raises(ConnectionError):
            connection.perform_request("GET", "/")
