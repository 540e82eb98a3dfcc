"""What part of the API's time over raw OpenSearch is the server's, and what the app's.

``benchmarks.api_vs_raw`` times the production server against the same OpenSearch
requests sent raw. This module adds, in the same run, two servers that bound the answer
(issue 11). Each is a bare single-threaded HTTP/1.1 server on one kept-open connection,
run in its own process:

- **replay**: answers a request by sending the kind's recorded OpenSearch requests over
  one kept-open connection (``search_index.http_wire.Wire``, as the app sends them) and
  returning the last answer's body as is: the extra HTTP hop and the two exchanges, no
  search work. The floor of any server that asks OpenSearch the same questions.
- **app**: the project's WSGI application (``config.wsgi``, deploy settings) called
  directly for each request: the app's own work, without an HTTP server's.

Every side of every kind is timed in turn, rotating which goes first, as in
``api_vs_raw``. ``python -m benchmarks.server_floor`` prints a BENCHMARKS.md table.
"""

from __future__ import annotations

import base64
import io
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import orjson

from benchmarks.api_vs_raw import (
    PROXY_HEADERS,
    SERVER_ENV,
    EngineRequest,
    KeptOpen,
    Kind,
    opensearch_node,
    production_server,
    record_engine_requests,
    request_kinds,
)
from benchmarks.server import DEPLOY_ENV, ROOT, free_port

ROUNDS = 40
WARMUP_ROUNDS = 3
SIDES = ("raw", "replay", "app", "production")
# One handler's answer: status line text, headers, body.
Handled = tuple[str, list[tuple[str, str]], bytes]
Handler = Callable[[str, str, dict[str, str], bytes], Handled]


def serve_one_connection(listener: socket.socket, handle: Handler) -> None:
    """Answer the requests of one kept-open connection, one at a time, until it closes.
    Only what the benchmark's client sends is understood: a ``Content-Length`` body."""
    connection, _ = listener.accept()
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buffer = b""
    while True:
        while b"\r\n\r\n" not in buffer:
            received = connection.recv(65536)
            if not received:
                return
            buffer += received
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, _ = request_line.split(" ", 2)
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", 0))
        while len(buffer) < length:
            buffer += connection.recv(65536)
        body, buffer = buffer[:length], buffer[length:]
        status, response_headers, answer = handle(method, target, headers, body)
        lines = "".join(f"{name}: {value}\r\n" for name, value in response_headers)
        connection.sendall(
            f"HTTP/1.1 {status}\r\n{lines}Content-Length: {len(answer)}\r\n\r\n".encode("latin-1")
            + answer
        )


def replay_handler(recorded: dict[str, list[EngineRequest]], host: str, port: int) -> Handler:
    """Each request's path names a kind; its recorded requests are sent, the last
    answer's body returned."""
    from search_index.http_wire import Wire

    wire = Wire(host, port)

    def handle(method: str, target: str, headers: dict[str, str], body: bytes) -> Handled:
        answer = None
        for request in recorded[target]:
            content_type = f"Content-Type: {request.content_type}\r\n".encode("latin-1")
            answer = wire.exchange(request.method, request.path, content_type, request.body, 30)
        assert answer is not None and answer.status == 200, answer
        return "200 OK", [("Content-Type", "application/json")], answer.body

    return handle


def app_handler(port: int) -> Handler:
    """The WSGI application with the environ a server would build for the request."""
    from config.wsgi import application

    def handle(method: str, target: str, headers: dict[str, str], body: bytes) -> Handled:
        path, _, query = target.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
        }
        for name, value in headers.items():
            key = name.upper().replace("-", "_")
            environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
        started: dict[str, Any] = {}

        def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
            started.update(status=status, headers=response_headers)

        chunks = application(environ, start_response)
        try:
            answer = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        kept = [(n, v) for n, v in started["headers"] if n.lower() != "content-length"]
        return started["status"], kept, answer

    return handle


def _encoded(recorded: dict[str, list[EngineRequest]]) -> bytes:
    return orjson.dumps(
        {
            path: [
                [r.method, r.path, base64.b64encode(r.body or b"").decode(), r.content_type]
                for r in requests
            ]
            for path, requests in recorded.items()
        }
    )


def _decoded(data: bytes) -> dict[str, list[EngineRequest]]:
    return {
        path: [
            EngineRequest(method, target, base64.b64decode(body) or None, content_type)
            for method, target, body, content_type in requests
        ]
        for path, requests in orjson.loads(data).items()
    }


