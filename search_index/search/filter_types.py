"""How each configured filter type filters and counts, by indexed field.

One entry per ``catalog.filtering.FilterType``: the storefront's backend has a handler
class per type; here a type is data, because every one of them is a ``terms`` match on
one keyword field, and a count on one (sometimes with a scope or a name).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalog.filtering import FilterType
from search_index.row_kinds import MATERIAL

Clause = dict[str, Any]


@dataclass(frozen=True)
class FilterHandler:
    filter_field: str  # the values are matched against this field
    count_field: str  # and counted on this one (the display value)
    # Only these documents can match: a catalog product id selects its material rows.
    scope: Clause | None = None
    name_field: str | None = None  # a display name beside a value that is an id
    ids: bool = False  # values are integer ids (sent as strings: "129")


MATERIAL_ONLY: Clause = {"term": {"search.kind": MATERIAL}}

HANDLERS: dict[FilterType, FilterHandler] = {
    # Codes match any case: the folded sub-field has a lowercasing normalizer.
    FilterType.SUBJECT: FilterHandler("subject_code.folded", "subject_code"),
    FilterType.SUBJECT_TYPE: FilterHandler("search.subject_type", "search.subject_type"),
    FilterType.FILTER_GROUP: FilterHandler("search.group_names", "search.group_names"),
    FilterType.PRODUCT_ID: FilterHandler(
        "product_id", "product_id", MATERIAL_ONLY, "product_short_name.raw", ids=True
    ),
    FilterType.TUTORIAL_FORMAT: FilterHandler("search.tutorial_format", "search.tutorial_format"),
    FilterType.TUTORIAL_LOCATION: FilterHandler(
        "search.tutorial_location", "search.tutorial_location"
    ),
    FilterType.MARKING_TEMPLATE: FilterHandler(
        "search.marking_template", "search.marking_template"
    ),
    FilterType.MODE_OF_DELIVERY: FilterHandler(
        "search.modes_of_delivery.folded", "search.modes_of_delivery"
    ),
}


def as_ids(values: list[str]) -> list[int]:
    """The values that are ids; others cannot match anything and are dropped."""
    return [int(value) for value in values if value.isascii() and value.isdigit()]
