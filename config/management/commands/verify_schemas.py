from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from config.schemas import SCHEMA_BY_APP, TableCheck, inspect_schemas


class Command(BaseCommand):
    help = (
        "Check that every model's table is in its intended PostgreSQL schema "
        f"({', '.join(f'{app}: {schema}' for app, schema in SCHEMA_BY_APP.items())}, "
        "others: public). Exits non-zero when a table is misplaced or missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "app_labels",
            nargs="*",
            metavar="app_label",
            help="Only check these apps (default: every installed app).",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            choices=tuple(connections),
            help='The database to inspect (default: "default").',
        )

    def handle(
        self, *args: str, app_labels: list[str], database: str, verbosity: int, **options: object
    ) -> None:
        try:
            checks = inspect_schemas(app_labels, using=database)
        except LookupError as exc:
            raise CommandError(f"{exc} Hint: pass installed app labels only.") from exc
        except DatabaseError as exc:
            raise CommandError(
                f"Could not read the catalog of database {database!r}: {exc}"
            ) from exc

        if verbosity >= 1:
            for check in checks:
                self.stdout.write(self._line(check))

        problems = [check for check in checks if not check.ok]
        if problems:
            summary = ", ".join(f"{check.model} ({check.status})" for check in problems)
            raise CommandError(
                f"{len(problems)} of {len(checks)} tables are not where they belong: {summary}. "
                "Hint: run `manage.py migrate`; administrate tables left in public are moved "
                "by administrate 0002_move_to_adm_schema."
            )
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"All {len(checks)} tables are in place."))

    def _line(self, check: TableCheck) -> str:
        where = ", ".join(map(str, check.found)) or "-"
        line = f"{check.status.upper():<9}  {where:<50}  {check.model}"
        if check.ok:
            return line
        return self.style.ERROR(f"{line}  ({check.detail})")
