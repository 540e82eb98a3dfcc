"""``python -m devtools.services``: idempotent, and one of each service however often it runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from devtools.services import opensearch
from devtools.services.__main__ import DATA_ROOT, PROJECT_ROOT, status, up_local

PGDATA = DATA_ROOT / "postgres" / "pgdata"
OPENSEARCH_DATA = DATA_ROOT / "opensearch" / "data"
PIDFILES = (PGDATA / "postmaster.pid", DATA_ROOT / "opensearch" / "opensearch.pid")


def service_status(name: str) -> dict[str, object]:
    report = status()[name]
    assert isinstance(report, dict)
    return report


@pytest.fixture
def local_services(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip unless this run uses the local services; then hide their URLs from up_local."""
    missing = [str(path) for path in PIDFILES if not path.exists()]
    if missing:
        pytest.skip(f"this run was given external services (no {', '.join(missing)})")
    local_urls = (service_status("postgres")["url"], service_status("opensearch")["url"])
    given_urls = (os.environ.get("DATABASE_URL"), os.environ.get("OPENSEARCH_URL"))
    if given_urls != local_urls:
        pytest.skip(f"this run was given external services {given_urls}, not {local_urls}")
    # Set URLs mean "use those, start nothing": without them up_local manages its own.
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.delenv("OPENSEARCH_URL")


def processes_whose_cmdline_has(*parts: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if all(part in cmdline for part in parts):
            found.append(proc)
    return found


def postmasters() -> list[psutil.Process]:
    # Backends rewrite their titles ("postgres: checkpointer"); only the postmaster keeps -D.
    return [
        proc
        for proc in processes_whose_cmdline_has(str(PGDATA))
        if Path(proc.info["cmdline"][0]).name == "postgres"
    ]


def opensearch_nodes() -> list[psutil.Process]:
    return processes_whose_cmdline_has(opensearch.MAIN_CLASS, f"--data={OPENSEARCH_DATA}")


def managed_pids() -> tuple[object, object]:
    return service_status("postgres")["pid"], service_status("opensearch")["pid"]


@pytest.mark.usefixtures("local_services")
def test_running_the_services_step_twice_leaves_one_of_each() -> None:
    # given the local services this run already uses
    pids_before = managed_pids()

    # when the services step runs twice more
    first = up_local()
    second = up_local()

    # then nothing was restarted or duplicated
    assert first == second
    assert managed_pids() == pids_before
    assert [proc.pid for proc in postmasters()] == [pids_before[0]]
    assert [proc.pid for proc in opensearch_nodes()] == [pids_before[1]]


def test_status_prints_json_and_exits_zero() -> None:
    # when we ask for the status from the command line
    result = subprocess.run(
        [sys.executable, "-m", "devtools.services", "status"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    # then it succeeds and prints one JSON document describing both services
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"postgres", "opensearch"} <= report.keys()
    assert isinstance(report["postgres"]["running"], bool)
    assert isinstance(report["opensearch"]["running"], bool)
