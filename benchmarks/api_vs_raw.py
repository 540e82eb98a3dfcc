"""The search API over HTTP against the same requests sent straight to OpenSearch.

What a search costs outside the engine (issue 11). The production gunicorn configuration
(``gunicorn.conf.py``: gthread workers, keep-alive) serves the app on a free 127.0.0.1
port in deploy mode. For each request kind of the API benchmark's mix
(``benchmarks.search_mix.SEARCHES``, plus the search box), this process first records the
exact OpenSearch requests the search sends (by running it here through a recording
transport); then it times, alternating, the API request over one kept-open connection
and those recorded requests, as pre-encoded bytes, over another kept-open connection to
OpenSearch. The raw side pays no Python beyond ``http.client``: the ratio of the two is
what the app adds.

Two passes: ``warm`` (OpenSearch's shard request cache as searches leave it: a repeated
search is answered from it) and ``cold`` (the request cache cleared before every timed
request of either side).
"""

from __future__ import annotations

import http.client
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson

from benchmarks.server import ROOT, gunicorn_process, workers_cpu_ns

ROUNDS = 30
WARMUP_ROUNDS = 3
# Search-box queries: a code, a typo, a pasted product code (the box's client sends 50).
SEARCH_BOX_QUERIES = ("cm2", "cm2 londn", "CS1/PCSM01/2025-09")
SEARCH_BOX_LIMIT = 50
# Over the deploy settings of ``benchmarks.server`` (throttling off there, so that the
# benchmark's own request rate is not refused; a proxy in front does it in production).
SERVER_ENV = {"SECURE_SSL_REDIRECT": "1", "LOG_LEVEL": "ERROR"}
# As the reverse proxy in front says it: deploy mode redirects plain HTTP to HTTPS.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


@dataclass(frozen=True)
class Kind:
    """One request kind: the API request and the OpenSearch requests it sends."""

    label: str
    method: str
    path: str
    body: bytes | None


@dataclass(frozen=True)
class EngineRequest:
    method: str
    path: str
    body: bytes | None
    content_type: str


def request_kinds() -> list[Kind]:
    from benchmarks.search_mix import SEARCHES

    kinds = [
        Kind(orjson.dumps(body).decode(), "POST", "/api/search/unified/", orjson.dumps(body))
        for body in SEARCHES
    ]
    for query in SEARCH_BOX_QUERIES:
        params = urlencode({"q": query, "limit": SEARCH_BOX_LIMIT})
        kinds.append(Kind(f"search box {query!r}", "GET", f"/api/catalog/search/?{params}", None))
    return kinds


def _run_in_process(kind: Kind) -> None:
    """The search behind ``kind``, run here exactly as a worker runs it."""
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1", headers=PROXY_HEADERS)
    if kind.method == "POST":
        response = client.post(kind.path, kind.body, content_type="application/json")
    else:
        response = client.get(kind.path)
    assert response.status_code == 200, response.content[:300]


def record_engine_requests(kind: Kind) -> list[EngineRequest]:
    """The OpenSearch requests one search of ``kind`` sends, bodies as sent: a search
    run once before, so that what a worker reads once and keeps (the index's mapping,
    ``search_index.search.stored_source``) is not recorded as part of every search."""
    from search_index.client import get_search_client

    _run_in_process(kind)

    transport = get_search_client().transport
    dumps = transport.serializer.dumps
    recorded: list[EngineRequest] = []
    original = transport.perform_request

    def recording(method: str, url: str, params: Any = None, body: Any = None, **kw: Any) -> Any:
        # msearch bodies arrive as ndjson text already; search bodies as dicts
        encoded = body if body is None or isinstance(body, str) else dumps(body)
        ndjson = url.endswith("/_msearch")
        query = f"?{urlencode(params)}" if params else ""
        recorded.append(
            EngineRequest(
                method,
                url + query,
                encoded.encode() if isinstance(encoded, str) else encoded,
                "application/x-ndjson" if ndjson else "application/json",
            )
        )
        return original(method, url, params=params, body=body, **kw)

    transport.perform_request = recording  # type: ignore[method-assign]
    try:
        _run_in_process(kind)
    finally:
        transport.perform_request = original  # type: ignore[method-assign]
    assert recorded, f"{kind.label} sent no OpenSearch request"
    return recorded


