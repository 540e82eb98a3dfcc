"""One indexing pipeline: every writer goes through ``bulk_load``, failures name the store
products, no write waits for a refresh unless asked, index name and settings are read
when used (issue 12)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from catalog.models import Price
from search_index import lifecycle
from search_index.client import get_client
from search_index.documents import StoreProductDocument, alias_name, index_body
from search_index.rebuild import RebuildError, rebuild
from search_index.writing import IndexingFailed, NoLiveIndex, write_documents

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opensearch_index")]


def body_refusing_prices_over_127() -> dict[str, Any]:
    """Our index body with one conflict: the standard price must fit in a byte."""
    body = copy.deepcopy(index_body())
    body["mappings"]["properties"]["search"]["properties"]["standard_price"] = {"type": "byte"}
    return body


def price_beyond_a_byte(small_catalog: Any) -> int:
    """The one store product whose document the conflicting mapping rejects."""
    Price.objects.update(amount="99.00")
    Price.objects.filter(store_product=small_catalog.tutorial).update(amount="500.00")
    return small_catalog.tutorial.pk


def test_an_incremental_write_names_the_store_product_opensearch_rejected(small_catalog) -> None:  # type: ignore[no-untyped-def]
    rejected = price_beyond_a_byte(small_catalog)
    index = f"{alias_name()}-conflict"
    get_client().indices.create(index=index, body=body_refusing_prices_over_127())
    everything = [small_catalog.material_printed.pk, small_catalog.material_ebook.pk, rejected]

    with pytest.raises(IndexingFailed) as failure:
        write_documents(everything, client=get_client(), index=index)

    assert failure.value.store_product_ids == [str(rejected)]
    assert f"1 store products not written ({rejected})" in str(failure.value)
    assert "mapper_parsing_exception" in str(failure.value)


def test_a_rebuild_names_the_store_product_opensearch_rejected(small_catalog, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rejected = price_beyond_a_byte(small_catalog)
    monkeypatch.setattr(lifecycle, "index_body", body_refusing_prices_over_127)

    with pytest.raises(RebuildError, match=rf"1 store products not written \({rejected}\)"):
        rebuild()

    assert lifecycle.live_index(get_client()) is None  # the half-built index was dropped


def searchable_at(amount: str) -> int:
    query = {"query": {"term": {"variations.prices.amount": amount}}}
    return get_client().count(index=alias_name(), body=query)["count"]


def changed_price_written(small_catalog: Any) -> None:
    Price.objects.filter(store_product=small_catalog.material_printed).update(amount="123.45")
    write_documents([small_catalog.material_printed.pk], client=get_client())


def test_by_default_a_write_forces_no_refresh(small_catalog, settings) -> None:  # type: ignore[no-untyped-def]
    # An index that never refreshes by itself: the write alone decides.
    settings.SEARCH_INDEX = {**settings.SEARCH_INDEX, "REFRESH_INTERVAL": "-1"}
    rebuild()

    changed_price_written(small_catalog)

    assert searchable_at("123.45") == 0


def test_refresh_on_write_makes_the_write_searchable_when_it_returns(
    small_catalog, settings
) -> None:  # type: ignore[no-untyped-def]
    rebuild()  # refreshed every second, as configured by default
    settings.SEARCH_INDEX = {**settings.SEARCH_INDEX, "REFRESH_ON_WRITE": True}

    changed_price_written(small_catalog)

    assert searchable_at("123.45") == 1


def test_index_name_and_settings_are_read_when_used(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SEARCH_INDEX = {
        **settings.SEARCH_INDEX,
        "PREFIX": "elsewhere_",
        "SHARDS": 3,
        "REFRESH_INTERVAL": "30s",
    }

    assert alias_name() == "elsewhere_store_products"
    assert StoreProductDocument._default_index() == "elsewhere_store_products"
    assert StoreProductDocument()._get_index() == "elsewhere_store_products"
    assert {
        key: index_body()["settings"][key] for key in ("number_of_shards", "refresh_interval")
    } == {"number_of_shards": 3, "refresh_interval": "30s"}


def test_a_write_with_no_live_index_creates_no_index_in_the_alias_name(small_catalog) -> None:  # type: ignore[no-untyped-def]
    # Given no index behind the alias, and a store product that is gone (a delete action,
    # which OpenSearch would auto-create an index for, external version and all)
    client = get_client()
    gone = small_catalog.tutorial.pk
    small_catalog.tutorial.delete()

    # When the incremental path writes it
    with pytest.raises(NoLiveIndex):
        write_documents([gone], client=client)

    # Then nothing was created where the alias belongs: a rebuild can still put it there
    assert not client.indices.exists(index=alias_name())
