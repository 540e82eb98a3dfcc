"""Endpoints the storefront client calls outside ``/api/search/`` (its contract, 3 and 4)."""

from django.urls import path

from search_index.api import views

urlpatterns = [
    path(
        "products/filter-configuration/",
        views.FilterConfigurationView.as_view(),
        name="filter-configuration",
    ),
    path("catalog/search/", views.SearchBoxView.as_view(), name="catalog-search"),
]
