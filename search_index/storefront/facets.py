"""Facet groups and active-filter chips from whatever ``filter_counts`` the API returns.

Every key the API counts becomes a group, in the filter configuration's display order
and with its label; a key the configuration does not know keeps its own name. So a facet
configured in the admin appears here without a template change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models.signals import post_delete, post_save

from catalog.filtering import FilterConfiguration, FilterConfigurationGroup
from catalog.models import (
    Product,
    ProductGroup,
    ProductProductVariation,
    ProductVariation,
    Subject,
)
from search_index.filter_config import active_filters
from search_index.filter_options import filter_configuration
from search_index.storefront.state import SearchState
from search_index.timed_cache import TimedCache

UNCONFIGURED_ORDER = 10**6
# Options shown before a group's "more" fold; the rest (and the ticked ones, always shown)
# wait behind it: a 200-subject list would cost every update its layout.
VISIBLE_OPTIONS = 10
# Option labels ("CM2 - Financial Mathematics") come from the database: read them at most
# this often, not on every keystroke. A stale label only shows the API's own name.
OPTION_LABELS_SECONDS = 60.0


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

    @property
    def visible(self) -> tuple[FacetOption, ...]:
        return tuple(o for i, o in enumerate(self.options) if i < VISIBLE_OPTIONS or o.checked)

    @property
    def folded(self) -> tuple[FacetOption, ...]:
        return tuple(
            o for i, o in enumerate(self.options) if i >= VISIBLE_OPTIONS and not o.checked
        )


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


def _control_id(key: str, value: str) -> str:
    digest = hashlib.blake2s(value.encode(), digest_size=5).hexdigest()
    return f"f-{key}-{digest}"


@dataclass(frozen=True)
class Labels:
    """Section order and titles, and option labels, from the filter configuration."""

    sections: dict[str, tuple[int, str]]  # filter key → (display order, title)
    options: dict[str, dict[str, str]]  # filter key → value → label

    def title(self, key: str) -> str:
        return self.sections.get(key, (0, key))[1]


def _load_option_labels() -> dict[str, dict[str, str]]:
    """``/api/products/filter-configuration/``'s option labels, by filter key and value."""
    return {
        key: {str(o["value"]): str(o["label"]) for o in entry.get("options", [])}
        for key, entry in filter_configuration().items()
    }


_option_labels = TimedCache(_load_option_labels, OPTION_LABELS_SECONDS)
option_labels = _option_labels.get
clear_option_labels = _option_labels.clear

# A subject, product, group or filter saved in this process: its label is read again at
# once (other processes within OPTION_LABELS_SECONDS).
for _model in (
    FilterConfiguration, FilterConfigurationGroup, ProductGroup, Product, ProductVariation,
    ProductProductVariation, Subject,
):  # fmt: skip
    for _signal in (post_save, post_delete):
        _signal.connect(_option_labels.clear, sender=_model, dispatch_uid=f"storefront_{_model}")


def configured_labels() -> Labels:
    """As ``/api/products/filter-configuration/`` serves them (0 orders as 100)."""
    sections = {
        configured.key: (configured.display_order or 100, configured.label)
        for configured in active_filters().filters
    }
    return Labels(sections, option_labels())


def facet_groups(
    filter_counts: dict[str, dict[str, dict[str, Any]]],
    state: SearchState,
    labels: Labels,
) -> list[FacetGroup]:
    groups = []
    for position, (key, counts) in enumerate(filter_counts.items()):
        selected = state.values(key)
        names = labels.options.get(key, {})
        shown = [(value, str(entry.get("name") or value), int(entry.get("count", 0)))
                 for value, entry in counts.items()]  # fmt: skip
        # A ticked value nothing matches any more stays, at 0, so it can be unticked.
        shown += [(value, value, 0) for value in selected if value not in counts]
        options = [
            FacetOption(value, names.get(value, name), count, value in selected,
                        _control_id(key, value))
            for value, name, count in shown
        ]  # fmt: skip
        if options:
            order, label = labels.sections.get(key, (UNCONFIGURED_ORDER + position, key))
            groups.append((order, FacetGroup(key, label, tuple(options))))
    return [group for _, group in sorted(groups, key=lambda item: item[0])]


def active_chips(state: SearchState, groups: list[FacetGroup], labels: Labels) -> list[Chip]:
    """One chip per active filter value, each removing just that value."""
    names = {(g.key, o.value): o.name for g in groups for o in g.options}
    return [
        Chip(
            label=f"{labels.title(key)}: {names.get((key, value), value)}",
            remove_url=state.without_value(key, value).url(),
        )
        for key, values in state.filters
        for value in values
    ]
