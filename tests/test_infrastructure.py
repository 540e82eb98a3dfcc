"""The services are the real thing: PostgreSQL 15+ and OpenSearch 2.19."""

from __future__ import annotations

import os
import uuid

import pytest
from django.db import connection
from opensearchpy import OpenSearch

NESTED_MAPPING = {
    "properties": {
        "title": {"type": "keyword"},
        "variations": {
            "type": "nested",
            "properties": {"kind": {"type": "keyword"}, "price": {"type": "float"}},
        },
    }
}

DOCUMENTS = {
    "cm1-material": [{"kind": "printed", "price": 50}, {"kind": "ebook", "price": 40}],
    "cm2-material": [{"kind": "printed", "price": 55}],
    "cm2-tutorial": [{"kind": "tutorial", "price": 300}, {"kind": "ebook", "price": 45}],
    # Two eBook variations on one product: nested counts 2, reverse_nested counts 1.
    "cb1-material": [{"kind": "ebook", "price": 30}, {"kind": "ebook", "price": 35}],
}


def index_name(label: str) -> str:
    """A name under this run's prefix, so the session cleanup deletes it."""
    return f"{os.environ['SEARCH_INDEX_PREFIX']}infra_{label}_{uuid.uuid4().hex[:6]}"


def create_index(client: OpenSearch, name: str) -> None:
    client.indices.create(
        index=name,
        body={
            "settings": {"number_of_shards": 1, "number_of_replicas": 0},
            "mappings": NESTED_MAPPING,
        },
    )


def nested_variation_query(kind: str, min_price: float) -> dict[str, object]:
    return {
        "nested": {
            "path": "variations",
            "query": {
                "bool": {
                    "filter": [
                        {"term": {"variations.kind": kind}},
                        {"range": {"variations.price": {"gte": min_price}}},
                    ]
                }
            },
        }
    }


@pytest.fixture
def products_index(opensearch_client: OpenSearch) -> str:
    name = index_name("nested")
    create_index(opensearch_client, name)
    for doc_id, variations in DOCUMENTS.items():
        opensearch_client.index(
            index=name, id=doc_id, body={"title": doc_id, "variations": variations}
        )
    opensearch_client.indices.refresh(index=name)
    return name


@pytest.mark.django_db
def test_postgresql_is_at_least_15() -> None:
    # given the database Django is configured with
    with connection.cursor() as cursor:
        # when we ask the server its version
        cursor.execute("SHOW server_version_num")
        (version,) = cursor.fetchone()

    # then it is a real PostgreSQL 15 or later
    assert int(version) >= 150000


@pytest.mark.django_db
def test_postgresql_creates_and_drops_a_schema() -> None:
    # given a schema name nobody uses
    schema = f"infra_{uuid.uuid4().hex[:8]}"

    with connection.cursor() as cursor:
        # when we create it
        cursor.execute(f'CREATE SCHEMA "{schema}"')
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        # then it exists
        assert cursor.fetchone() == (1,)

        # and when we drop it, it is gone
        cursor.execute(f'DROP SCHEMA "{schema}"')
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        assert cursor.fetchone() is None


def test_opensearch_is_opensearch_2_19(opensearch_client: OpenSearch) -> None:
    # when we ask the cluster who it is
    info = opensearch_client.info()

    # then it is OpenSearch 2.19.x, not Elasticsearch or a stand-in
    assert info["version"]["distribution"] == "opensearch"
    assert info["version"]["number"].startswith("2.19.")


def test_nested_query_matches_within_one_variation(
    opensearch_client: OpenSearch, products_index: str
) -> None:
    # given four products with nested variations (products_index)

    # when we ask for a printed variation costing at least 52
    printed = opensearch_client.search(
        index=products_index, body={"query": nested_variation_query("printed", 52)}
    )
    # and for an eBook costing at least 100, which only a flattened mapping would find
    # (cm2-tutorial has an eBook and a variation costing 300, but not one costing both)
    cross_object = opensearch_client.search(
        index=products_index, body={"query": nested_variation_query("ebook", 100)}
    )

    # then only the product with such a variation matches
    assert [hit["_id"] for hit in printed["hits"]["hits"]] == ["cm2-material"]
    assert cross_object["hits"]["total"]["value"] == 0


def test_nested_terms_aggregation_with_reverse_nested_counts_products(
    opensearch_client: OpenSearch, products_index: str
) -> None:
    # given four products with seven variations between them (products_index)
    body = {
        "size": 0,
        "aggs": {
            "variations": {
                "nested": {"path": "variations"},
                "aggs": {
                    "kinds": {
                        "terms": {"field": "variations.kind"},
                        "aggs": {"products": {"reverse_nested": {}}},
                    }
                },
            }
        },
    }

    # when we count variation kinds
    result = opensearch_client.search(index=products_index, body=body)

    # then the nested counts are per variation and reverse_nested counts are per product
    variations = result["aggregations"]["variations"]
    counts = {
        bucket["key"]: (bucket["doc_count"], bucket["products"]["doc_count"])
        for bucket in variations["kinds"]["buckets"]
    }
    assert variations["doc_count"] == 7
    assert counts == {"ebook": (4, 3), "printed": (2, 2), "tutorial": (1, 1)}


def test_alias_swaps_atomically(opensearch_client: OpenSearch) -> None:
    # given an alias on an old index and a new index beside it
    alias = index_name("alias")
    old, new = index_name("old"), index_name("new")
    create_index(opensearch_client, old)
    create_index(opensearch_client, new)
    opensearch_client.indices.put_alias(index=old, name=alias)
    opensearch_client.index(index=new, id="fresh", body={"title": "fresh"}, refresh=True)

    # when one update_aliases call removes the old target and adds the new one
    opensearch_client.indices.update_aliases(
        body={
            "actions": [
                {"remove": {"index": old, "alias": alias}},
                {"add": {"index": new, "alias": alias}},
            ]
        }
    )

    # then the alias points at the new index only, and searches through it find its documents
    assert set(opensearch_client.indices.get_alias(name=alias)) == {new}
    hits = opensearch_client.search(index=alias)["hits"]["hits"]
    assert [hit["_id"] for hit in hits] == ["fresh"]
