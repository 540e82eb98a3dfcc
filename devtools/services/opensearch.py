"""A real OpenSearch 2.19 node for development and tests, built from Maven Central jars.

Our machines have no Docker engine and cannot download the OpenSearch tarball, but they
have Java 17, Maven and Maven Central. ``docker/opensearch-node`` is a tiny launcher that
runs the published server jar and its modules (HTTP, analysis-common, mapper-extras,
reindex, painless) in one JVM: the same engine, query DSL and HTTP API as the official
image. This module builds it when needed, starts it detached so it outlives the caller,
and finds it again through a pidfile.

Only the standard library and psutil are used, so this works before Django is configured.
Layout under ``<data_root>/opensearch/``: ``home/``, ``data/``, ``logs/``,
``opensearch.pid`` and a ``.lock`` that serialises concurrent starts.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

from devtools.services import ports
from devtools.services.errors import ServiceError

OPENSEARCH_VERSION = "2.19.6"
DEFAULT_PORT = 9250
CLUSTER_NAME = "catalog-local"
MAIN_CLASS = "local.opensearch.LocalNode"
START_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 30.0
BUILD_TIMEOUT_S = 900.0
LOG_TAIL_LINES = 40

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NODE_PROJECT = PROJECT_ROOT / "docker" / "opensearch-node"
POM = NODE_PROJECT / "pom.xml"
CLASSES_DIR = NODE_PROJECT / "target" / "classes"
CLASSPATH_FILE = NODE_PROJECT / "target" / "classpath.txt"

# urllib honours HTTP(S)_PROXY; a local node must never be reached through a proxy.
_HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def url(port: int = DEFAULT_PORT) -> str:
    return f"http://127.0.0.1:{port}"


def _base(data_root: Path) -> Path:
    return Path(data_root).resolve() / "opensearch"


def _pidfile(data_root: Path) -> Path:
    return _base(data_root) / "opensearch.pid"


def _logs(data_root: Path) -> Path:
    return _base(data_root) / "logs"


@contextmanager
def _locked(data_root: Path) -> Iterator[None]:
    """Serialise start/stop across processes (e.g. parallel test workers)."""
    base = _base(data_root)
    base.mkdir(parents=True, exist_ok=True)
    with (base / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- HTTP -----------------------------------------------------------------------------


def _get_json(target: str, timeout: float = 5.0) -> dict[str, object] | None:
    """GET a JSON object, or None when nothing (or nothing JSON) answers."""
    try:
        with _HTTP.open(target, timeout=timeout) as response:
            body = json.load(response)
    except (urllib.error.URLError, OSError, ValueError):
        return None
    return body if isinstance(body, dict) else None


def _opensearch_info(port: int) -> dict[str, object] | None:
    """The root document if an OpenSearch node answers on the port, else None."""
    info = _get_json(url(port) + "/", timeout=3.0)
    version = info.get("version") if info else None
    if isinstance(version, dict) and version.get("distribution") == "opensearch":
        return info
    return None


def _is_healthy(port: int, wait_s: int = 5) -> bool:
    health = _get_json(
        f"{url(port)}/_cluster/health?wait_for_status=yellow&timeout={wait_s}s",
        timeout=wait_s + 5,
    )
    if not health:
        return False
    return health.get("status") in ("yellow", "green") and not health.get("timed_out")


# --- process bookkeeping --------------------------------------------------------------


def _our_process(data_root: Path) -> psutil.Process | None:
    """The live node recorded in the pidfile; a stale pidfile is removed."""
    pidfile = _pidfile(data_root)
    try:
        pid = int(pidfile.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        proc = psutil.Process(pid)
        # Guard against pid reuse: it must be our launcher, and not a zombie.
        if proc.status() != psutil.STATUS_ZOMBIE and MAIN_CLASS in proc.cmdline():
            return proc
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        pass
    pidfile.unlink(missing_ok=True)
    return None


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _process_port(proc: psutil.Process) -> int | None:
    for arg in proc.cmdline():
        if arg.startswith("--http-port="):
            return int(arg.split("=", 1)[1])
    return None


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()[-lines:]
    except FileNotFoundError:
        return f"--- {path}: (no file)"
    return f"--- {path} (last {len(text)} lines)\n" + "\n".join(text)


def _log_tails(data_root: Path) -> str:
    logs = _logs(data_root)
    # The node's own log is named after its cluster: <cluster>.log beside stdout.log.
    node_logs = sorted(
        p for p in logs.glob("*.log") if p.name != "stdout.log" and "_deprecation" not in p.name
    )
    return "\n".join(_tail(p) for p in (logs / "stdout.log", *node_logs))


def _terminate(proc: psutil.Process, timeout: float = STOP_TIMEOUT_S) -> None:
    """SIGTERM lets the launcher's shutdown hook close the node cleanly; SIGKILL if it hangs."""
    # A process that is already gone has nothing left to stop.
    with contextlib.suppress(psutil.NoSuchProcess):
        proc.send_signal(signal.SIGTERM)
        _, alive = psutil.wait_procs([proc], timeout=timeout)
        for survivor in alive:
            survivor.kill()
        psutil.wait_procs(alive, timeout=5)


