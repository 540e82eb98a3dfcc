"""Start the production gunicorn configuration on a free loopback port (bench and tests)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
DEPLOY_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "gunicorn-test-" + "a1b2c3d4e5f6" * 5,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    # Plain HTTP on loopback: no proxy in front to terminate TLS.
    "SECURE_SSL_REDIRECT": "0",
    "ANON_THROTTLE_RATE": "",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_live(url: str, process: subprocess.Popen[bytes], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    last_error: OSError | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            opener.open(url + "/healthz/live", timeout=1).close()
            return
        except OSError as exc:  # not listening yet: try again until the deadline
            last_error = exc
        time.sleep(0.1)
    raise RuntimeError(
        f"gunicorn did not answer on {url} within {timeout_s} s (last error: {last_error})"
    )


@contextlib.contextmanager
def gunicorn_process(
    env: dict[str, str] | None = None, log: Path | None = None
) -> Iterator[tuple[str, int]]:
    """Yield the base URL and the master's pid of a running gunicorn; stop it (and its
    workers) afterwards."""
    port = free_port()
    full_env = {**os.environ, **DEPLOY_ENV, "GUNICORN_BIND": f"127.0.0.1:{port}", **(env or {})}
    out = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [GUNICORN, "-c", str(ROOT / "gunicorn.conf.py"), "config.wsgi"],
        cwd=ROOT,
        env=full_env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_live(url, process, timeout_s=30)
        yield url, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log:
            out.close()  # type: ignore[union-attr]


@contextlib.contextmanager
def gunicorn(env: dict[str, str] | None = None, log: Path | None = None) -> Iterator[str]:
    """Yield the base URL of a running gunicorn; stop it (and its workers) afterwards."""
    with gunicorn_process(env, log) as (url, _):
        yield url


def workers_cpu_ns(master_pid: int) -> int:
    """CPU time (ns) the master's worker processes have used, every thread counted
    (``/proc/<pid>/task/<tid>/schedstat``: nanoseconds, unlike ``stat``'s clock ticks)."""
    total = 0
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        for schedstat in Path(f"/proc/{child}/task").glob("*/schedstat"):
            with contextlib.suppress(OSError):  # a thread that ended meanwhile
                total += int(schedstat.read_text().split()[0])
    return total
