"""The index status page's actions: sync now, rebuild (superusers), rebuild progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from opensearchpy.exceptions import OpenSearchException

from search_index.admin_status.models import RebuildRun
from search_index.admin_status.rebuild_jobs import (
    RebuildAlreadyRunning,
    RebuildNotStarted,
    start_rebuild,
)
from search_index.client import get_sync_client
from search_index.sync import IndexingFailed, pending_summary, sync_pending

STATUS_URL_NAME = "admin:search_index_admin_rebuildrun_changelist"


def _back_to_status() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(STATUS_URL_NAME))


@require_POST
def sync_now(request: HttpRequest) -> HttpResponse:
    """Apply every pending change now, with the short-timeout client."""
    try:
        applied = sync_pending(get_sync_client())
    except (IndexingFailed, OpenSearchException) as exc:
        left = pending_summary().count
        messages.error(
            request,
            f"The index could not be reached, so nothing was applied: {left} changes are "
            f"still pending and will be applied once it answers. ({type(exc).__name__})",
        )
    else:
        messages.success(request, f"Applied {applied} pending changes; search is up to date.")
    return _back_to_status()


@require_POST
def rebuild_now(request: HttpRequest) -> HttpResponse:
    """Start a full rebuild in its own process (superusers only: it is heavy)."""
    if not request.user.is_superuser:
        raise PermissionDenied("Only superusers can rebuild the index.")
    try:
        start_rebuild(request.user.pk)
    except RebuildAlreadyRunning as exc:
        messages.warning(request, str(exc))
    except RebuildNotStarted as exc:
        messages.error(request, str(exc))
    else:
        messages.info(
            request,
            "Rebuild started. Search keeps answering from the current index until the new "
            "one is complete; progress is shown below.",
        )
    return _back_to_status()


@require_GET
def rebuild_progress(request: HttpRequest, run_id: int) -> JsonResponse:
    run = RebuildRun.objects.filter(pk=run_id).first()
    if run is None:
        return JsonResponse({"error": f"No rebuild run {run_id}."}, status=404)
    return JsonResponse(
        {
            "state": run.state,
            "state_label": run.get_state_display(),
            "active": run.is_active,
            "indexed": run.indexed,
            "total": run.total,
            "percent": run.percent,
            "message": run.message,
        }
    )
