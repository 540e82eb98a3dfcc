"""``python -m devtools.services up|down|status``: the local PostgreSQL and OpenSearch.

Idempotent: ``up`` starts only what is not already running, and starts nothing for a
service whose URL (``DATABASE_URL`` / ``OPENSEARCH_URL``) is already set in the
environment. With ``SERVICES=docker`` both come from ``docker/compose.yml`` instead.
The URLs are written to ``.env``, which the Django settings read.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from devtools.services import opensearch, postgres
from devtools.services.cluster import Cluster
from devtools.services.errors import ServiceError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_ROOT = PROJECT_ROOT / ".data"
ENV_FILE = PROJECT_ROOT / ".env"
COMPOSE_FILE = PROJECT_ROOT / "docker" / "compose.yml"
DOCKER_URLS = {
    "DATABASE_URL": "postgres://catalog:catalog@127.0.0.1:5432/catalog",
    "OPENSEARCH_URL": "http://127.0.0.1:9200",
}


def _pg_port() -> int:
    return int(os.environ.get("LOCAL_POSTGRES_PORT", postgres.DEFAULT_PORT))


def _os_port() -> int:
    return int(os.environ.get("LOCAL_OPENSEARCH_PORT", opensearch.DEFAULT_PORT))


# .env is for development on this machine: it turns DEBUG on, so the settings do not ask
# for the SECRET_KEY and ALLOWED_HOSTS that deploy mode requires.
DEVELOPMENT_ENV = {"DEBUG": "1"}


def _write_env(urls: dict[str, str]) -> None:
    values = {**DEVELOPMENT_ENV, **urls}
    ENV_FILE.write_text("".join(f"{key}={value}\n" for key, value in values.items()))


def _opensearch_url(nodes: int) -> str:
    if nodes == 1:
        return opensearch.ensure_running(DATA_ROOT, _os_port())
    return ",".join(Cluster.from_env(DATA_ROOT, nodes).ensure_running())


def up_local(nodes: int = 1) -> dict[str, str]:
    """Start whatever is not given by the environment and return both URLs.

    ``nodes`` > 1 starts a cluster of that many OpenSearch nodes (``devtools.services.cluster``)
    instead of the single development node.
    """
    DATA_ROOT.mkdir(exist_ok=True)
    urls: dict[str, str] = {}
    started = time.monotonic()
    urls["DATABASE_URL"] = os.environ.get("DATABASE_URL") or postgres.ensure_running(
        DATA_ROOT, _pg_port()
    )
    urls["OPENSEARCH_URL"] = os.environ.get("OPENSEARCH_URL") or _opensearch_url(nodes)
    print(f"services ready in {time.monotonic() - started:.1f} s")
    return urls


def up_docker() -> dict[str, str]:
    subprocess.run(
        [
            "docker",
            "compose",
            "-f",
            str(COMPOSE_FILE),
            "up",
            "-d",
            "--wait",
            "postgres",
            "opensearch",
        ],
        check=True,
    )
    return dict(DOCKER_URLS)


def down() -> None:
    if os.environ.get("SERVICES") == "docker":
        subprocess.run(["docker", "compose", "-f", str(COMPOSE_FILE), "down"], check=True)
        return
    cluster = Cluster.from_env(DATA_ROOT, nodes=_cluster_nodes_on_disk())
    for index, stopped in enumerate(cluster.stop()):
        if stopped:
            print(f"opensearch cluster node-{index + 1}: stopped")
    for name, module in (("opensearch", opensearch), ("postgres", postgres)):
        print(f"{name}: {'stopped' if module.stop(DATA_ROOT) else 'was not running'}")


def _cluster_nodes_on_disk() -> int:
    return len(list((DATA_ROOT / "opensearch-cluster").glob("node-*")))


def status() -> dict[str, object]:
    return {
        "postgres": postgres.status(DATA_ROOT, _pg_port()),
        "opensearch": opensearch.status(DATA_ROOT, _os_port()),
        "env_file": ENV_FILE.read_text() if ENV_FILE.exists() else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.services", description=__doc__)
    parser.add_argument("action", choices=["up", "down", "status"])
    parser.add_argument(
        "--nodes",
        type=int,
        default=1,
        choices=range(1, 10),
        metavar="N",
        help="OpenSearch nodes: 1 (default) is the development node on LOCAL_OPENSEARCH_PORT; "
        "more starts a cluster on LOCAL_CLUSTER_PORT and the ports after it",
    )
    args = parser.parse_args(argv)
    try:
        if args.action == "up":
            docker = os.environ.get("SERVICES") == "docker"
            urls = up_docker() if docker else up_local(args.nodes)
            _write_env(urls)
            for key, value in urls.items():
                print(f"{key}={value}")
        elif args.action == "down":
            down()
        else:
            print(json.dumps(status(), indent=2, default=str))
    except (ServiceError, subprocess.CalledProcessError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
