"""The response bodies of the search endpoints, described for the OpenAPI schema.

These serializers are never used to render: responses are built as plain dicts from the
index (``search_index.search``). They exist so that ``/api/search/schema/`` describes
what clients receive, and the tests validate real responses against that schema.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import Direction
from rest_framework import serializers

from search_index.row_kinds import MARKING, MATERIAL, TUTORIAL


class PriceSchema(serializers.Serializer):
    id = serializers.IntegerField()
    price_type = serializers.CharField()
    amount = serializers.CharField(help_text="Two decimals, as a string: 150.00")
    currency = serializers.CharField()


class SessionSchema(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    location = serializers.CharField()
    venue = serializers.CharField()
    start_date = serializers.DateTimeField()
    end_date = serializers.DateTimeField()
    sequence = serializers.IntegerField()
    url = serializers.CharField(allow_null=True)


class EventSchema(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    venue = serializers.CharField()
    location = serializers.CharField()
    is_soldout = serializers.BooleanField()
    remain_space = serializers.IntegerField()
    finalisation_date = serializers.DateField(allow_null=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    price = serializers.CharField(allow_null=True)
    sessions = SessionSchema(
        many=True,
        required=False,
        help_text="In sequence order. Always in a unified search; left out by the search box.",
    )


class VariationSchema(serializers.Serializer):
    id = serializers.IntegerField(help_text="The catalog product variation.")
    store_product_id = serializers.IntegerField()
    product_code = serializers.CharField(help_text="The store product's code.")
    variation_type = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    description_short = serializers.CharField(allow_blank=True)
    prices = PriceSchema(many=True)
    events = EventSchema(many=True, required=False, help_text="Tutorials only, by date.")


class RowSchema(serializers.Serializer):
    id = serializers.IntegerField()
    essp_id = serializers.IntegerField()
    store_product_id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=[MATERIAL, TUTORIAL, MARKING])
    type = serializers.CharField()
    product_id = serializers.IntegerField()
    product_code = serializers.CharField()
    product_name = serializers.CharField()
    product_short_name = serializers.CharField()
    product_description = serializers.CharField(allow_blank=True)
    buy_both = serializers.BooleanField()
    subject_id = serializers.IntegerField()
    subject_code = serializers.CharField()
    subject_description = serializers.CharField()
    exam_session_id = serializers.IntegerField()
    exam_session_code = serializers.CharField()
    variations = VariationSchema(many=True)
    prices = PriceSchema(many=True, required=False, help_text="Tutorial and marking rows.")
    format = serializers.CharField(required=False)
    format_display = serializers.CharField(required=False)
    tutorial_location_name = serializers.CharField(required=False, allow_null=True)
    tutorial_location_code = serializers.CharField(required=False, allow_null=True)
    marking_template_name = serializers.CharField(required=False)
    marking_template_code = serializers.CharField(required=False)


class FacetValueSchema(serializers.Serializer):
    count = serializers.IntegerField()
    name = serializers.CharField()


class PaginationSchema(serializers.Serializer):
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    total_count = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    has_next = serializers.BooleanField()
    has_previous = serializers.BooleanField()


class UnifiedSearchResponse(serializers.Serializer):
    products = RowSchema(many=True)
    filter_counts = serializers.DictField(
        child=serializers.DictField(child=FacetValueSchema()),
        help_text="Per configured filter key: value → count and display name.",
    )
    pagination = PaginationSchema()


class ErrorResponse(serializers.Serializer):
    error = serializers.CharField(help_text="What the storefront shows.")
    details = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class SummarySchema(serializers.Serializer):
    id = serializers.IntegerField()
    product_id = serializers.IntegerField()
    product_code = serializers.CharField()
    product_name = serializers.CharField()
    product_short_name = serializers.CharField()
    subject_id = serializers.IntegerField()
    subject_code = serializers.CharField()
    exam_session_code = serializers.CharField()
    type = serializers.CharField()


class CodeCountSchema(serializers.Serializer):
    code = serializers.CharField()
    count = serializers.IntegerField()


class FuzzySuggestionsSchema(serializers.Serializer):
    subjects = CodeCountSchema(many=True)
    categories = CodeCountSchema(many=True)
    products = CodeCountSchema(many=True)


class SearchInfoSchema(serializers.Serializer):
    query = serializers.CharField(allow_blank=True)
    matches_found = serializers.IntegerField()


class FuzzySearchResponse(serializers.Serializer):
    products = SummarySchema(many=True)
    total_count = serializers.IntegerField()
    search_info = SearchInfoSchema()
    suggested_filters = FuzzySuggestionsSchema()


class SubjectSchema(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    description = serializers.CharField(allow_blank=True)


class GroupSchema(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()


class DefaultSuggestionsSchema(serializers.Serializer):
    subjects = SubjectSchema(many=True)
    product_groups = GroupSchema(many=True)


class DefaultDataResponse(serializers.Serializer):
    suggested_filters = DefaultSuggestionsSchema()
    popular_products = SummarySchema(many=True)
    total_count = serializers.IntegerField()


class SuggestedSubjectSchema(SubjectSchema):
    count = serializers.IntegerField()


class SuggestedGroupSchema(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class SuggestedProductSchema(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    count = serializers.IntegerField()


class SearchBoxSuggestionsSchema(serializers.Serializer):
    subjects = SuggestedSubjectSchema(many=True)
    product_groups = SuggestedGroupSchema(many=True)
    variations = serializers.ListField(child=serializers.DictField(), max_length=0)
    products = SuggestedProductSchema(many=True)


class MatchCountsSchema(serializers.Serializer):
    subjects = serializers.IntegerField()
    product_groups = serializers.IntegerField()
    products = serializers.IntegerField()


class SearchBoxResponse(serializers.Serializer):
    suggested_products = RowSchema(many=True, help_text="Best first, at most `limit`.")
    total_count = serializers.IntegerField(help_text="Every matching row.")
    total_matches = MatchCountsSchema()
    suggested_filters = SearchBoxSuggestionsSchema()
    query = serializers.CharField(allow_blank=True)


class FilterOptionSchema(serializers.Serializer):
    id = serializers.IntegerField()
    value = serializers.CharField()
    label = serializers.CharField()
    code = serializers.CharField()


class FilterGroupSchema(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField()


class FilterConfigurationEntry(serializers.Serializer):
    filter_key = serializers.CharField()
    filter_type = serializers.CharField()
    type = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    display_order = serializers.IntegerField()
    allow_multiple = serializers.BooleanField()
    ui_component = serializers.CharField()
    is_collapsible = serializers.BooleanField()
    collapsible = serializers.BooleanField()
    is_expanded_by_default = serializers.BooleanField()
    default_open = serializers.BooleanField()
    is_required = serializers.BooleanField()
    ui_config = serializers.DictField()
    filter_groups = FilterGroupSchema(many=True)
    options = FilterOptionSchema(many=True)


class FilterConfigurationResponse(serializers.Serializer):
    """An object keyed by filter key, in display order: one ``FilterConfigurationEntry`` each."""


class FilterConfigurationResponseExtension(OpenApiSerializerExtension):
    """Describes ``FilterConfigurationResponse`` as a map of entries: a DRF ``DictField``
    response would be documented as a free-form object."""

    target_class = FilterConfigurationResponse

    def map_serializer(self, auto_schema: AutoSchema, direction: Direction) -> dict[str, Any]:
        entry = auto_schema.resolve_serializer(FilterConfigurationEntry, direction)
        return {"type": "object", "additionalProperties": entry.ref}
