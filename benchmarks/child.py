"""One measured child process: its JSON line, wall time, peak RSS and CPU time.

Each measurement runs in a process of its own so that its peak RSS and CPU are its own
(``wait4`` reports both for exactly that child).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def run_child(args: list[str], prefix: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``args`` with index prefix ``prefix``; its last JSON line plus wall, RSS and CPU."""
    child_env = {**os.environ, **(env or {}), "SEARCH_INDEX_PREFIX": prefix}
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=ROOT, env=child_env, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{output}")
    lines = [line for line in output.splitlines() if line.startswith("{")]
    result: dict[str, Any] = json.loads(lines[-1]) if lines else {}
    result["output"] = output
    result["wall_seconds"] = wall
    result["peak_rss_mb"] = usage.ru_maxrss / 1024  # Linux reports KiB
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    return result
