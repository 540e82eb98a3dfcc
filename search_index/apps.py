from django.apps import AppConfig


class SearchIndexConfig(AppConfig):
    name = "search_index"
    verbose_name = "Search index"

    def ready(self) -> None:
        from django.db import connections
        from django.db.backends.signals import connection_created

        from search_index import (
            checks,  # noqa: F401 - registers the system check
            documents,  # noqa: F401 - registers the document with django-opensearch-dsl
            fast_path,
            filter_config,  # noqa: F401 - its cache follows edits to the configuration
        )
        from search_index.client import configure_connections

        configure_connections()
        # Every connection, whoever opens it, schedules the after-commit fast path.
        connection_created.connect(fast_path.install, dispatch_uid="search_index.fast_path")
        for connection in connections.all(initialized_only=True):
            fast_path.install(connection=connection)
