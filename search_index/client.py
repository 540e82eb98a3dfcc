"""The OpenSearch client, configured once by django-opensearch-dsl from settings."""

from opensearchpy import OpenSearch
from opensearchpy.connection.connections import connections


def get_client() -> OpenSearch:
    return connections.get_connection()
