"""Admin data entry for the catalog and the store (staff only, as Django admin is)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from catalog import filtering_admin  # noqa: F401 - registers the storefront filters' admin
from catalog.admin_filters import titled
from catalog.labels import STORE_PRODUCT_LABEL_RELATED, store_product_label
from catalog.models import (
    ExamSession,
    ExamSessionSubject,
    Price,
    Product,
    ProductGroup,
    ProductGroupMembership,
    ProductProductVariation,
    ProductVariation,
    StoreProduct,
    Subject,
)
from catalog.store_product_search import STORE_PRODUCT_SEARCH_FIELDS, rank_store_products


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["code", "description", "active"]
    list_filter = ["active"]
    search_fields = ["code", "description"]


@admin.register(ExamSession)
class ExamSessionAdmin(admin.ModelAdmin):
    list_display = ["session_code", "start_date", "end_date"]
    search_fields = ["session_code"]
    date_hierarchy = "start_date"


@admin.register(ExamSessionSubject)
class ExamSessionSubjectAdmin(admin.ModelAdmin):
    list_display = ["subject", "exam_session", "is_active"]
    list_filter = ["is_active", "exam_session", "subject"]
    search_fields = ["subject__code", "exam_session__session_code"]
    list_select_related = ["subject", "exam_session"]
    ordering = ["-exam_session__start_date", "subject__code"]


def _tree_order(groups: list[ProductGroup]) -> list[tuple[ProductGroup, int]]:
    """Groups depth-first, each with its depth, children in display order.

    A group whose parent is not in the list (filtered out by a search) starts a tree of
    its own, so every match stays visible.
    """
    present = {group.pk for group in groups}
    children: dict[int | None, list[ProductGroup]] = {}
    for group in groups:
        parent = group.parent_id if group.parent_id in present else None
        children.setdefault(parent, []).append(group)
    ordered: list[tuple[ProductGroup, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for group in children.get(parent_id, []):
            ordered.append((group, depth))
            walk(group.pk, depth + 1)

    walk(None, 0)
    return ordered


@admin.register(ProductGroup)
class ProductGroupAdmin(admin.ModelAdmin):
    """Shown as a tree: rows depth-first, names indented by depth."""

    list_display = ["tree_name", "code", "parent", "display_order"]
    list_filter = ["parent"]
    search_fields = ["name", "code"]
    list_per_page = 500

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProductGroup]:
        return super().get_queryset(request).select_related("parent")

    def get_changelist_instance(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        changelist = super().get_changelist_instance(request)
        ordered = _tree_order(list(changelist.result_list))
        for group, depth in ordered:
            group.tree_depth = depth  # per request: the admin instance is shared
        changelist.result_list = [group for group, _ in ordered]
        return changelist

    @admin.display(description="Name")
    def tree_name(self, group: ProductGroup) -> str:
        return f"{'— ' * getattr(group, 'tree_depth', 0)}{group.name}"


@admin.register(ProductGroupMembership)
class ProductGroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["product", "product_group"]
    list_filter = ["product_group"]
    search_fields = ["product__code", "product__shortname", "product_group__name"]
    list_select_related = ["product", "product_group"]
    ordering = ["product__code", "product_group__name"]


class ProductGroupMembershipInline(admin.TabularInline):
    model = ProductGroupMembership
    extra = 1


class ProductProductVariationInline(admin.TabularInline):
    model = ProductProductVariation
    extra = 1


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "shortname", "fullname", "is_active", "buy_both"]
    list_filter = ["is_active", "buy_both", "groups"]
    search_fields = ["code", "shortname", "fullname"]
    inlines = [ProductGroupMembershipInline, ProductProductVariationInline]


@admin.register(ProductVariation)
class ProductVariationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "variation_type", "description_short"]
    list_filter = ["variation_type"]
    search_fields = ["code", "name", "description"]


@admin.register(ProductProductVariation)
class ProductProductVariationAdmin(admin.ModelAdmin):
    list_display = ["product", "product_variation"]
    list_filter = ["product_variation__variation_type"]
    search_fields = ["product__code", "product__fullname", "product_variation__code"]
    list_select_related = ["product", "product_variation"]
    ordering = ["product__code", "product_variation__code"]


class PriceInline(admin.TabularInline):
    model = Price
    extra = 1


@admin.register(StoreProduct)
class StoreProductAdmin(admin.ModelAdmin):
    """Found by subject, product or location name, format or venue ("cm2 london")."""

    list_display = [
        "product_code",
        "exam_session_subject",
        "product_product_variation",
        "is_active",
    ]
    list_filter = [
        ("exam_session_subject__exam_session", titled("sitting")),
        ("exam_session_subject__subject", titled("subject")),
        ("product_product_variation__product__groups", titled("category")),
        "product_product_variation__product_variation__variation_type",
        "is_active",
    ]
    search_fields = STORE_PRODUCT_SEARCH_FIELDS
    search_help_text = "Words of the subject, product, location, format or venue: cm2 london."
    ordering = ["-exam_session_subject__exam_session__start_date", "product_code"]
    readonly_fields = ["product_code", "created_at", "updated_at"]
    list_select_related = [
        "exam_session_subject__subject",
        "exam_session_subject__exam_session",
        "product_product_variation__product",
        "product_product_variation__product_variation",
    ]
    autocomplete_fields = ["exam_session_subject", "product_product_variation"]
    inlines = [PriceInline]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[StoreProduct], search_term: str
    ) -> tuple[QuerySet[StoreProduct], bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        found = found.select_related(*STORE_PRODUCT_LABEL_RELATED)
        return rank_store_products(found, search_term), may_have_duplicates

    def autocomplete_label(self, store_product: StoreProduct) -> str:
        return store_product_label(store_product)


@admin.register(Price)
class PriceAdmin(admin.ModelAdmin):
    list_display = ["store_product", "price_type", "amount", "currency"]
    list_filter = ["price_type", "currency"]
    search_fields = ["store_product__product_code"]
    list_select_related = ["store_product"]
    ordering = ["store_product__product_code", "price_type"]
    # A select of every store product is tens of thousands of options: search instead.
    autocomplete_fields = ["store_product"]
