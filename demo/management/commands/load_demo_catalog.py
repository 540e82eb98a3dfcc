"""``manage.py load_demo_catalog``: the demo catalog, idempotently, optionally scaled up."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.csv_events import CsvFileError
from demo.loader import DEFAULT_CSV, DEFAULT_SEED, load_demo_catalog
from demo.report import row_lines, summary_lines


def non_negative(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return number


class Command(BaseCommand):
    help = (
        "Load the demo catalog (subjects, sittings, groups, materials, the 25S tutorial "
        "events and their sessions). Safe to re-run: nothing is duplicated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--csv",
            type=Path,
            default=DEFAULT_CSV,
            help=f"Tutorial-event export to load (default: {DEFAULT_CSV}).",
        )
        parser.add_argument(
            "--scale",
            type=non_negative,
            default=0,
            metavar="N",
            help="Also build a synthetic catalog of about N store products (default: none).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Seed for the synthetic catalog's random choices (default: {DEFAULT_SEED}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["csv"]
        verbosity: int = options["verbosity"]
        if not path.is_file():
            raise CommandError(
                f"CSV file not found: {path}. Hint: pass --csv with the tutorial-event export."
            )
        try:
            report = load_demo_catalog(
                path,
                scale=options["scale"],
                seed=options["seed"],
                show_progress=verbosity > 0,
            )
        except CsvFileError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity == 0:
            return
        rejected, fixed = row_lines(report)
        for line in rejected:
            self.stdout.write(self.style.ERROR(line))
        for line in fixed:
            self.stdout.write(self.style.WARNING(line))
        for line in summary_lines(report):
            self.stdout.write(self.style.SUCCESS(line))
