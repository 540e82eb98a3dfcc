"""The orjson serializer accepts what bulk helpers and documents hand it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_opensearch_dsl.enums import CommandAction
from opensearchpy.exceptions import SerializationError

from search_index.client import OrjsonSerializer


def test_serializes_enum_keys_decimals_and_passes_strings_through() -> None:
    serializer = OrjsonSerializer()

    assert serializer.dumps({CommandAction.INDEX: {"_id": 1}}) == '{"index":{"_id":1}}'
    assert serializer.dumps({"amount": Decimal("9.50")}) == '{"amount":"9.50"}'
    assert serializer.dumps('{"already": "json"}') == '{"already": "json"}'
    assert serializer.loads('{"a": [1, 2]}') == {"a": [1, 2]}


def test_unserializable_values_raise_the_client_error() -> None:
    with pytest.raises(SerializationError):
        OrjsonSerializer().dumps({"when": object()})
