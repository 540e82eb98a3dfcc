from django.apps import AppConfig


class AdminStatusConfig(AppConfig):
    name = "search_index.admin_status"
    label = "search_index_admin"
    verbose_name = "Search index"

    def ready(self) -> None:
        from search_index.admin_status import save_warnings

        save_warnings.connect()
