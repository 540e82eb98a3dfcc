"""A value read from the database at most every so often, shared by a process's threads.

For what a request must not query each time (the filter configuration, its option
labels): the process that saves an edit clears the cache at once (its owner connects
``clear`` to the model signals); other processes see it within ``seconds``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class TimedCache(Generic[T]):
    def __init__(self, load: Callable[[], T], seconds: float) -> None:
        self._load = load
        self._seconds = seconds
        self._lock = threading.Lock()
        self._value: T | None = None
        self._loaded_at = 0.0

    def _fresh(self) -> bool:
        return self._value is not None and time.monotonic() - self._loaded_at < self._seconds

    def get(self) -> T:
        value = self._value
        if value is not None and self._fresh():
            return value
        with self._lock:  # one thread reloads; the others wait for its value
            if not self._fresh():
                self._value = self._load()
                self._loaded_at = time.monotonic()
            assert self._value is not None
            return self._value

    def clear(self, **_: object) -> None:
        """Forget the value (signal receivers pass keyword arguments, ignored here)."""
        with self._lock:
            self._value = None
