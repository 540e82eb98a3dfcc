"""The admin as editors meet it: finding store products, ordered lists, words not names."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import CheckConstraint, UniqueConstraint
from django.test import RequestFactory
from django.urls import reverse

from catalog.models import VariationType
from search_index.rebuild import rebuild
from tests import factories

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "admin:autocomplete"


def store_product(subject: str, product: tuple[str, str, str], variation: str, sitting=None):  # type: ignore[no-untyped-def]
    code, fullname, shortname = product
    kind = VariationType.TUTORIAL if "_" in variation else VariationType.PRINTED
    group = factories.ProductGroupFactory(
        name="Face-to-face" if kind == VariationType.TUTORIAL else "Core Study Materials"
    )
    return factories.StoreProductFactory(
        exam_session_subject=factories.ExamSessionSubjectFactory(
            subject=factories.SubjectFactory(code=subject),
            exam_session=sitting or factories.ExamSessionFactory(),
        ),
        product_product_variation=factories.ProductProductVariationFactory(
            product=factories.ProductFactory(
                code=code, fullname=fullname, shortname=shortname, groups=[group]
            ),
            product_variation=factories.ProductVariationFactory(
                code=variation, name=variation, variation_type=kind
            ),
        ),
    )


LONDON = ("LON", "Tutorial - London", "London")
BIRMINGHAM = ("BIR", "Tutorial - Birmingham", "Birmingham")
MATERIAL = ("CSM01", "Core Study Materials", "Core Study Materials")


@pytest.fixture
def candidates() -> dict[str, object]:
    older = factories.ExamSessionFactory(
        session_code="2025-04", start_date="2025-04-01", end_date="2025-04-30"
    )
    found = {
        "cm2_london": store_product("CM2", LONDON, "CM2_f2f_5"),
        "cm2_london_older": store_product("CM2", LONDON, "CM2_f2f_5", sitting=older),
        "cm2_material": store_product("CM2", MATERIAL, "P"),
        "cm1_london": store_product("CM1", LONDON, "CM1_f2f_3"),
        "cm2_birmingham": store_product("CM2", BIRMINGHAM, "CM2_f2f_3"),
    }
    # A Birmingham event whose venue mentions London: found by "london", ranked lower
    factories.TutorialEventFactory(
        store_product=found["cm2_birmingham"], venue="London Road Conference Centre"
    )
    return found


def event_store_product_choices(client, term: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(
        reverse(AUTOCOMPLETE),
        {
            "app_label": "tutorials",
            "model_name": "tutorialevent",
            "field_name": "store_product",
            "term": term,
        },
    )
    assert response.status_code == 200, response.content
    return [result["text"] for result in response.json()["results"]]


def test_cm2_london_finds_the_cm2_london_tutorial_first(admin_client, candidates) -> None:
    choices = event_store_product_choices(admin_client, "cm2 london")

    assert choices[0].startswith(candidates["cm2_london"].product_code)
    assert choices[0].endswith("Tutorial - London · CM2_f2f_5")
    assert choices[1].startswith(candidates["cm2_london_older"].product_code)
    assert len(choices) == 3  # the Birmingham one through its venue, last
    assert choices[2].startswith(candidates["cm2_birmingham"].product_code)


@pytest.mark.parametrize("term", ["London", "Tutorial - London", "CM2 London"])
def test_location_names_find_tutorials_and_never_study_material(
    admin_client, candidates, term
) -> None:
    choices = event_store_product_choices(admin_client, term)

    assert candidates["cm2_london"].product_code in " ".join(choices)
    assert not [choice for choice in choices if "Core Study Materials" in choice]


OUR_APPS = {"catalog", "tutorials", "administrate", "search_index_admin"}


def test_every_changelist_and_autocomplete_is_ordered(admin_user) -> None:
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    unordered = [
        type(model_admin).__name__
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OUR_APPS and not model_admin.get_queryset(request).ordered
    ]
    assert unordered == []


def test_every_changelist_renders(admin_client, candidates) -> None:
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url


def test_no_constraint_can_show_its_name_to_an_editor() -> None:
    """A check (or conditional unique) constraint's default message is its name."""
    silent = [
        f"{model.__name__}.{constraint.name}"
        for config in (apps.get_app_config(label) for label in ("catalog", "tutorials"))
        for model in config.get_models()
        for constraint in model._meta.constraints
        if (
            isinstance(constraint, CheckConstraint)
            or (isinstance(constraint, UniqueConstraint) and not constraint.fields)
            or (isinstance(constraint, UniqueConstraint) and constraint.condition is not None)
            or config.label == "tutorials"
        )
        and constraint.violation_error_message == constraint.default_violation_error_message
    ]
    assert silent == []


def test_labels_are_editor_words(admin_client) -> None:
    page = admin_client.get(reverse("admin:index")).content.decode()

    assert "Product product variations" not in page
    assert "Product formats" in page
    assert "Exam sittings" in page


@pytest.mark.usefixtures("opensearch_index")
def test_view_site_leads_to_a_real_page(admin_client) -> None:
    rebuild()
    page = admin_client.get(reverse("admin:index")).content.decode()

    href = re.search(r'<a href="([^"]+)">View site</a>', page)
    assert href is not None
    assert admin_client.get(href.group(1)).status_code == 200


def test_store_product_filters_for_sitting_subject_category_and_kind(
    admin_client, candidates
) -> None:
    page = admin_client.get(reverse("admin:catalog_storeproduct_changelist")).content.decode()

    for title in ("sitting", "subject", "category", "kind", "on sale"):
        assert f"By {title}" in page, title


def test_event_filters_for_sitting_subject_category_sold_out_and_month(
    admin_client, candidates
) -> None:
    factories.TutorialEventFactory(store_product=candidates["cm2_london_older"])
    factories.TutorialEventFactory(store_product=candidates["cm1_london"], is_soldout=True)
    page = admin_client.get(reverse("admin:tutorials_tutorialevent_changelist")).content.decode()

    for title in ("starts", "sitting", "subject", "category", "sold out"):
        assert f"By {title}" in page, title
    this_month = admin_client.get(
        reverse("admin:tutorials_tutorialevent_changelist"), {"starts": "this_month"}
    )
    assert this_month.status_code == 200
