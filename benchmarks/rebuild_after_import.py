"""Issue 11: a rebuild right after a bulk import costs what the same rebuild costs later.

In a database of its own: ``migrate``, ``load_demo_catalog --scale N``, then at once
``search_index rebuild`` ("right after"), a pause, and the same rebuild again ("later").
Each step is a child process, so wall time, peak RSS and CPU time are the rebuild's own.
CPU time is reported beside wall time because it is what a replay of the import would
add, and it hardly moves with the machine's load.

    python -m benchmarks.rebuild_after_import --scale 100000 --later-after 60
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from benchmarks.child import run_child

PREFIX = "benchimport_"
DEFAULT_URL = "postgres://postgres@127.0.0.1:54329/catalog"


def _database_url(name: str) -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL", DEFAULT_URL))
    return urlunsplit(parts._replace(path=f"/{name}"))


def _recreate_database(name: str) -> None:
    with psycopg.connect(_database_url("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _manage(*args: str, database: str) -> dict[str, Any]:
    return run_child(
        [sys.executable, "manage.py", *args],
        PREFIX,
        env={"DATABASE_URL": _database_url(database), "DEBUG": "1"},
    )


def _rebuild(database: str) -> dict[str, Any]:
    result = _manage("search_index", "rebuild", "--quiet", database=database)
    replayed = re.search(r"Replayed (\d+) changes", result["output"])
    return {
        "seconds": result["wall_seconds"],
        "cpu_seconds": result["cpu_seconds"],
        "peak_rss_mb": result["peak_rss_mb"],
        "replayed": int(replayed.group(1)) if replayed else 0,
    }


def rebuild_after_import(scale: int, later_after: float) -> dict[str, Any]:
    database = f"bench_import_{scale}"
    _recreate_database(database)
    try:
        _manage("migrate", "--no-input", "--verbosity", "0", database=database)
        loaded = _manage(
            "load_demo_catalog", "--scale", str(scale), "--verbosity", "0", database=database
        )
        right_after = _rebuild(database)
        time.sleep(later_after)
        later = _rebuild(database)
        _manage("search_index", "delete", "--no-input", database=database)
    finally:
        _recreate_database(database)  # leaves an empty database, not 100k rows, behind
    return {
        "scale": scale,
        "load_seconds": loaded["wall_seconds"],
        "later_after_seconds": later_after,
        "right_after": right_after,
        "later": later,
        "time_ratio": right_after["seconds"] / later["seconds"],
        "cpu_ratio": right_after["cpu_seconds"] / later["cpu_seconds"],
        "rss_ratio": right_after["peak_rss_mb"] / later["peak_rss_mb"],
    }


def report_lines(result: dict[str, Any]) -> list[str]:
    right, later = result["right_after"], result["later"]
    return [
        "",
        f"- Rebuild at `--scale {result['scale']}` right after the import vs "
        f"{result['later_after_seconds']:.0f} s later: {right['seconds']:.1f} s / "
        f"{later['seconds']:.1f} s wall ({result['time_ratio']:.2f}x), "
        f"{right['cpu_seconds']:.1f} s / {later['cpu_seconds']:.1f} s CPU "
        f"({result['cpu_ratio']:.2f}x), peak RSS {right['peak_rss_mb']:.0f} / "
        f"{later['peak_rss_mb']:.0f} MB ({result['rss_ratio']:.2f}x); replayed "
        f"{right['replayed']} / {later['replayed']} changes",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100000)
    parser.add_argument("--later-after", type=float, default=60.0, help="Seconds between.")
    args = parser.parse_args()
    result = rebuild_after_import(args.scale, args.later_after)
    print("\n".join(report_lines(result)))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