# --- build ----------------------------------------------------------------------------


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if not java:
        raise ServiceError("OpenSearch needs Java 17+: set JAVA_HOME or put `java` on PATH")
    return java


def _build_is_current() -> bool:
    launcher = CLASSES_DIR / Path(*MAIN_CLASS.split(".")).with_suffix(".class")
    if not (launcher.exists() and CLASSPATH_FILE.exists()):
        return False
    built = min(launcher.stat().st_mtime, CLASSPATH_FILE.stat().st_mtime)
    sources = [POM, *NODE_PROJECT.joinpath("src").rglob("*.java")]
    if any(source.stat().st_mtime > built for source in sources):
        return False
    # ~/.m2 may have been cleared since the last build.
    jars = CLASSPATH_FILE.read_text().strip().split(os.pathsep)
    return all(Path(jar).exists() for jar in jars)


def build_classpath() -> str:
    """Compile the launcher and resolve its jars with Maven unless already done.

    The first run on a machine fetches about 75 MB from Maven Central into ~/.m2; later
    runs reuse it. Returns the classpath for ``java -cp``.
    """
    if not _build_is_current():
        mvn = shutil.which("mvn")
        if not mvn:
            raise ServiceError("building the local OpenSearch node needs Maven (`mvn` on PATH)")
        try:
            subprocess.run(
                [mvn, "-q", "-B", "-f", str(POM), "compile"],
                capture_output=True,
                text=True,
                timeout=BUILD_TIMEOUT_S,
                check=True,
            )
        except subprocess.CalledProcessError as exc:
            output = "\n".join((exc.stdout + exc.stderr).splitlines()[-LOG_TAIL_LINES:])
            raise ServiceError(f"Maven build of {NODE_PROJECT} failed:\n{output}") from exc
        except subprocess.TimeoutExpired as exc:
            raise ServiceError(f"Maven build timed out after {BUILD_TIMEOUT_S:.0f} s") from exc
    return os.pathsep.join([str(CLASSES_DIR), CLASSPATH_FILE.read_text().strip()])


# --- public API -----------------------------------------------------------------------


def _wait_until_ready(data_root: Path, port: int, proc: psutil.Process) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if not _alive(proc):
            _pidfile(data_root).unlink(missing_ok=True)
            raise ServiceError(
                f"OpenSearch (pid {proc.pid}) exited during startup\n{_log_tails(data_root)}"
            )
        if _is_healthy(port, wait_s=2):
            return
        time.sleep(0.5)
    _terminate(proc)
    _pidfile(data_root).unlink(missing_ok=True)
    raise ServiceError(
        f"OpenSearch on port {port} was not yellow within {START_TIMEOUT_S:.0f} s; stopped it\n"
        f"{_log_tails(data_root)}"
    )


@dataclass(frozen=True)
class NodeSpec:
    """How to start one node: the defaults are the single development node."""

    cluster_name: str = CLUSTER_NAME
    node_name: str | None = None
    heap: str | None = None
    # Extra OpenSearch settings, passed as -Ename=value (discovery, transport port, …).
    settings: tuple[tuple[str, str], ...] = ()


SINGLE_NODE = NodeSpec()


