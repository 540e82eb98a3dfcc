"""The product-group tree, loaded once and walked in memory.

The tree is small (tens of groups) and every row needs its groups' ancestors for the
facet roll-up, so one query per batch beats a query per product.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from catalog.models import ProductGroup

# The row ``type`` the storefront shows, by top-level group *code* (names are for people
# and may be edited), in precedence order for a product under several top-level groups.
TUTORIAL_ROOT = "TUTORIAL"
ROW_TYPE_BY_ROOT_CODE = (
    (TUTORIAL_ROOT, "Tutorial"),
    ("MARKING", "Markings"),
    ("MATERIAL", "Materials"),
)
DEFAULT_ROW_TYPE = "Materials"


@dataclass(frozen=True)
class GroupPath:
    """A group with its ancestors: ``root`` is the category, the rest product types."""

    names: tuple[str, ...]
    ids: tuple[int, ...]

    @property
    def root(self) -> str:
        return self.names[0]


class GroupTree:
    def __init__(self, groups: Iterable[ProductGroup]) -> None:
        self._by_id = {group.pk: group for group in groups}

    @classmethod
    def load(cls) -> GroupTree:
        return cls(ProductGroup.objects.only("id", "name", "code", "parent_id", "display_order"))

    def path(self, group_id: int) -> GroupPath:
        chain: list[ProductGroup] = []
        current = self._by_id.get(group_id)
        while current is not None and current not in chain:
            chain.append(current)
            current = self._by_id.get(current.parent_id) if current.parent_id else None
        chain.reverse()
        return GroupPath(tuple(g.name for g in chain), tuple(g.pk for g in chain))

    def with_ancestors(self, group_ids: Iterable[int]) -> list[ProductGroup]:
        """The groups and all their ancestors, each once, in id order."""
        ids = {ancestor for group_id in group_ids for ancestor in self.path(group_id).ids}
        return [self._by_id[group_id] for group_id in sorted(ids)]

    def descendants_and_self(self, group_ids: Iterable[int]) -> set[int]:
        """The groups and everything beneath them."""
        wanted = set(group_ids)
        return {pk for pk in self._by_id if wanted.intersection(self.path(pk).ids)}

    def root_codes(self, group_ids: Iterable[int]) -> set[str]:
        """Codes of the top-level groups above ``group_ids``."""
        roots = (self.path(group_id).ids[:1] for group_id in group_ids)
        return {self._by_id[root[0]].code for root in roots if root}

    def child_of_root(self, group_ids: Iterable[int], root_code: str) -> ProductGroup | None:
        """The first group directly beneath the top-level group ``root_code`` (in id
        order) that ``group_ids`` lead to: a tutorial's format family, for instance."""
        for group_id in sorted(group_ids):
            ids = self.path(group_id).ids
            if len(ids) > 1 and self._by_id[ids[0]].code == root_code:
                return self._by_id[ids[1]]
        return None

    def children_of_root(self, root_code: str) -> list[ProductGroup]:
        """The groups directly beneath the top-level group ``root_code``, in display order."""
        roots = [g.pk for g in self._by_id.values() if g.parent_id is None and g.code == root_code]
        children = [g for g in self._by_id.values() if roots and g.parent_id == roots[0]]
        return sorted(children, key=lambda g: (g.display_order, g.name))

    def categories_and_types(self, group_ids: Iterable[int]) -> tuple[list[str], list[str]]:
        """Top-level group names, and the names beneath them, with every ancestor included."""
        categories: set[str] = set()
        product_types: set[str] = set()
        for group_id in group_ids:
            path = self.path(group_id)
            if path.names:
                categories.add(path.root)
                product_types.update(path.names[1:])
        return sorted(categories), sorted(product_types)


def row_type(root_codes: set[str]) -> str:
    for code, label in ROW_TYPE_BY_ROOT_CODE:
        if code in root_codes:
            return label
    return DEFAULT_ROW_TYPE