@contextmanager
def bare_server(role: str, *arguments: str) -> Iterator[int]:
    """``role`` (replay or app) served by a child process on a free port."""
    port = free_port()
    env = {**os.environ, **DEPLOY_ENV, **SERVER_ENV}
    command = [sys.executable, "-m", "benchmarks.server_floor", "--serve", role, str(port)]
    process = subprocess.Popen([*command, *arguments], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the {role} server did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        process.kill()
        process.wait()


def _serve(role: str, port: int, recorded_file: str | None) -> None:
    """The child's side of ``bare_server``: listen, then answer the benchmark's client
    (the readiness probe's connection comes first and is closed at once)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    if role == "replay":
        assert recorded_file
        recorded = _decoded(Path(recorded_file).read_bytes())
        handle = replay_handler(recorded, *opensearch_node())
    else:
        handle = app_handler(port)
    listener = socket.create_server(("127.0.0.1", port))
    serve_one_connection(listener, handle)  # the readiness probe
    serve_one_connection(listener, handle)


def server_floor(rounds: int = ROUNDS) -> dict[str, Any]:
    """Per kind, the p50 of each side (ms) and each server's p50 over raw's."""
    kinds = request_kinds()
    engine = {kind.label: record_engine_requests(kind) for kind in kinds}
    paths = {kind.label: f"/kind/{number}" for number, kind in enumerate(kinds)}
    raw = KeptOpen(*opensearch_node())
    with ExitStack() as stack:
        recorded_file = stack.enter_context(tempfile.NamedTemporaryFile(suffix=".json"))
        recorded_file.write(_encoded({paths[label]: engine[label] for label in engine}))
        recorded_file.flush()
        replay_port = stack.enter_context(bare_server("replay", recorded_file.name))
        app_port = stack.enter_context(bare_server("app"))
        production_port, _ = stack.enter_context(production_server())
        replay = KeptOpen("127.0.0.1", replay_port)
        app = KeptOpen("127.0.0.1", app_port, PROXY_HEADERS)
        production = KeptOpen("127.0.0.1", production_port, PROXY_HEADERS)

        def calls(kind: Kind) -> dict[str, Callable[[], None]]:
            def send_raw() -> None:
                for request in engine[kind.label]:
                    raw.send(request.method, request.path, request.body, request.content_type)

            return {
                "raw": send_raw,
                "replay": lambda: replay.send("GET", paths[kind.label], None, ""),
                "app": lambda: app.send(kind.method, kind.path, kind.body, "application/json"),
                "production": lambda: production.send(
                    kind.method, kind.path, kind.body, "application/json"
                ),
            }

        timings = {kind.label: {side: [] for side in SIDES} for kind in kinds}
        for round_number in range(WARMUP_ROUNDS + rounds):
            for kind in kinds:
                sides = calls(kind)
                shift = round_number % len(SIDES)
                for side in SIDES[shift:] + SIDES[:shift]:
                    started = time.perf_counter()
                    sides[side]()
                    if round_number >= WARMUP_ROUNDS:
                        timings[kind.label][side].append(1000 * (time.perf_counter() - started))
    per_kind = {}
    for label, sides_timed in timings.items():
        p50 = {side: statistics.median(sides_timed[side]) for side in SIDES}
        per_kind[label] = {"p50_ms": p50, "over_raw": {s: p50[s] / p50["raw"] for s in SIDES}}
    return {
        "rounds": rounds,
        "kinds": per_kind,
        "load_average": Path("/proc/loadavg").read_text().split()[0],
    }


def report_lines(result: dict[str, Any]) -> list[str]:
    lines = [
        "",
        f"Servers over raw OpenSearch, p50 of {result['rounds']} rounds "
        f"(load average {result['load_average']}):",
        "",
        "| request kind | raw ms | replay ÷ raw | app ÷ raw | production ÷ raw |",
        "|---|---|---|---|---|",
    ]
    for label, kind in result["kinds"].items():
        over = kind["over_raw"]
        lines.append(
            f"| `{label}` | {kind['p50_ms']['raw']:.2f} | {over['replay']:.2f} "
            f"| {over['app']:.2f} | {over['production']:.2f} |"
        )
    return lines


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--json", type=Path, help="also write the run's figures here")
    parser.add_argument("--serve", nargs="+", metavar="ARG", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        role, port, *rest = args.serve
        _serve(role, int(port), rest[0] if rest else None)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    result = server_floor(args.rounds)
    if args.json:
        args.json.write_bytes(orjson.dumps(result))
    print("\n".join(report_lines(result)))


if __name__ == "__main__":
    main()
