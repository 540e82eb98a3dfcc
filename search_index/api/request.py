"""Validation of the storefront's search request: the contract's keys, strictly.

Anything unknown or of the wrong type is a 400 that names the field, never a 500.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from search_index.filter_config import FilterSet
from search_index.search.query import MAX_RESULT_WINDOW
from search_index.search.sorting import SORTS

# Ids are OpenSearch longs: a larger one would fail on the cluster (or in JSON encoding).
MAX_ID = 2**63 - 1


class StrictCharField(serializers.CharField):
    """A JSON string only: DRF's ``CharField`` would turn ``5`` into ``"5"``."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer only: not ``"5"``, ``5.0`` or ``true``, which ``IntegerField`` accepts."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON ``true`` or ``false`` only: not ``"yes"``, ``"true"`` or ``1``."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictSerializer(serializers.Serializer):
    """Rejects keys the contract does not know, naming them."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({key: ["Unknown field."] for key in unknown})
        return super().to_internal_value(data)


def _list_of(child: serializers.Field) -> serializers.ListField:
    return serializers.ListField(child=child, required=False, max_length=100)


def _names() -> serializers.ListField:
    return _list_of(StrictCharField(max_length=200))


def _ids() -> serializers.ListField:
    return _list_of(StrictIntegerField(min_value=1, max_value=MAX_ID))


@extend_schema_field({"oneOf": [{"type": "string", "minLength": 1}, {"type": "integer"}]})
class FilterValueField(serializers.Field):
    """One filter value: a non-empty string, or an integer taken as its string (``129``)."""

    default_error_messages = {
        "invalid": "Expected a non-empty string or an integer.",
        "max_length": "Ensure this value has at most {max_length} characters.",
    }
    MAX_LENGTH = 200

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, bool) or not isinstance(data, (str, int)) or data == "":
            self.fail("invalid")
        value = str(data)
        if len(value) > self.MAX_LENGTH:
            self.fail("max_length", max_length=self.MAX_LENGTH)
        return value

    def to_representation(self, value: str) -> str:
        return value


def _values() -> serializers.ListField:
    return _list_of(FilterValueField())


class FiltersSerializer(StrictSerializer):
    """The built-in keys below, plus every active configured filter key.

    The configured keys come from ``context["filter_set"]``, so a filter added in the
    admin is accepted without a code change; any other key is a 400.
    """

    product_ids = _ids()
    essp_ids = _ids()
    exam_sessions = _names()
    locations = _names()
    venues = _names()
    event_start_from = serializers.DateField(required=False)
    event_start_to = serializers.DateField(required=False)
    available_only = StrictBooleanField(required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # Without a configuration (the OpenAPI schema is generated so, and must not need
        # a database) only the built-in keys are fields.
        filter_set: FilterSet = self.context.get("filter_set") or FilterSet(())
        # In display order: the validated filters, and so the query's clauses, come out
        # in one order (search_index.api.quick_validation gives the same one).
        for key in [f.key for f in filter_set.filters if f.key not in fields]:
            fields[key] = _values()
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("event_start_from"), attrs.get("event_start_to")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"event_start_to": ["Must not be before event_start_from."]}
            )
        return attrs


class PaginationSerializer(StrictSerializer):
    page = StrictIntegerField(min_value=1, default=1)
    page_size = StrictIntegerField(min_value=1, max_value=100, default=20)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["page"] * attrs["page_size"] > MAX_RESULT_WINDOW:
            raise serializers.ValidationError(
                {
                    "page": [
                        f"Pages beyond result {MAX_RESULT_WINDOW} are not served; "
                        f"narrow the search instead."
                    ]
                }
            )
        return attrs


class OptionsSerializer(serializers.Serializer):
    """An open object: the storefront sends ``include_analytics`` and may send more."""

    include_bundles = StrictBooleanField(required=False, default=True)
    sort = serializers.ChoiceField(choices=sorted(SORTS), required=False)


class SearchRequestSerializer(serializers.Serializer):
    """The unified search body; unknown top-level keys are ignored, as the client expects.

    ``context={"filter_set": …}`` gives the configured filter keys it accepts; without
    it only the built-in ones.
    """

    searchQuery = StrictCharField(required=False, allow_blank=True, max_length=200, default="")
    filters = FiltersSerializer(required=False, default=dict)
    pagination = PaginationSerializer(required=False, default=dict)
    options = OptionsSerializer(required=False, default=dict)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"body": ["Expected a JSON object."]})
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "pattern": "^([0-9]+(,[0-9]+)*)?$", "example": "1,2"})
class CommaSeparatedIds(serializers.Field):
    """``subjects=1,2`` → ``[1, 2]``; anything else is a 400 naming the parameter."""

    def to_internal_value(self, data: Any) -> list[int]:
        if data in ("", None):
            return []
        parts = [part.strip() for part in str(data).split(",") if part.strip()]
        # Plain ASCII digits: int() would also take "1_000", "+5" and non-ASCII digits.
        if not all(part.isascii() and part.isdigit() for part in parts):
            raise serializers.ValidationError("Expected comma-separated integer ids.")
        out_of_range = serializers.ValidationError(f"Ids must be between 1 and {MAX_ID}.")
        try:
            ids = [int(part) for part in parts]
        except ValueError as exc:  # over 4300 digits: Python refuses to convert it
            raise out_of_range from exc
        if any(not 1 <= value <= MAX_ID for value in ids):
            raise out_of_range
        return ids

    def to_representation(self, value: list[int]) -> str:
        return ",".join(str(v) for v in value)


class CompatLimitSerializer(serializers.Serializer):
    """``limit``: the rows a compatibility endpoint answers with."""

    limit = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)


class CompatQuerySerializer(CompatLimitSerializer):
    """Query parameters of the fuzzy and advanced-fuzzy endpoints, every one applied."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    subjects = CommaSeparatedIds(required=False, default=list)
    categories = CommaSeparatedIds(required=False, default=list)


class DefaultDataQuerySerializer(CompatLimitSerializer):
    """``limit`` only. The default data is the whole catalog: a query or filter the fuzzy
    endpoints take (``q``, ``subjects``, ``categories``) is a 400 here, never ignored."""

    # Parameters of the fuzzy endpoints, which this one refuses.
    REFUSED = ("q", "subjects", "categories")

    def to_internal_value(self, data: Any) -> Any:
        refused = [key for key in self.REFUSED if data.get(key)]
        if refused:
            message = "Not accepted: default data is unfiltered; use /api/search/advanced-fuzzy/."
            raise serializers.ValidationError({key: [message] for key in refused})
        return super().to_internal_value(data)


class SearchBoxQuerySerializer(serializers.Serializer):
    """``q`` and ``limit`` of the search box; other parameters (``min_score``) are ignored."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=5)


@extend_schema_field({"type": "string", "example": "subjects,categories"})
class CommaSeparatedKeys(serializers.Field):
    """``types=subjects,categories`` → ``["subjects", "categories"]``."""

    def to_internal_value(self, data: Any) -> list[str]:
        # Keys are looked up in PostgreSQL, which refuses NUL in text (a 500 otherwise).
        if not str(data).isprintable():
            raise serializers.ValidationError("Expected comma-separated filter keys.")
        return [part.strip() for part in str(data).split(",") if part.strip()]

    def to_representation(self, value: list[str]) -> str:
        return ",".join(value)


class FilterConfigurationQuerySerializer(serializers.Serializer):
    types = CommaSeparatedKeys(required=False, default=list)
