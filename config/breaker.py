"""A circuit breaker: once a backend has failed repeatedly, fail at once instead of waiting.

While OpenSearch is down or frozen every search would otherwise spend its whole time
budget waiting; with the breaker open it fails in microseconds, and after a cool-down one
caller at a time is let through to probe whether the backend is back (half-open).

State is per process (each gunicorn worker has its own), which is what we want: a worker
that cannot reach the cluster stops trying, without coordination between workers.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass


class CircuitOpenError(RuntimeError):
    """The breaker is open: the backend is not called. ``retry_after_s`` says for how long."""

    def __init__(self, name: str, retry_after_s: float, reason: str) -> None:
        super().__init__(f"{name} circuit open for {retry_after_s:.1f} s more after: {reason}")
        self.name = name
        self.retry_after_s = retry_after_s
        self.reason = reason


@dataclass(frozen=True)
class BreakerState:
    """A snapshot for health checks and logs."""

    state: str  # "closed", "open" or "half-open"
    consecutive_failures: int
    last_failure: str | None
    retry_after_s: float


class CircuitBreaker:
    """Opens after ``failure_threshold`` consecutive failures, for ``reset_after_s``."""

    def __init__(self, name: str, failure_threshold: int = 2, reset_after_s: float = 5.0) -> None:
        self.name = name
        self.failure_threshold = failure_threshold
        self.reset_after_s = reset_after_s
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False
        self._last_failure: str | None = None

    def configure(self, failure_threshold: int, reset_after_s: float) -> None:
        with self._lock:
            self.failure_threshold = failure_threshold
            self.reset_after_s = reset_after_s

    def before_call(self) -> bool:
        """Raise ``CircuitOpenError`` unless the call may go ahead; True if it is the probe.

        The probe is the one call let through after the cool-down (half-open): the caller
        should keep it short, since a real request waits on it.
        """
        with self._lock:
            if self._opened_at is None:
                return False
            left = self._opened_at + self.reset_after_s - time.monotonic()
            if left <= 0 and not self._probing:
                self._probing = True  # half-open: this caller probes, the others still fail
                return True
            raise CircuitOpenError(self.name, max(left, 0.0), self._last_failure or "failures")

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._probing = False

    def record_failure(self, reason: str) -> None:
        with self._lock:
            self._failures += 1
            self._last_failure = reason
            if self._probing or self._failures >= self.failure_threshold:
                self._opened_at = time.monotonic()
            self._probing = False

    def release_probe(self) -> None:
        """The probing call ended without saying anything about the backend (e.g. a 404)."""
        with self._lock:
            self._probing = False

    def reset(self) -> None:
        self.record_success()
        with self._lock:
            self._last_failure = None

    def snapshot(self) -> BreakerState:
        with self._lock:
            if self._opened_at is None:
                return BreakerState("closed", self._failures, self._last_failure, 0.0)
            left = self._opened_at + self.reset_after_s - time.monotonic()
            return BreakerState(
                "open" if left > 0 else "half-open",
                self._failures,
                self._last_failure,
                max(left, 0.0),
            )


# The one breaker guarding OpenSearch in this process (search_index's client uses it;
# /healthz reads it). It lives with the project, which imports none of the apps.
OPENSEARCH = CircuitBreaker("opensearch")
