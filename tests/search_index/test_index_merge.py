"""A rebuilt index goes live merged into MERGE_SEGMENTS segments (real OpenSearch)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from opensearchpy import OpenSearch

from search_index import lifecycle
from search_index.client import get_client

pytestmark = pytest.mark.usefixtures("opensearch_index")


def segment_count(client: OpenSearch, index: str) -> int:
    shards = client.indices.segments(index=index)["indices"][index]["shards"]
    return sum(len(copy["segments"]) for copies in shards.values() for copy in copies)


@pytest.fixture
def loaded_in_three_segments() -> Iterator[tuple[OpenSearch, str]]:
    """A new index as a rebuild creates it, loaded in three refreshes: three segments."""
    client = get_client()
    index = lifecycle.new_index_name()
    lifecycle.create_index(client, index, rebuild_started_at=datetime.now(UTC))
    try:
        for batch in range(3):
            client.index(index=index, id=str(batch), body={"store_product_id": batch})
            client.indices.refresh(index=index)
        assert segment_count(client, index) == 3
        yield client, index
    finally:
        client.indices.delete(index=index, ignore_unavailable=True)


def test_finishing_the_load_merges_the_index_into_one_segment(loaded_in_three_segments) -> None:
    client, index = loaded_in_three_segments

    lifecycle.finish_loading(client, index)

    assert segment_count(client, index) == 1
    assert client.count(index=index)["count"] == 3


def test_merge_segments_0_leaves_the_segments_as_loaded(loaded_in_three_segments, settings) -> None:
    client, index = loaded_in_three_segments
    settings.SEARCH_INDEX = {**getattr(settings, "SEARCH_INDEX", {}), "MERGE_SEGMENTS": 0}

    lifecycle.finish_loading(client, index)

    assert segment_count(client, index) == 3
