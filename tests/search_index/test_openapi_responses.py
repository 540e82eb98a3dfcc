"""Every search endpoint answers what its OpenAPI schema says, on a real index.

The schema is the one ``/api/search/schema/`` serves; each real response (rows of every
kind, facets, errors) is validated against the documented body of its status code.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from django.test import Client

from tests.catalogs.client_contract import ClientCatalog

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opensearch_index")]


def _resolved(node: Any, document: dict[str, Any]) -> Any:
    """Inline ``$ref``s and turn OpenAPI 3.0's ``nullable`` into JSON Schema."""
    if isinstance(node, list):
        return [_resolved(item, document) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return _resolved(target, document)
    schema = {key: _resolved(value, document) for key, value in node.items()}
    if schema.pop("nullable", False):
        return {"anyOf": [schema, {"type": "null"}]}
    return schema


@pytest.fixture
def openapi(client: Client) -> dict[str, Any]:
    response = client.get("/api/search/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def assert_documented(openapi: dict[str, Any], path: str, method: str, response: Any) -> None:
    operation = openapi["paths"][path][method]
    documented = operation["responses"][str(response.status_code)]
    schema = _resolved(documented["content"]["application/json"]["schema"], openapi)
    jsonschema.validate(response.json(), schema)


UNIFIED_BODIES = [
    {},
    {"searchQuery": "cm2 dublni"},
    {"filters": {"subjects": ["CM2"], "categories": ["Tutorial"]}},
    {"filters": {"products": ["1"]}, "options": {"include_analytics": False}},
    {"pagination": {"page": 9}},
    {"filters": {"colour": ["red"]}},  # 400
    {"pagination": {"page": 0}},  # 400
]


@pytest.mark.parametrize("body", UNIFIED_BODIES)
def test_unified_search_answers_match_the_schema(
    client: Client,
    indexed_client_catalog: ClientCatalog,
    openapi: dict[str, Any],
    body: dict[str, Any],
) -> None:
    response = client.post("/api/search/unified/", data=body, content_type="application/json")

    assert_documented(openapi, "/api/search/unified/", "post", response)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/search/fuzzy/", {"q": "CM2"}),
        ("/api/search/fuzzy/", {"q": "zzzz"}),
        ("/api/search/advanced-fuzzy/", {"q": "", "subjects": "1,2"}),
        ("/api/search/advanced-fuzzy/", {"subjects": "x"}),  # 400
        ("/api/search/default-data/", {"limit": 3}),
        ("/api/catalog/search/", {"q": "cm2", "limit": 50}),
        ("/api/catalog/search/", {"q": ""}),
        ("/api/catalog/search/", {"q": "cm2", "limit": 0}),  # 400
        ("/api/products/filter-configuration/", {}),
        ("/api/products/filter-configuration/", {"types": "subjects"}),
    ],
)
def test_get_endpoints_answer_what_the_schema_says(
    client: Client,
    indexed_client_catalog: ClientCatalog,
    openapi: dict[str, Any],
    path: str,
    params: dict[str, Any],
) -> None:
    response = client.get(path, params)

    assert_documented(openapi, path, "get", response)


def test_a_response_missing_a_documented_field_fails_validation(
    client: Client, indexed_client_catalog: ClientCatalog, openapi: dict[str, Any]
) -> None:
    # The check itself can fail: a row without its kind is not what the schema says.
    response = client.post("/api/search/unified/", data={}, content_type="application/json")
    body = response.json()
    del body["products"][0]["kind"]
    schema = openapi["paths"]["/api/search/unified/"]["post"]["responses"]["200"]

    with pytest.raises(jsonschema.ValidationError, match="kind"):
        jsonschema.validate(
            body, _resolved(schema["content"]["application/json"]["schema"], openapi)
        )
