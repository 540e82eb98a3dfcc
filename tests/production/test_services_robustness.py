"""``make services`` when a port is taken or a previous server died: a prompt, clear answer.

Every test here uses its own ports and data folders, never the shared services.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from devtools.services import opensearch, postgres
from devtools.services.__main__ import DATA_ROOT
from devtools.services.errors import ServiceError


@pytest.fixture
def held_port() -> Iterator[int]:
    """A port on 127.0.0.1 that this (python) process listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


@pytest.fixture
def own_data_root() -> Iterator[Path]:
    """A data folder of this test's own, inside .data so the postgres user can reach it."""
    root = DATA_ROOT / f"test-services-{uuid.uuid4().hex[:8]}"
    root.mkdir(parents=True)
    yield root
    postgres.stop(root)
    shutil.rmtree(root, ignore_errors=True)


def test_a_taken_postgres_port_is_reported_at_once_with_the_fix(
    held_port: int, tmp_path: Path
) -> None:
    # when the services step needs a port another program listens on
    started = time.monotonic()
    with pytest.raises(ServiceError) as raised:
        postgres.ensure_running(tmp_path, held_port)

    # then it says so at once: which port, which program, which variable moves it
    message = str(raised.value)
    assert time.monotonic() - started < 2
    assert f"port {held_port}" in message
    assert f"pid {os.getpid()}" in message
    assert "LOCAL_POSTGRES_PORT" in message
    assert not (tmp_path / "postgres" / "pgdata" / "PG_VERSION").exists()


def test_a_taken_opensearch_port_names_the_program_and_the_variable(
    held_port: int, tmp_path: Path
) -> None:
    with pytest.raises(ServiceError) as raised:
        opensearch.ensure_running(tmp_path, held_port)
    message = str(raised.value)
    assert f"port {held_port}" in message
    assert f"pid {os.getpid()}" in message
    assert "LOCAL_OPENSEARCH_PORT" in message


def test_a_zombie_or_reused_postmaster_pid_is_recognised_as_stale(tmp_path: Path) -> None:
    # given postmaster.pid files naming a zombie, and a live process that is not postgres
    zombie = subprocess.Popen(["true"])
    deadline = time.monotonic() + 5
    while psutil.Process(zombie.pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    pgdata = tmp_path / "pgdata"
    pgdata.mkdir()
    pidfile = pgdata / "postmaster.pid"
    try:
        for stale_pid in (zombie.pid, os.getpid()):
            pidfile.write_text(f"{stale_pid}\n{pgdata}\n")

            # then neither counts as a running server, and the stale file is removed
            assert postgres._postmaster_pid(pgdata) is None
            assert not pidfile.exists()
    finally:
        zombie.wait()


def wait_until_dead(pid: int, timeout_s: float = 10) -> None:
    """Until the killed process has exited (gone, or a zombie nobody reaps)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return
        except psutil.NoSuchProcess:
            return
        time.sleep(0.02)
    raise AssertionError(f"pid {pid} still running {timeout_s} s after SIGKILL")


@pytest.mark.slow
def test_a_postmaster_killed_with_sigkill_is_restarted_promptly(own_data_root: Path) -> None:
    # given our own PostgreSQL, killed -9 (no clean shutdown, postmaster.pid left behind)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    postgres.ensure_running(own_data_root, port)
    pgdata, _ = postgres._paths(own_data_root)
    pid = int((pgdata / "postmaster.pid").read_text().split()[0])
    os.kill(pid, signal.SIGKILL)
    wait_until_dead(pid)

    # when the services step runs again
    started = time.monotonic()
    url = postgres.ensure_running(own_data_root, port)

    # then a new server answers within seconds, not after a minute's wait
    assert time.monotonic() - started < 20
    assert postgres.status(own_data_root, port)["running"]
    assert url.endswith(f":{port}/catalog")
