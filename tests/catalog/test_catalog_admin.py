"""Catalog admin: generated product codes, the group tree, price inlines."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import ProductProductVariation, StoreProduct, VariationType
from tests import factories

pytestmark = pytest.mark.django_db


def store_product_form(essp_id: int, ppv_id: int) -> dict[str, str]:
    return {
        "exam_session_subject": str(essp_id), "product_product_variation": str(ppv_id),
        "is_active": "on",
        "prices-TOTAL_FORMS": "1", "prices-INITIAL_FORMS": "0",
        "prices-MIN_NUM_FORMS": "0", "prices-MAX_NUM_FORMS": "1000",
        "prices-0-price_type": "standard", "prices-0-amount": "149.00",
        "prices-0-currency": "GBP",
    }  # fmt: skip


def test_store_product_with_a_price_gets_its_generated_code(admin_client, small_catalog) -> None:
    ppv = ProductProductVariation.objects.get(product__code="CSM01", product_variation__code="P")
    essp = factories.ExamSessionSubjectFactory(
        subject=small_catalog.material_printed.exam_session_subject.subject,
        exam_session=factories.ExamSessionFactory(
            session_code="2026-04", start_date="2026-04-01", end_date="2026-04-30"
        ),
    )

    response = admin_client.post(
        reverse("admin:catalog_storeproduct_add"), store_product_form(essp.pk, ppv.pk)
    )

    assert response.status_code == 302
    created = StoreProduct.objects.get(exam_session_subject=essp)
    assert created.product_code == "CM2/PCSM01/2026-04"
    assert [str(p.amount) for p in created.prices.all()] == ["149.00"]


def test_a_clashing_generated_code_is_a_form_error(admin_client, small_catalog) -> None:
    # Given a second printed format of CSM01: its code letter is also P
    second_printed = factories.ProductVariationFactory(
        code="P2", name="Printed (2nd ed.)", variation_type=VariationType.PRINTED
    )
    ppv = factories.ProductProductVariationFactory(
        product=small_catalog.material_printed.product_product_variation.product,
        product_variation=second_printed,
    )
    essp = small_catalog.material_printed.exam_session_subject

    response = admin_client.post(
        reverse("admin:catalog_storeproduct_add"), store_product_form(essp.pk, ppv.pk)
    )

    assert response.status_code == 200
    assert b"CM2/PCSM01/2025-09 is already used" in response.content


def test_group_tree_search_keeps_children_of_unmatched_parents(admin_client, small_catalog) -> None:
    response = admin_client.get(reverse("admin:catalog_productgroup_changelist"), {"q": "line"})

    assert response.status_code == 200
    assert b"Live Online" in response.content
    assert b"Online Classroom" in response.content


def test_group_tree_indents_children(admin_client, small_catalog) -> None:
    response = admin_client.get(reverse("admin:catalog_productgroup_changelist"))

    content = response.content.decode()
    assert "— Face-to-face" in content
    assert content.index(">Tutorial<") < content.index("— Face-to-face")
