"""Facet groups and active-filter chips from whatever ``filter_counts`` the API returns.

Every key the API counts becomes a group, in the filter configuration's display order
and with its label; a key the configuration does not know keeps its own name. So a facet
configured in the admin appears here without a template change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from search_index.filter_config import active_filters
from search_index.storefront.state import SearchState

UNCONFIGURED_ORDER = 10**6


@dataclass(frozen=True)
class FacetOption:
    value: str
    name: str
    count: int
    checked: bool
    control_id: str  # stable across updates, so keyboard focus survives a re-render


@dataclass(frozen=True)
class FacetGroup:
    key: str
    label: str
    options: tuple[FacetOption, ...]

    @property
    def checked_count(self) -> int:
        return sum(option.checked for option in self.options)


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


def _control_id(key: str, value: str) -> str:
    digest = hashlib.blake2s(value.encode(), digest_size=5).hexdigest()
    return f"f-{key}-{digest}"


def configured_labels() -> dict[str, tuple[int, str]]:
    """Filter key → (display order, label), as ``/api/products/filter-configuration/``."""
    return {
        configured.key: (configured.display_order or 100, configured.label)
        for configured in active_filters().filters
    }


def facet_groups(
    filter_counts: dict[str, dict[str, dict[str, Any]]],
    state: SearchState,
    labels: dict[str, tuple[int, str]],
) -> list[FacetGroup]:
    groups = []
    for position, (key, counts) in enumerate(filter_counts.items()):
        selected = state.values(key)
        options = [
            FacetOption(
                value,
                str(entry.get("name") or value),
                int(entry.get("count", 0)),
                value in selected,
                _control_id(key, value),
            )
            for value, entry in counts.items()
        ]
        # A ticked value nothing matches any more stays, at 0, so it can be unticked.
        options += [
            FacetOption(value, value, 0, True, _control_id(key, value))
            for value in selected
            if value not in counts
        ]
        if options:
            order, label = labels.get(key, (UNCONFIGURED_ORDER + position, key))
            groups.append((order, FacetGroup(key, label, tuple(options))))
    return [group for _, group in sorted(groups, key=lambda item: item[0])]


def active_chips(
    state: SearchState, groups: list[FacetGroup], labels: dict[str, tuple[int, str]]
) -> list[Chip]:
    """One chip per active filter value, each removing just that value."""
    names = {(g.key, o.value): o.name for g in groups for o in g.options}
    return [
        Chip(
            label=f"{labels.get(key, (0, key))[1]}: {names.get((key, value), value)}",
            remove_url=state.without_value(key, value).url(),
        )
        for key, values in state.filters
        for value in values
    ]
