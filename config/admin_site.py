"""The admin site editors work in: a real "View site" link, dashboard panels, clear labels.

Other apps add to it without this module knowing them: ``add_dashboard_panel`` puts a
panel on the index page (the search index's state, for instance), and a ModelAdmin with an
``autocomplete_label(obj)`` method gets richer labels in autocomplete dropdowns than the
object's ``str()`` (a store product's code alone does not tell an editor what it is).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

# Where "View site" leads while there is no page at "/": the API's own description.
API_DOCUMENTATION_URL_NAME = "search-schema"


@dataclass(frozen=True)
class DashboardPanel:
    template_name: str
    context: Callable[[HttpRequest], dict[str, Any]]


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """Autocomplete results labelled by the target admin's ``autocomplete_label``."""

    def serialize_result(self, obj: Model, to_field_name: str) -> dict[str, str]:
        label = getattr(self.model_admin, "autocomplete_label", str)
        return {"id": str(getattr(obj, to_field_name)), "text": label(obj)}


class CatalogAdminSite(admin.AdminSite):
    site_header = "Catalog administration"
    site_title = "Catalog admin"
    index_title = "Catalog data entry"
    index_template = "admin/dashboard.html"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)
        self.dashboard_panels: list[DashboardPanel] = []

    def add_dashboard_panel(
        self, template_name: str, context: Callable[[HttpRequest], dict[str, Any]]
    ) -> None:
        self.dashboard_panels.append(DashboardPanel(template_name, context))

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        context["site_url"] = landing_url()
        return context

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        panels = [
            render_to_string(panel.template_name, panel.context(request), request=request)
            for panel in self.dashboard_panels
        ]
        return super().index(request, {"dashboard_panels": panels, **(extra_context or {})})

    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)


def landing_url() -> str:
    """The storefront at "/" when it exists, else the API documentation."""
    try:
        resolve("/")
        return "/"
    except Resolver404:
        pass
    try:
        return reverse(API_DOCUMENTATION_URL_NAME)
    except NoReverseMatch:
        return "/"


class CatalogAdminConfig(AdminConfig):
    """``django.contrib.admin`` with :class:`CatalogAdminSite` as ``admin.site``."""

    default_site = "config.admin_site.CatalogAdminSite"
