"""Shared fixtures. The real services themselves come from ``tests/services_plugin.py``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from opensearchpy import OpenSearch

from catalog.filtering import assign_standard_groups, seed_standard_filters
from catalog.models import ProductGroup, StoreProduct, VariationType
from search_index.filter_config import clear_cache as clear_filter_cache
from tests import factories


@dataclass
class SmallCatalog:
    """CM1 and CM2 in 2025-09: printed and eBook core material, a Dublin tutorial."""

    groups: dict[str, ProductGroup]
    material_printed: StoreProduct
    material_ebook: StoreProduct
    tutorial: StoreProduct
    cm1_material: StoreProduct


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


@pytest.fixture(autouse=True)
def fresh_filter_configuration() -> Iterator[None]:
    """Each test sees its own database's filter configuration, not a cached one."""
    clear_filter_cache()
    yield
    clear_filter_cache()


@pytest.fixture
def small_catalog(db: None) -> SmallCatalog:
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

    def store(subject, product, variation) -> StoreProduct:  # type: ignore[no-untyped-def]
        store_product = factories.StoreProductFactory(
            exam_session_subject__subject=subject,
            product_product_variation=factories.ProductProductVariationFactory(
                product=product, product_variation=variation
            ),
        )
        factories.PriceFactory(store_product=store_product)
        return store_product

    catalog = SmallCatalog(
        groups=groups,
        material_printed=store(cm2, csm, printed),
        material_ebook=store(cm2, csm, ebook),
        tutorial=store(cm2, dublin, f2f),
        cm1_material=store(cm1, csm, printed),
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


@pytest.fixture
def opensearch_index() -> Iterator[None]:
    """A clean alias for this test: no versioned index before, none left after."""
    from search_index import lifecycle
    from search_index.client import get_client

    client = get_client()

    def wipe() -> None:
        for name in lifecycle.versioned_indices(client):
            client.indices.delete(index=name, ignore_unavailable=True)

    wipe()
    yield
    wipe()


@pytest.fixture(scope="session")
def opensearch_client() -> Iterator[OpenSearch]:
    """One client for the run, on the cluster the services plugin provided."""
    client = OpenSearch(os.environ["OPENSEARCH_URL"].split(","), timeout=30)
    yield client
    client.close()


@pytest.fixture(autouse=True)
def _clean_schema_tables_for_transactional_tests(request, django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    """Empty the ``acted`` and ``adm`` tables before a transactional test.

    Django flushes after such tests only the tables its introspection finds on the
    search path (``public``), so rows committed in our schemas would leak into the next
    transactional test.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if not transactional:
        return
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables"
            " WHERE schemaname IN ('acted', 'adm')"
        )
        tables = [row[0] for row in cursor.fetchall()]
        if tables:
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    with django_db_blocker.unblock():
        seed_standard_filters()  # migration data, emptied with the rest
