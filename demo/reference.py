"""The demo catalog's reference data, and the builders the CSV and synthetic loads share.

Subjects, exam sessions, the product-group tree, the material and marking products with
their Printed / eBook / Hub / Marking variations, and their store products and prices in
every exam session. Rows are written by natural key, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from catalog.filtering import assign_standard_groups
from catalog.models import (
    ExamSession,
    ExamSessionSubject,
    Price,
    PriceType,
    Product,
    ProductGroup,
    ProductGroupMembership,
    ProductProductVariation,
    ProductVariation,
    StoreProduct,
    Subject,
    VariationType,
    build_product_code,
)
from demo.bulk import insert_missing, upsert
from demo.formats import TutorialFamily, TutorialFormat
from demo.locations import LocationSpec

# code, description, offered. SA5, SA6 and SP3 are retired codes kept so old orders
# still resolve; they get no exam session subjects.
SUBJECTS: tuple[tuple[str, str, bool], ...] = (
    ("CB1", "Business Finance", True),
    ("CB2", "Business Economics", True),
    ("CM1", "Actuarial Mathematics", True),
    ("CM2", "Financial Engineering and Loss Reserving", True),
    ("CP1", "Actuarial Practice", True),
    ("CP2", "Modelling Practice", True),
    ("CP3", "Communications Practice", True),
    ("CS1", "Actuarial Statistics", True),
    ("CS2", "Risk Modelling and Survival Analysis", True),
    ("SA1", "Health and Care Advanced", True),
    ("SA2", "Life Insurance Advanced", True),
    ("SA3", "General Insurance Advanced", True),
    ("SA4", "Pensions and Other Benefits Advanced", True),
    ("SA5", "Finance Advanced (retired)", False),
    ("SA6", "Investment Advanced (retired)", False),
    ("SA7", "Investment and Finance Advanced", True),
    ("SP1", "Health and Care Principles", True),
    ("SP2", "Life Insurance Principles", True),
    ("SP3", "Specialist Principles 3 (retired)", False),
    ("SP4", "Pensions and Other Benefits Principles", True),
    ("SP5", "Investment and Finance Principles", True),
    ("SP6", "Financial Derivatives Principles", True),
    ("SP7", "General Insurance Reserving and Capital Modelling Principles", True),
    ("SP8", "General Insurance Pricing Principles", True),
    ("SP9", "Enterprise Risk Management Principles", True),
)

# The CSV's "25S" tutorials (summer 2025) prepare for the September 2025 sitting.
TUTORIAL_SESSION_CODE = "2025-09"

EXAM_SESSIONS: tuple[tuple[str, dt.date, dt.date], ...] = (
    ("2025-04", dt.date(2025, 4, 14), dt.date(2025, 5, 2)),
    (TUTORIAL_SESSION_CODE, dt.date(2025, 9, 8), dt.date(2025, 9, 26)),
    ("2026-04", dt.date(2026, 4, 13), dt.date(2026, 5, 1)),
)

# code, name, parent code, display order. Codes match the test fixtures' tree.
GROUPS: tuple[tuple[str, str, str | None, int], ...] = (
    ("MATERIAL", "Material", None, 0),
    ("TUTORIAL", "Tutorial", None, 1),
    ("MARKING", "Marking", None, 2),
    ("CORE_STUDY_MATERIALS", "Core Study Materials", "MATERIAL", 0),
    ("REVISION_MATERIALS", "Revision Materials", "MATERIAL", 1),
    ("FACE_TO_FACE", "Face-to-face", "TUTORIAL", 0),
    ("LIVE_ONLINE", "Live Online", "TUTORIAL", 1),
    ("ONLINE_CLASSROOM", "Online Classroom", "TUTORIAL", 2),
)

FAMILY_GROUP_CODE = {
    TutorialFamily.FACE_TO_FACE: "FACE_TO_FACE",
    TutorialFamily.LIVE_ONLINE: "LIVE_ONLINE",
    TutorialFamily.ONLINE_CLASSROOM: "ONLINE_CLASSROOM",
}

# Variation codes are the letters the store product code uses (CS1/PCSM01/2025-09).
# code, type, name, description, short description.
MATERIAL_VARIATIONS: tuple[tuple[str, VariationType, str, str, str], ...] = (
    ("P", VariationType.PRINTED, "Printed", "Printed copy, posted", "Printed"),
    ("C", VariationType.EBOOK, "eBook", "eBook for the online reader", "eBook"),
    ("H", VariationType.HUB, "Hub", "Online study hub access", "Hub"),
    ("M", VariationType.MARKING, "Marking", "Script marking with feedback", "Marking"),
)


@dataclass(frozen=True)
class MaterialProduct:
    code: str
    fullname: str
    shortname: str
    description: str
    group_code: str
    # variation code -> standard price; the retaker price is derived.
    prices: dict[str, Decimal]
    buy_both: bool = False


MATERIAL_PRODUCTS: tuple[MaterialProduct, ...] = (
    MaterialProduct(
        code="CSM01",
        fullname="Core Study Materials",
        shortname="Core Study Materials",
        description="The full course notes, question-and-answer bank and summaries.",
        group_code="CORE_STUDY_MATERIALS",
        prices={"P": Decimal("149.00"), "C": Decimal("129.00"), "H": Decimal("99.00")},
        buy_both=True,
    ),
    MaterialProduct(
        code="ASET01",
        fullname="ASET",
        shortname="ASET",
        description="ActEd Solutions with Exam Technique: past papers with worked solutions.",
        group_code="REVISION_MATERIALS",
        prices={"P": Decimal("89.00"), "C": Decimal("79.00")},
    ),
    MaterialProduct(
        code="MOCK01",
        fullname="Mock Exam",
        shortname="Mock Exam",
        description="A full-length mock exam paper with solutions.",
        group_code="REVISION_MATERIALS",
        prices={"P": Decimal("59.00"), "C": Decimal("49.00")},
    ),
    MaterialProduct(
        code="MV01",
        fullname="Marking Voucher",
        shortname="Marking Voucher",
        description="A voucher for marking one assignment or mock exam script.",
        group_code="MARKING",
        prices={"M": Decimal("45.00")},
    ),
    MaterialProduct(
        code="X01",
        fullname="Series X Assignments",
        shortname="Series X Assignments",
        description="The Series X assignments, marked with feedback.",
        group_code="MARKING",
        prices={"M": Decimal("189.00")},
    ),
)

RETAKER_FACTOR = Decimal("0.80")
CENT = Decimal("0.01")

# Withdrawn products the storefront must not show: the inactive rows of the demo.
INACTIVE_STORE_PRODUCT_CODES = frozenset({"CB1/PMOCK01/2025-04", "CM2/HCSM01/2025-04"})

# Tutorial list prices: per day for dated formats, flat for the Online Classroom.
TUTORIAL_DAY_PRICE = {
    TutorialFamily.FACE_TO_FACE: Decimal("125.00"),
    TutorialFamily.LIVE_ONLINE: Decimal("105.00"),
}
ONLINE_CLASSROOM_PRICE = Decimal("95.00")


@dataclass
class ReferenceData:
    subjects: dict[str, Subject]
    sessions: dict[str, ExamSession]
    # (session code, subject code) -> offered subject; only offered subjects appear.
    exam_session_subjects: dict[tuple[str, str], ExamSessionSubject]
    groups: dict[str, ProductGroup]
    material_pairs: list[ProductProductVariation]
    store_products: int = 0
    prices: int = 0


def load_reference() -> ReferenceData:
    """Write the reference catalog and return it keyed by natural key."""
    with transaction.atomic():
        subjects = _subjects()
        sessions = _sessions()
        offered = [subject for subject in subjects.values() if subject.active]
        essps = upsert(
            ExamSessionSubject,
            [
                ExamSessionSubject(exam_session=session, subject=subject, is_active=True)
                for session in sessions.values()
                for subject in offered
            ],
            unique_fields=["exam_session", "subject"],
            update_fields=["is_active"],
        )
        reference = ReferenceData(
            subjects=subjects,
            sessions=sessions,
            exam_session_subjects={
                (essp.exam_session.session_code, essp.subject.code): essp for essp in essps
            },
            groups=_groups(),
            material_pairs=[],
        )
        reference.material_pairs = _material_products(reference.groups)
        store_products = upsert_store_products(
            new_store_product(essp, pair) for essp in essps for pair in reference.material_pairs
        )
        prices = upsert_prices(material_prices(store_products))
        reference.store_products = len(store_products)
        reference.prices = len(prices)
    return reference


def _subjects() -> dict[str, Subject]:
    rows = upsert(
        Subject,
        [Subject(code=code, description=text, active=active) for code, text, active in SUBJECTS],
        unique_fields=["code"],
        update_fields=["description", "active"],
    )
    return {subject.code: subject for subject in rows}


def _sessions() -> dict[str, ExamSession]:
    rows = upsert(
        ExamSession,
        [ExamSession(session_code=code, start_date=s, end_date=e) for code, s, e in EXAM_SESSIONS],
        unique_fields=["session_code"],
        update_fields=["start_date", "end_date"],
    )
    return {session.session_code: session for session in rows}


def _groups() -> dict[str, ProductGroup]:
    groups: dict[str, ProductGroup] = {}
    # Parents are listed before their children, so one pass per depth suffices.
    for depth_is_root in (True, False):
        rows = upsert(
            ProductGroup,
            [
                ProductGroup(
                    code=code,
                    name=name,
                    parent=groups[parent] if parent else None,
                    display_order=order,
                )
                for code, name, parent, order in GROUPS
                if (parent is None) == depth_is_root
            ],
            unique_fields=["code"],
            update_fields=["name", "parent", "display_order"],
        )
        groups.update((group.code, group) for group in rows)
    assign_standard_groups()
    return groups


def _material_products(groups: dict[str, ProductGroup]) -> list[ProductProductVariation]:
    products = upsert_products(
        [
            Product(
                code=item.code,
                fullname=item.fullname,
                shortname=item.shortname,
                description=item.description,
                is_active=True,
                buy_both=item.buy_both,
            )
            for item in MATERIAL_PRODUCTS
        ]
    )
    by_code = {product.code: product for product in products}
    add_to_groups((by_code[item.code], groups[item.group_code]) for item in MATERIAL_PRODUCTS)
    variations = upsert_variations(
        ProductVariation(
            code=code,
            variation_type=kind,
            name=name,
            description=description,
            description_short=short,
        )
        for code, kind, name, description, short in MATERIAL_VARIATIONS
    )
    return ensure_pairs(
        (by_code[item.code], variations[code]) for item in MATERIAL_PRODUCTS for code in item.prices
    )


# --- builders shared with the CSV and synthetic loads -------------------------------


def upsert_products(products: list[Product]) -> list[Product]:
    return upsert(
        Product,
        products,
        unique_fields=["code"],
        update_fields=[
            "fullname",
            "shortname",
            "description",
            "is_active",
            "buy_both",
            "updated_at",
        ],
    )


def add_to_groups(memberships: Iterable[tuple[Product, ProductGroup]]) -> None:
    insert_missing(
        ProductGroupMembership,
        [ProductGroupMembership(product=p, product_group=g) for p, g in memberships],
    )


def upsert_variations(variations: Iterable[ProductVariation]) -> dict[str, ProductVariation]:
    rows = upsert(
        ProductVariation,
        list(variations),
        unique_fields=["code"],
        update_fields=["variation_type", "name", "description", "description_short"],
    )
    return {variation.code: variation for variation in rows}


def ensure_pairs(
    pairs: Iterable[tuple[Product, ProductVariation]],
) -> list[ProductProductVariation]:
    """The (product, variation) pairs, created when missing, with both ends attached."""
    wanted = {(product.pk, variation.pk): (product, variation) for product, variation in pairs}
    insert_missing(
        ProductProductVariation,
        [ProductProductVariation(product=p, product_variation=v) for p, v in wanted.values()],
    )
    existing = ProductProductVariation.objects.filter(
        product__in={product for product, _ in wanted.values()},
        product_variation__in={variation for _, variation in wanted.values()},
    ).only("id", "product_id", "product_variation_id")
    found = []
    for pair in existing:
        key = (pair.product_id, pair.product_variation_id)
        if key in wanted:
            # Attach the objects we already hold, so building codes needs no query.
            pair.product, pair.product_variation = wanted[key]
            found.append(pair)
    return found


def location_product(spec: LocationSpec) -> Product:
    return Product(
        code=spec.code,
        fullname=spec.fullname,
        shortname=spec.shortname,
        description=spec.shortname,
        is_active=True,
    )


def tutorial_variation(tutorial_format: TutorialFormat) -> ProductVariation:
    return ProductVariation(
        code=tutorial_format.code,
        variation_type=VariationType.TUTORIAL,
        name=tutorial_format.code,
        description=tutorial_format.description,
        description_short=tutorial_format.description_short,
    )


def tutorial_price(tutorial_format: TutorialFormat) -> Decimal:
    if tutorial_format.days is None:
        return ONLINE_CLASSROOM_PRICE
    return TUTORIAL_DAY_PRICE[tutorial_format.family] * tutorial_format.days


def new_store_product(essp: ExamSessionSubject, pair: ProductProductVariation) -> StoreProduct:
    """A store product with its generated code; ``bulk_create`` does not call ``save()``."""
    store_product = StoreProduct(exam_session_subject=essp, product_product_variation=pair)
    store_product.product_code = build_product_code(
        essp.subject.code,
        essp.exam_session.session_code,
        pair.product.code,
        pair.product_variation,
    )
    store_product.is_active = store_product.product_code not in INACTIVE_STORE_PRODUCT_CODES
    return store_product


def upsert_store_products(store_products: Iterable[StoreProduct]) -> list[StoreProduct]:
    return upsert(
        StoreProduct,
        list(store_products),
        unique_fields=["exam_session_subject", "product_product_variation"],
        update_fields=["product_code", "is_active", "updated_at"],
    )


def material_prices(store_products: Iterable[StoreProduct]) -> list[Price]:
    standard_by_pair = {
        (item.code, code): amount
        for item in MATERIAL_PRODUCTS
        for code, amount in item.prices.items()
    }
    prices = []
    for store_product in store_products:
        pair = store_product.product_product_variation
        standard = standard_by_pair[(pair.product.code, pair.product_variation.code)]
        retaker = (standard * RETAKER_FACTOR).quantize(CENT)
        prices.append(
            Price(store_product=store_product, price_type=PriceType.STANDARD, amount=standard)
        )
        prices.append(
            Price(store_product=store_product, price_type=PriceType.RETAKER, amount=retaker)
        )
    return prices


def upsert_prices(prices: list[Price]) -> list[Price]:
    return upsert(
        Price,
        prices,
        unique_fields=["store_product", "price_type"],
        update_fields=["amount", "currency", "updated_at"],
    )
