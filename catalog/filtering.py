"""The storefront's filters as data: which filter keys exist, and how each one filters.

Each active ``FilterConfiguration`` is a facet of the storefront search: its
``filter_key`` is accepted in requests and answered in ``filter_counts``, its
``filter_type`` says what it filters by. Editors add, hide and reorder facets in the
admin; the search reads these rows (``search_index.filter_config``), no code changes.
Field names follow the storefront's own backend, whose client reads them.
"""

from __future__ import annotations

from django.apps import apps as installed_apps
from django.apps.registry import Apps
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from catalog.models import acted


class FilterType(models.TextChoices):
    SUBJECT = "subject", "Subject"
    SUBJECT_TYPE = "subject_type", "Subject type"
    FILTER_GROUP = "filter_group", "Product group"
    PRODUCT_ID = "product_id", "Catalog product (hidden, by id)"
    TUTORIAL_FORMAT = "tutorial_format", "Tutorial format"
    TUTORIAL_LOCATION = "tutorial_location", "Tutorial location"
    MARKING_TEMPLATE = "marking_template", "Marking template"
    # Not in the storefront's backend: how this catalog records a mode of delivery
    # (the variation type, or a tutorial's format family), since it has no such groups.
    MODE_OF_DELIVERY = "mode_of_delivery", "Mode of delivery"


class UiComponent(models.TextChoices):
    MULTI_SELECT = "multi_select", "Multiple select"
    SINGLE_SELECT = "single_select", "Single select"
    CHECKBOX = "checkbox", "Checkbox"
    RADIO_BUTTONS = "radio_buttons", "Radio buttons"
    TOGGLE_BUTTONS = "toggle_buttons", "Toggle buttons"
    SEARCH_SELECT = "search_select", "Search select"
    TREE_SELECT = "tree_select", "Tree select"
    RANGE_SLIDER = "range_slider", "Range slider"
    DATE_PICKER = "date_picker", "Date picker"
    TAG_INPUT = "tag_input", "Tag input"


# Filter keys the search defines itself (``docs/search-api.md`` extensions): a configured
# filter may not take one of these names.
BUILT_IN_FILTER_KEYS = frozenset(
    {
        "product_ids",
        "essp_ids",
        "exam_sessions",
        "locations",
        "venues",
        "event_start_from",
        "event_start_to",
        "available_only",
    }
)

filter_key_format = RegexValidator(
    r"^[a-z][a-z0-9_]{0,49}$",
    "Use lowercase letters, digits and underscores, starting with a letter (e.g. subjects).",
)


class FilterConfiguration(models.Model):
    filter_key = models.CharField(
        max_length=50,
        unique=True,
        validators=[filter_key_format],
        help_text="The key the storefront sends in its filters, e.g. subjects.",
    )
    display_label = models.CharField(max_length=100, help_text="The section title shoppers see.")
    filter_type = models.CharField(
        max_length=30, choices=FilterType.choices, help_text="What this filter narrows by."
    )
    ui_component = models.CharField(
        max_length=30, choices=UiComponent.choices, default=UiComponent.MULTI_SELECT
    )
    display_order = models.PositiveIntegerField(default=0)
    allow_multiple = models.BooleanField(default=True)
    is_collapsible = models.BooleanField(default=True)
    is_expanded_by_default = models.BooleanField(default=False)
    is_required = models.BooleanField(default=False)
    is_active = models.BooleanField(
        default=True, help_text="Only active filters are offered and accepted."
    )
    description = models.TextField(blank=True)
    ui_config = models.JSONField(default=dict, blank=True)
    groups = models.ManyToManyField(
        "catalog.ProductGroup",
        through="FilterConfigurationGroup",
        related_name="filter_configurations",
        blank=True,
        help_text="For product-group filters: the groups offered and counted.",
    )

    class Meta:
        db_table = acted("filter_configurations")
        ordering = ["display_order", "filter_key"]
        verbose_name = "storefront filter"

    def __str__(self) -> str:
        return f"{self.display_label} ({self.filter_key})"

    def clean(self) -> None:
        if self.filter_key in BUILT_IN_FILTER_KEYS:
            message = f"“{self.filter_key}” is a built-in search filter; choose another key."
            raise ValidationError({"filter_key": message})


class FilterConfigurationGroup(models.Model):
    filter_configuration = models.ForeignKey(FilterConfiguration, on_delete=models.CASCADE)
    product_group = models.ForeignKey("catalog.ProductGroup", on_delete=models.CASCADE)
    is_default = models.BooleanField(default=False)
    display_order = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = acted("filter_configuration_groups")
        ordering = ["display_order", "id"]
        verbose_name = "offered group"
        constraints = [
            models.UniqueConstraint(
                fields=["filter_configuration", "product_group"],
                name="uniq_filter_configuration_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_group_id} in {self.filter_configuration_id}"


# key, label, type, display order, expanded, active. The storefront's backend fixes
# subjects, categories, product_types, modes_of_delivery, the hidden products and
# subject_type; its client also sends programme_type. The tutorial and marking facets
# are this catalog's own; marking templates start hidden (an editor can switch them on).
STANDARD_FILTERS: tuple[tuple[str, str, FilterType, int, bool, bool], ...] = (
    ("subjects", "Subjects", FilterType.SUBJECT, 1, True, True),
    ("subject_type", "Subject type", FilterType.SUBJECT_TYPE, 2, False, True),
    ("categories", "Categories", FilterType.FILTER_GROUP, 3, False, True),
    ("product_types", "Product types", FilterType.FILTER_GROUP, 4, False, True),
    ("modes_of_delivery", "Modes of delivery", FilterType.MODE_OF_DELIVERY, 5, False, True),
    ("tutorial_location", "Tutorial locations", FilterType.TUTORIAL_LOCATION, 6, False, True),
    ("tutorial_format", "Tutorial formats", FilterType.TUTORIAL_FORMAT, 7, False, True),
    ("marking_template", "Marking templates", FilterType.MARKING_TEMPLATE, 8, False, False),
    ("programme_type", "Programmes", FilterType.FILTER_GROUP, 9, False, True),
    ("products", "Products", FilterType.PRODUCT_ID, 10, False, True),
)


def seed_standard_filters(apps: Apps = installed_apps) -> None:
    """Create the standard filters that do not exist yet; never overwrite an edited one."""
    configuration = apps.get_model("catalog", "FilterConfiguration")
    for key, label, filter_type, order, expanded, active in STANDARD_FILTERS:
        configuration.objects.get_or_create(
            filter_key=key,
            defaults={
                "display_label": label,
                "filter_type": filter_type.value,
                "display_order": order,
                "is_expanded_by_default": expanded,
                "is_active": active,
            },
        )


def assign_standard_groups(apps: Apps = installed_apps) -> None:
    """Offer top-level groups as categories and the groups beneath them as product types.

    Only for a filter with no groups yet: an editor's choice is never replaced.
    """
    configuration = apps.get_model("catalog", "FilterConfiguration")
    group = apps.get_model("catalog", "ProductGroup")
    assignment = apps.get_model("catalog", "FilterConfigurationGroup")
    for key, top_level in (("categories", True), ("product_types", False)):
        config = configuration.objects.filter(filter_key=key).first()
        if config is None or assignment.objects.filter(filter_configuration=config).exists():
            continue
        groups = group.objects.filter(parent__isnull=top_level).order_by("display_order", "name")
        assignment.objects.bulk_create(
            assignment(filter_configuration=config, product_group=g, display_order=order)
            for order, g in enumerate(groups)
        )
