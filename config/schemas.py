"""Where each model's table should live, and where PostgreSQL says it actually is.

Every concrete model of every installed app is checked (auto-created many-to-many
tables included): the catalog and tutorials in ``acted``, the Administrate mirror in
``adm``, everything else (Django's own apps) in ``public``. A table counts as in place
only when its ``db_table`` names the intended schema *and* the catalog finds it there,
with no second copy in ``public``: that catches both a table left behind by a migration
and the ``db_table = 'adm.x'`` pitfall (a table literally named ``adm.x`` in public).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.backends.utils import split_identifier
from django.db.models import Model

DEFAULT_SCHEMA = "public"
# The intended schema per app label; apps not listed belong in DEFAULT_SCHEMA.
SCHEMA_BY_APP: dict[str, str] = {
    "catalog": "acted",
    "tutorials": "acted",
    "administrate": "adm",
}


class Status(enum.StrEnum):
    OK = "ok"
    MISPLACED = "misplaced"
    MISSING = "missing"


@dataclass(frozen=True)
class QualifiedTable:
    schema: str
    table: str

    def __str__(self) -> str:
        return f"{_quote_if_needed(self.schema)}.{_quote_if_needed(self.table)}"


@dataclass(frozen=True)
class TableCheck:
    """One model's table: where it should be, where it was found, and the verdict."""

    model: str
    db_table: str
    expected: QualifiedTable
    declared: QualifiedTable
    found: tuple[QualifiedTable, ...]
    status: Status
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status is Status.OK


def expected_schema(app_label: str) -> str:
    return SCHEMA_BY_APP.get(app_label, DEFAULT_SCHEMA)


def declared_location(db_table: str) -> QualifiedTable:
    """Where PostgreSQL puts ``db_table``.

    ``'"adm"."locations"'`` is ``adm.locations``; a bare ``'adm.locations'`` is a table
    literally named ``adm.locations`` in ``public`` (the search path's first schema).
    """
    schema, table = split_identifier(db_table)
    return QualifiedTable(schema or DEFAULT_SCHEMA, table)


def bare_table_name(declared: QualifiedTable, expected: str) -> str:
    """The table's own name, without a schema that was glued onto it by mistake."""
    prefix = f"{expected}."
    if declared.schema == DEFAULT_SCHEMA and declared.table.startswith(prefix):
        return declared.table.removeprefix(prefix)
    return declared.table


def candidate_locations(db_table: str, expected: str) -> tuple[QualifiedTable, ...]:
    """Everywhere this model's table may have ended up: the intended place, the declared
    place, and ``public`` under the plain or the legacy literal name."""
    declared = declared_location(db_table)
    table = bare_table_name(declared, expected)
    candidates = (
        QualifiedTable(expected, table),
        declared,
        QualifiedTable(DEFAULT_SCHEMA, table),
        QualifiedTable(DEFAULT_SCHEMA, f"{expected}.{table}"),
    )
    return tuple(dict.fromkeys(candidates))


def check_table(
    model: str, db_table: str, expected: str, existing: Iterable[QualifiedTable]
) -> TableCheck:
    """Judge one table, given the relations that exist among its candidate locations."""
    declared = declared_location(db_table)
    target = QualifiedTable(expected, bare_table_name(declared, expected))
    existing = set(existing)
    found = tuple(loc for loc in candidate_locations(db_table, expected) if loc in existing)

    problems = []
    if declared != target:
        problems.append(f"db_table {db_table!r} names {declared}, expected {target}")
    if not found:
        status = Status.MISSING
        problems.append(f"no table at {target}")
    elif target not in found:
        status = Status.MISPLACED
        problems.append(f"found at {', '.join(map(str, found))}, expected {target}")
    elif len(found) > 1:
        status = Status.MISPLACED
        strays = ", ".join(str(loc) for loc in found if loc != target)
        problems.append(f"a second copy exists at {strays}")
    else:
        status = Status.MISPLACED if problems else Status.OK
    return TableCheck(
        model=model,
        db_table=db_table,
        expected=target,
        declared=declared,
        found=found,
        status=status,
        detail="; ".join(problems),
    )


def models_with_tables(app_labels: Sequence[str] = ()) -> list[type[Model]]:
    """Every concrete model with its own table, in the given apps or in all installed apps.

    Raises ``LookupError`` for an unknown app label.
    """
    configs = (
        [apps.get_app_config(label) for label in app_labels]
        if app_labels
        else list(apps.get_app_configs())
    )
    return [
        model
        for config in configs
        for model in config.get_models(include_auto_created=True)
        if not model._meta.proxy
    ]


def inspect_schemas(
    app_labels: Sequence[str] = (), using: str = DEFAULT_DB_ALIAS
) -> list[TableCheck]:
    """Check every model table (of ``app_labels``, or of all apps) on database ``using``."""
    models = [
        model
        for model in models_with_tables(app_labels)
        if router.allow_migrate_model(using, model)
    ]
    wanted = {
        model: candidate_locations(model._meta.db_table, expected_schema(model._meta.app_label))
        for model in models
    }
    existing = _existing_relations(using, {loc for locs in wanted.values() for loc in locs})
    checks = [
        check_table(
            model._meta.label,
            model._meta.db_table,
            expected_schema(model._meta.app_label),
            existing,
        )
        for model in models
    ]
    return sorted(checks, key=lambda check: (check.expected.schema, check.expected.table))


def _existing_relations(using: str, candidates: set[QualifiedTable]) -> set[QualifiedTable]:
    if not candidates:
        return set()
    schemas = sorted({loc.schema for loc in candidates})
    tables = sorted({loc.table for loc in candidates})
    with connections[using].cursor() as cursor:
        # Straight from pg_catalog: information_schema hides tables the user has no
        # privilege on, and search_path visibility must not matter here.
        cursor.execute(
            """
            SELECT n.nspname, c.relname
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            -- table, partitioned table, view, materialized view, foreign table
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND n.nspname = ANY(%s) AND c.relname = ANY(%s)
            """,
            [schemas, tables],
        )
        rows = cursor.fetchall()
    return {QualifiedTable(schema, table) for schema, table in rows} & candidates


def _quote_if_needed(name: str) -> str:
    plain = name.replace("_", "").isalnum() and name == name.lower() and not name[:1].isdigit()
    return name if plain else f'"{name}"'
