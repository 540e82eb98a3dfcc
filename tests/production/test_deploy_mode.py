"""Deploy mode (DEBUG off): required settings, and Django's deployment checklist passes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from config.settings import DEVELOPMENT_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3Y-" + "9f8e7d6c5b4a" * 5


# drf-spectacular's deploy check generates the schema, which reads the storefront filter
# configuration from the database: the subprocesses use this run's migrated test database.
pytestmark = pytest.mark.django_db


def migrated_database_url() -> str:
    """The URL of this run's test database (created and migrated by ``django_db_setup``)."""
    params = settings.DATABASES["default"]
    return (
        f"postgres://{params['USER']}:{params['PASSWORD']}@{params['HOST']}:{params['PORT']}/"
        f"{params['TEST']['NAME']}"
    )


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py with DEBUG off and only the given deploy settings."""
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DEBUG": "0", "DATABASE_URL": migrated_database_url(), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_real_settings() -> None:
    # given deploy mode with a strong key and real hosts
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="search.example.com",
    )

    # then Django's deployment checklist (and drf-spectacular's schema check) is clean
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_the_development_key() -> None:
    # given the built-in development key used in deploy mode
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=DEVELOPMENT_SECRET_KEY,
        ALLOWED_HOSTS="search.example.com",
    )

    # then the check fails on it
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_deploy_mode_refuses_to_start_without_required_settings(missing: str) -> None:
    # given deploy mode with one required setting absent
    given = {"SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "search.example.com"}
    del given[missing]

    # when anything starts
    result = manage("check", **given)

    # then it stops with a message naming the setting and how to fix it
    assert result.returncode != 0
    assert f"{missing} must be set when DEBUG is off" in result.stderr
