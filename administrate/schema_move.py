"""The SQL that moves the administrate tables from ``public`` to the ``adm`` schema, and back.

Older databases hold these tables in ``public``, either under their plain names
(``public.locations``, as ``0001_initial`` creates them) or under a legacy literal
name (``public."adm.locations"``, what an unquoted ``db_table = 'adm.locations'``
produced). Each table gets its own ``DO`` block that looks where the table is
before touching it, so the move is safe on a fresh database, a legacy one, or
one already moved, and running it twice changes nothing.

``ALTER TABLE … SET SCHEMA`` keeps the table itself: rows, the identity sequence
it owns, its indexes and constraints move with it, and foreign keys (which point
at the table, not at its name) keep working. When a table exists on both sides
the block raises instead of choosing: merging copies is a person's decision, and
the move never drops data.

The SQL is generated from fixed module-level constants only, never from input.
Migration ``0002_move_to_adm_schema`` runs exactly these statements, so treat
``TABLES`` as frozen: a table added to ``adm`` later is created there by its own
migration and does not belong here.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

SCHEMA = "adm"
LEGACY_SCHEMA = "public"
TABLES: tuple[str, ...] = (
    "locations",
    "venues",
    "instructors",
    "course_templates",
    "price_levels",
    "course_template_price_levels",
    "custom_fields",
)

_PLAIN_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*\Z")
for _name in (SCHEMA, LEGACY_SCHEMA, *TABLES):
    # Names are pasted into SQL below; only plain lower-case identifiers are allowed.
    if not _PLAIN_IDENTIFIER.match(_name):
        raise ValueError(f"not a plain SQL identifier: {_name!r}")


def legacy_name(table: str) -> str:
    """The literal name an unquoted ``'adm.<table>'`` db_table gave the table in public."""
    return f"{SCHEMA}.{table}"


def _exists(schema: str, table: str) -> str:
    return (
        "EXISTS (SELECT FROM pg_catalog.pg_tables "
        f"WHERE schemaname = '{schema}' AND tablename = '{table}')"
    )


_KEEP_BOTH_HINT = (
    "HINT = 'Compare the copies, keep one (rename or drop the other), then migrate again. "
    "Both copies were left where they are; nothing was dropped.'"
)


def _forward_block(table: str) -> str:
    adm_table = f'"{SCHEMA}"."{table}"'
    plain_table = f'"{LEGACY_SCHEMA}"."{table}"'
    legacy_table = f'"{LEGACY_SCHEMA}"."{legacy_name(table)}"'
    return f"""DO $move$
DECLARE
    in_plain  boolean := {_exists(LEGACY_SCHEMA, table)};
    in_legacy boolean := {_exists(LEGACY_SCHEMA, legacy_name(table))};
    in_adm    boolean := {_exists(SCHEMA, table)};
BEGIN
    IF in_adm AND in_plain THEN
        RAISE EXCEPTION 'administrate table {table} exists as both {adm_table} and {plain_table}'
            USING ERRCODE = 'duplicate_table', {_KEEP_BOTH_HINT};
    ELSIF in_adm AND in_legacy THEN
        RAISE EXCEPTION 'administrate table {table} exists as both {adm_table} and {legacy_table}'
            USING ERRCODE = 'duplicate_table', {_KEEP_BOTH_HINT};
    ELSIF in_plain AND in_legacy THEN
        RAISE EXCEPTION 'administrate table {table} exists as both {plain_table} and {legacy_table}'
            USING ERRCODE = 'duplicate_table', {_KEEP_BOTH_HINT};
    ELSIF in_plain THEN
        ALTER TABLE {plain_table} SET SCHEMA "{SCHEMA}";
    ELSIF in_legacy THEN
        ALTER TABLE {legacy_table} RENAME TO "{table}";
        ALTER TABLE {plain_table} SET SCHEMA "{SCHEMA}";
    ELSIF NOT in_adm THEN
        RAISE EXCEPTION 'administrate table {table} not found: neither {adm_table} nor {plain_table} nor {legacy_table} exists'
            USING ERRCODE = 'undefined_table',
                  HINT = 'Is administrate 0001_initial recorded in django_migrations without its tables?';
    END IF;
END
$move$"""  # noqa: E501 - SQL messages read better on one line


def _reverse_block(table: str) -> str:
    adm_table = f'"{SCHEMA}"."{table}"'
    plain_table = f'"{LEGACY_SCHEMA}"."{table}"'
    return f"""DO $move$
DECLARE
    in_adm    boolean := {_exists(SCHEMA, table)};
    in_plain  boolean := {_exists(LEGACY_SCHEMA, table)};
BEGIN
    IF in_adm AND in_plain THEN
        RAISE EXCEPTION 'administrate table {table} exists as both {adm_table} and {plain_table}'
            USING ERRCODE = 'duplicate_table', {_KEEP_BOTH_HINT};
    ELSIF in_adm THEN
        ALTER TABLE {adm_table} SET SCHEMA "{LEGACY_SCHEMA}";
    ELSIF NOT in_plain THEN
        RAISE EXCEPTION 'administrate table {table} not found: neither {adm_table} nor {plain_table} exists'
            USING ERRCODE = 'undefined_table';
    END IF;
END
$move$"""  # noqa: E501 - SQL messages read better on one line


CREATE_SCHEMA_SQL = f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA}"'
# One statement per table, so a failure names the table in the traceback's SQL too.
FORWARD_SQL: tuple[str, ...] = tuple(_forward_block(table) for table in TABLES)
REVERSE_SQL: tuple[str, ...] = tuple(_reverse_block(table) for table in reversed(TABLES))


def move_to_adm(connection: BaseDatabaseWrapper) -> None:
    """Move every administrate table into ``adm``, all or nothing."""
    _run(connection, (CREATE_SCHEMA_SQL, *FORWARD_SQL))


def move_to_public(connection: BaseDatabaseWrapper) -> None:
    """Move every administrate table back to ``public`` under its plain name, all or nothing."""
    _run(connection, REVERSE_SQL)


def _run(connection: BaseDatabaseWrapper, statements: tuple[str, ...]) -> None:
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
