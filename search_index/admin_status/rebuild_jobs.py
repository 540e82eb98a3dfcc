"""A rebuild started from the admin runs in its own process, reporting progress to a row.

The request only records a ``RebuildRun`` and starts ``manage.py run_admin_rebuild <id>``
detached, so the rebuild outlives the request (and the web worker); the status page reads
the row. Progress is written by a reporter thread on its own database connection, because
the rebuild reads inside one read-only snapshot transaction.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from search_index.admin_status.models import RebuildRun
from search_index.rebuild import RebuildOptions, rebuild
from search_index.replay import replay_changes

# How often a running rebuild writes its progress (and so proves it is alive).
REPORT_EVERY_S = 0.5
DEFAULT_SETTINGS = "config.settings"


class RebuildAlreadyRunning(RuntimeError):
    """One rebuild at a time: the page says so instead of starting a second."""


class RebuildNotStarted(RuntimeError):
    """The separate process could not be started (recorded as a failed run)."""


def active_run() -> RebuildRun | None:
    latest = RebuildRun.objects.filter(
        state__in=[RebuildRun.State.QUEUED, RebuildRun.State.RUNNING]
    ).first()
    return latest if latest is not None and latest.is_active else None


def start_rebuild(user_id: int | None) -> RebuildRun:
    """Record a run and start its process; raise if one is already under way."""
    if active_run() is not None:
        raise RebuildAlreadyRunning("A rebuild is already running; its progress is shown here.")
    run = RebuildRun.objects.create(started_by_id=user_id)
    try:
        # Our own interpreter and command, no shell.
        process = subprocess.Popen(
            [sys.executable, "-m", "django", "run_admin_rebuild", str(run.pk)],
            cwd=settings.BASE_DIR,
            env=_child_environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not killed with the web worker that started it
        )
    except OSError as exc:
        RebuildRun.objects.filter(pk=run.pk).update(
            state=RebuildRun.State.FAILED, finished_at=timezone.now(), message=str(exc)
        )
        raise RebuildNotStarted(f"The rebuild process could not be started: {exc}") from exc
    RebuildRun.objects.filter(pk=run.pk).update(pid=process.pid)
    return run


def _child_environment() -> dict[str, str]:
    """This process's settings, and the database it really uses (a test's, for one)."""
    env = dict(os.environ)
    # The environment's module first: settings overridden at run time have no module name.
    env["DJANGO_SETTINGS_MODULE"] = (
        os.environ.get("DJANGO_SETTINGS_MODULE") or settings.SETTINGS_MODULE or DEFAULT_SETTINGS
    )
    env["DATABASE_URL"] = _database_url(connection.settings_dict)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(Path(settings.BASE_DIR)), env.get("PYTHONPATH")])
    )
    return env


def _database_url(db: dict[str, object]) -> str:
    user = quote(str(db.get("USER") or ""), safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{db.get('HOST') or ''}{port}/{quote(str(db['NAME']))}"


class ProgressReporter:
    """Counts documents from any thread; a thread of its own writes the count to the run."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.total: int | None = None
        self.indexed = 0
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._report_until_stopped, daemon=True)

    def __enter__(self) -> ProgressReporter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopped.set()
        self._thread.join()

    def factory(self, total: int) -> Callable[[int], None]:
        """``rebuild``'s progress hook: called once with the total, then per document."""
        self.total = total

        def advance(count: int) -> None:
            with self._lock:
                self.indexed += count

        return advance

    def _report_until_stopped(self) -> None:
        try:
            while not self._stopped.wait(REPORT_EVERY_S):
                self._write()
            self._write()
        finally:
            connections["default"].close()  # this thread's own connection

    def _write(self) -> None:
        fields: dict[str, object] = {"indexed": self.indexed, "heartbeat_at": timezone.now()}
        if self.total is not None:
            fields["total"] = self.total
        RebuildRun.objects.filter(pk=self.run_id).update(**fields)


def run_rebuild(run_id: int) -> RebuildRun:
    """The child process's work: rebuild, replay what changed meanwhile, record the end."""
    RebuildRun.objects.filter(pk=run_id).update(
        state=RebuildRun.State.RUNNING, heartbeat_at=timezone.now(), pid=os.getpid()
    )
    outcome: dict[str, object]
    try:
        with ProgressReporter(run_id) as reporter:
            result = rebuild(RebuildOptions(), progress=reporter.factory, after_swap=replay_changes)
    except Exception as exc:  # recorded for the page; the alias stayed where it was
        outcome = {"state": RebuildRun.State.FAILED, "message": str(exc)[:2000]}
    else:
        outcome = {
            "state": RebuildRun.State.SUCCEEDED,
            "index_name": result.index,
            "indexed": result.indexed,
            "total": result.expected,
            "message": f"{result.indexed} documents indexed into {result.index}; "
            f"{result.replayed} changes made meanwhile replayed.",
        }
    RebuildRun.objects.filter(pk=run_id).update(
        finished_at=timezone.now(), heartbeat_at=timezone.now(), **outcome
    )
    return RebuildRun.objects.get(pk=run_id)
