from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from search_index.api import views

urlpatterns = [
    path("unified/", views.UnifiedSearchView.as_view(), name="search-unified"),
    path("fuzzy/", views.FuzzySearchView.as_view(), name="search-fuzzy"),
    path("advanced-fuzzy/", views.AdvancedFuzzySearchView.as_view(), name="search-advanced-fuzzy"),
    path("default-data/", views.DefaultDataView.as_view(), name="search-default-data"),
    path("schema/", SpectacularAPIView.as_view(), name="search-schema"),
]
