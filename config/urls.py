from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView

from config import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("healthz/live", health.live, name="healthz-live"),
    path("healthz/ready", health.ready, name="healthz-ready"),
    path("admin/", admin.site.urls),
    path("api/search/", include("search_index.api.urls")),
    path("api/", include("search_index.api.client_urls")),
    path("", include("search_index.storefront.urls")),
    # The API reference (Swagger UI, its assets served from our static files).
    path(
        "api/search/docs/",
        SpectacularSwaggerView.as_view(url_name="search-schema"),
        name="search-docs",
    ),
]
