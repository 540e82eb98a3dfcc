"""``manage.py verify_schemas`` and ``config.schemas`` behind it: a check over every app.

Tests that misplace a table do it inside the test's transaction: PostgreSQL DDL is
transactional, so the rollback at the end of the test puts the table back.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from config.schemas import (
    QualifiedTable,
    Status,
    check_table,
    declared_location,
    inspect_schemas,
)


def run_verify_schemas(*args: str, **options: object) -> str:
    out = StringIO()
    call_command("verify_schemas", *args, stdout=out, no_color=True, **options)
    return out.getvalue()


def execute(*statements: str) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# --- after migrate, everything is in place ------------------------------------------------


@pytest.mark.django_db
def test_every_model_table_is_in_its_intended_schema() -> None:
    # given the test database, migrated from scratch
    # when inspecting every model of every installed app
    checks = {check.model: check for check in inspect_schemas()}

    # then every concrete model is covered, each found exactly where it belongs
    concrete = {
        model._meta.label
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy
    }
    assert set(checks) == concrete
    assert [check for check in checks.values() if not check.ok] == []
    assert all(check.found == (check.expected,) for check in checks.values())

    # and the schema follows the app
    schema_by_app = {}
    for label, check in checks.items():
        schema_by_app.setdefault(label.split(".")[0], set()).add(check.expected.schema)
    assert schema_by_app.pop("catalog") == {"acted"}
    assert schema_by_app.pop("tutorials") == {"acted"}
    assert schema_by_app.pop("administrate") == {"adm"}
    assert set(schema_by_app) >= {"auth", "contenttypes", "sessions", "admin"}
    assert set().union(*schema_by_app.values()) == {"public"}
    assert checks["administrate.Location"].found == (QualifiedTable("adm", "locations"),)
    assert checks["auth.User_groups"].found == (QualifiedTable("public", "auth_user_groups"),)


@pytest.mark.django_db
def test_verify_schemas_succeeds_and_lists_each_table_where_it_is() -> None:
    # when
    output = run_verify_schemas()

    # then
    lines = output.splitlines()
    assert any(line.startswith("OK") and "adm.locations" in line for line in lines)
    assert any(line.startswith("OK") and "acted.tutorial_sessions" in line for line in lines)
    assert any(line.startswith("OK") and "public.django_session" in line for line in lines)
    assert lines[-1] == f"All {len(inspect_schemas())} tables are in place."


@pytest.mark.django_db
def test_verify_schemas_is_silent_at_verbosity_zero_and_filters_by_app() -> None:
    # when / then
    assert run_verify_schemas(verbosity=0) == ""
    output = run_verify_schemas("administrate")
    assert len(output.splitlines()) == 7 + 1
    assert "acted." not in output


@pytest.mark.django_db
def test_verify_schemas_rejects_an_unknown_app() -> None:
    with pytest.raises(CommandError, match="No installed app with label 'nope'"):
        run_verify_schemas("nope")


# --- misplaced, legacy, duplicated, missing -----------------------------------------------


@pytest.mark.django_db
def test_verify_schemas_fails_when_a_table_is_back_in_public() -> None:
    # given venues moved back to public
    execute('ALTER TABLE "adm"."venues" SET SCHEMA public')

    # when / then
    out = StringIO()
    with pytest.raises(CommandError, match=r"1 of \d+ tables.*administrate\.Venue \(misplaced\)"):
        call_command("verify_schemas", stdout=out, no_color=True)
    [line] = [line for line in out.getvalue().splitlines() if "administrate.Venue" in line]
    assert line.startswith("MISPLACED  public.venues")
    assert "expected adm.venues" in line


@pytest.mark.django_db
def test_a_legacy_literal_name_in_public_is_misplaced() -> None:
    # given locations as an old deployment had it: public."adm.locations"
    execute(
        'ALTER TABLE "adm"."locations" SET SCHEMA public',
        'ALTER TABLE public.locations RENAME TO "adm.locations"',
    )

    # when
    [check] = [c for c in inspect_schemas(["administrate"]) if c.model == "administrate.Location"]

    # then
    assert check.status is Status.MISPLACED
    assert check.found == (QualifiedTable("public", "adm.locations"),)
    assert 'public."adm.locations"' in check.detail


@pytest.mark.django_db
def test_a_second_copy_in_public_is_flagged() -> None:
    # given a stray public.instructors next to adm.instructors
    execute('CREATE TABLE public.instructors (LIKE "adm"."instructors")')

    # when
    [check] = [c for c in inspect_schemas(["administrate"]) if c.model == "administrate.Instructor"]

    # then
    assert check.status is Status.MISPLACED
    assert "a second copy exists at public.instructors" in check.detail


@pytest.mark.django_db
def test_verify_schemas_fails_when_a_table_is_missing() -> None:
    # given no custom_fields table anywhere
    execute('DROP TABLE "adm"."custom_fields"')

    # when / then
    out = StringIO()
    with pytest.raises(CommandError, match=r"administrate\.CustomField \(missing\)"):
        call_command("verify_schemas", stdout=out, no_color=True)
    assert "MISSING" in out.getvalue()


# --- reading db_table, without a database -------------------------------------------------


@pytest.mark.parametrize(
    ("db_table", "expected"),
    [
        ('"adm"."locations"', QualifiedTable("adm", "locations")),
        ("auth_user", QualifiedTable("public", "auth_user")),
        # the pitfall: a bare dotted name is one table literally named so, in public
        ("adm.locations", QualifiedTable("public", "adm.locations")),
        # how Django names an auto-created m2m table of a '"acted"."products"' model
        ('acted"."products_groups', QualifiedTable("acted", "products_groups")),
    ],
)
def test_declared_location_reads_db_table_as_postgresql_does(
    db_table: str, expected: QualifiedTable
) -> None:
    assert declared_location(db_table) == expected


def test_an_unquoted_schema_prefix_in_db_table_is_misplaced_even_if_it_exists() -> None:
    # given a model declared with the pitfall db_table, whose table therefore exists
    existing = {QualifiedTable("public", "acted.subjects")}

    # when
    check = check_table("catalog.Subject", "acted.subjects", "acted", existing)

    # then
    assert check.status is Status.MISPLACED
    assert check.expected == QualifiedTable("acted", "subjects")
    assert check.found == (QualifiedTable("public", "acted.subjects"),)
    assert "db_table 'acted.subjects' names public.\"acted.subjects\"" in check.detail


def test_a_table_declared_in_the_wrong_schema_is_misplaced() -> None:
    # given a catalog model declared in adm, whose table is there
    existing = {QualifiedTable("adm", "subjects")}

    # when
    check = check_table("catalog.Subject", '"adm"."subjects"', "acted", existing)

    # then
    assert check.status is Status.MISPLACED
    assert check.detail.startswith('db_table \'"adm"."subjects"\' names adm.subjects')


def test_a_table_in_place_is_ok() -> None:
    check = check_table(
        "administrate.Venue", '"adm"."venues"', "adm", {QualifiedTable("adm", "venues")}
    )
    assert check.ok
    assert check.detail == ""
