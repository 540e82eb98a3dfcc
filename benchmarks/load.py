"""``python -m benchmarks.load``: the production gunicorn configuration under load (issue 13).

Against the index that ``make bench`` built (``SEARCH_INDEX_PREFIX``), with the API
benchmark's search mix, all on 127.0.0.1 and bounded in time:

1. locust, 60 s at 8 and at 32 concurrent clients, against the development node;
2. a three-node cluster of our own (``devtools.services.cluster``), the index rebuilt on it
   with one replica: 60 s at 8 clients, then 60 s at 8 clients while one node is killed
   (SIGKILL) and restarted;
3. the cluster frozen (SIGSTOP on every node): how long a search takes to fail, and how
   long once the circuit breaker is open.

Prints one JSON object (for ``benchmarks.run``) and writes a markdown table to
``bench-results/load-<timestamp>.md``.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.server import ROOT, gunicorn
from devtools.services.__main__ import DATA_ROOT
from devtools.services.cluster import Cluster

DURATION_S = int(os.environ.get("LOAD_DURATION_S", "60"))
CLUSTER_PORT = int(os.environ.get("LOAD_CLUSTER_PORT", "9270"))
# 320m (the development default) ran out of memory recovering the 20k index's replica.
CLUSTER_HEAP = os.environ.get("LOAD_CLUSTER_HEAP", "512m")
KILL_AFTER_S = max(1, min(10, DURATION_S // 4))
LOCUST = str(Path(sys.executable).with_name("locust"))
_HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def run_locust(url: str, users: int, seconds: int = DURATION_S) -> dict[str, Any]:
    """One headless locust run; throughput, errors and percentiles from its CSV summary."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "run"
        subprocess.run(
            [
                LOCUST,
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{seconds}s",
                "--host",
                url,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=seconds + 60,
        )
        with open(f"{prefix}_stats.csv") as handle:
            row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    return {
        "users": users,
        "seconds": seconds,
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
        "max_ms": float(row["Max Response Time"]),
    }


def timed_search(url: str) -> tuple[int, float]:
    started = time.monotonic()
    request = urllib.request.Request(
        url + "/api/search/unified/",
        data=b'{"searchQuery": "cm2"}',
        headers={"Content-Type": "application/json"},
    )
    try:
        with _HTTP.open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.monotonic() - started


def frozen(url: str, cluster: Cluster) -> dict[str, Any]:
    """Freeze every node; searches until the breakers of both workers are open."""
    pids = [pid for i in range(cluster.nodes) if (pid := cluster.pid(i))]
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        timings = [timed_search(url) for _ in range(30)]
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)
    slow = [t for status, t in timings if t > 0.1]
    fast = [t for status, t in timings[-20:]]
    return {
        "statuses": sorted({status for status, _ in timings}),
        "slow_requests": len(slow),
        "slowest_s": max(t for _, t in timings),
        "open_circuit_median_ms": 1000 * statistics.median(fast),
        "open_circuit_max_ms": 1000 * max(fast),
    }


def rebuild_on(cluster_url: str) -> None:
    env = {**os.environ, "OPENSEARCH_URL": cluster_url, "SEARCH_INDEX_REPLICAS": "1"}
    subprocess.run(
        [sys.executable, "manage.py", "search_index", "rebuild", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=900,
    )


def with_kill(url: str, cluster: Cluster, victim: int) -> dict[str, Any]:
    """Load for DURATION_S; one node is killed after KILL_AFTER_S and started again."""
    outage: dict[str, float] = {}

    def kill_and_restart() -> None:
        time.sleep(KILL_AFTER_S)
        cluster.kill_node(victim)
        killed = time.monotonic()
        cluster.start_node(victim)
        outage["node_back_after_s"] = time.monotonic() - killed

    chaos = threading.Thread(target=kill_and_restart)
    chaos.start()
    result = run_locust(url, 8)
    chaos.join()
    return {**result, **outage}


def main() -> None:
    results: dict[str, Any] = {"one_node": {}, "three_nodes": {}}
    with gunicorn() as url:
        for users in (8, 32):
            print(f"  load: {users} clients on one node …", flush=True)
            results["one_node"][users] = run_locust(url, users)

    cluster = Cluster(DATA_ROOT / "bench-cluster", 3, CLUSTER_PORT, CLUSTER_HEAP)
    try:
        print("  load: starting a three-node cluster …", flush=True)
        urls = ",".join(cluster.ensure_running())
        print("  load: rebuilding the index on it with one replica …", flush=True)
        rebuild_on(urls)
        with gunicorn({"OPENSEARCH_URL": urls}) as url:
            print("  load: 8 clients on three nodes …", flush=True)
            results["three_nodes"][8] = run_locust(url, 8)
            print("  load: 8 clients, one node killed and restarted …", flush=True)
            results["node_killed"] = with_kill(url, cluster, victim=2)
            print("  load: cluster frozen …", flush=True)
            results["frozen"] = frozen(url, cluster)
    finally:
        cluster.stop()
        shutil.rmtree(cluster.data_root, ignore_errors=True)

    text = report(results)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / f"load-{datetime.now(UTC):%Y%m%d-%H%M%S}.md").write_text(text)
    print(text)
    print(json.dumps(results))


def _row(label: str, r: dict[str, Any]) -> str:
    return (
        f"| {label} | {r['users']} | {r['requests']} | {r['errors']} | {r['rps']:.0f} | "
        f"{r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['p99_ms']:.0f} | {r['max_ms']:.0f} |"
    )


def report(results: dict[str, Any]) -> str:
    frozen_result = results["frozen"]
    killed = results["node_killed"]
    lines = [
        f"### Load, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (`python -m benchmarks.load`)",
        "",
        "| run | clients | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|---|---|",
        *(_row("one node", r) for r in results["one_node"].values()),
        *(_row("three nodes", r) for r in results["three_nodes"].values()),
        _row("three nodes, one killed and restarted", killed),
        "",
        f"- Killed node answering again after {killed.get('node_back_after_s', 0):.1f} s.",
        f"- Cluster frozen (SIGSTOP): {frozen_result['slow_requests']} searches waited "
        f"(slowest {frozen_result['slowest_s']:.2f} s) before both workers' circuits opened; "
        f"then median {frozen_result['open_circuit_median_ms']:.1f} ms, max "
        f"{frozen_result['open_circuit_max_ms']:.1f} ms; statuses {frozen_result['statuses']}.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
