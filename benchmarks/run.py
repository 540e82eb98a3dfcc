"""``make bench``: every figure BENCHMARKS.md records, measured in one run.

Each measurement runs in its own process (``benchmarks.measure``) so that its peak RSS
is its own; the catalog is loaded once with ``load_demo_catalog --scale N``.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.api_vs_raw import report_lines as api_vs_raw_report
from benchmarks.child import ROOT, run_child
from benchmarks.rebuild_after_import import rebuild_after_import
from benchmarks.rebuild_after_import import report_lines as rebuild_after_import_report
from benchmarks.server_floor import report_lines as server_floor_report
from benchmarks.sync_bench import SYNC_MEASUREMENTS
from benchmarks.sync_bench import report as sync_report

RESULTS = ROOT / "bench-results"
PYTHON = sys.executable


def measure(name: str, prefix: str = "bench_") -> dict[str, Any]:
    print(f"  measuring {name} …", flush=True)
    return run_child([PYTHON, "-m", "benchmarks.measure", name], prefix)


def load_catalog(scale: int) -> dict[str, Any]:
    print(f"  load_demo_catalog --scale {scale} …", flush=True)
    return run_child(
        [PYTHON, "manage.py", "load_demo_catalog", "--scale", str(scale), "--verbosity", "0"],
        "bench_",
    )


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    memory = f"{memory_kb / 2**20:.0f} GiB RAM"
    return f"{os.cpu_count()} cores, {cpu}, {memory}, Python {platform.python_version()}"


def rate(result: dict[str, Any]) -> float:
    return result["documents"] / result["seconds"] if result.get("seconds") else 0.0


def report(scale: int, load: dict[str, Any] | None, results: dict[str, dict[str, Any]]) -> str:
    lines = [
        f"### Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, `--scale {scale}`",
        "",
        f"Machine: {machine()}.",
        "",
    ]
    if load:
        lines += [
            f"- `load_demo_catalog --scale {scale}`: {load['wall_seconds']:.1f} s, "
            f"peak RSS {load['peak_rss_mb']:.0f} MB",
            "",
        ]
    serializer = results.get("serializer")
    if serializer:
        lines += [
            f"- DB serializer, {serializer['documents']} store products: "
            f"{serializer['queries']} queries, {serializer['seconds'] * 1000:.0f} ms",
            "",
        ]
    lines += [
        "| indexing path | documents | seconds | docs/s | DB queries | queries / 1,000 "
        "| peak RSS MB |",
        "|---|---|---|---|---|---|---|",
    ]
    labels = {
        "ours": "`search_index rebuild` (ours)",
        "dod-serial": "django-opensearch-dsl `document index` (serial)",
        "dod-parallel": "django-opensearch-dsl `document index --parallel`",
        "raw-bulk": "raw `_bulk` of pre-serialised documents (ceiling)",
    }
    for name, label in labels.items():
        if name not in results:
            continue
        r = results[name]
        per_thousand = r["queries"] / max(r["documents"], 1) * 1000
        lines.append(
            f"| {label} | {r['documents']} | {r['seconds']:.1f} | {rate(r):,.0f} | "
            f"{r['queries']} | {per_thousand:.1f} | {r['peak_rss_mb']:.0f} |"
        )
    if "search" in results:
        r = results["search"]
        lines += [
            "",
            f"- `POST /api/search/unified/`, {r['documents']} searches of "
            f"{r['kinds']} kinds: p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, "
            f"max {r['max_ms']:.1f} ms, {r['queries']} DB queries",
        ]
    if "facets" in results:
        r = results["facets"]
        lines += [
            "",
            f"- Configured facets, {r['documents']} searches each, alternating: "
            f"{r['facets_before']} hard-coded facets p50 {r['before']['p50_ms']:.1f} ms / "
            f"p95 {r['before']['p95_ms']:.1f} ms; the {r['facets_after']} configured facets "
            f"p50 {r['after']['p50_ms']:.1f} ms / p95 {r['after']['p95_ms']:.1f} ms "
            f"(p50 ratio {r['p50_ratio']:.2f}), {r['queries']} DB queries",
        ]
    if "search-box" in results:
        r = results["search-box"]
        lines += [
            "",
            f"- `GET /api/catalog/search/`, {r['documents']} requests of {r['kinds']} queries: "
            f"p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, max {r['max_ms']:.1f} ms",
        ]
    if "api-vs-raw" in results:
        lines += api_vs_raw_report(results["api-vs-raw"])
    if "server-floor" in results:
        lines += server_floor_report(results["server-floor"])
    if "storefront" in results:
        r = results["storefront"]
        lines += [
            "",
            f"- Storefront page in Chromium, {r['documents']} interactions (typed queries and "
            f"facet clicks), last input to results rendered: p50 {r['interaction_p50_ms']:.0f} "
            f"ms, p95 {r['interaction_p95_ms']:.0f} ms, max {r['interaction_max_ms']:.0f} ms "
            f"(typed queries p50 {r['typed_p50_ms']:.0f} / p95 {r['typed_p95_ms']:.0f} ms, "
            f"facet clicks p50 {r['click_p50_ms']:.0f} / p95 {r['click_p95_ms']:.0f} ms; "
            f"server's share, request to first byte: p50 {r['server_p50_ms']:.0f} ms, "
            f"p95 {r['server_p95_ms']:.0f} ms); "
            f"server-rendered first page TTFB over {r['ttfb_loads']} loads: "
            f"p50 {r['ttfb_p50_ms']:.0f} ms, p95 {r['ttfb_p95_ms']:.0f} ms",
            "",
            "  Where a typed query's time went, ms after its last keystroke, p50 / p95: "
            + ", ".join(
                f"{label} {r[f'typed_{name}_p50_ms']:.0f} / {r[f'typed_{name}_p95_ms']:.0f}"
                for name, label in (
                    ("sent", "request sent"),
                    ("server", "server (request to first byte)"),
                    ("answered", "fragment received"),
                    ("swapped", "swapped in"),
                )
                if f"typed_{name}_p50_ms" in r
            ),
        ]
    if "ours" in results:
        best_dod = max(
            (rate(results[n]) for n in ("dod-serial", "dod-parallel") if n in results), default=0
        )
        if best_dod:
            lines += [
                "",
                f"Ours vs django-opensearch-dsl's faster mode: "
                f"{rate(results['ours']) / best_dod:.1f} times",
            ]
    if "rebuild-after-import" in results:
        lines += rebuild_after_import_report(results["rebuild-after-import"])
    if sync_lines := sync_report(results):
        lines += ["", "Change capture and the outbox (issue 8):", "", *sync_lines]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=20000, help="Synthetic store products.")
    parser.add_argument("--skip-load", action="store_true", help="Use the catalog already loaded.")
    parser.add_argument("--only", nargs="*", help="Measurements to run (default: all).")
    parser.add_argument(
        "--import-scale",
        type=int,
        default=100000,
        help="Catalog size of the rebuild-after-import measurement (its own database).",
    )
    args = parser.parse_args()

    load = None if args.skip_load else load_catalog(args.scale)
    names = args.only or [
        *("serializer", "ours", "search", "facets", "search-box", "api-vs-raw", "server-floor"),
        "storefront",
        *("dod-serial", "dod-parallel", "raw-bulk"),
        *SYNC_MEASUREMENTS,
        "rebuild-after-import",
    ]
    # The production server under load (issue 13) runs its own processes and report.
    run_load = "load" in names or args.only is None
    names = [name for name in names if name != "load"]
    results = {
        name: measure(name, prefix="benchdod_" if name.startswith("dod") else "bench_")
        for name in names
        if name != "rebuild-after-import"
    }
    if "rebuild-after-import" in names:
        print(f"  rebuild right after a {args.import_scale} import, and later …", flush=True)
        results["rebuild-after-import"] = rebuild_after_import(args.import_scale, later_after=60)
    text = report(args.scale, load, results)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"bench-{datetime.now(UTC):%Y%m%d-%H%M%S}.md").write_text(text)
    print()
    print(text)
    if run_load:
        print("  measuring load (benchmarks.load) …", flush=True)
        env = {**os.environ, "SEARCH_INDEX_PREFIX": "bench_"}
        subprocess.run([PYTHON, "-m", "benchmarks.load"], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    main()
