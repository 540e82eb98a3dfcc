"""The filter configuration as the storefront's client loads it at start (contract §3).

An object keyed by ``filter_key`` in display order, every entry with every field, and
each filter's ``options`` read from the catalog for its type. This is not the search
path: it reads the database (a handful of queries) and the client loads it once.
"""

from __future__ import annotations

from typing import Any

from catalog.filtering import FilterConfiguration, FilterConfigurationGroup, FilterType
from catalog.groups import TUTORIAL_ROOT, GroupTree
from catalog.models import Product, ProductProductVariation, Subject, SubjectType, VariationType
from search_index.row_kinds import PLACELESS_GROUP_CODES, tutorial_format

MARKING_ROOT = "MARKING"
Option = dict[str, Any]

# Merged under each row's own ``ui_config``: what the storefront's panel reads by default.
UI_CONFIG_DEFAULTS: dict[str, Any] = {"show_count": True, "show_select_all": False}


def _option(index: int, value: str, label: str) -> Option:
    return {"id": index, "value": value, "label": label, "code": value}


def _numbered(pairs: list[tuple[str, str]]) -> list[Option]:
    return [_option(index, value, label) for index, (value, label) in enumerate(pairs, 1)]


def _products_under(tree: GroupTree, root_code: str) -> list[Product]:
    """Active catalog products in a group beneath the top-level group ``root_code``."""
    products = Product.objects.filter(is_active=True).prefetch_related("groups").order_by("code")
    return [
        product
        for product in products
        if root_code in tree.root_codes(group.pk for group in product.groups.all())
    ]


def _tutorial_formats(tree: GroupTree) -> list[tuple[str, str]]:
    pairs = (
        ProductProductVariation.objects.filter(
            product_variation__variation_type=VariationType.TUTORIAL
        )
        .select_related("product_variation")
        .prefetch_related("product__groups")
    )
    formats: dict[str, str] = {}
    for pair in pairs:
        family = tree.child_of_root([g.pk for g in pair.product.groups.all()], TUTORIAL_ROOT)
        variation = pair.product_variation
        found = tutorial_format(
            variation.code, family, variation.description_short or variation.name
        )
        formats.setdefault(found.code, found.display)
    return sorted(formats.items())


def _tutorial_locations(tree: GroupTree) -> list[tuple[str, str]]:
    locations = []
    for product in _products_under(tree, TUTORIAL_ROOT):
        family = tree.child_of_root([g.pk for g in product.groups.all()], TUTORIAL_ROOT)
        if family is None or family.code not in PLACELESS_GROUP_CODES:
            locations.append((product.code, f"{product.code} - {product.shortname}"))
    return locations


def _options(
    config: FilterConfiguration, groups: list[tuple[str, str]], tree: GroupTree
) -> list[Option]:
    filter_type = config.filter_type
    if filter_type == FilterType.SUBJECT:
        subjects = Subject.objects.filter(active=True).order_by("code")
        return _numbered([(s.code, f"{s.code} - {s.description}") for s in subjects])
    if filter_type == FilterType.SUBJECT_TYPE:
        return _numbered(list(SubjectType.choices))
    if filter_type == FilterType.FILTER_GROUP:
        return _numbered([(name, name) for name, _ in groups])
    if filter_type == FilterType.MODE_OF_DELIVERY:
        families = [g.name for g in tree.children_of_root(TUTORIAL_ROOT)]
        return _numbered([(mode, mode) for mode in [*VariationType.values, *families]])
    if filter_type == FilterType.TUTORIAL_FORMAT:
        return _numbered(_tutorial_formats(tree))
    if filter_type == FilterType.TUTORIAL_LOCATION:
        return _numbered(_tutorial_locations(tree))
    if filter_type == FilterType.MARKING_TEMPLATE:
        templates = _products_under(tree, MARKING_ROOT)
        return _numbered([(p.code, p.fullname) for p in templates])
    return []  # product_id: hidden, its values come from navigation


def _entry(
    config: FilterConfiguration, groups: list[tuple[str, str]], tree: GroupTree
) -> dict[str, Any]:
    return {
        "filter_key": config.filter_key,
        "filter_type": config.filter_type,
        "type": config.filter_type,
        "label": config.display_label,
        "description": config.description,
        "display_order": config.display_order,
        "allow_multiple": config.allow_multiple,
        "ui_component": config.ui_component,
        "is_collapsible": config.is_collapsible,
        "collapsible": config.is_collapsible,
        "is_expanded_by_default": config.is_expanded_by_default,
        "default_open": config.is_expanded_by_default,
        "is_required": config.is_required,
        "ui_config": {**UI_CONFIG_DEFAULTS, **(config.ui_config or {})},
        "filter_groups": [{"name": name, "code": code} for name, code in groups],
        "options": _options(config, groups, tree),
    }


def filter_configuration(keys: set[str] | None = None) -> dict[str, dict[str, Any]]:
    """Every active configuration (or those named in ``keys``), keyed by filter key."""
    configs = FilterConfiguration.objects.filter(
        is_active=True, filter_type__in=FilterType.values
    ).order_by("display_order", "filter_key")
    if keys:
        configs = configs.filter(filter_key__in=keys)
    groups: dict[int, list[tuple[str, str]]] = {}
    for config_id, name, code in FilterConfigurationGroup.objects.order_by(
        "display_order", "id"
    ).values_list("filter_configuration_id", "product_group__name", "product_group__code"):
        groups.setdefault(config_id, []).append((name, code))
    tree = GroupTree.load()  # one read of the group tree for every filter's options
    return {
        config.filter_key: _entry(config, groups.get(config.pk, []), tree) for config in configs
    }
