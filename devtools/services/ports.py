"""Who holds a TCP port on 127.0.0.1: so "port taken" errors name the program and the fix."""

from __future__ import annotations

import contextlib
import socket

import psutil


def in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def holder(port: int) -> str | None:
    """``"name (pid N)"`` of the process listening on ``port``, when it can be seen."""
    with contextlib.suppress(psutil.AccessDenied, OSError):
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port:
                if conn.pid is None:
                    return None
                with contextlib.suppress(psutil.Error):
                    return f"{psutil.Process(conn.pid).name()} (pid {conn.pid})"
                return f"pid {conn.pid}"
    return None


def taken_message(port: int, variable: str, what: str = "something else") -> str:
    """The error for a port we need that another program listens on."""
    program = holder(port)
    by = f" by {program}" if program else f" by {what}"
    return (
        f"port {port} on 127.0.0.1 is already in use{by}; stop it, or set {variable} "
        f"to a free port (e.g. {variable}={port + 1} make services)"
    )
