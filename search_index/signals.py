"""Signals other apps may listen to, without search_index importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent when the after-commit fast path could not index a committed change (OpenSearch
# down or too slow). Keyword ``pending``: how many changes now wait for a worker or
# ``search_index sync``. The save itself has committed and stays committed.
indexing_failed = Signal()
