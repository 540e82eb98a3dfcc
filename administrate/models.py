"""A local mirror of reference data kept in Administrate, the training-management system.

Tables live in the PostgreSQL schema ``adm``; ``db_table`` uses the quoted
``'"adm"."x"'`` form because a bare ``'adm.x'`` names a table in ``public``.
Older databases still have these tables in ``public``;
``migrations/0002_move_to_adm_schema`` moves them (see ``schema_move``).
"""

from __future__ import annotations

from django.db import models


def adm(table: str) -> str:
    return f'"adm"."{table}"'


class Location(models.Model):
    external_id = models.CharField(max_length=255, unique=True)
    name = models.CharField(max_length=255)
    code = models.CharField(max_length=50, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        db_table = adm("locations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Venue(models.Model):
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    # PROTECT: a location deleted by hand in admin must not silently take its venues along.
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="venues")

    class Meta:
        db_table = adm("venues")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.location_id and self.location.name})"


class Instructor(models.Model):
    external_id = models.CharField(max_length=255, unique=True)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        db_table = adm("instructors")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class CourseTemplate(models.Model):
    external_id = models.CharField(max_length=255, unique=True)
    code = models.CharField(max_length=100)
    title = models.CharField(max_length=255)
    event_learning_mode = models.CharField(max_length=50, blank=True)
    custom_fields = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        db_table = adm("course_templates")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class PriceLevel(models.Model):
    external_id = models.CharField(max_length=255, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        db_table = adm("price_levels")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CourseTemplatePriceLevel(models.Model):
    """The price of one course template at one price level."""

    course_template = models.ForeignKey(
        CourseTemplate, on_delete=models.CASCADE, related_name="prices"
    )
    price_level = models.ForeignKey(
        PriceLevel, on_delete=models.CASCADE, related_name="course_template_prices"
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        db_table = adm("course_template_price_levels")
        ordering = ["course_template", "price_level"]
        constraints = [
            models.UniqueConstraint(
                fields=["course_template", "price_level"],
                name="uniq_course_template_price_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course_template.code} @ {self.price_level.name}: {self.amount}"


class CustomField(models.Model):
    """The definition of a custom field on an Administrate entity (event, course template…)."""

    external_id = models.CharField(max_length=255, unique=True)
    label = models.CharField(max_length=255)
    field_type = models.CharField(max_length=50)
    is_required = models.BooleanField(default=False)
    roles = models.JSONField(default=list, blank=True)
    entity_type = models.CharField(max_length=100)

    class Meta:
        db_table = adm("custom_fields")
        ordering = ["entity_type", "label"]

    def __str__(self) -> str:
        return f"{self.entity_type}: {self.label}"
