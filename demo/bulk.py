"""Idempotent bulk writes keyed on natural keys.

Every demo row has a natural key (a code, or a unique pair), so loading twice converges
instead of duplicating: ``upsert`` inserts or updates on that key and returns the rows
with their primary keys; ``insert_missing`` inserts and leaves existing rows alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.db.models import Model

# Rows per INSERT statement. Django sends a PostgreSQL bulk_create as one statement
# unless told otherwise; 1,000 rows keeps each statement a few hundred kilobytes and,
# at ten columns for the widest row (a session), far below PostgreSQL's 65,535 bind
# parameters should server-side binding be switched on, while still saving 999 of
# every 1,000 round trips.
BATCH_SIZE = 1000

M = TypeVar("M", bound=Model)


def upsert(
    model: type[M],
    objs: Sequence[M],
    *,
    unique_fields: Sequence[str],
    update_fields: Sequence[str],
) -> list[M]:
    """Insert ``objs``, or update ``update_fields`` where the natural key exists.

    PostgreSQL returns the primary key of every row, inserted or updated.
    """
    if not objs:
        return []
    return model._default_manager.bulk_create(
        objs,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=list(unique_fields),
        update_fields=list(update_fields),
    )


def insert_missing(model: type[M], objs: Sequence[M]) -> None:
    """Insert ``objs`` whose natural key is not taken yet; primary keys are not returned."""
    if objs:
        model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE, ignore_conflicts=True)
