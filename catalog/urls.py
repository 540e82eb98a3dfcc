from django.contrib import admin
from django.urls import include, path

from catalog.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/search/", include("search_index.api.urls")),
]
