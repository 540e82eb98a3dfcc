"""The admin pages of the Administrate mirror, against the tables in ``adm``."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from administrate import models
from tests.administrate.factories import (
    CourseTemplatePriceLevelFactory,
    CustomFieldFactory,
    InstructorFactory,
    VenueFactory,
)

ALL_MODELS = [
    models.Location,
    models.Venue,
    models.Instructor,
    models.CourseTemplate,
    models.PriceLevel,
    models.CourseTemplatePriceLevel,
    models.CustomField,
]


def test_every_administrate_model_is_registered_with_search_and_columns() -> None:
    for model in ALL_MODELS:
        model_admin = admin.site._registry[model]
        assert len(model_admin.list_display) > 1, model
        assert model_admin.search_fields, model


@pytest.mark.django_db
@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_changelist_search_and_add_pages_render(admin_client: Client, model: type) -> None:
    # given one row of every kind
    CourseTemplatePriceLevelFactory()
    VenueFactory()
    InstructorFactory()
    CustomFieldFactory()
    opts = model._meta

    # when / then
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = admin_client.get(changelist)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert admin_client.get(changelist, {"q": "zzz-no-match"}).context["cl"].result_count == 0
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    assert admin_client.get(add).status_code == 200


@pytest.mark.django_db
def test_venues_filter_by_location(admin_client: Client) -> None:
    # given venues in two locations
    london = VenueFactory(location__name="London").location
    VenueFactory(location=london)
    VenueFactory(location__name="Edinburgh")

    # when
    response = admin_client.get(
        reverse("admin:administrate_venue_changelist"), {"location__id__exact": london.pk}
    )

    # then
    assert response.status_code == 200
    assert {venue.location_id for venue in response.context["cl"].result_list} == {london.pk}
    assert response.context["cl"].result_count == 2


@pytest.mark.django_db
def test_location_change_page_shows_its_venues_inline(admin_client: Client) -> None:
    venue = VenueFactory(name="BPP Waterloo")
    response = admin_client.get(
        reverse("admin:administrate_location_change", args=[venue.location_id])
    )
    assert response.status_code == 200
    assert b"BPP Waterloo" in response.content


@pytest.mark.django_db
def test_str_of_each_model() -> None:
    price = CourseTemplatePriceLevelFactory(
        course_template__code="CM2_f2f_5", price_level__name="Standard", amount="1195.00"
    )
    venue = VenueFactory(name="Holborn", location__name="London")
    assert str(price) == "CM2_f2f_5 @ Standard: 1195.00"
    assert str(venue) == "Holborn (London)"
    assert str(venue.location) == "London"
    assert str(InstructorFactory(first_name="Ada", last_name="Lovelace")) == "Ada Lovelace"
    assert str(price.course_template) == "CM2_f2f_5 CM2 5-day face-to-face"
    assert str(price.price_level) == "Standard"
    assert str(CustomFieldFactory(label="Notes", entity_type="Event")) == "Event: Notes"
