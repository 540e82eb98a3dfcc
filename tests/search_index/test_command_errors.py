"""``manage.py search_index`` says what went wrong: unreachable only when it is unreachable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from opensearchpy import OpenSearch

from search_index.command_errors import reported_as_command_errors
from tests.network import closed_port, silent_server

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_an_unmigrated_table_says_run_migrate() -> None:
    # Given a database where the outbox table is missing (renamed inside a savepoint,
    # so the rename is undone when the command's error leaves it)
    with pytest.raises(CommandError) as raised, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE search_index_changes RENAME TO search_index_changes_gone")

        # When the status command reads the pending changes
        call_command("search_index", "status")

    # Then it says the schema is behind, naming the table, and not that it is unreachable
    message = str(raised.value)
    assert message.startswith("The database schema is not migrated: run manage.py migrate")
    assert '"search_index_changes" does not exist' in message
    assert "not reachable" not in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("statements", "named"),
    [
        (
            [
                "CREATE TEMPORARY TABLE twice (id int PRIMARY KEY)",
                "INSERT INTO twice VALUES (1), (1)",
            ],
            "IntegrityError (UniqueViolation): duplicate key value",
        ),
        (["SELECT 1 / 0"], "DataError (DivisionByZero): division by zero"),
        (["SELEC 1"], "ProgrammingError (SyntaxError): syntax error"),
        # An OperationalError the server answered with: not a connection failure
        (
            ["SET LOCAL statement_timeout = 1", "SELECT pg_sleep(0.2)"],
            "OperationalError (QueryCanceled): canceling statement due to statement timeout",
        ),
    ],
)
def test_other_database_errors_say_what_they_are(statements: list[str], named: str) -> None:
    # When a real database error happens inside a command
    with (
        pytest.raises(CommandError) as raised,
        reported_as_command_errors(),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        for statement in statements:
            cursor.execute(statement)

    # Then the message names the error and the database's own words
    assert str(raised.value).startswith(f"The database refused the request: {named}")
    assert "not reachable" not in str(raised.value)


def test_an_unreachable_database_is_a_one_line_error_from_the_real_command() -> None:
    # Given the command pointed at a database port nothing listens on
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/catalog"}

    # When it runs as an operator runs it
    finished = subprocess.run(
        [sys.executable, "manage.py", "search_index", "status"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    # Then it fails with the hint, and without a traceback
    assert finished.returncode == 1
    assert "CommandError: The database is not reachable" in finished.stderr
    assert "make services" in finished.stderr
    assert "Traceback" not in finished.stderr


@pytest.mark.django_db
@pytest.mark.usefixtures("opensearch_index")
def test_an_opensearch_that_never_answers_is_unreachable(monkeypatch) -> None:
    # Given OpenSearch at an address that accepts connections and never answers
    with silent_server() as port:
        silent = OpenSearch([f"http://127.0.0.1:{port}"], max_retries=0, timeout=0.5)
        monkeypatch.setattr(
            "search_index.management.commands.search_index.get_client", lambda: silent
        )

        # When the status command asks it for the live index
        with pytest.raises(CommandError) as raised:
            call_command("search_index", "status")

    # Then it is the timeout, reported as unreachable with the hint
    assert str(raised.value).startswith("OpenSearch is not reachable: ConnectionTimeout")
    assert "OPENSEARCH_URL" in str(raised.value)
