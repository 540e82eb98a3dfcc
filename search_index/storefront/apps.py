from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    """An app of its own so Django finds its templates and static files."""

    name = "search_index.storefront"
    label = "storefront"
    verbose_name = "Storefront search page"
