"""Documents in a real index: one shape with the DB serializer, sorted at index time."""

from __future__ import annotations

import pytest

from catalog.models import StoreProduct
from search_index import lifecycle
from search_index.client import get_client
from search_index.documents import alias_name
from search_index.rebuild import rebuild
from search_index.serialization import serialize_rows
from tests.search_index.capture_helpers import indexed_values

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opensearch_index")]


def mapping_of_live_index() -> dict:
    client = get_client()
    live = lifecycle.live_index(client)
    return client.indices.get_mapping(index=live)[live]["mappings"]["properties"]


def source(store_product_id: int) -> dict:
    return get_client().get(index=alias_name(), id=store_product_id)["_source"]


def test_events_and_sessions_are_nested(small_catalog) -> None:
    rebuild()

    properties = mapping_of_live_index()
    events = properties["variations"]["properties"]["events"]
    assert events["type"] == "nested"
    assert events["properties"]["sessions"]["type"] == "nested"
    assert properties["product_name"]["fields"]["raw"]["type"] == "keyword"
    assert properties["subject_code"]["type"] == "keyword"
    assert properties["subject_code"]["fields"]["prefix"]["analyzer"] == "prefix"
    assert properties["search"]["properties"]["text"]["analyzer"] == "folding"
    assert properties["variations"]["properties"]["prices"]["properties"]["amount"]["type"] == (
        "scaled_float"
    )
    assert events["properties"]["start_date"]["type"] == "date"


def test_indexed_source_equals_the_serializer_row(small_catalog) -> None:
    rebuild()

    for store_product in StoreProduct.objects.filter(is_active=True):
        [row] = serialize_rows(StoreProduct.objects.filter(pk=store_product.pk))
        # and nothing else: the search object is indexed, not stored
        assert source(store_product.pk) == row


def test_sessions_in_sequence_and_events_in_date_order(small_catalog) -> None:
    rebuild()

    events = source(small_catalog.tutorial.pk)["variations"][0]["events"]
    assert [event["code"] for event in events] == ["CM2-55-25S", "CM2-56-25S"]
    assert [session["sequence"] for session in events[0]["sessions"]] == [1, 2, 3]
    assert events[1]["sessions"] == []


def test_inactive_store_products_are_not_indexed(small_catalog) -> None:
    small_catalog.material_ebook.is_active = False
    small_catalog.material_ebook.save()

    result = rebuild()

    assert result.indexed == 3
    assert not get_client().exists(index=alias_name(), id=small_catalog.material_ebook.pk)


def test_groups_roll_up_to_their_ancestors(small_catalog) -> None:
    rebuild()

    def indexed(field: str) -> list[str]:
        return indexed_values(small_catalog.tutorial.pk, f"search.{field}")

    assert indexed("categories") == ["Tutorial"]
    assert indexed("product_types") == ["Face-to-face"]
    assert set(indexed("modes_of_delivery")) == {"Tutorial", "Face-to-face"}


def test_nested_query_finds_a_session_by_its_own_fields(small_catalog) -> None:
    rebuild()

    query = {
        "nested": {
            "path": "variations.events",
            "query": {
                "nested": {
                    "path": "variations.events.sessions",
                    "query": {"term": {"variations.events.sessions.sequence": 3}},
                }
            },
        }
    }
    hits = get_client().search(index=alias_name(), body={"query": query})["hits"]["hits"]
    assert [hit["_id"] for hit in hits] == [str(small_catalog.tutorial.pk)]


def test_prefix_of_a_code_finds_it(small_catalog) -> None:
    rebuild()

    query = {"match": {"subject_code.prefix": "cm"}}
    hits = get_client().search(index=alias_name(), body={"query": query})["hits"]
    assert hits["total"]["value"] == 4


def test_django_opensearch_dsl_commands_cannot_touch_the_alias() -> None:
    # Its `opensearch index delete/rebuild` would act on our alias as if it were an index.
    from django.core.management import CommandError, call_command
    from django_opensearch_dsl.registries import registry

    from search_index.documents import StoreProductDocument

    with pytest.raises(CommandError, match="Unknown command"):
        call_command("opensearch", "index", "delete", "--force")
    # while its registry still serves our document
    assert StoreProductDocument in registry.get_documents()


def test_event_places_are_in_a_fixed_order_so_the_hash_is_the_same_in_every_process(
    small_catalog,
) -> None:
    # Python orders a set of strings differently in each process; a document built by
    # iterating one would get a different content hash in `search_index check`.
    from catalog.models import StoreProduct
    from search_index.building import iter_documents
    from tests import factories

    places = ["Zurich", "Oslo", "Madrid", "Lisbon", "Bergen"]
    for n, place in enumerate(places):
        factories.TutorialEventFactory(
            store_product=small_catalog.tutorial, code=f"CM2-9{n}-25S", location=place,
            venue=f"{place} Hall",
        )  # fmt: skip

    queryset = StoreProduct.objects.filter(pk=small_catalog.tutorial.pk)
    [(_, document)] = list(iter_documents(queryset, 10))

    text = document["search"]["text"]
    positions = [text.index(f" {place} ") for place in sorted(places)]
    assert positions == sorted(positions)
