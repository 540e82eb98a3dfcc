"""OpenSearch topology and security from the environment: hosts, credentials, CA bundle."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW_OPTIONS = """
import django, json
django.setup()
from django.conf import settings
from search_index.client import search_connection_options
default = settings.OPENSEARCH_DSL["default"]
search = search_connection_options(default)
print(json.dumps({
    "default": {k: default.get(k) for k in ("hosts", "http_auth", "ca_certs", "verify_certs")},
    "search": {k: search.get(k) for k in ("hosts", "http_auth", "ca_certs", "verify_certs",
                                           "timeout", "max_retries")},
}))
"""


def client_options(**env: str) -> dict[str, dict[str, object]]:
    strip = ("OPENSEARCH_USERNAME", "OPENSEARCH_PASSWORD", "OPENSEARCH_CA_CERTS")
    base = {k: v for k, v in os.environ.items() if k not in strip}
    result = subprocess.run(
        [sys.executable, "-c", SHOW_OPTIONS],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_several_hosts_credentials_and_a_ca_bundle_reach_every_client() -> None:
    # given a secured three-node cluster described in the environment
    options = client_options(
        OPENSEARCH_URL="https://a.example:9200,https://b.example:9200,https://c.example:9200",
        OPENSEARCH_USERNAME="catalog",
        OPENSEARCH_PASSWORD="s3cret",
        OPENSEARCH_CA_CERTS="/etc/ssl/catalog-ca.pem",
    )

    # then the maintenance and the search clients both use all of it, verifying certificates
    for name in ("default", "search"):
        assert options[name]["hosts"] == [
            "https://a.example:9200",
            "https://b.example:9200",
            "https://c.example:9200",
        ]
        assert options[name]["http_auth"] == ["catalog", "s3cret"]
        assert options[name]["ca_certs"] == "/etc/ssl/catalog-ca.pem"
        assert options[name]["verify_certs"] is True
    # and the search client is the budgeted one
    assert options["search"]["timeout"] == 0.9
    assert options["search"]["max_retries"] == 1


def test_certificate_checks_are_on_unless_turned_off_explicitly() -> None:
    assert client_options()["default"]["verify_certs"] is True
    assert client_options(OPENSEARCH_VERIFY_CERTS="0")["default"]["verify_certs"] is False
