"""settings.SEARCH_INDEX is checked at startup, each problem naming its key."""

from __future__ import annotations

from search_index.conf import check_settings


def test_defaults_are_valid(settings) -> None:
    settings.SEARCH_INDEX = {}
    assert check_settings() == []


def test_bad_values_are_named(settings) -> None:
    settings.SEARCH_INDEX = {
        "PREFIX": "Catalog Prod_",
        "CHUNK_SIZE": 0,
        "REPLICAS": -1,
        "REFRESH_INTERVAL": "soon",
        "BULK_MAX_RETRIES": "3",
        "MERGE_SEGMENTS": -1,
        "COLOUR": "blue",
    }

    problems = " | ".join(check_settings())

    for key in (
        "PREFIX",
        "CHUNK_SIZE",
        "REPLICAS",
        "REFRESH_INTERVAL",
        "BULK_MAX_RETRIES",
        "MERGE_SEGMENTS",
        "unknown key 'COLOUR'",
    ):
        assert key in problems
