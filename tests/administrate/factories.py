"""factory_boy factories for the Administrate mirror."""

from __future__ import annotations

from decimal import Decimal

import factory

from administrate import models


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Location

    external_id = factory.Sequence(lambda n: f"TG9jYXRpb246{n}")
    name = factory.Sequence(lambda n: f"Location {n}")
    code = factory.Sequence(lambda n: f"L{n:02d}")


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    location = factory.SubFactory(LocationFactory)


class InstructorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Instructor

    external_id = factory.Sequence(lambda n: f"SW5zdHJ1Y3Rvcjo{n}")
    first_name = "Ada"
    last_name = factory.Sequence(lambda n: f"Lovelace{n}")
    email = factory.LazyAttribute(lambda o: f"{o.last_name.lower()}@example.com")


class CourseTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CourseTemplate

    external_id = factory.Sequence(lambda n: f"Q291cnNlVGVtcGxhdGU6{n}")
    code = factory.Sequence(lambda n: f"CM2-{n}")
    title = "CM2 5-day face-to-face"
    event_learning_mode = "CLASSROOM"


class PriceLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PriceLevel

    external_id = factory.Sequence(lambda n: f"UHJpY2VMZXZlbDo{n}")
    name = factory.Sequence(lambda n: f"Level {n}")


class CourseTemplatePriceLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CourseTemplatePriceLevel

    course_template = factory.SubFactory(CourseTemplateFactory)
    price_level = factory.SubFactory(PriceLevelFactory)
    amount = Decimal("595.00")


class CustomFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CustomField

    external_id = factory.Sequence(lambda n: f"Q3VzdG9tRmllbGQ6{n}")
    label = factory.Sequence(lambda n: f"Field {n}")
    field_type = "text"
    roles = ["staff"]
    entity_type = "Event"
