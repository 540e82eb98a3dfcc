"""``manage.py run_admin_rebuild RUN_ID``: the process a rebuild started from the admin runs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search_index.admin_status.models import RebuildRun
from search_index.admin_status.rebuild_jobs import run_rebuild


class Command(BaseCommand):
    help = "Run the rebuild recorded as RUN_ID (started from the admin's index status page)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("run_id", type=int, help="The RebuildRun to carry out.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not RebuildRun.objects.filter(pk=options["run_id"]).exists():
            raise CommandError(f"No rebuild run {options['run_id']}.")
        run = run_rebuild(options["run_id"])
        self.stdout.write(f"{run.get_state_display()}: {run.message}")
