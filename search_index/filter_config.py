"""The configured storefront filters, as the search reads them: cached, no query per search.

``catalog.FilterConfiguration`` rows decide which filter keys a search accepts, how each
one filters and how it is counted. A search must not touch the database, so the active
rows are read once and kept in memory: a change in this process clears the cache at
once (signals below); other worker processes pick it up within ``CACHE_SECONDS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models.signals import m2m_changed, post_delete, post_save

from catalog.filtering import FilterConfiguration, FilterConfigurationGroup, FilterType
from catalog.models import ProductGroup
from search_index.timed_cache import TimedCache

# How stale another process's view of an admin edit may be: one query per this long.
CACHE_SECONDS = 10.0


@dataclass(frozen=True)
class ConfiguredFilter:
    key: str
    filter_type: FilterType
    label: str
    display_order: int
    # For product-group filters: the names of the groups offered and counted.
    group_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class FilterSet:
    """The active filters in display order."""

    filters: tuple[ConfiguredFilter, ...]

    def get(self, key: str) -> ConfiguredFilter | None:
        return next((f for f in self.filters if f.key == key), None)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(f.key for f in self.filters)

    def first_of_type(self, filter_type: FilterType) -> ConfiguredFilter | None:
        return next((f for f in self.filters if f.filter_type == filter_type), None)


def load_filter_set() -> FilterSet:
    """The active configurations from the database (two queries)."""
    rows = list(
        FilterConfiguration.objects.filter(is_active=True)
        .order_by("display_order", "filter_key")
        .values_list("pk", "filter_key", "filter_type", "display_label", "display_order")
    )
    assigned: dict[int, list[str]] = {}
    for config_id, name in (
        FilterConfigurationGroup.objects.filter(filter_configuration__is_active=True)
        .order_by("display_order", "id")
        .values_list("filter_configuration_id", "product_group__name")
    ):
        assigned.setdefault(config_id, []).append(name)
    filters = []
    for pk, key, filter_type, label, order in rows:
        if filter_type not in FilterType.values:
            continue  # a type this version cannot apply: not served, not accepted
        filters.append(
            ConfiguredFilter(
                key, FilterType(filter_type), label, order, tuple(assigned.get(pk, ()))
            )
        )
    return FilterSet(tuple(filters))


_cache = TimedCache(load_filter_set, CACHE_SECONDS)
active_filters = _cache.get
clear_cache = _cache.clear

# A configuration, its groups or a group's name changed here: the next search reloads.
for _model in (FilterConfiguration, FilterConfigurationGroup, ProductGroup):
    post_save.connect(clear_cache, sender=_model, dispatch_uid=f"filter_config_{_model.__name__}")
    post_delete.connect(
        clear_cache, sender=_model, dispatch_uid=f"filter_config_d_{_model.__name__}"
    )
m2m_changed.connect(
    clear_cache, sender=FilterConfiguration.groups.through, dispatch_uid="filter_config_m2m"
)
