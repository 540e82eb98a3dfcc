"""The move of the administrate tables from ``public`` to ``adm`` (migration 0002).

The round trip tests run real migrations on the test database with
``MigrationExecutor``; they are transaction tests and always end with every app
migrated to its latest state again, so the tests after them see the normal schema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps

from administrate import models as adm_models
from administrate.schema_move import TABLES, legacy_name, move_to_adm, move_to_public

INITIAL = ("administrate", "0001_initial")

Places = dict[str, set[tuple[str, str]]]
Rows = dict[str, list[dict[str, Any]]]


# --- helpers -------------------------------------------------------------------------------


def migrate_to(*targets: tuple[str, str]) -> None:
    # A fresh executor each time: its loader must see what the previous run applied.
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets) or executor.loader.graph.leaf_nodes())


def migrate_to_latest() -> None:
    migrate_to()


def places() -> Places:
    """Where each administrate table is: ``{table: {(schema, relname), ...}}``."""
    names = [*TABLES, *(legacy_name(table) for table in TABLES)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname, tablename FROM pg_catalog.pg_tables "
            "WHERE schemaname IN ('public', 'adm') AND tablename = ANY(%s)",
            [names],
        )
        found = cursor.fetchall()
    return {
        table: {(schema, name) for schema, name in found if name in (table, legacy_name(table))}
        for table in TABLES
    }


def everywhere(schema: str) -> Places:
    return {table: {(schema, table)} for table in TABLES}


def qualified(table: str) -> str:
    """The quoted name of ``table`` wherever it is now (it must be in exactly one place)."""
    [(schema, name)] = places()[table]
    return f'"{schema}"."{name}"'


def rows() -> Rows:
    """Every row of every administrate table, ordered by id, wherever the table is."""
    result: Rows = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT to_jsonb(t)::text FROM {qualified(table)} t ORDER BY id")
            result[table] = [json.loads(text) for (text,) in cursor.fetchall()]
    return result


def structure() -> dict[str, dict[str, Any]]:
    """Per table: its indexes, its foreign keys, and the identity sequence it owns.

    Referenced tables are given by bare name, so a legacy ``adm.locations`` and the moved
    ``locations`` compare equal; schemas are compared separately.
    """
    result = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            name = qualified(table)
            cursor.execute(
                "SELECT i.relname FROM pg_catalog.pg_index x "
                "JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass ORDER BY i.relname",
                [name],
            )
            indexes = [index for (index,) in cursor.fetchall()]
            cursor.execute(
                "SELECT c.conname, a.attname, r.relname, c.condeferrable "
                "FROM pg_catalog.pg_constraint c "
                "JOIN pg_catalog.pg_class r ON r.oid = c.confrelid "
                "JOIN pg_catalog.pg_attribute a "
                "  ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) "
                "WHERE c.contype = 'f' AND c.conrelid = %s::regclass ORDER BY c.conname",
                [name],
            )
            foreign_keys = [
                (constraint, column, referenced.removeprefix("adm."), deferrable)
                for constraint, column, referenced, deferrable in cursor.fetchall()
            ]
            cursor.execute(
                "SELECT n.nspname, s.relname, pg_catalog.pg_sequence_last_value(s.oid) "
                "FROM pg_catalog.pg_class s "
                "JOIN pg_catalog.pg_namespace n ON n.oid = s.relnamespace "
                "WHERE s.oid = pg_catalog.pg_get_serial_sequence(%s, 'id')::regclass",
                [name],
            )
            [(sequence_schema, sequence, last_value)] = cursor.fetchall()
            result[table] = {
                "indexes": indexes,
                "foreign_keys": foreign_keys,
                "sequence": sequence,
                "sequence_schema": sequence_schema,
                "sequence_last_value": last_value,
            }
    return result


def without_schemas(snapshot: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        table: {key: value for key, value in info.items() if key != "sequence_schema"}
        for table, info in snapshot.items()
    }


def sequence_schemas(snapshot: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {table: info["sequence_schema"] for table, info in snapshot.items()}


def rebuild_with_literal_names(literal: frozenset[str]) -> StateApps:
    """Recreate the administrate tables as an old deployment has them and return its models.

    The tables in ``literal`` get the name an unquoted ``db_table = 'adm.<table>'`` gave
    them: ``public."adm.<table>"``, built by Django's own schema editor so that their
    identity sequence, index and constraint names are the ones such a deployment really
    has, and foreign keys between them point at whichever name the target table has.
    """
    loader = MigrationExecutor(connection).loader
    plain = loader.project_state(INITIAL).apps
    state = loader.project_state(INITIAL)
    for (app_label, _), model_state in state.models.items():
        if app_label == "administrate" and model_state.options["db_table"] in literal:
            model_state.options["db_table"] = legacy_name(model_state.options["db_table"])
    legacy = state.apps
    if literal:
        with connection.schema_editor() as editor:
            for model in plain.get_app_config("administrate").get_models():
                editor.delete_model(model)
            for model in legacy.get_app_config("administrate").get_models():
                editor.create_model(model)
    return legacy


def seed(apps: StateApps) -> None:
    """A small but lived-in data set: foreign keys between tables, and deleted rows so
    that every identity sequence is ahead of the highest id."""
    location = apps.get_model("administrate", "Location")
    venue = apps.get_model("administrate", "Venue")
    instructor = apps.get_model("administrate", "Instructor")
    course_template = apps.get_model("administrate", "CourseTemplate")
    price_level = apps.get_model("administrate", "PriceLevel")
    template_price = apps.get_model("administrate", "CourseTemplatePriceLevel")
    custom_field = apps.get_model("administrate", "CustomField")

    london = location.objects.create(external_id="TG9jOjE=", name="London", code="LON")
    edinburgh = location.objects.create(external_id="TG9jOjI=", name="Edinburgh", code="EDI")
    location.objects.create(external_id="TG9jOjM=", name="Closed", active=False).delete()
    venue.objects.create(name="BPP Waterloo", description="Room 4", location=london)
    venue.objects.create(name="Holborn", location=london)
    venue.objects.create(name="Apex Grassmarket", location=edinburgh)
    venue.objects.create(name="Gone", location=edinburgh).delete()
    instructor.objects.create(
        external_id="SW5zOjE=", first_name="Ada", last_name="Lovelace", email="ada@example.com"
    )
    instructor.objects.create(external_id="SW5zOjI=", first_name="Old", last_name="X").delete()
    cm2 = course_template.objects.create(
        external_id="Q1Q6MQ==",
        code="CM2_f2f_5",
        title="CM2 5-day face-to-face",
        event_learning_mode="CLASSROOM",
        custom_fields={"exam": "CM2", "days": 5},
    )
    cb1 = course_template.objects.create(
        external_id="Q1Q6Mg==", code="CB1_LO_6", title="CB1 live online", active=False
    )
    course_template.objects.create(external_id="Q1Q6Mw==", code="DEL", title="x").delete()
    standard = price_level.objects.create(external_id="UEw6MQ==", name="Standard")
    retaker = price_level.objects.create(external_id="UEw6Mg==", name="Retaker")
    price_level.objects.create(external_id="UEw6Mw==", name="Gone").delete()
    template_price.objects.create(course_template=cm2, price_level=standard, amount="1195.00")
    template_price.objects.create(course_template=cm2, price_level=retaker, amount="995.50")
    template_price.objects.create(course_template=cb1, price_level=standard, amount="700.00")
    template_price.objects.create(course_template=cb1, price_level=retaker, amount="1").delete()
    custom_field.objects.create(
        external_id="Q0Y6MQ==",
        label="Exam sitting",
        field_type="choice",
        is_required=True,
        roles=["staff", "learner"],
        entity_type="Event",
    )
    custom_field.objects.create(
        external_id="Q0Y6Mg==", label="Notes", field_type="text", entity_type="CourseTemplate"
    )
    custom_field.objects.create(
        external_id="Q0Y6Mw==", label="Gone", field_type="text", entity_type="Event"
    ).delete()


@pytest.fixture
def administrate_at_initial() -> Iterator[None]:
    """Administrate migrated back to 0001 (the legacy layout); everything latest afterwards."""
    migrate_to(INITIAL)
    try:
        yield
    finally:
        migrate_to_latest()


# --- the round trip ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "literal",
    [
        pytest.param(frozenset({"custom_fields"}), id="plain-and-one-literal"),
        pytest.param(frozenset(TABLES), id="all-literal"),
    ],
)
def test_move_keeps_rows_sequences_indexes_and_foreign_keys(
    administrate_at_initial: None, literal: frozenset[str]
) -> None:
    # given an old deployment: tables in public, some under a legacy literal name, with data
    legacy_apps = rebuild_with_literal_names(literal)
    seed(legacy_apps)
    assert places() == {
        table: {("public", legacy_name(table) if table in literal else table)} for table in TABLES
    }
    rows_before, structure_before = rows(), structure()
    assert sequence_schemas(structure_before) == dict.fromkeys(TABLES, "public")

    # when migrating forward
    migrate_to_latest()

    # then every table is in adm under its plain name, with the same rows, indexes, foreign
    # keys and sequences, and each owned sequence moved along with its table
    assert places() == everywhere("adm")
    assert rows() == rows_before
    moved = structure()
    assert without_schemas(moved) == without_schemas(structure_before)
    assert sequence_schemas(moved) == dict.fromkeys(TABLES, "adm")

    # then the ORM reads the moved tables through the foreign keys
    assert sorted(adm_models.Venue.objects.values_list("location__code", "name")) == [
        ("EDI", "Apex Grassmarket"),
        ("LON", "BPP Waterloo"),
        ("LON", "Holborn"),
    ]
    cm2 = adm_models.CourseTemplate.objects.get(code="CM2_f2f_5")
    assert cm2.custom_fields == {"exam": "CM2", "days": 5}
    assert {(p.price_level.name, p.amount) for p in cm2.prices.select_related("price_level")} == {
        ("Standard", Decimal("1195.00")),
        ("Retaker", Decimal("995.50")),
    }

    # then foreign keys are still enforced
    missing_id = 10**9
    with pytest.raises(IntegrityError), transaction.atomic():
        adm_models.Venue.objects.create(name="Nowhere", location_id=missing_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        adm_models.CourseTemplatePriceLevel.objects.create(
            course_template=cm2, price_level_id=missing_id, amount="1.00"
        )

    # then new rows get fresh ids from the moved sequences: no primary key collision
    for table, model, values in [
        ("locations", adm_models.Location, {"external_id": "TG9jOjQ=", "name": "Manchester"}),
        ("price_levels", adm_models.PriceLevel, {"external_id": "UEw6NA==", "name": "Reduced"}),
        (
            "custom_fields",
            adm_models.CustomField,
            {"external_id": "Q0Y6NA==", "label": "New", "entity_type": "Event"},
        ),
    ]:
        created = model.objects.create(**values)
        assert created.pk > max(row["id"] for row in rows_before[table])
        assert created.pk > structure_before[table]["sequence_last_value"]


@pytest.mark.django_db(transaction=True)
def test_move_is_idempotent_and_reversible(administrate_at_initial: None) -> None:
    # given an old deployment with data, moved to adm by the migration
    seed(rebuild_with_literal_names(frozenset({"locations", "custom_fields"})))
    rows_before = rows()
    migrate_to_latest()
    moved = structure()

    # when the move's SQL runs again, twice
    move_to_adm(connection)
    move_to_adm(connection)

    # then nothing changed
    assert places() == everywhere("adm")
    assert rows() == rows_before
    assert structure() == moved

    # when migrating back to the legacy layout, then running the reverse SQL again
    migrate_to(INITIAL)
    back = structure()
    move_to_public(connection)
    move_to_public(connection)

    # then every table is in public under its plain name (what 0001 describes), data intact
    assert places() == everywhere("public")
    assert rows() == rows_before
    assert structure() == back
    assert without_schemas(back) == without_schemas(moved)
    assert sequence_schemas(back) == dict.fromkeys(TABLES, "public")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        # An explicit id, so the failed insert does not draw from the sequence.
        cursor.execute(
            "INSERT INTO public.venues (id, name, description, location_id) "
            "VALUES (-1, 'x', '', -1)"
        )

    # when migrating forward again
    migrate_to_latest()

    # then the data is intact in adm
    assert places() == everywhere("adm")
    assert rows() == rows_before
    assert structure() == moved


# --- refusing to choose between two copies -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("stray_name", ["locations", "adm.locations"])
def test_move_refuses_when_a_table_exists_in_public_and_in_adm(stray_name: str) -> None:
    # given a migrated database with a stray copy of locations in public, holding a row
    stray = f'"public"."{stray_name}"'
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE {stray} (LIKE "adm"."locations" INCLUDING ALL)')
        cursor.execute(
            f"INSERT INTO {stray} (external_id, name, code, active) VALUES ('s', 's', '', true)"
        )

    # when the move runs
    with pytest.raises(
        ProgrammingError, match=re.escape(f'locations exists as both "adm"."locations" and {stray}')
    ):
        move_to_adm(connection)

    # then nothing was moved or dropped
    assert places() == everywhere("adm") | {
        "locations": {("adm", "locations"), ("public", stray_name)}
    }
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {stray}")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db
def test_move_refuses_when_public_holds_both_a_plain_and_a_literal_copy() -> None:
    # given venues back in public next to a legacy literal copy of it
    with connection.cursor() as cursor:
        cursor.execute('ALTER TABLE "adm"."venues" SET SCHEMA public')
        cursor.execute('CREATE TABLE public."adm.venues" (LIKE public.venues INCLUDING ALL)')

    # when / then
    with pytest.raises(
        ProgrammingError,
        match=re.escape('venues exists as both "public"."venues" and "public"."adm.venues"'),
    ):
        move_to_adm(connection)


@pytest.mark.django_db
def test_reverse_refuses_when_a_table_exists_in_adm_and_in_public() -> None:
    # given a migrated database with a stray public.instructors
    with connection.cursor() as cursor:
        cursor.execute('CREATE TABLE public.instructors (LIKE "adm"."instructors")')

    # when / then
    with pytest.raises(
        ProgrammingError,
        match=re.escape(
            'instructors exists as both "adm"."instructors" and "public"."instructors"'
        ),
    ):
        move_to_public(connection)
    assert places() == everywhere("adm") | {
        "instructors": {("adm", "instructors"), ("public", "instructors")}
    }


@pytest.mark.django_db
def test_move_refuses_when_a_table_is_nowhere() -> None:
    # given a database whose custom_fields table has gone
    with connection.cursor() as cursor:
        cursor.execute('DROP TABLE "adm"."custom_fields"')

    # when / then
    with pytest.raises(ProgrammingError, match="administrate table custom_fields not found"):
        move_to_adm(connection)


def test_move_covers_exactly_the_administrate_tables() -> None:
    # given the administrate models
    tables = {
        model._meta.db_table
        for model in adm_models.Location._meta.apps.get_app_config("administrate").get_models()
    }

    # then the move's fixed table list names each of them, in adm
    assert tables == {f'"adm"."{table}"' for table in TABLES}
