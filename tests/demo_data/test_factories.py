"""The shared factories build valid, saved rows that other tests can rely on."""

from __future__ import annotations

import datetime as dt

import pytest

from catalog.models import StoreProduct, VariationType
from tests import factories

pytestmark = pytest.mark.django_db


def test_store_product_gets_its_code_from_save() -> None:
    store_product = factories.StoreProductFactory(
        exam_session_subject__subject__code="CM2",
        product_product_variation__product__code="CSM01",
        product_product_variation__product_variation__code="P",
    )

    assert store_product.product_code == "CM2/PCSM01/2025-09"
    assert StoreProduct.objects.get(pk=store_product.pk).product_code == "CM2/PCSM01/2025-09"


def test_natural_keys_are_reused_not_duplicated() -> None:
    first = factories.ExamSessionSubjectFactory(subject__code="CS1")
    second = factories.ExamSessionSubjectFactory(subject__code="CS1")

    assert first.pk == second.pk
    assert (
        factories.ProductGroupFactory(name="Marking").pk
        == factories.ProductGroupFactory(name="Marking").pk
    )


def test_product_groups_are_attached() -> None:
    group = factories.ProductGroupFactory(name="Face-to-face", code="FACE_TO_FACE")

    product = factories.ProductFactory(groups=[group])
    membership = factories.ProductGroupMembershipFactory(product=product, product_group=group)

    assert list(product.groups.all()) == [group]
    assert membership.product_group == group


def test_an_event_hangs_from_a_tutorial_store_product_and_gets_its_sessions() -> None:
    # Given an event built with three sessions
    event = factories.TutorialEventFactory(sessions=3, start_date=dt.date(2025, 7, 22))

    # Then its store product is a tutorial, and its sessions are Day 1..3 on consecutive days
    variation = event.store_product.product_product_variation.product_variation
    assert variation.variation_type == VariationType.TUTORIAL
    sessions = list(event.sessions.all())
    assert [(s.sequence, s.title) for s in sessions] == [(1, "Day 1"), (2, "Day 2"), (3, "Day 3")]
    assert sessions[0].start_date.isoformat() == "2025-07-22T08:00:00+00:00"
    assert [s.start_date.date() for s in sessions] == [dt.date(2025, 7, d) for d in (22, 23, 24)]
    assert all(s.start_date <= s.end_date and s.venue == event.venue for s in sessions)
    for session in sessions:
        session.full_clean()


def test_a_session_takes_the_next_sequence_of_its_event() -> None:
    event = factories.TutorialEventFactory(start_date="2025-08-01", end_date="2025-08-30")

    sessions = factories.TutorialSessionFactory.create_batch(2, tutorial_event=event)

    assert [s.sequence for s in sessions] == [1, 2]
    assert sessions[1].start_date.date() == dt.date(2025, 8, 2)


def test_price_defaults() -> None:
    price = factories.PriceFactory()

    assert (price.price_type, str(price.amount), price.currency) == ("standard", "99.00", "GBP")
