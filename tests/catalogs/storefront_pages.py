"""The storefront page's catalog (browser tests): two result pages of CM2, tutorials in
several locations (London among them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from catalog.filtering import assign_standard_groups, seed_standard_filters
from catalog.models import StoreProduct, VariationType
from tests import factories
from tests.catalogs.small import build_group_tree, priced_store_product

MATERIALS = (
    "Core Study Materials",
    "Revision Notes",
    "Flashcards",
    "Mock Exam",
    "ASET",
    "Question and Answer Bank",
    "Formulae and Tables",
    "Sound Revision",
)
LOCATIONS = ("London", "Dublin", "Manchester", "Edinburgh", "Birmingham", "Bristol", "Leeds")
TUTORIAL_DAYS = (3, 5)


@dataclass
class StorefrontCatalog:
    london_cm2: StoreProduct  # CM2, London, 3 days: one event with three sessions
    cm2_rows: int


def build_storefront_catalog() -> StorefrontCatalog:
    """In one transaction: one commit, not one per row (five times faster here)."""
    with transaction.atomic():
        return _build()


def _build() -> StorefrontCatalog:
    groups = build_group_tree()
    seed_standard_filters()
    assign_standard_groups()
    cm2 = factories.SubjectFactory(code="CM2", description="Financial Mathematics")
    cm1 = factories.SubjectFactory(code="CM1", description="Actuarial Mathematics")
    printed = factories.ProductVariationFactory(
        code="P", name="Printed", variation_type=VariationType.PRINTED
    )
    ebook = factories.ProductVariationFactory(
        code="C", name="eBook", variation_type=VariationType.EBOOK
    )

    rows = 0
    for index, name in enumerate(MATERIALS):
        product = factories.ProductFactory(
            code=f"M{index:02d}",
            fullname=name,
            shortname=name,
            groups=[groups["Core Study Materials" if index < 3 else "Revision Materials"]],
        )
        for subject in (cm2, cm1):
            priced_store_product(subject, product, printed, f"{60 + index * 10}.00")
            priced_store_product(subject, product, ebook, f"{50 + index * 10}.00")
        rows += 1

    london_cm2 = None
    for location in LOCATIONS:
        product = factories.ProductFactory(
            code=location[:3].upper(),
            fullname=f"Tutorial - {location}",
            shortname=location,
            groups=[groups["Face-to-face"]],
        )
        for days in TUTORIAL_DAYS:
            variation = factories.ProductVariationFactory(
                code=f"CM2_f2f_{days}",
                name=f"CM2_f2f_{days}",
                variation_type=VariationType.TUTORIAL,
                description=f"CM2 {days}-day face-to-face",
            )
            tutorial = priced_store_product(cm2, product, variation, "450.00")
            rows += 1
            event = factories.TutorialEventFactory(
                store_product=tutorial,
                code=f"CM2-{location[:3].upper()}{days}-25S",
                location=location,
                venue=f"{location} Conference Centre",
                start_date=dt.date(2025, 7, 1 + days),
                end_date=dt.date(2025, 7, 1 + days * 2),
                remain_space=0 if location == "Leeds" else days,
            )
            if location == "London" and days == 3:
                london_cm2 = tutorial
                for sequence in (2, 3, 1):  # entered out of order on purpose
                    factories.TutorialSessionFactory(tutorial_event=event, sequence=sequence)
    assert london_cm2 is not None
    return StorefrontCatalog(london_cm2=london_cm2, cm2_rows=rows)
