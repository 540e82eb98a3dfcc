"""The older endpoints apply every filter they validate, or refuse it: never ignore it."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.catalogs.small import SmallCatalog
from tests.endpoints import UNIFIED

FUZZY = "/api/search/fuzzy/"
ADVANCED_FUZZY = "/api/search/advanced-fuzzy/"
DEFAULT_DATA = "/api/search/default-data/"


@pytest.mark.django_db
def test_fuzzy_applies_the_subjects_it_validates(
    client: Client, indexed_small_catalog: SmallCatalog
) -> None:
    # Given CM1 with one row and CM2 with two
    cm2 = indexed_small_catalog.material_printed.exam_session_subject.subject

    # When fuzzy is asked for CM2's rows
    body = client.get(FUZZY, {"subjects": str(cm2.pk)}).json()

    # Then it answers with CM2's rows only, counted as the unified search counts them
    assert {p["subject_code"] for p in body["products"]} == {"CM2"}
    unified = client.post(
        UNIFIED,
        data={"filters": {"subjects": ["CM2"]}},
        content_type="application/json",
    ).json()
    assert body["total_count"] == unified["pagination"]["total_count"] == 2
    # and suggests only what is left under the filter
    assert [s["code"] for s in body["suggested_filters"]["subjects"]] == ["CM2"]


@pytest.mark.django_db
def test_fuzzy_applies_the_categories_it_validates(
    client: Client, indexed_small_catalog: SmallCatalog
) -> None:
    tutorial = indexed_small_catalog.groups["Tutorial"].pk

    body = client.get(FUZZY, {"categories": str(tutorial)}).json()

    assert [p["product_code"] for p in body["products"]] == [
        indexed_small_catalog.tutorial.product_code
    ]
    assert body["total_count"] == 1


@pytest.mark.django_db
def test_fuzzy_and_advanced_fuzzy_are_one_search(
    client: Client, indexed_small_catalog: SmallCatalog
) -> None:
    material = indexed_small_catalog.groups["Material"].pk
    params = {"q": "core", "categories": str(material), "limit": "1"}

    fuzzy = client.get(FUZZY, params).json()

    assert fuzzy == client.get(ADVANCED_FUZZY, params).json()
    assert len(fuzzy["products"]) == 1
    assert fuzzy["total_count"] == 2


@pytest.mark.parametrize("parameter", ["q", "subjects", "categories"])
def test_default_data_refuses_a_query_or_filter_rather_than_ignoring_it(
    client: Client, parameter: str
) -> None:
    # No index needed: the parameters are refused before anything is searched.
    response = client.get(DEFAULT_DATA, {parameter: "1", "limit": "2"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


@pytest.mark.django_db
def test_default_data_takes_blank_parameters_and_a_limit(
    client: Client, indexed_small_catalog: SmallCatalog
) -> None:
    # Blank values ask for nothing (a form submitted empty): nothing to refuse.
    response = client.get(DEFAULT_DATA, {"q": "", "subjects": "", "limit": "2"})

    assert response.status_code == 200
    assert len(response.json()["popular_products"]) == 2
    assert response.json()["total_count"] == 3
