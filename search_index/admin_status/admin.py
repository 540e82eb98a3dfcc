"""Registers the index status page, the dashboard panel and the *re-index selected* action."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from opensearchpy.exceptions import OpenSearchException

from catalog.models import StoreProduct
from search_index.admin_status import views
from search_index.admin_status.models import RebuildRun
from search_index.admin_status.overview import database_overview, full_overview
from search_index.admin_status.rebuild_jobs import active_run
from search_index.client import get_sync_client
from search_index.writing import IndexingFailed, write_documents

RECENT_RUNS = 5


def _is_staff(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_staff


@admin.register(RebuildRun)
class IndexStatusAdmin(admin.ModelAdmin):
    """The "Index status" entry: its list page is the status page; runs are never edited."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_staff(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("sync/", wrap(views.sync_now), name="search_index_admin_sync"),
            path("rebuild/", wrap(views.rebuild_now), name="search_index_admin_rebuild"),
            path(
                "rebuild/<int:run_id>/progress/",
                wrap(views.rebuild_progress),
                name="search_index_admin_rebuild_progress",
            ),
            *super().get_urls(),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": "Search index status",
            "opts": self.opts,
            "overview": full_overview(),
            "active_run": active_run(),
            "recent_runs": RebuildRun.objects.select_related("started_by")[:RECENT_RUNS],
            "can_rebuild": request.user.is_superuser,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/search_index_admin/status.html", context)


def _panel_context(request: HttpRequest) -> dict[str, Any]:
    return {"overview": database_overview(), "active_run": active_run()}


if hasattr(admin.site, "add_dashboard_panel"):
    admin.site.add_dashboard_panel("admin/search_index_admin/panel.html", _panel_context)


@admin.action(description="Re-index selected store products", permissions=["change"])
def reindex_selected(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[StoreProduct]
) -> None:
    ids = list(queryset.values_list("pk", flat=True))
    try:
        written = write_documents(ids, client=get_sync_client())
    except (IndexingFailed, OpenSearchException) as exc:
        model_admin.message_user(
            request,
            f"The index could not be reached; nothing was re-indexed. Try again once it "
            f"answers (the index status page shows when). ({type(exc).__name__})",
            messages.ERROR,
        )
        return
    model_admin.message_user(
        request, f"Re-indexed {written} store products; search shows them within a second."
    )


def _with_reindex_action() -> None:
    """Add the action to the catalog's own StoreProduct admin, which must not import us."""
    if not admin.site.is_registered(StoreProduct):
        return
    catalog_admin = type(admin.site.get_model_admin(StoreProduct))
    admin.site.unregister(StoreProduct)
    admin.site.register(
        StoreProduct,
        type(
            catalog_admin.__name__,
            (catalog_admin,),
            {"actions": [*(catalog_admin.actions or []), reindex_selected]},
        ),
    )


_with_reindex_action()
