"""What a document takes from its product's groups, worked out once per combination.

Walking the group tree for every store product was a fifth of the time it took to build
a document (profiled: ``GroupTree.path`` 1.1 of 6.4 s for 10,000 documents), yet a
catalog has few products and fewer combinations of groups, so each combination is
walked once per tree and remembered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from catalog.groups import TUTORIAL_ROOT, GroupTree, row_type
from catalog.models import ProductGroup


@dataclass(frozen=True, slots=True)
class GroupFacts:
    categories: list[str]
    product_types: list[str]
    # The groups and all their ancestors, each once, in id order: their ids, their names,
    # and "id:name" (so group facets can report ids and names from the index alone).
    lineage_ids: tuple[int, ...]
    lineage_names: tuple[str, ...]
    lineage_keys: tuple[str, ...]
    root_codes: frozenset[str]
    # The storefront's row type ("Tutorial", "Markings", "Materials").
    row_type: str
    # A tutorial's format family: the group beneath the tutorial root it sits in.
    tutorial_family: ProductGroup | None
    # Everything above, as text: part of the document's source fingerprint.
    fingerprint: str


_FACTS: WeakKeyDictionary[GroupTree, dict[tuple[int, ...], GroupFacts]] = WeakKeyDictionary()


def _work_out(groups: GroupTree, group_ids: tuple[int, ...]) -> GroupFacts:
    categories, product_types = groups.categories_and_types(group_ids)
    lineage = groups.with_ancestors(group_ids)
    root_codes = frozenset(groups.root_codes(group_ids))
    return GroupFacts(
        categories=categories,
        product_types=product_types,
        lineage_ids=tuple(group.pk for group in lineage),
        lineage_names=tuple(group.name for group in lineage),
        lineage_keys=tuple(f"{group.pk}:{group.name}" for group in lineage),
        root_codes=root_codes,
        row_type=row_type(set(root_codes)),
        tutorial_family=groups.child_of_root(group_ids, TUTORIAL_ROOT),
        fingerprint=repr([group_ids, [(g.pk, g.name, g.code, g.parent_id) for g in lineage]]),
    )


def group_facts(groups: GroupTree, group_ids: Iterable[int]) -> GroupFacts:
    """The facts of ``group_ids`` in ``groups`` (remembered for as long as the tree lives)."""
    key = tuple(sorted(group_ids))
    known = _FACTS.setdefault(groups, {})
    if key not in known:
        known[key] = _work_out(groups, key)
    return known[key]
