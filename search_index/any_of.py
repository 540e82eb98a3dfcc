"""``column = ANY(%s)``: a batch's ids as one array parameter.

``filter(pk__in=ids)`` sends one parameter per id; for a 1,000-id batch Django prepares
each and psycopg splices each into the statement, which cost more Python time than the
query took PostgreSQL (profiled: 4 of the 9 s it took to fingerprint 100,000 store
products in 1,000-id chunks). Only for integer ids.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import F, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, params = self.process_lhs(compiler, connection)
        # As array text: psycopg's client-side list adapter quotes element by element
        # (7 ms for 1,000 ids), joining digits takes a fraction of that.
        array = "{" + ",".join(str(int(value)) for value in self.rhs) + "}"
        return f"{lhs} = ANY(%s::bigint[])", (*params, array)


def any_of(field: str, ids: Collection[int]) -> AnyOf:
    """A filter: ``field``'s value is one of ``ids``."""
    return AnyOf(F(field), list(ids))
