"""What the status page and the dashboard panel show, gathered without ever failing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from opensearchpy import OpenSearch
from opensearchpy.exceptions import OpenSearchException

from search_index import lifecycle
from search_index.admin_status.models import RebuildRun
from search_index.building import indexable_store_products
from search_index.client import get_sync_client
from search_index.sync import pending_summary


@dataclass
class IndexOverview:
    pending: int
    oldest_pending: dt.datetime | None
    indexable: int
    last_run: RebuildRun | None
    # From OpenSearch; None when it could not be asked (``unreachable`` says why).
    live_index: str | None = None
    documents: int | None = None
    last_rebuild: dt.datetime | None = None
    unreachable: str = ""

    @property
    def oldest_pending_age(self) -> dt.timedelta | None:
        return timezone.now() - self.oldest_pending if self.oldest_pending else None

    @property
    def counts_differ(self) -> bool:
        return self.documents is not None and self.documents != self.indexable


def database_overview() -> IndexOverview:
    """What the database alone knows: cheap enough for every admin index page."""
    summary = pending_summary()
    return IndexOverview(
        pending=summary.count,
        oldest_pending=summary.oldest,
        indexable=indexable_store_products().count(),
        last_run=RebuildRun.objects.select_related("started_by").first(),
    )


def full_overview(client: OpenSearch | None = None) -> IndexOverview:
    """The database's view plus the live index, asked with the short-timeout client."""
    overview = database_overview()
    client = client or get_sync_client()
    try:
        status = lifecycle.index_status(client)
    except OpenSearchException as exc:
        overview.unreachable = f"OpenSearch did not answer ({type(exc).__name__})."
        return overview
    overview.live_index = status.live_index
    overview.documents = status.documents
    if status.rebuild_started_at:
        overview.last_rebuild = dt.datetime.fromisoformat(status.rebuild_started_at)
    return overview