@contextmanager
def production_server() -> Iterator[tuple[int, int]]:
    """gunicorn with ``gunicorn.conf.py`` on a free port (``benchmarks.server``), as
    deployed behind a TLS proxy: the SSL redirect stays on and requests say HTTPS.
    Yields the port and the master's pid."""
    with gunicorn_process(env=SERVER_ENV) as (url, pid):
        port = urlsplit(url).port
        assert port is not None
        yield port, pid


class KeptOpen:
    """One HTTP/1.1 connection reused for every request, as a pooled client keeps it."""

    def __init__(self, host: str, port: int, headers: dict[str, str] | None = None) -> None:
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.headers = headers or {}

    def send(self, method: str, path: str, body: bytes | None, content_type: str) -> None:
        headers = {**self.headers, "Content-Type": content_type} if body else self.headers
        self.connection.request(method, path, body, headers)
        response = self.connection.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: HTTP {response.status} {data[:300]!r}")


def _timed(call: Callable[[], None]) -> float:
    started = time.perf_counter()
    call()
    return 1000 * (time.perf_counter() - started)


def _summary(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "p50_ms": statistics.median(ordered),
        "p95_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
    }


def _pass(
    kinds: list[Kind],
    engine: dict[str, list[EngineRequest]],
    api: KeptOpen,
    raw: KeptOpen,
    clear_cache: Callable[[], None] | None,
    server_pid: int,
    rounds: int = ROUNDS,
) -> dict[str, Any]:
    """Every kind ``rounds`` times on both sides, alternating which side goes first.

    Besides the client's times, the CPU the server's workers spent on each API request
    (read from ``/proc`` outside the timed span): what the app costs, whatever else the
    machine is doing."""

    def api_call(kind: Kind) -> Callable[[], None]:
        return lambda: api.send(kind.method, kind.path, kind.body, "application/json")

    def raw_call(kind: Kind) -> Callable[[], None]:
        def send_all() -> None:
            for request in engine[kind.label]:
                raw.send(request.method, request.path, request.body, request.content_type)

        return send_all

    for _ in range(WARMUP_ROUNDS):
        for kind in kinds:
            api_call(kind)()
            raw_call(kind)()
    timings: dict[str, dict[str, list[float]]] = {
        k.label: {"api": [], "raw": [], "cpu": []} for k in kinds
    }
    for round_number in range(rounds):
        for kind in kinds:
            sides = [("api", api_call(kind)), ("raw", raw_call(kind))]
            for side, call in sides if round_number % 2 else reversed(sides):
                if clear_cache:
                    clear_cache()
                cpu_before = workers_cpu_ns(server_pid) if side == "api" else 0
                timings[kind.label][side].append(_timed(call))
                if side == "api":
                    cpu = (workers_cpu_ns(server_pid) - cpu_before) / 1e6
                    timings[kind.label]["cpu"].append(cpu)
    per_kind = {}
    for label, sides in timings.items():
        api_summary, raw_summary = _summary(sides["api"]), _summary(sides["raw"])
        per_kind[label] = {
            "api": api_summary,
            "raw": raw_summary,
            "ratio_p50": api_summary["p50_ms"] / raw_summary["p50_ms"],
            "worker_cpu_ms": statistics.median(sides["cpu"]),
            "engine_requests": len(engine[label]),
        }
    every_api = [t for sides in timings.values() for t in sides["api"]]
    every_raw = [t for sides in timings.values() for t in sides["raw"]]
    every_cpu = [t for sides in timings.values() for t in sides["cpu"]]
    return {
        "kinds": per_kind,
        "api": _summary(every_api),
        "raw": _summary(every_raw),
        "worker_cpu_ms": statistics.median(every_cpu),
        "load_average": Path("/proc/loadavg").read_text().split()[0],
    }


def opensearch_node() -> tuple[str, int]:
    """Host and port of the OpenSearch node the settings name."""
    from django.conf import settings

    node = urlsplit(settings.OPENSEARCH_HOSTS[0])
    return node.hostname or "127.0.0.1", node.port or 9200


