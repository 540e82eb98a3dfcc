"""The storefront navbar's query parameters on a unified search, as filters.

The navbar links to ``/products?tutorial=1`` or ``?group=Core Study Materials``, and the
client forwards those parameters on the search POST. They narrow the search like any
filter and every facet is counted under them; an empty or unknown value is ignored,
never a 400, because a shopper only followed a link.
"""

from __future__ import annotations

from collections.abc import Mapping

from catalog.filtering import FilterType
from search_index.filter_config import FilterSet
from search_index.row_kinds import MATERIAL, TUTORIAL
from search_index.search.filters import NavbarFilter


def navbar_filter(
    params: Mapping[str, str], filters: dict[str, list[str]], filter_set: FilterSet
) -> NavbarFilter | None:
    """The navbar's restrictions; ``?product=<id>`` is merged into ``filters`` instead."""
    given = {key: value.strip() for key, value in params.items() if value and value.strip()}
    kinds: set[str] | None = None
    groups: list[str] = []

    def only(kind: str) -> None:
        nonlocal kinds
        kinds = {kind} if kinds is None else kinds & {kind}

    if "distance_learning" in given:
        only(MATERIAL)
    if "tutorial" in given:
        only(TUTORIAL)
    if "group" in given:
        groups.append(given["group"])
    if "tutorial_format" in given:
        only(TUTORIAL)
        groups.append(given["tutorial_format"])
    product = given.get("product")
    product_filter = filter_set.first_of_type(FilterType.PRODUCT_ID)
    if product and product_filter:
        current = filters.setdefault(product_filter.key, [])
        if product not in current:
            current.append(product)
    if kinds is None and not groups:
        return None
    return NavbarFilter(frozenset(kinds) if kinds is not None else None, tuple(groups))
