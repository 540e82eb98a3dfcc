from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo catalog loader (``load_demo_catalog``, ``ensure_demo_admin``): no models."""

    name = "demo"
    verbose_name = "Demo data"
