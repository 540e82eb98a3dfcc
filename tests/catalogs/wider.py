"""The small catalog widened for ranking, sorting and filtering: a London tutorial whose
events cannot be booked, a subject of the next sitting, and distinct prices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from catalog.models import Price, Product, StoreProduct, VariationType
from tests import factories
from tests.catalogs.small import SmallCatalog


@dataclass
class WiderCatalog:
    """The small catalog plus a London tutorial and a 2026-04 subject; rows in subject order:

    ====  =====  ======  =======  ==========  ========================================
    row   subj.  code    session  prices      events
    ====  =====  ======  =======  ==========  ========================================
    R1    CB1    CSM02   2026-04  120         -
    R2    CM1    CSM01   2025-09  50          -
    R3    CM1    LON     2025-09  200         06-10 sold out; 06-20 Holiday Inn, no space
    R4    CM2    CSM01   2025-09  130, eB 60  -
    R5    CM2    DUB     2025-09  150         07-22, 08-01 Camden Court Hotel, space left
    ====  =====  ======  =======  ==========  ========================================
    """

    small: SmallCatalog
    csm01: Product
    dublin: Product
    london: StoreProduct


def _set_price(store_product: StoreProduct, amount: str) -> None:
    Price.objects.filter(store_product=store_product).update(amount=Decimal(amount))


def build_wider_catalog(small_catalog: SmallCatalog) -> WiderCatalog:
    groups = small_catalog.groups
    cm1 = small_catalog.cm1_material.exam_session_subject.subject
    london = factories.StoreProductFactory(
        exam_session_subject__subject=cm1,
        product_product_variation__product=factories.ProductFactory(
            code="LON",
            fullname="Tutorial - London",
            shortname="London",
            groups=[groups["Face-to-face"]],
        ),
        product_product_variation__product_variation=factories.ProductVariationFactory(
            code="CM1_f2f_3", name="CM1_f2f_3", variation_type=VariationType.TUTORIAL
        ),
    )
    factories.PriceFactory(store_product=london, amount=Decimal("200.00"))
    # No event of London can be booked: one is sold out, the other has no space left.
    factories.TutorialEventFactory(
        store_product=london,
        code="CM1-10-25S",
        venue="BPP School",
        location="London",
        start_date=dt.date(2025, 6, 10),
        end_date=dt.date(2025, 6, 12),
        is_soldout=True,
        remain_space=5,
    )
    factories.TutorialEventFactory(
        store_product=london,
        code="CM1-11-25S",
        venue="Holiday Inn",
        location="London",
        start_date=dt.date(2025, 6, 20),
        end_date=dt.date(2025, 6, 22),
        remain_space=0,
    )
    next_sitting = factories.StoreProductFactory(
        exam_session_subject__subject=factories.SubjectFactory(
            code="CB1", description="Business Finance"
        ),
        exam_session_subject__exam_session=factories.ExamSessionFactory(
            session_code="2026-04",
            start_date=dt.date(2026, 4, 1),
            end_date=dt.date(2026, 4, 30),
        ),
        product_product_variation__product=factories.ProductFactory(
            code="CSM02",
            fullname="Core Study Materials Part 2",
            shortname="Core Study Materials Part 2",
            groups=[groups["Core Study Materials"]],
        ),
        product_product_variation__product_variation=(
            small_catalog.cm1_material.product_product_variation.product_variation
        ),
    )
    factories.PriceFactory(store_product=next_sitting, amount=Decimal("120.00"))
    _set_price(small_catalog.cm1_material, "50.00")
    _set_price(small_catalog.material_printed, "130.00")
    _set_price(small_catalog.material_ebook, "60.00")
    _set_price(small_catalog.tutorial, "150.00")
    return WiderCatalog(
        small=small_catalog,
        csm01=small_catalog.cm1_material.product_product_variation.product,
        dublin=small_catalog.tutorial.product_product_variation.product,
        london=london,
    )
