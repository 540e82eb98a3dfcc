"""Admin for the Administrate mirror: mostly for looking things up and fixing a stray row."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from administrate.models import (
    CourseTemplate,
    CourseTemplatePriceLevel,
    CustomField,
    Instructor,
    Location,
    PriceLevel,
    Venue,
)


class VenueInline(admin.TabularInline):
    model = Venue
    extra = 0
    fields = ["name", "description"]


class CourseTemplatePriceLevelInline(admin.TabularInline):
    model = CourseTemplatePriceLevel
    extra = 0
    autocomplete_fields = ["price_level"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "external_id", "active", "venue_count"]
    list_filter = ["active"]
    # Explicit: Meta.ordering is not applied to the venue count's GROUP BY query.
    ordering = ["name"]
    search_fields = ["name", "code", "external_id"]
    inlines = [VenueInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Location]:
        return super().get_queryset(request).annotate(venue_count=Count("venues"))

    @admin.display(description="venues", ordering="venue_count")
    def venue_count(self, obj: Location) -> int:
        return obj.venue_count


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "location", "description"]
    list_filter = [("location", admin.RelatedOnlyFieldListFilter), "location__active"]
    list_select_related = ["location"]
    search_fields = ["name", "description", "location__name", "location__code"]
    autocomplete_fields = ["location"]


@admin.register(Instructor)
class InstructorAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "external_id", "active"]
    list_display_links = ["last_name", "first_name"]
    list_filter = ["active"]
    search_fields = ["first_name", "last_name", "email", "external_id"]


@admin.register(CourseTemplate)
class CourseTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "event_learning_mode", "external_id", "active"]
    list_filter = ["active", "event_learning_mode"]
    search_fields = ["code", "title", "external_id"]
    inlines = [CourseTemplatePriceLevelInline]


@admin.register(PriceLevel)
class PriceLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "external_id"]
    search_fields = ["name", "external_id"]


@admin.register(CourseTemplatePriceLevel)
class CourseTemplatePriceLevelAdmin(admin.ModelAdmin):
    list_display = ["course_template", "price_level", "amount"]
    list_filter = [("price_level", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["course_template", "price_level"]
    search_fields = ["course_template__code", "course_template__title", "price_level__name"]
    autocomplete_fields = ["course_template", "price_level"]


@admin.register(CustomField)
class CustomFieldAdmin(admin.ModelAdmin):
    list_display = ["label", "entity_type", "field_type", "is_required", "external_id"]
    list_filter = ["entity_type", "field_type", "is_required"]
    search_fields = ["label", "external_id"]
