from django.apps import AppConfig


class SearchIndexConfig(AppConfig):
    name = "search_index"
    verbose_name = "Search index"

    def ready(self) -> None:
        from search_index import checks  # noqa: F401 - registers the system check
        from search_index.client import configure_connections

        configure_connections()