def _start(data_root: Path, port: int, spec: NodeSpec = SINGLE_NODE) -> psutil.Process:
    classpath = build_classpath()
    base, logs = _base(data_root), _logs(data_root)
    logs.mkdir(parents=True, exist_ok=True)
    heap = spec.heap or os.environ.get("OPENSEARCH_HEAP", "768m")
    command = [
        _java(),
        f"-Xms{heap}",
        f"-Xmx{heap}",
        "-XX:+UseG1GC",
        # Die rather than limp on after an OutOfMemoryError; the next ensure_running restarts.
        "-XX:+ExitOnOutOfMemoryError",
        "-Djava.awt.headless=true",
        "-Dfile.encoding=UTF-8",
        # As the 2.x distribution's jvm.options: the date formats assume the COMPAT locale data.
        "-Djava.locale.providers=SPI,COMPAT",
        "-Dlog4j2.formatMsgNoLookups=true",
        "-cp",
        classpath,
        MAIN_CLASS,
        f"--home={base / 'home'}",
        f"--data={base / 'data'}",
        f"--logs={logs}",
        f"--http-port={port}",
        f"--cluster-name={spec.cluster_name}",
        *([f"--node-name={spec.node_name}"] if spec.node_name else []),
        *(f"-E{key}={value}" for key, value in spec.settings),
    ]
    with (logs / "stdout.log").open("ab") as out:
        popen = subprocess.Popen(
            command,
            cwd=base,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives the caller and its terminal's Ctrl-C
        )
    _pidfile(data_root).write_text(f"{popen.pid}\n")
    return psutil.Process(popen.pid)


def start_detached(data_root: Path, port: int, spec: NodeSpec) -> psutil.Process:
    """Start a node unless ours already runs there; do not wait for it (a cluster node
    cannot be healthy before a quorum of its peers has started too)."""
    with _locked(data_root):
        proc = _our_process(data_root)
        if proc is not None:
            return proc
        if ports.in_use(port):
            raise ServiceError(ports.taken_message(port, "LOCAL_CLUSTER_PORT"))
        return _start(data_root, port, spec)


def wait_until_ready(data_root: Path, port: int, proc: psutil.Process) -> None:
    _wait_until_ready(data_root, port, proc)


def process(data_root: Path) -> psutil.Process | None:
    """Our running node for ``data_root``, if any."""
    return _our_process(data_root)


def ensure_running(data_root: Path, port: int = DEFAULT_PORT) -> str:
    """Return the URL of a healthy node on ``port``, starting one only if none is there.

    Idempotent and safe to call from several processes at once. A node already answering
    on the port as OpenSearch (e.g. started by hand) is reused even without our pidfile.
    """
    with _locked(data_root):
        proc = _our_process(data_root)
        if proc is not None:
            running_port = _process_port(proc)
            if running_port != port:
                raise ServiceError(
                    f"the local OpenSearch for {_base(data_root)} already runs on port "
                    f"{running_port} (pid {proc.pid}); stop it first to use port {port}"
                )
            _wait_until_ready(data_root, port, proc)
            return url(port)

        if ports.in_use(port):
            if _opensearch_info(port) is None:
                raise ServiceError(
                    ports.taken_message(port, "LOCAL_OPENSEARCH_PORT", "something not OpenSearch")
                )
            if not _is_healthy(port, wait_s=30):
                raise ServiceError(f"the OpenSearch on port {port} is not yellow or green")
            return url(port)

        _wait_until_ready(data_root, port, _start(data_root, port))
        return url(port)


def stop(data_root: Path) -> bool:
    """Stop the node recorded in the pidfile; return whether one was running.

    A node we did not start (no pidfile) is left alone.
    """
    with _locked(data_root):
        proc = _our_process(data_root)
        if proc is None:
            return False
        _terminate(proc)
        _pidfile(data_root).unlink(missing_ok=True)
        return True


def stop_strays(data_root: Path) -> bool:
    """Stop launcher processes serving ``data_root`` that no pidfile records."""
    data_arg = f"--data={_base(data_root) / 'data'}"
    strays = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if MAIN_CLASS in cmdline and data_arg in cmdline:
            strays.append(proc)
    for proc in strays:
        _terminate(proc)
    return bool(strays)


def status(data_root: Path, port: int = DEFAULT_PORT) -> dict[str, object]:
    """What answers on ``port``, and our process's pid and memory if we started it."""
    proc = _our_process(data_root)
    info = _opensearch_info(port)
    version = info.get("version") if info else None
    result: dict[str, object] = {
        "running": info is not None,
        "pid": proc.pid if proc else None,
        "url": url(port),
        "version": version.get("number") if isinstance(version, dict) else None,
        "managed": proc is not None,
    }
    if proc is not None:
        try:
            result["rss_mb"] = round(proc.memory_info().rss / 2**20, 1)
        except psutil.NoSuchProcess:
            result["pid"] = None
    return result