def api_vs_raw(rounds: int = ROUNDS, passes: tuple[str, ...] = ("warm", "cold")) -> dict[str, Any]:
    from search_index.client import get_client
    from search_index.documents import alias_name

    kinds = request_kinds()
    engine = {kind.label: record_engine_requests(kind) for kind in kinds}
    documents = get_client().count(index=alias_name())["count"]
    raw = KeptOpen(*opensearch_node())
    cache_clearing = KeptOpen(*opensearch_node())

    def clear_cache() -> None:
        cache_clearing.send("POST", f"/{alias_name()}/_cache/clear?request=true", None, "")

    result: dict[str, Any] = {"documents": documents, "rounds": rounds}
    with production_server() as (port, pid):
        api = KeptOpen("127.0.0.1", port, PROXY_HEADERS)
        for name in passes:
            cache = clear_cache if name == "cold" else None
            result[name] = _pass(kinds, engine, api, raw, cache, pid, rounds)
    return result


RESULTS = ROOT / "bench-results"


def _saved_smaller_run(documents: int) -> dict[str, Any] | None:
    """The latest saved run on a smaller catalog, to show how cost grows with it."""
    runs = []
    for path in RESULTS.glob("api-vs-raw-*.json"):
        saved = orjson.loads(path.read_bytes())
        if saved["documents"] < documents:
            runs.append((path.stat().st_mtime, saved))
    return max(runs, key=lambda run: run[0])[1] if runs else None


def report_lines(result: dict[str, Any]) -> list[str]:
    """The BENCHMARKS.md lines of one run; the run is saved for the growth columns."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"api-vs-raw-{result['documents']}.json").write_bytes(orjson.dumps(result))
    smaller = _saved_smaller_run(result["documents"])
    lines = [
        "",
        f"API over HTTP (production gunicorn) vs the same OpenSearch requests sent raw, "
        f"{result['documents']:,} store products, {result['rounds']} rounds, p50 / p95 ms:",
    ]
    for name in ("warm", "cold"):
        if name not in result:
            continue
        run = result[name]
        growth = f" | API p50 {smaller['documents']:,} → {result['documents']:,}" if smaller else ""
        lines += [
            "",
            f"{name} (request cache {'as searches leave it' if name == 'warm' else 'cleared'}): "
            f"all kinds API {run['api']['p50_ms']:.1f} / {run['api']['p95_ms']:.1f}, "
            f"raw {run['raw']['p50_ms']:.1f} / {run['raw']['p95_ms']:.1f}; "
            f"worker CPU per request {run['worker_cpu_ms']:.2f} ms (p50); "
            f"load average {run['load_average']}",
            "",
            f"| request kind | API | raw | API ÷ raw p50 | worker CPU ms{growth} |",
            "|---|---|---|---|---|" + ("---|" if smaller else ""),
        ]
        for label, kind in run["kinds"].items():
            row = (
                f"| `{label}` | {kind['api']['p50_ms']:.1f} / {kind['api']['p95_ms']:.1f} "
                f"| {kind['raw']['p50_ms']:.1f} / {kind['raw']['p95_ms']:.1f} "
                f"| {kind['ratio_p50']:.2f} | {kind.get('worker_cpu_ms', float('nan')):.2f} |"
            )
            before = smaller[name]["kinds"].get(label) if smaller and name in smaller else None
            if smaller:
                grew = kind["api"]["p50_ms"] / before["api"]["p50_ms"] if before else None
                row += f" {grew:.2f}x |" if grew else " |"
            lines.append(row)
    return lines


def main() -> None:
    """``python -m benchmarks.api_vs_raw``: one run on the catalog the environment names
    (``DATABASE_URL``, ``SEARCH_INDEX_PREFIX``), printed as BENCHMARKS.md lines."""
    import argparse
    import os

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="timed requests per kind")
    parser.add_argument("--passes", nargs="+", choices=("warm", "cold"), default=["warm", "cold"])
    parser.add_argument("--json", type=Path, help="also write the run's figures here")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    result = api_vs_raw(args.rounds, tuple(args.passes))
    if args.json:
        args.json.write_bytes(orjson.dumps(result))
    print("\n".join(report_lines(result)))


if __name__ == "__main__":
    main()
