"""The search-index knobs: one namespaced settings dict, defaults documented here.

``settings.SEARCH_INDEX`` overrides any key; unknown keys and bad values are reported
by a system check at startup rather than failing deep inside a rebuild.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Prefix of every index and alias name, so several environments share a cluster.
    "PREFIX": "catalog_",
    "SHARDS": 1,
    # 0 so a single-node cluster is green; raise it on a real cluster.
    "REPLICAS": 0,
    "REFRESH_INTERVAL": "1s",
    # Rows per keyset chunk: large enough that the fixed per-chunk prefetch queries are
    # amortised (≈6 queries per 1,000 products), small enough to keep memory flat.
    "CHUNK_SIZE": 1000,
    # Parallel bulk threads; the database read and serialisation run on the main thread.
    "WORKERS": 2,
    # Documents per _bulk request.
    "BULK_CHUNK_SIZE": 500,
    "BULK_MAX_RETRIES": 5,
    # Versioned indices kept behind the alias after a swap (the live one included).
    "KEEP": 2,
    # Segments a rebuilt index is merged into before it goes live (0: not merged). One
    # segment made the facet aggregations of an uncached search a quarter cheaper at
    # 100k store products, for about 10 s more of rebuild (BENCHMARKS.md, issue 11).
    "MERGE_SEGMENTS": 1,
    # Whether writes outside a rebuild (the fast path after an admin save, sync workers,
    # repairs) wait until their documents are searchable (``refresh=wait_for``). Off: a
    # request never waits for a refresh; documents show within REFRESH_INTERVAL.
    "REFRESH_ON_WRITE": False,
    # Hours an applied change stays in the outbox before ``sync --follow`` prunes it
    # (kept a while for looking into what was indexed when).
    "CHANGE_RETENTION_HOURS": 24,
}


def search_setting(name: str) -> Any:
    overrides = getattr(settings, "SEARCH_INDEX", {})
    return overrides.get(name, DEFAULTS[name])


def check_settings() -> list[str]:
    """Problems with ``settings.SEARCH_INDEX``, as messages naming the key."""
    overrides = getattr(settings, "SEARCH_INDEX", {})
    problems = [f"unknown key {key!r}" for key in overrides if key not in DEFAULTS]
    for key in ("SHARDS", "CHUNK_SIZE", "WORKERS", "BULK_CHUNK_SIZE", "KEEP"):
        value = overrides.get(key, DEFAULTS[key])
        if not isinstance(value, int) or value < 1:
            problems.append(f"{key} must be a positive integer, got {value!r}")
    merge = overrides.get("MERGE_SEGMENTS", DEFAULTS["MERGE_SEGMENTS"])
    if not isinstance(merge, int) or isinstance(merge, bool) or merge < 0:
        problems.append(f"MERGE_SEGMENTS must be 0 or a positive integer, got {merge!r}")
    prefix = overrides.get("PREFIX", DEFAULTS["PREFIX"])
    # Index names: lowercase, no spaces or the characters OpenSearch forbids.
    if (
        not isinstance(prefix, str)
        or prefix != prefix.lower()
        or any(char in prefix for char in ' "*\\<|,>/?#:')
    ):
        problems.append(f"PREFIX must be a lowercase index-name prefix, got {prefix!r}")
    retries = overrides.get("BULK_MAX_RETRIES", DEFAULTS["BULK_MAX_RETRIES"])
    if not isinstance(retries, int) or retries < 0:
        problems.append(f"BULK_MAX_RETRIES must be a non-negative integer, got {retries!r}")
    interval = overrides.get("REFRESH_INTERVAL", DEFAULTS["REFRESH_INTERVAL"])
    if not isinstance(interval, str) or not re.fullmatch(r"-1|\d+(ms|s|m)", interval):
        problems.append(f"REFRESH_INTERVAL must look like '1s', '500ms' or '-1', got {interval!r}")
    retention = overrides.get("CHANGE_RETENTION_HOURS", DEFAULTS["CHANGE_RETENTION_HOURS"])
    if not isinstance(retention, int) or isinstance(retention, bool) or retention < 0:
        problems.append(f"CHANGE_RETENTION_HOURS must be a non-negative integer, got {retention!r}")
    refresh_on_write = overrides.get("REFRESH_ON_WRITE", DEFAULTS["REFRESH_ON_WRITE"])
    if not isinstance(refresh_on_write, bool):
        problems.append(f"REFRESH_ON_WRITE must be True or False, got {refresh_on_write!r}")
    replicas = overrides.get("REPLICAS", DEFAULTS["REPLICAS"])
    if not isinstance(replicas, int) or replicas < 0:
        problems.append(f"REPLICAS must be a non-negative integer, got {replicas!r}")
    return problems
