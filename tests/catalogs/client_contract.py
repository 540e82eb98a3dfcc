"""The catalog of the storefront client's contract (``docs/storefront-client.md``): every
row kind, every tutorial format, and a subject of another type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalog.models import StoreProduct, SubjectType, VariationType
from tests import factories
from tests.catalogs.small import SmallCatalog, priced_store_product


@dataclass
class ClientCatalog:
    """The small catalog (CM1, CM2 material; a CM2 Dublin tutorial) plus a CM2 Live Online
    tutorial, a CM2 Online Classroom, a CM2 marking series and an SA1 (South African) book."""

    small: SmallCatalog
    live_online: StoreProduct
    online_classroom: StoreProduct
    marking: StoreProduct
    sa1_book: StoreProduct


def _tutorial_variation(code: str) -> Any:
    return factories.ProductVariationFactory(
        code=code, name=code, variation_type=VariationType.TUTORIAL
    )


def build_client_catalog(small_catalog: SmallCatalog) -> ClientCatalog:
    groups = small_catalog.groups
    cm2 = small_catalog.tutorial.exam_session_subject.subject
    live_online = factories.ProductFactory(
        code="LO", fullname="Tutorial - Live Online", shortname="Live Online",
        groups=[groups["Live Online"]],
    )  # fmt: skip
    online = factories.ProductFactory(
        code="OC", fullname="Tutorial - Online", shortname="Online Classroom",
        groups=[groups["Online Classroom"]],
    )  # fmt: skip
    series_x = factories.ProductFactory(
        code="X", fullname="Series X Assignments", shortname="Series X",
        groups=[groups["Marking"]],
    )  # fmt: skip
    marking = factories.ProductVariationFactory(
        code="M", name="Marking", variation_type=VariationType.MARKING
    )
    sa1 = factories.SubjectFactory(code="SA1", subject_type=SubjectType.SA)
    printed = small_catalog.material_printed.product_product_variation.product_variation
    csm = small_catalog.material_printed.product_product_variation.product
    catalog = ClientCatalog(
        small=small_catalog,
        live_online=priced_store_product(cm2, live_online, _tutorial_variation("CM2_LO_6")),
        online_classroom=priced_store_product(cm2, online, _tutorial_variation("OC_CM2")),
        marking=priced_store_product(cm2, series_x, marking),
        sa1_book=priced_store_product(sa1, csm, printed),
    )
    factories.TutorialEventFactory(
        store_product=catalog.live_online, code="CM2-LO-61-25S", location="Online", venue="Zoom"
    )
    return catalog
