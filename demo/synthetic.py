"""A synthetic catalog of about N store products, for load and search-relevance tests.

Shaped like the demo: every exam session subject sells the nine material and marking
store products and one or two tutorials (so tutorials are about 15% of store products,
as in the demo's 110 of 704), each tutorial with 3-6 events of 2-6 sessions. Subjects
``SYN0001``... and sittings from 2026-09 on are added as N requires; face-to-face
tutorials run in towns the CSV does not use.

Deterministic: codes depend only on the position in the sequence, and every random
choice comes from a generator seeded with (seed, position), so a run for 200 builds
exactly the first 200 store products of a run for 20,000, and re-running skips the
store products that exist (with their prices, events and sessions).

Memory stays flat: the catalog is planned and written one chunk of exam session
subjects at a time, each chunk in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TextIO

from django.db import transaction
from tqdm import tqdm

from catalog.models import (
    ExamSession,
    ExamSessionSubject,
    Price,
    PriceType,
    Product,
    ProductProductVariation,
    StoreProduct,
    Subject,
)
from demo.bulk import BATCH_SIZE, upsert
from demo.formats import TutorialFamily, TutorialFormat
from demo.locations import location_spec
from demo.reference import (
    FAMILY_GROUP_CODE,
    ReferenceData,
    add_to_groups,
    ensure_pairs,
    location_product,
    material_prices,
    new_store_product,
    tutorial_price,
    tutorial_variation,
    upsert_products,
    upsert_variations,
)
from demo.sessions import LONDON, SessionPlan, plan_sessions, session_from_plan
from tutorials.models import TutorialEvent, TutorialSession

SUBJECT_PREFIX = "SYN"

SESSIONS: tuple[tuple[str, dt.date, dt.date], ...] = (
    ("2026-09", dt.date(2026, 9, 7), dt.date(2026, 9, 25)),
    ("2027-04", dt.date(2027, 4, 12), dt.date(2027, 4, 30)),
    ("2027-09", dt.date(2027, 9, 6), dt.date(2027, 9, 24)),
    ("2028-04", dt.date(2028, 4, 10), dt.date(2028, 4, 28)),
    ("2028-09", dt.date(2028, 9, 4), dt.date(2028, 9, 22)),
    ("2029-04", dt.date(2029, 4, 9), dt.date(2029, 4, 27)),
)

TOWNS = (
    "Cardiff",
    "Belfast",
    "Glasgow",
    "Newcastle",
    "Nottingham",
    "Sheffield",
    "Southampton",
    "Cambridge",
    "Oxford",
    "Reading",
    "Liverpool",
    "Aberdeen",
    "Norwich",
    "Exeter",
    "Brighton",
    "York",
    "Cork",
    "Galway",
    "Leicester",
    "Coventry",
)
LIVE_ONLINE = "Tutorial - Live Online"

AREAS = (
    "Applied",
    "Advanced",
    "Stochastic",
    "Financial",
    "Corporate",
    "Quantitative",
    "Behavioural",
    "Computational",
    "Strategic",
    "Regulatory",
    "Global",
    "Sustainable",
)
TOPICS = (
    "Risk Modelling",
    "Survival Analysis",
    "Investment",
    "Pensions",
    "Reserving",
    "Pricing",
    "Capital Management",
    "Economics",
    "Statistics",
    "Life Contingencies",
    "Credit Risk",
    "Climate Risk",
)

# Exam session subjects planned and written per transaction. Each yields about ten
# store products, so a chunk is about 2,000 store products, 1,500 events and 6,000
# sessions: a few MB of model instances whatever N is, and few enough round trips
# (one INSERT per BATCH_SIZE rows) that 20,000 store products take seconds.
ESSPS_PER_CHUNK = 200

TUTORIALS_PER_ESSP = (1, 2)
# Two tutorials in two of three exam session subjects: 1.67 per nine materials, the
# demo's 15%.
TUTORIALS_PER_ESSP_WEIGHTS = (1, 2)
FORMAT_DAYS = (2, 6)
EVENTS_PER_TUTORIAL = (3, 6)
DAY_TIMES = {
    TutorialFamily.FACE_TO_FACE: (dt.time(9, 30), dt.time(17, 0)),
    TutorialFamily.LIVE_ONLINE: (dt.time(9, 0), dt.time(12, 30)),
}
MAX_SPACES = 14


@dataclass(frozen=True)
class TutorialPlan:
    tutorial_format: TutorialFormat
    location_code: str
    index: int


@dataclass
class EssPlan:
    """One exam session subject and the store products to sell in it, in order."""

    position: int
    subject_code: str
    subject_description: str
    session_code: str
    materials: int
    tutorials: list[TutorialPlan]

    @property
    def size(self) -> int:
        return self.materials + len(self.tutorials)

    def truncate(self, size: int) -> None:
        self.tutorials = self.tutorials[: max(0, size - self.materials)]
        self.materials = min(self.materials, size)


@dataclass
class SyntheticCounts:
    requested: int
    created: int = 0
    existing: int = 0
    tutorial_store_products: int = 0
    events: int = 0
    sessions: int = 0
    prices: int = 0
    subjects: set[str] = field(default_factory=set)


def build_synthetic(
    scale: int,
    seed: int,
    reference: ReferenceData,
    *,
    show_progress: bool = True,
    stream: TextIO | None = None,
) -> SyntheticCounts:
    """Add about ``scale`` synthetic store products (exactly ``scale`` unless some exist)."""
    counts = SyntheticCounts(requested=scale)
    if scale <= 0:
        return counts
    catalog = _SyntheticCatalog.prepare(reference)
    with tqdm(
        total=scale,
        unit="store product",
        disable=not show_progress,
        file=stream,
        desc="synthetic catalog",
    ) as progress:
        for chunk in _chunks(_plans(scale, seed, len(reference.material_pairs))):
            created, existing = catalog.write_chunk(chunk, seed, counts)
            counts.created += created
            counts.existing += existing
            progress.update(created + existing)
    return counts


def _plans(scale: int, seed: int, materials: int) -> Iterator[EssPlan]:
    remaining = scale
    position = 0
    while remaining > 0:
        plan = plan_essp(position, seed, materials)
        plan.truncate(remaining)
        remaining -= plan.size
        position += 1
        yield plan


def _chunks(plans: Iterator[EssPlan]) -> Iterator[list[EssPlan]]:
    chunk: list[EssPlan] = []
    for plan in plans:
        chunk.append(plan)
        if len(chunk) == ESSPS_PER_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def subject_code(subject_index: int) -> str:
    return f"{SUBJECT_PREFIX}{subject_index + 1:04d}"


def plan_essp(position: int, seed: int, materials: int) -> EssPlan:
    """The ``position``-th synthetic exam session subject: subject-major, sitting-minor."""
    subject_index, session_index = divmod(position, len(SESSIONS))
    code = subject_code(subject_index)
    subject_rng = random.Random(f"{seed}:subject:{subject_index}")
    formats = [
        TutorialFormat.dated(code, family, subject_rng.randint(*FORMAT_DAYS))
        for family in (TutorialFamily.FACE_TO_FACE, TutorialFamily.LIVE_ONLINE)
    ]
    town = subject_rng.choice(TOWNS)
    rng = random.Random(f"{seed}:essp:{position}")
    count = rng.choices(TUTORIALS_PER_ESSP, weights=TUTORIALS_PER_ESSP_WEIGHTS)[0]
    chosen = sorted(rng.sample(range(len(formats)), count))
    locations = [location_spec(f"Tutorial - {town}").code, location_spec(LIVE_ONLINE).code]
    return EssPlan(
        position=position,
        subject_code=code,
        subject_description=(
            f"{AREAS[subject_index % len(AREAS)]} "
            f"{TOPICS[subject_index // len(AREAS) % len(TOPICS)]}"
        ),
        session_code=SESSIONS[session_index][0],
        materials=materials,
        tutorials=[TutorialPlan(formats[i], locations[i], i + 1) for i in chosen],
    )


class _SyntheticCatalog:
    """The rows every chunk hangs from, written once: sittings and location products."""

    def __init__(
        self,
        reference: ReferenceData,
        sessions: dict[str, ExamSession],
        locations: dict[str, Product],
    ) -> None:
        self.reference = reference
        self.sessions = sessions
        self.locations = locations

    @classmethod
    def prepare(cls, reference: ReferenceData) -> _SyntheticCatalog:
        with transaction.atomic():
            sessions = upsert(
                ExamSession,
                [ExamSession(session_code=c, start_date=s, end_date=e) for c, s, e in SESSIONS],
                unique_fields=["session_code"],
                update_fields=["start_date", "end_date"],
            )
            families = {
                location_spec(f"Tutorial - {town}"): TutorialFamily.FACE_TO_FACE for town in TOWNS
            }
            families[location_spec(LIVE_ONLINE)] = TutorialFamily.LIVE_ONLINE
            products = upsert_products([location_product(spec) for spec in families])
            add_to_groups(
                (product, reference.groups[FAMILY_GROUP_CODE[family]])
                for product, family in zip(products, families.values(), strict=True)
            )
        return cls(
            reference,
            {session.session_code: session for session in sessions},
            {product.code: product for product in products},
        )

    def write_chunk(
        self, chunk: list[EssPlan], seed: int, counts: SyntheticCounts
    ) -> tuple[int, int]:
        """Write one chunk's missing store products and their rows: (created, existing)."""
        with transaction.atomic():
            essps = self._essps(chunk)
            pairs = self._tutorial_pairs(chunk)
            planned: list[tuple[EssPlan, TutorialPlan | None, StoreProduct]] = []
            for plan in chunk:
                essp = essps[(plan.session_code, plan.subject_code)]
                for pair in self.reference.material_pairs[: plan.materials]:
                    planned.append((plan, None, new_store_product(essp, pair)))
                for tutorial in plan.tutorials:
                    pair = pairs[(tutorial.location_code, tutorial.tutorial_format.code)]
                    planned.append((plan, tutorial, new_store_product(essp, pair)))
            existing = set(
                StoreProduct.objects.filter(
                    product_code__in=[sp.product_code for _, _, sp in planned]
                ).values_list("product_code", flat=True)
            )
            new = [item for item in planned if item[2].product_code not in existing]
            StoreProduct.objects.bulk_create([sp for _, _, sp in new], batch_size=BATCH_SIZE)

            prices = material_prices(sp for _, tutorial, sp in new if tutorial is None)
            prices += [
                Price(
                    store_product=sp,
                    price_type=PriceType.STANDARD,
                    amount=tutorial_price(tutorial.tutorial_format),
                )
                for _, tutorial, sp in new
                if tutorial is not None
            ]
            Price.objects.bulk_create(prices, batch_size=BATCH_SIZE)
            tutorials = [(plan, t, sp) for plan, t, sp in new if t is not None]
            events, sessions = self._events(tutorials, seed)
            counts.prices += len(prices)
            counts.tutorial_store_products += len(tutorials)
            counts.events += events
            counts.sessions += sessions
            counts.subjects.update(plan.subject_code for plan in chunk)
        return len(new), len(existing)

    def _essps(self, chunk: list[EssPlan]) -> dict[tuple[str, str], ExamSessionSubject]:
        descriptions = {plan.subject_code: plan.subject_description for plan in chunk}
        subjects = {
            subject.code: subject
            for subject in upsert(
                Subject,
                [Subject(code=code, description=text) for code, text in descriptions.items()],
                unique_fields=["code"],
                update_fields=["description"],
            )
        }
        essps = upsert(
            ExamSessionSubject,
            [
                ExamSessionSubject(
                    exam_session=self.sessions[plan.session_code],
                    subject=subjects[plan.subject_code],
                )
                for plan in chunk
            ],
            unique_fields=["exam_session", "subject"],
            update_fields=["is_active"],
        )
        return {(essp.exam_session.session_code, essp.subject.code): essp for essp in essps}

    def _tutorial_pairs(
        self, chunk: list[EssPlan]
    ) -> dict[tuple[str, str], ProductProductVariation]:
        wanted = {(t.location_code, t.tutorial_format) for plan in chunk for t in plan.tutorials}
        if not wanted:
            return {}
        variations = upsert_variations(tutorial_variation(f) for _, f in wanted)
        pairs = ensure_pairs(
            (self.locations[location], variations[fmt.code]) for location, fmt in wanted
        )
        return {(p.product.code, p.product_variation.code): p for p in pairs}

    def _events(
        self, tutorials: list[tuple[EssPlan, TutorialPlan, StoreProduct]], seed: int
    ) -> tuple[int, int]:
        events: list[TutorialEvent] = []
        plans: list[list[SessionPlan]] = []
        for plan, tutorial, store_product in tutorials:
            rng = random.Random(f"{seed}:events:{plan.position}:{tutorial.index}")
            exam_start = self.sessions[plan.session_code].start_date
            product = self.locations[tutorial.location_code]
            for number in range(1, rng.randint(*EVENTS_PER_TUTORIAL) + 1):
                event, sessions = _event(rng, plan, tutorial, number, exam_start, product)
                event.store_product = store_product
                events.append(event)
                plans.append(sessions)
        TutorialEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
        sessions = [
            session_from_plan(event, session)
            for event, event_sessions in zip(events, plans, strict=True)
            for session in event_sessions
        ]
        TutorialSession.objects.bulk_create(sessions, batch_size=BATCH_SIZE)
        return len(events), len(sessions)


