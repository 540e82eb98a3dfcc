"""Admin for the storefront's filters: which facets shoppers see, in what order, how."""

from __future__ import annotations

from django.contrib import admin

from catalog.filtering import FilterConfiguration, FilterConfigurationGroup


class OfferedGroupInline(admin.TabularInline):
    model = FilterConfigurationGroup
    extra = 0
    autocomplete_fields = ["product_group"]
    fields = ["product_group", "display_order", "is_default"]
    verbose_name_plural = "Groups offered (product-group filters only)"


@admin.register(FilterConfiguration)
class FilterConfigurationAdmin(admin.ModelAdmin):
    list_display = ["display_label", "filter_key", "filter_type", "display_order", "is_active"]
    list_editable = ["display_order", "is_active"]
    list_filter = ["is_active", "filter_type"]
    search_fields = ["filter_key", "display_label"]
    ordering = ["display_order", "filter_key"]
    inlines = [OfferedGroupInline]
    fieldsets = [
        (None, {"fields": ["filter_key", "display_label", "filter_type", "is_active"]}),
        (
            "Panel",
            {
                "fields": [
                    "display_order",
                    "ui_component",
                    "allow_multiple",
                    "is_collapsible",
                    "is_expanded_by_default",
                    "is_required",
                    "description",
                    "ui_config",
                ]
            },
        ),
    ]
