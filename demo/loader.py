"""Load the demo catalog: reference data, the CSV's tutorial events, optional synthetic rows."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.apps import apps
from django.db import connection
from django.db.models import Model

from catalog.models import (
    ExamSession,
    ExamSessionSubject,
    Price,
    Product,
    ProductGroup,
    ProductProductVariation,
    ProductVariation,
    StoreProduct,
    Subject,
)
from demo.csv_events import ParsedEvents, read_events
from demo.events import EventCounts, load_events
from demo.reference import SUBJECTS, ReferenceData, load_reference
from demo.synthetic import SyntheticCounts, build_synthetic
from tutorials.models import TutorialEvent, TutorialSession

DEFAULT_CSV = Path(__file__).resolve().parent / "data" / "tutorial_events_25S.csv"
DEFAULT_SEED = 25

TOTALS: tuple[tuple[str, type[Model]], ...] = (
    ("subjects", Subject),
    ("exam sessions", ExamSession),
    ("exam session subjects", ExamSessionSubject),
    ("product groups", ProductGroup),
    ("products", Product),
    ("product variations", ProductVariation),
    ("product variation pairs", ProductProductVariation),
    ("store products", StoreProduct),
    ("prices", Price),
    ("tutorial events", TutorialEvent),
    ("tutorial sessions", TutorialSession),
)


@dataclass
class DemoReport:
    csv_path: Path
    parsed: ParsedEvents
    reference: ReferenceData
    events: EventCounts
    synthetic: SyntheticCounts | None
    totals: dict[str, int]
    seconds: float


def offered_subject_codes() -> set[str]:
    return {code for code, _, offered in SUBJECTS if offered}


def load_demo_catalog(
    csv_path: Path | str = DEFAULT_CSV,
    *,
    scale: int = 0,
    seed: int = DEFAULT_SEED,
    show_progress: bool = True,
    stream: TextIO | None = None,
) -> DemoReport:
    """Load everything; ``CsvFileError`` (before any write) when the CSV is unusable."""
    started = time.perf_counter()
    csv_path = Path(csv_path)
    parsed = read_events(csv_path, offered_subject_codes())
    reference = load_reference()
    events = load_events(parsed.rows, reference)
    synthetic = (
        build_synthetic(scale, seed, reference, show_progress=show_progress, stream=stream)
        if scale > 0
        else None
    )
    refresh_planner_statistics()
    return DemoReport(
        csv_path=csv_path,
        parsed=parsed,
        reference=reference,
        events=events,
        synthetic=synthetic,
        totals=table_counts(),
        seconds=time.perf_counter() - started,
    )


def refresh_planner_statistics() -> None:
    """VACUUM and ANALYZE after the load, so that what runs next is not slowed by it.

    Until autovacuum gets round to it, PostgreSQL plans for the tables' old sizes, the
    first reader of each new row pays to set its hint bits, and autovacuum later competes
    with whatever runs then: a rebuild started right after a 100k import paid all three.
    The whole database, because the load also filled tables other apps own (the search
    index's change log, say). VACUUM cannot run inside a transaction (a test's); the
    loaded apps' tables are then ANALYZEd alone.
    """
    with connection.cursor() as cursor:
        if not connection.in_atomic_block:
            cursor.execute("VACUUM (ANALYZE)")
            return
        tables = {
            model._meta.db_table
            for label in ("catalog", "tutorials")
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if model._meta.managed
        }
        cursor.execute("ANALYZE " + ", ".join(sorted(map(connection.ops.quote_name, tables))))


def table_counts() -> dict[str, int]:
    return {label: model._default_manager.count() for label, model in TOTALS}
