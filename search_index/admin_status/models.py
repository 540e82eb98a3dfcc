"""A rebuild started from the admin: who, when, how far, and how it ended."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

# A running rebuild reports at least this often; silence for longer means its process died.
HEARTBEAT_TIMEOUT = timedelta(seconds=60)


class RebuildRun(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Starting"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(default=timezone.now)
    total = models.PositiveIntegerField(null=True, blank=True)
    indexed = models.PositiveIntegerField(default=0)
    index_name = models.CharField(max_length=255, blank=True)
    message = models.TextField(blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        db_table = "search_index_admin_rebuild_runs"
        ordering = ["-created_at", "-id"]
        verbose_name = "index status"
        verbose_name_plural = "index status"

    def __str__(self) -> str:
        return f"rebuild {self.created_at:%Y-%m-%d %H:%M} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        """Starting or running, and heard from recently."""
        alive = timezone.now() - self.heartbeat_at < HEARTBEAT_TIMEOUT
        return self.state in (self.State.QUEUED, self.State.RUNNING) and alive

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.state == self.State.SUCCEEDED else 0
        return min(100, round(100 * self.indexed / self.total))
