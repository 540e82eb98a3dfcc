"""The small catalog most tests share: CM1 and CM2 material, one CM2 tutorial in Dublin."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from catalog.filtering import assign_standard_groups
from catalog.models import (
    Product,
    ProductGroup,
    ProductVariation,
    StoreProduct,
    Subject,
    VariationType,
)
from tests import factories


@dataclass
class SmallCatalog:
    """CM1 and CM2 in 2025-09: printed and eBook core material, a Dublin tutorial."""

    groups: dict[str, ProductGroup]
    material_printed: StoreProduct
    material_ebook: StoreProduct
    tutorial: StoreProduct
    cm1_material: StoreProduct


def priced_store_product(
    subject: Subject, product: Product, variation: ProductVariation, amount: str | None = None
) -> StoreProduct:
    """A store product of ``product`` in ``variation`` for ``subject``, with a price."""
    store_product = factories.StoreProductFactory(
        exam_session_subject__subject=subject,
        product_product_variation=factories.ProductProductVariationFactory(
            product=product, product_variation=variation
        ),
    )
    price = {} if amount is None else {"amount": Decimal(amount)}
    factories.PriceFactory(store_product=store_product, **price)
    return store_product


def build_group_tree() -> dict[str, ProductGroup]:
    tree = {
        "Material": ["Core Study Materials", "Revision Materials"],
        "Tutorial": ["Face-to-face", "Live Online", "Online Classroom"],
        "Marking": [],
    }
    groups: dict[str, ProductGroup] = {}
    for order, (root, children) in enumerate(tree.items()):
        groups[root] = factories.ProductGroupFactory(
            name=root, code=root.upper(), display_order=order
        )
        for child_order, child in enumerate(children):
            groups[child] = factories.ProductGroupFactory(
                name=child,
                code=child.upper().replace(" ", "_").replace("-", "_"),
                parent=groups[root],
                display_order=child_order,
            )
    assign_standard_groups()
    return groups


def build_small_catalog() -> SmallCatalog:
    groups = build_group_tree()
    cm2 = factories.SubjectFactory(code="CM2", description="Financial Mathematics")
    cm1 = factories.SubjectFactory(code="CM1", description="Actuarial Mathematics")
    csm = factories.ProductFactory(
        code="CSM01",
        fullname="Core Study Materials",
        shortname="Core Study Materials",
        groups=[groups["Core Study Materials"]],
    )
    printed = factories.ProductVariationFactory(
        code="P", name="Printed", variation_type=VariationType.PRINTED
    )
    ebook = factories.ProductVariationFactory(
        code="C", name="eBook", variation_type=VariationType.EBOOK
    )
    dublin = factories.ProductFactory(
        code="DUB",
        fullname="Tutorial - Dublin",
        shortname="Dublin",
        groups=[groups["Face-to-face"]],
    )
    f2f = factories.ProductVariationFactory(
        code="CM2_f2f_5",
        name="CM2_f2f_5",
        variation_type=VariationType.TUTORIAL,
        description="CM2 5-day bundle",
    )

    catalog = SmallCatalog(
        groups=groups,
        material_printed=priced_store_product(cm2, csm, printed),
        material_ebook=priced_store_product(cm2, csm, ebook),
        tutorial=priced_store_product(cm2, dublin, f2f),
        cm1_material=priced_store_product(cm1, csm, printed),
    )
    later = factories.TutorialEventFactory(
        store_product=catalog.tutorial,
        code="CM2-56-25S",
        start_date="2025-08-01",
        end_date="2025-08-30",
    )
    earlier = factories.TutorialEventFactory(store_product=catalog.tutorial, code="CM2-55-25S")
    for sequence in (3, 1, 2):  # created out of order on purpose
        factories.TutorialSessionFactory(tutorial_event=earlier, sequence=sequence)
    del later
    return catalog
