"""What a failed ``search_index`` command tells its operator: what happened, and what to do.

Only a failure to reach a service says "not reachable": an integrity error or an
unmigrated table is reported as what it is, since "start the database" would send the
operator the wrong way. Never a traceback: every expected failure becomes a
``CommandError``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.core.management.base import CommandError
from django.db import Error as DjangoDatabaseError
from django.db import InterfaceError
from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from opensearchpy.exceptions import OpenSearchException

from search_index.lifecycle import IndexLifecycleError
from search_index.rebuild import RebuildError
from search_index.writing import IndexingFailed

# SQLSTATEs of a server that cannot take the connection: class 08 (connection exception),
# the server shutting down or starting up (57P01-57P03), no connection slot left (53300).
SERVER_UNAVAILABLE_STATES = frozenset({"57P01", "57P02", "57P03", "53300"})
# An undefined table or column: the code expects a migration the database has not had.
UNMIGRATED_STATES = frozenset({"42P01", "42703"})

DATABASE_HINT = "Hint: start it with `make services` or set DATABASE_URL."
OPENSEARCH_HINT = "Hint: start it with `make services` or set OPENSEARCH_URL."


@contextmanager
def reported_as_command_errors() -> Iterator[None]:
    """Turn the failures a command expects into a ``CommandError`` that says what happened."""
    try:
        yield
    except OpenSearchConnectionError as exc:  # ConnectionTimeout is one too
        raise CommandError(f"OpenSearch is not reachable: {exc}. {OPENSEARCH_HINT}") from exc
    except (RebuildError, IndexLifecycleError, IndexingFailed) as exc:
        raise CommandError(str(exc)) from exc
    except (DjangoDatabaseError, psycopg.Error) as exc:
        raise CommandError(describe_database_error(exc)) from exc
    except OpenSearchException as exc:
        raise CommandError(f"OpenSearch refused the request: {exc}") from exc


def describe_database_error(exc: Exception) -> str:
    """One message for a database error: unreachable, unmigrated, or its class and message."""
    driver_error = _driver_error(exc)
    message = str(exc).strip()
    if is_connection_failure(exc):
        return f"The database is not reachable: {message}. {DATABASE_HINT}"
    if getattr(driver_error, "sqlstate", None) in UNMIGRATED_STATES:
        return (
            f"The database schema is not migrated: run manage.py migrate ({_first_line(message)})."
        )
    kind = type(exc).__name__
    if driver_error is not exc:
        kind = f"{kind} ({type(driver_error).__name__})"
    return f"The database refused the request: {kind}: {message}"


def is_connection_failure(exc: Exception) -> bool:
    """True when the database could not be reached, not when it answered with an error."""
    if isinstance(exc, InterfaceError):  # Django's "connection already closed"
        return True
    driver_error = _driver_error(exc)
    if not isinstance(driver_error, psycopg.OperationalError):
        return False
    sqlstate = driver_error.sqlstate
    # No SQLSTATE: the client failed before any server answered (refused, timed out, lost).
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in SERVER_UNAVAILABLE_STATES


def _driver_error(exc: Exception) -> BaseException:
    """The psycopg error behind Django's wrapper (Django re-raises it ``from`` the original)."""
    cause = exc.__cause__
    return cause if isinstance(cause, psycopg.Error) else exc


def _first_line(message: str) -> str:
    return message.splitlines()[0] if message else message
