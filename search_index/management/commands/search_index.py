"""``manage.py search_index rebuild|status|sync|check|create|delete``: the store-product index."""

from __future__ import annotations

from argparse import ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from search_index import drift, lifecycle
from search_index.building import indexable_store_products
from search_index.client import get_client
from search_index.command_errors import reported_as_command_errors
from search_index.rebuild import RebuildOptions, rebuild
from search_index.replay import replay_changes
from search_index.sync import IndexingFailed, pending_summary, sync_pending
from search_index.worker import Worker, run_until_signalled


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ArgumentTypeError(f"must be a positive integer, got {value}")
    return number


class Command(BaseCommand):
    help = "Manage the store-product search index behind its alias."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("rebuild", help="Build a new index and swap the alias to it.")
        build.add_argument(
            "--chunk-size", type=positive_int, help="Rows read from the database per keyset chunk."
        )
        build.add_argument("--workers", type=positive_int, help="Parallel bulk-indexing threads.")
        build.add_argument(
            "--keep", type=positive_int, help="Versioned indices to keep, the live one included."
        )
        build.add_argument(
            "--dry-run", action="store_true", help="Count what would be indexed; change nothing."
        )
        build.add_argument(
            "--quiet", action="store_true", help="No progress bar (for CI and logs)."
        )
        sub.add_parser("status", help="Show the live index, counts and leftover versions.")
        sync = sub.add_parser("sync", help="Apply pending changes to the index, then exit.")
        sync.add_argument(
            "--follow",
            action="store_true",
            help="Keep running: apply changes as they commit (stop with SIGTERM or Ctrl-C).",
        )
        check = sub.add_parser(
            "check", help="Compare database and index; exit status 1 when they differ."
        )
        check.add_argument(
            "--repair", action="store_true", help="Rewrite the missing, stale and extra documents."
        )
        sub.add_parser("create", help="Create an empty versioned index and point the alias at it.")
        delete = sub.add_parser("delete", help="Delete the alias and every versioned index.")
        delete.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        for subparser in sub.choices.values():
            subparser.add_argument("--verbosity", "-v", type=int, default=1, choices=[0, 1, 2, 3])

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"handle_{options['action']}")
        with reported_as_command_errors():
            handler(get_client(), options)

    def handle_rebuild(self, client: Any, options: dict[str, Any]) -> None:
        given = {key: options[key] for key in ("chunk_size", "workers", "keep") if options[key]}
        rebuild_options = RebuildOptions(dry_run=options["dry_run"], **given)
        quiet = options["quiet"] or options["verbosity"] == 0
        bars: list[tqdm] = []

        def progress(total: int) -> Any:
            bar = tqdm(total=total, unit="doc", disable=quiet, desc="indexing", smoothing=0.1)
            bars.append(bar)
            return bar.update

        try:
            result = rebuild(
                rebuild_options, client=client, progress=progress, after_swap=replay_changes
            )
        except KeyboardInterrupt as exc:
            raise CommandError(
                "Interrupted: the new index was discarded and the alias was not moved."
            ) from exc
        finally:
            for bar in bars:
                bar.close()
        if rebuild_options.dry_run:
            self.stdout.write(
                f"Dry run: {result.expected} store products would be indexed into {result.index}."
            )
            return
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Indexed {result.indexed} documents into {result.index}; alias now points "
                    f"at it (was {result.previous_index or 'nothing'})."
                )
            )
            if result.replayed:
                self.stdout.write(f"Replayed {result.replayed} changes made during the rebuild.")
            if result.deleted:
                self.stdout.write(f"Deleted old versions: {', '.join(result.deleted)}")

    def handle_status(self, client: Any, options: dict[str, Any]) -> None:
        # The database first: the backlog must be visible while OpenSearch is down.
        self.stdout.write(f"pending changes: {describe_pending()}")
        status = lifecycle.index_status(client)
        database = indexable_store_products().count()
        lines = [
            f"alias:           {status.alias}",
            f"live index:      {status.live_index or '(none — run rebuild)'}",
            f"documents:       {status.documents if status.documents is not None else '-'}"
            f" (database: {database} indexable store products)",
            f"mapping version: {status.mapping_version} (code: {status.current_mapping_version})",
            f"last rebuild:    {status.rebuild_started_at or '-'}",
            f"other versions:  {', '.join(status.other_versions) or 'none'}",
        ]
        self.stdout.write("\n".join(lines))
        if status.live_index and status.documents != database:
            self.stdout.write(self.style.WARNING("Index and database counts differ."))

    def handle_sync(self, client: Any, options: dict[str, Any]) -> None:
        if options["follow"]:
            self.follow(client, options["verbosity"])
            return
        try:
            applied = sync_pending(client)
        except IndexingFailed as exc:
            raise CommandError(
                f"{exc}. Pending changes: {describe_pending()}; they stay pending. "
                f"Hint: check that OpenSearch is up, then run sync again."
            ) from exc
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Applied {applied} pending changes."))

    def follow(self, client: Any, verbosity: int) -> None:
        def on_batch(batch: Any) -> None:
            if verbosity >= 2:
                self.stdout.write(
                    f"applied {batch.changes} changes ({batch.store_products} store products)"
                )
                self.stdout.flush()

        def on_failure(exc: Exception, wait: float) -> None:
            self.stderr.write(f"{exc}; pending: {describe_pending()}; retrying in {wait:.0f} s")

        if verbosity:
            self.stdout.write(f"Following changes (pending: {describe_pending()}).")
            self.stdout.flush()
        worker = Worker(client, on_batch=on_batch, on_failure=on_failure)
        stats = run_until_signalled(worker)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Stopped: applied {stats.changes} changes ({stats.store_products} store "
                    f"products) in {stats.batches} batches."
                )
            )

    def handle_check(self, client: Any, options: dict[str, Any]) -> None:
        found = drift.find_drift(client)
        self.stdout.write(
            f"checked {found.checked} store products: {len(found.missing)} missing, "
            f"{len(found.stale)} stale, {len(found.extra)} extra documents"
        )
        if options["verbosity"] >= 2:
            for label in ("missing", "stale", "extra"):
                ids = getattr(found, label)
                if ids:
                    self.stdout.write(f"{label}: {', '.join(map(str, ids[:50]))}")
        if not found.found:
            self.stdout.write(self.style.SUCCESS("Index and database agree."))
            return
        if options["repair"]:
            repaired = drift.repair(found, client)
            self.stdout.write(self.style.SUCCESS(f"Repaired {repaired} documents."))
        raise CommandError(
            f"{found.found} documents differed from the database"
            + (" (now repaired)." if options["repair"] else ". Hint: run check --repair.")
        )

    def handle_create(self, client: Any, options: dict[str, Any]) -> None:
        from datetime import UTC, datetime

        if lifecycle.live_index(client):
            raise CommandError("The alias already points at an index. Hint: use rebuild.")
        started = datetime.now(UTC)
        name = lifecycle.new_index_name(started)
        lifecycle.create_index(client, name, rebuild_started_at=started)
        lifecycle.finish_loading(client, name)
        lifecycle.swap_alias(client, name)
        self.stdout.write(self.style.SUCCESS(f"Created {name} behind {lifecycle.alias_name()}."))

    def handle_delete(self, client: Any, options: dict[str, Any]) -> None:
        names = lifecycle.versioned_indices(client)
        if options["interactive"]:
            answer = input(f"Delete {len(names)} indices behind {lifecycle.alias_name()}? [y/N] ")
            if answer.lower() != "y":
                self.stdout.write("Nothing deleted.")
                return
        for name in names:
            client.indices.delete(index=name, ignore_unavailable=True)
        self.stdout.write(self.style.SUCCESS(f"Deleted {len(names)} indices."))


def describe_pending() -> str:
    summary = pending_summary()
    if not summary.count:
        return "0"
    age = timezone.now() - summary.oldest
    return f"{summary.count} (oldest {naturaltime_age(age.total_seconds())} old)"


def naturaltime_age(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit}"
    return f"{seconds:.0f} s"
