"""A minimal HTTP/1.1 client on one kept-open socket: what a search needs, nothing more.

``http.client`` spends most of a search's exchange with OpenSearch in Python: the
request goes out in two writes (headers, then body), and every answer's headers are
parsed by the ``email`` package into a message object (about 0.25 ms of CPU per request,
twice per search; issue 11). Here a request is one ``sendall`` and the answer is read
into one buffer: the status line, headers split into a dict of lower-case names, a body
of ``Content-Length`` bytes (or chunked, or up to the close).

Errors are the standard library's: ``TimeoutError`` for a timeout, ``OSError`` or
``http.client.HTTPException`` for anything else, ``StaleConnection`` when a kept-open
connection turns out to have been closed by the server before it answered (the caller
may send the request again: nothing was read).
"""

from __future__ import annotations

import http.client
import socket
from dataclasses import dataclass

_CHUNK = 65536
# Answers that never have a body, whatever their headers say.
_NO_BODY = frozenset({204, 304})
# Far more than OpenSearch sends; a peer sending more is not an HTTP server we want.
_MAX_HEADER_BYTES = 65536


class StaleConnection(ConnectionError):
    """The server had closed the kept-open connection: the request was not answered."""


@dataclass(frozen=True, slots=True)
class Answer:
    """One response: status, headers (lower-case names; repeated ones joined by ``, ``),
    the ``warning`` headers apart (opensearch-py reports each), and the body bytes."""

    status: int
    headers: dict[str, str]
    warnings: list[str]
    body: bytes
    will_close: bool


def encode_headers(headers: dict[str, str]) -> bytes:
    """Header lines as sent, CRLF after each (names and values must be latin-1)."""
    return b"".join(f"{name}: {value}\r\n".encode("latin-1") for name, value in headers.items())


class Wire:
    """One connection to ``host:port``, opened on first use and kept open between
    requests. Not thread-safe: each thread keeps its own."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.sock: socket.socket | None = None
        self._host_line = f"Host: {host}:{port}\r\n".encode("latin-1")

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def exchange(
        self, method: str, target: str, headers: bytes, body: bytes | None, timeout: float
    ) -> Answer:
        """Send one request (``headers``: encoded lines, see ``encode_headers``) and read
        its answer. Raises ``StaleConnection`` if a reused connection had been closed."""
        reused = self.sock is not None
        if self.sock is None:
            self.sock = socket.create_connection((self.host, self.port), timeout)
            # One write per request, but no waiting for an ACK before the next one.
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        else:
            self.sock.settimeout(timeout)
        length = b"Content-Length: %d\r\n" % len(body) if body is not None else b""
        request = b"".join(
            (
                f"{method} {target} HTTP/1.1\r\n".encode("latin-1"),
                self._host_line,
                headers,
                length,
                b"\r\n",
                body or b"",
            )
        )
        try:
            self.sock.sendall(request)
            return self._read_answer(method, reused)
        except BaseException:
            self.close()
            raise

    def _read_answer(self, method: str, reused: bool) -> Answer:
        sock = self.sock
        assert sock is not None
        buffer = bytearray()
        while (end := buffer.find(b"\r\n\r\n")) < 0:
            if len(buffer) > _MAX_HEADER_BYTES:
                raise http.client.LineTooLong("response headers")
            received = sock.recv(_CHUNK)
            if not received:
                if not buffer and reused:
                    raise StaleConnection("the server closed the kept-open connection")
                raise http.client.RemoteDisconnected("connection closed before the answer")
            buffer += received
        head = bytes(buffer[:end]).decode("latin-1").split("\r\n")
        rest = buffer[end + 4 :]
        status_line = head[0].split(" ", 2)
        if len(status_line) < 2 or not status_line[0].startswith("HTTP/"):
            raise http.client.BadStatusLine(head[0])
        status = int(status_line[1])
        headers: dict[str, str] = {}
        warnings: list[str] = []
        for line in head[1:]:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "warning":
                warnings.append(value)
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        will_close = (
            headers.get("connection", "").lower() == "close" or status_line[0] == "HTTP/1.0"
        )
        if method == "HEAD" or status in _NO_BODY or 100 <= status < 200:
            body = b""
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            body = self._read_chunked(rest)
        elif "content-length" in headers:
            body = self._read_exactly(rest, int(headers["content-length"]))
        else:  # the body runs to the close
            body = self._read_to_close(rest)
            will_close = True
        if will_close:
            self.close()
        return Answer(status, headers, warnings, body, will_close)

    def _recv_more(self, buffer: bytearray) -> None:
        assert self.sock is not None
        received = self.sock.recv(_CHUNK)
        if not received:
            raise http.client.IncompleteRead(bytes(buffer))
        buffer += received

    def _read_exactly(self, buffer: bytearray, length: int) -> bytes:
        while len(buffer) < length:
            self._recv_more(buffer)
        if len(buffer) > length:
            raise http.client.HTTPException("more bytes than Content-Length announced")
        return bytes(buffer)

    def _read_chunked(self, buffer: bytearray) -> bytes:
        body = bytearray()
        position = 0
        while True:
            while (line_end := buffer.find(b"\r\n", position)) < 0:
                self._recv_more(buffer)
            size = int(bytes(buffer[position:line_end]).split(b";", 1)[0], 16)
            position = line_end + 2
            if size == 0:  # then trailers (none from OpenSearch) and an empty line
                while buffer.find(b"\r\n\r\n", line_end) < 0:
                    self._recv_more(buffer)
                return bytes(body)
            while len(buffer) < position + size + 2:
                self._recv_more(buffer)
            body += buffer[position : position + size]
            position += size + 2

    def _read_to_close(self, buffer: bytearray) -> bytes:
        assert self.sock is not None
        while received := self.sock.recv(_CHUNK):
            buffer += received
        return bytes(buffer)