def _event(
    rng: random.Random,
    plan: EssPlan,
    tutorial: TutorialPlan,
    number: int,
    exam_start: dt.date,
    location: Product,
) -> tuple[TutorialEvent, list[SessionPlan]]:
    tutorial_format = tutorial.tutorial_format
    days = tutorial_format.days or 1
    first_day = exam_start - dt.timedelta(days=rng.randint(40, 150))
    last_day = first_day + dt.timedelta(days=days - 1 + rng.randint(0, 35))
    day_start, day_end = DAY_TIMES[tutorial_format.family]
    start = dt.datetime.combine(first_day, day_start, LONDON)
    end = dt.datetime.combine(last_day, day_end, LONDON)
    remain_space = rng.randint(0, MAX_SPACES)
    live = tutorial_format.family is TutorialFamily.LIVE_ONLINE
    event = TutorialEvent(
        code=f"{plan.subject_code}-{tutorial.index}{number}-{plan.session_code}",
        venue="Live Online" if live else f"{location.shortname} Conference Centre",
        location=location.shortname,
        is_soldout=remain_space == 0 and rng.random() < 0.5,
        finalisation_date=first_day - dt.timedelta(days=rng.randint(14, 35)),
        remain_space=remain_space,
        start_date=first_day,
        end_date=last_day,
    )
    return event, plan_sessions(start, end, days)
