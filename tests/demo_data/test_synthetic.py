"""``load_demo_catalog --scale N``: a deterministic synthetic catalog of about N products."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max, Min

from catalog.models import StoreProduct
from demo.loader import table_counts
from demo.synthetic import SUBJECT_PREFIX
from tutorials.models import TutorialEvent, TutorialSession

pytestmark = pytest.mark.django_db

TUTORIAL = "Tutorial"


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo_catalog", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def synthetic_store_products():  # type: ignore[no-untyped-def]
    return StoreProduct.objects.filter(
        exam_session_subject__subject__code__startswith=SUBJECT_PREFIX
    )


def test_scale_200_builds_about_200_store_products_shaped_like_the_demo() -> None:
    # Given nothing
    # When the demo is loaded with --scale 200
    output = load("--scale", "200", "--seed", "7")

    # Then about 200 synthetic store products exist, a demo-like share of them tutorials
    store_products = synthetic_store_products()
    assert 190 <= store_products.count() <= 210
    tutorials = store_products.filter(
        product_product_variation__product_variation__variation_type=TUTORIAL
    )
    assert 0.08 <= tutorials.count() / store_products.count() <= 0.25
    assert "Synthetic: 200 store products requested, 200 created, 0 already present" in output

    # And each tutorial has 3-6 events, each event 2-6 sessions numbered 1..n
    events_per_tutorial = tutorials.annotate(n=Count("tutorial_events")).values_list("n", flat=True)
    assert set(events_per_tutorial) <= set(range(3, 7))
    events = TutorialEvent.objects.filter(store_product__in=tutorials).annotate(
        n=Count("sessions"), first=Min("sessions__sequence"), last=Max("sessions__sequence")
    )
    assert events.exists()
    assert all(2 <= e.n <= 6 and e.first == 1 and e.last == e.n for e in events)
    assert all(e.start_date <= e.end_date for e in events)
    assert not TutorialSession.objects.filter(start_date__gt=F("end_date")).exists()

    # And every synthetic store product has a price, materials a retaker price too
    assert not store_products.filter(prices__isnull=True).exists()
    assert (
        store_products.exclude(
            product_product_variation__product_variation__variation_type=TUTORIAL
        )
        .annotate(n=Count("prices"))
        .filter(n=2)
        .count()
        == store_products.count() - tutorials.count()
    )


def test_rerunning_the_same_scale_duplicates_nothing() -> None:
    # Given a scaled catalog
    load("--scale", "200", "--verbosity", "0")
    first = table_counts()

    # When the same command runs again
    output = load("--scale", "200")

    # Then nothing was added
    assert table_counts() == first
    assert "200 store products requested, 0 created, 200 already present" in output


def test_a_larger_scale_extends_a_smaller_one() -> None:
    # Given a catalog scaled to 120
    load("--scale", "120", "--verbosity", "0")
    codes_at_120 = set(synthetic_store_products().values_list("product_code", flat=True))

    # When it is scaled to 200 with the same seed
    load("--scale", "200", "--verbosity", "0")

    # Then the first 120 are kept and 80 are added
    codes_at_200 = set(synthetic_store_products().values_list("product_code", flat=True))
    assert codes_at_120 < codes_at_200
    assert len(codes_at_200) == 200


def test_the_same_seed_builds_the_same_catalog() -> None:
    def snapshot() -> list[tuple[object, ...]]:
        return list(
            TutorialEvent.objects.filter(code__startswith=SUBJECT_PREFIX)
            .order_by("code")
            .values_list("code", "start_date", "end_date", "remain_space", "venue")
        )

    load("--scale", "150", "--seed", "3", "--verbosity", "0")
    first = snapshot()
    TutorialEvent.objects.all().delete()
    synthetic_store_products().delete()

    load("--scale", "150", "--seed", "3", "--verbosity", "0")

    assert snapshot() == first
