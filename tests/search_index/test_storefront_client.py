"""The storefront client's own requests, replayed: each R, R* and P item of its contract.

``docs/storefront-client.md`` lists what the storefront's React client sends and reads;
every test here sends what it sends, on a real index, and checks what it reads.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from catalog.filtering import FilterConfiguration, FilterType
from tests.catalogs.client_contract import ClientCatalog
from tests.endpoints import FILTER_CONFIGURATION, SEARCH_BOX, UNIFIED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opensearch_index")]


def post(client: Client, body: Any, query: str = "", **headers: str) -> Any:
    return client.post(f"{UNIFIED}{query}", data=body, content_type="application/json", **headers)


def ids(body: dict[str, Any]) -> set[int]:
    return {row["id"] for row in body["products"]}


# §1 The request -------------------------------------------------------------------------


def test_the_clients_own_body_is_answered(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    # Given the body the products page sends, analytics option and a logged-in token included
    body = {
        "searchQuery": "",
        "filters": {"subjects": ["CM2"]},
        "pagination": {"page": 1, "page_size": 20},
        "options": {"include_bundles": True, "include_analytics": False, "anything": [1]},
        "someFutureField": {"x": 1},
    }

    # When it is posted with a bearer token this service does not know
    response = post(client, body, HTTP_AUTHORIZATION="Bearer not-a-token-we-issued")

    # Then it is answered (never a 401), with the rows of CM2
    assert response.status_code == 200
    assert {row["subject_code"] for row in response.json()["products"]} == {"CM2"}


def test_configured_filter_keys_are_accepted_and_applied(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    body = post(client, {"filters": {"subject_type": ["SA"], "programme_type": ["Programme"]}})
    assert body.status_code == 200
    assert body.json()["products"] == []  # no store product is in a "Programme" group

    body = post(client, {"filters": {"subject_type": ["SA"]}}).json()
    assert ids(body) == {indexed_client_catalog.sa1_book.pk}


def test_integer_filter_values_are_taken_as_strings(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    product_id = indexed_client_catalog.small.material_printed.product_product_variation.product_id

    as_number = post(client, {"filters": {"products": [product_id]}}).json()
    as_string = post(client, {"filters": {"products": [str(product_id)]}}).json()

    assert ids(as_number) == ids(as_string) != set()


def test_a_short_query_is_not_a_text_search(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    everything = post(client, {}).json()["pagination"]["total_count"]

    assert post(client, {"searchQuery": " c "}).json()["pagination"]["total_count"] == everything


@pytest.mark.parametrize(
    ("query", "expected_kinds"),
    [
        ("?distance_learning=1", {"material"}),
        ("?tutorial=1", {"tutorial"}),
        ("?distance_learning=", {"material", "tutorial", "marking"}),  # empty: ignored
        ("?variation=17", {"material", "tutorial", "marking"}),  # accepted, ignored
    ],
)
def test_navbar_parameters_narrow_by_kind(
    client: Client, indexed_client_catalog: ClientCatalog, query: str, expected_kinds: set[str]
) -> None:
    body = post(client, {}, query).json()

    assert {row["kind"] for row in body["products"]} == expected_kinds


def test_navbar_group_and_tutorial_format_narrow_hits_and_counts(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    # When the navbar asks for Live Online tutorials
    body = post(client, {}, "?tutorial_format=Live%20Online").json()

    # Then only that tutorial is found, and every facet is counted under the navbar filter
    assert ids(body) == {indexed_client_catalog.live_online.pk}
    assert body["filter_counts"]["subjects"] == {"CM2": {"count": 1, "name": "CM2"}}

    body = post(client, {}, "?group=Core%20Study%20Materials").json()
    assert {row["kind"] for row in body["products"]} == {"material"}


def test_navbar_product_merges_into_the_product_filter(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    product_id = indexed_client_catalog.small.material_printed.product_product_variation.product_id

    body = post(client, {}, f"?product={product_id}").json()

    assert {row["product_id"] for row in body["products"]} == {product_id}
    assert set(body["filter_counts"]["products"]) == {str(product_id)}


# §2 The response ------------------------------------------------------------------------


def test_every_row_has_a_kind_and_its_preview_fields(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    rows = {row["id"]: row for row in post(client, {}).json()["products"]}

    live = rows[indexed_client_catalog.live_online.pk]
    assert (live["kind"], live["type"]) == ("tutorial", "Tutorial")
    assert (live["format"], live["format_display"]) == ("LO_6", "Live Online 6 days")
    assert live["product_code"] == indexed_client_catalog.live_online.product_code
    assert live["prices"][0]["price_type"] == "standard"
    assert [e["code"] for e in live["variations"][0]["events"]] == ["CM2-LO-61-25S"]
    online = rows[indexed_client_catalog.online_classroom.pk]
    assert online["tutorial_location_name"] is online["tutorial_location_code"] is None
    marking = rows[indexed_client_catalog.marking.pk]
    assert (marking["kind"], marking["type"]) == ("marking", "Markings")
    assert (marking["marking_template_name"], marking["marking_template_code"]) == (
        "Series X Assignments",
        "X",
    )
    material = rows[indexed_client_catalog.small.material_printed.pk]
    assert material["kind"] == "material"
    assert len(material["variations"]) == 2  # Printed and eBook: one row


def test_react_keys_are_unique_in_a_response(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    rows = post(client, {"pagination": {"page_size": 100}}).json()["products"]

    keys = [row.get("essp_id") or row["id"] for row in rows]
    assert len(keys) == len(set(keys))


def test_filter_counts_has_every_active_configured_key_in_display_order(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    counts = post(client, {}).json()["filter_counts"]

    active = FilterConfiguration.objects.filter(is_active=True).order_by("display_order")
    assert list(counts) == [config.filter_key for config in active]
    assert counts["products"] == {}
    assert counts["subject_type"] == {
        "UK": {"count": 7, "name": "UK"},
        "SA": {"count": 1, "name": "SA"},
    }
    assert counts["tutorial_format"] == {
        "F2F_5": {"count": 1, "name": "F2F_5"},
        "LO_6": {"count": 1, "name": "LO_6"},
        "OC": {"count": 1, "name": "OC"},
    }
    # the group facets count only the groups offered by their configuration
    assert set(counts["categories"]) == {"Material", "Tutorial", "Marking"}
    assert "Material" not in counts["product_types"]
    values = [entry["count"] for entry in counts["subjects"].values()]
    assert values == sorted(values, reverse=True)


def test_past_the_last_page_is_an_empty_page(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    body = post(client, {"pagination": {"page": 50, "page_size": 20}}).json()

    assert body["products"] == []
    assert body["pagination"]["has_previous"] is True


# Facets as data ------------------------------------------------------------------------


def test_a_filter_added_in_the_admin_is_accepted_and_counted_without_a_rebuild(
    admin_client: Client, client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    # Given marking templates are not a storefront filter yet
    assert post(client, {"filters": {"marking_template": ["X"]}}).status_code == 400

    # When an editor switches the configured row on in the admin
    config = FilterConfiguration.objects.get(filter_key="marking_template")
    response = admin_client.post(
        f"/admin/catalog/filterconfiguration/{config.pk}/change/",
        {
            "filter_key": "marking_template", "display_label": "Marking",
            "filter_type": FilterType.MARKING_TEMPLATE, "is_active": "on",
            "display_order": 8, "ui_component": "multi_select", "allow_multiple": "on",
            "ui_config": "{}", "filterconfigurationgroup_set-TOTAL_FORMS": "0",
            "filterconfigurationgroup_set-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content

    # Then the key is accepted, applied and counted: no code change, no rebuild
    body = post(client, {"filters": {"marking_template": ["X"]}}).json()
    assert ids(body) == {indexed_client_catalog.marking.pk}
    assert body["filter_counts"]["marking_template"] == {"X": {"count": 1, "name": "X"}}


def test_a_new_filter_key_of_a_known_type_works_at_once(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    FilterConfiguration.objects.create(
        filter_key="exam_body", display_label="Exam body", filter_type=FilterType.SUBJECT_TYPE
    )

    body = post(client, {"filters": {"exam_body": ["SA"]}}).json()

    assert ids(body) == {indexed_client_catalog.sa1_book.pk}
    assert body["filter_counts"]["exam_body"]["SA"]["count"] == 1


def test_a_built_in_key_cannot_be_configured(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/catalog/filterconfiguration/add/",
        {
            "filter_key": "locations", "display_label": "Places",
            "filter_type": FilterType.TUTORIAL_LOCATION, "display_order": 1,
            "ui_component": "multi_select", "ui_config": "{}",
            "filterconfigurationgroup_set-TOTAL_FORMS": "0",
            "filterconfigurationgroup_set-INITIAL_FORMS": "0",
        },
    )  # fmt: skip

    assert response.status_code == 200
    assert "is a built-in search filter" in response.content.decode()
    assert not FilterConfiguration.objects.filter(filter_key="locations").exists()


# §3 Filter configuration ----------------------------------------------------------------

ENTRY_FIELDS = {
    "filter_key", "filter_type", "type", "label", "description", "display_order",
    "allow_multiple", "ui_component", "is_collapsible", "collapsible",
    "is_expanded_by_default", "default_open", "is_required", "ui_config", "filter_groups",
    "options",
}  # fmt: skip


def test_the_filter_configuration_is_served_in_the_contracts_shape(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    response = client.get(FILTER_CONFIGURATION)

    assert response.status_code == 200
    body = response.json()
    active = FilterConfiguration.objects.filter(is_active=True).order_by("display_order")
    assert list(body) == [config.filter_key for config in active]
    assert all(entry.keys() == ENTRY_FIELDS for entry in body.values())
    subjects = body["subjects"]
    assert (subjects["type"], subjects["label"], subjects["default_open"]) == (
        "subject",
        "Subjects",
        True,
    )
    assert {"id": 2, "value": "CM2", "label": "CM2 - Financial Mathematics", "code": "CM2"} in (
        subjects["options"]
    )
    assert [g["name"] for g in body["categories"]["filter_groups"]] == [
        "Material",
        "Tutorial",
        "Marking",
    ]
    assert body["products"]["options"] == []
    locations = {option["value"] for option in body["tutorial_location"]["options"]}
    assert locations == {"DUB", "LO"}  # the Online Classroom is not a place
    formats = {o["value"]: o["label"] for o in body["tutorial_format"]["options"]}
    assert formats == {
        "F2F_5": "Face-to-face 5 days",
        "LO_6": "Live Online 6 days",
        "OC": "Online Classroom",
    }


def test_types_narrows_the_configuration(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    body = client.get(f"{FILTER_CONFIGURATION}?types=subjects,categories").json()

    assert list(body) == ["subjects", "categories"]


# §4 The search box ----------------------------------------------------------------------


def test_the_search_box_suggests_kind_tagged_rows(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    response = client.get(SEARCH_BOX, {"q": "cm2 dublni", "limit": 50})

    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["suggested_products"]] == [
        indexed_client_catalog.small.tutorial.pk
    ]
    assert body["suggested_products"][0]["kind"] == "tutorial"
    assert body["total_count"] == 1
    assert body["total_matches"]["products"] == 1
    assert [s["code"] for s in body["suggested_filters"]["subjects"]] == ["CM2"]
    assert body["query"] == "cm2 dublni"


def test_search_box_rows_leave_out_event_sessions(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    # The box shows a few rows: their events, but not every session day of every event
    box = client.get(SEARCH_BOX, {"q": "cm2 dublni"}).json()["suggested_products"]
    unified = post(client, {"searchQuery": "cm2 dublni"}).json()["products"]

    [box_event, *_] = box[0]["variations"][0]["events"]
    [unified_event, *_] = unified[0]["variations"][0]["events"]
    assert "sessions" not in box_event
    assert unified_event["sessions"]
    assert {**unified_event, "sessions": None} == {**box_event, "sessions": None}


def test_the_search_box_limit_caps_the_rows_not_the_total(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    body = client.get(SEARCH_BOX, {"q": "cm2", "limit": 2}).json()

    assert len(body["suggested_products"]) == 2
    assert body["total_count"] == 5  # material, three tutorials, marking
    assert len(client.get(SEARCH_BOX, {"q": "cm2"}).json()["suggested_products"]) == 5


def test_an_empty_search_box_is_an_empty_answer(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    body = client.get(SEARCH_BOX, {"q": ""}).json()

    assert body["suggested_products"] == []
    assert body["total_count"] == 0


def test_a_bad_search_box_limit_is_a_400(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    response = client.get(SEARCH_BOX, {"q": "cm2", "limit": "lots"})

    assert response.status_code == 400
    assert "limit" in response.json()["details"]


# Codes find their product ---------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code,
        lambda code: code.lower(),
        lambda code: code.replace("/", " "),
        lambda code: code.replace("/", "").replace("-", ""),
    ],
    ids=["as-written", "lowercase", "spaces", "no-separators"],
)
def test_a_pasted_store_product_code_finds_it_first(
    client: Client, indexed_client_catalog: ClientCatalog, typed: Any
) -> None:
    code = indexed_client_catalog.small.material_ebook.product_code  # CM2/CCSM01/2025-09

    body = post(client, {"searchQuery": typed(code)}).json()

    # Then its row comes first, listing the store product that carries the code
    first = body["products"][0]
    assert (first["subject_code"], first["product_code"]) == ("CM2", "CSM01")
    assert [v["store_product_id"] for v in first["variations"]] == [
        indexed_client_catalog.small.material_ebook.pk
    ]


@pytest.mark.parametrize("typed", ["CM2-LO-61-25S", "cm2-lo-61-25s", "cm2 lo 61 25s", "CM2LO6125S"])
def test_a_pasted_event_code_finds_its_tutorial_first(
    client: Client, indexed_client_catalog: ClientCatalog, typed: str
) -> None:
    body = post(client, {"searchQuery": typed}).json()

    assert body["products"][0]["id"] == indexed_client_catalog.live_online.pk


def test_a_catalog_product_code_finds_its_rows_first(
    client: Client, indexed_client_catalog: ClientCatalog
) -> None:
    body = post(client, {"searchQuery": "csm01"}).json()

    assert [row["product_code"] for row in body["products"][:3]] == ["CSM01"] * 3
