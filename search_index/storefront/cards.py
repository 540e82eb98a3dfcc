"""Result rows as the page shows them: the API's rows, with dates parsed into the
catalog's time zone and prices formatted. Order is the API's own, sessions included."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.utils import timezone

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
KIND_LABELS = {"material": "Study material", "tutorial": "Tutorial", "marking": "Marking"}


@dataclass(frozen=True)
class Price:
    label: str
    amount: str


@dataclass(frozen=True)
class Session:
    title: str
    when: str  # "Fri 4 Jul 2025, 09:00-17:00" (en dash), in the catalog's time zone
    starts_at: str  # ISO 8601, for <time datetime>
    venue: str
    url: str


@dataclass(frozen=True)
class Event:
    code: str
    place: str  # "venue, location"
    dates: str  # "4 Jul 2025 - 7 Jul 2025" (en dash)
    sold_out: bool
    places_left: int | None
    sessions: tuple[Session, ...]


@dataclass(frozen=True)
class Variation:
    name: str
    description: str
    prices: tuple[Price, ...]
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Card:
    key: str
    kind: str
    kind_label: str
    title: str
    subject: str
    exam_session: str
    location: str
    code: str
    variations: tuple[Variation, ...]
    prices: tuple[Price, ...]


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _datetime(value: Any, zone: dt.tzinfo) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(zone)


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def _when(start: dt.datetime | None, end: dt.datetime | None) -> str:
    """Formatted here, not in the template: dozens of sessions per page add up."""
    if start is None:
        return ""
    text = f"{start:%a} {_day(start)}, {start:%H:%M}"
    return f"{text}\u2013{end:%H:%M}" if end else text


def _dates(start: dt.date | None, end: dt.date | None) -> str:
    if start is None:
        return ""
    return f"{_day(start)} \u2013 {_day(end)}" if end and end != start else _day(start)


def format_price(price: dict[str, Any]) -> Price:
    currency = str(price.get("currency") or "")
    try:
        amount = f"{Decimal(str(price.get('amount'))):,.2f}"
    except (InvalidOperation, ValueError):
        amount = str(price.get("amount") or "")
    symbol = CURRENCY_SYMBOLS.get(currency)
    text = f"{symbol}{amount}" if symbol else f"{amount} {currency}".strip()
    label = str(price.get("price_type") or "standard").replace("_", " ")
    return Price(label=label, amount=text)


def _session(session: dict[str, Any], event_venue: str, zone: dt.tzinfo) -> Session:
    venue = str(session.get("venue") or "")
    return _session_shown(
        str(session.get("title") or ""),
        session.get("start_date"),
        session.get("end_date"),
        "" if venue == event_venue else venue,  # shown once, on the event
        str(session.get("url") or ""),
        zone,
    )


@lru_cache(maxsize=16384)
def _session_shown(
    title: str, start_value: Any, end_value: Any, venue: str, url: str, zone: dt.tzinfo
) -> Session:
    """Cached: the same sessions come back keystroke after keystroke ("lon", "lond", …),
    and a page can show a few hundred of them."""
    start = _datetime(start_value, zone)
    return Session(
        title=title,
        when=_when(start, _datetime(end_value, zone)),
        starts_at=start.isoformat() if start else "",
        venue=venue,
        url=url,
    )


def _event(event: dict[str, Any], zone: dt.tzinfo) -> Event:
    space = event.get("remain_space")
    venue = str(event.get("venue") or "")
    return Event(
        code=str(event.get("code") or ""),
        place=", ".join(p for p in (venue, str(event.get("location") or "")) if p),
        dates=_dates(_date(event.get("start_date")), _date(event.get("end_date"))),
        sold_out=bool(event.get("is_soldout")) or space == 0,
        places_left=space if isinstance(space, int) else None,
        sessions=tuple(_session(s, venue, zone) for s in event.get("sessions") or ()),
    )


def _variation(variation: dict[str, Any], zone: dt.tzinfo) -> Variation:
    return Variation(
        name=str(variation.get("name") or variation.get("variation_type") or ""),
        description=str(variation.get("description_short") or variation.get("description") or ""),
        prices=tuple(format_price(p) for p in variation.get("prices") or ()),
        events=tuple(_event(e, zone) for e in variation.get("events") or ()),
    )


def _title(row: dict[str, Any]) -> str:
    kind = row.get("kind")
    if row.get("is_bundle"):
        candidates = [row.get("bundle_name")]
    elif kind == "tutorial":
        candidates = [row.get("format_display"), row.get("product_name")]
    elif kind == "marking":
        candidates = [row.get("marking_template_name"), row.get("product_name")]
    else:
        candidates = [row.get("product_name"), row.get("product_short_name")]
    return str(next((c for c in candidates if c), row.get("product_code") or ""))


def card(row: dict[str, Any]) -> Card:
    zone = timezone.get_current_timezone()  # the catalog's: dates are shown in it
    kind = "bundle" if row.get("is_bundle") else str(row.get("kind") or "")
    return Card(
        key=str(row.get("essp_id") or row.get("id") or ""),
        kind=kind,
        kind_label=KIND_LABELS.get(kind, str(row.get("type") or kind).capitalize()),
        title=_title(row),
        subject=str(row.get("subject_code") or ""),
        exam_session=str(row.get("exam_session_code") or ""),
        location=str(row.get("tutorial_location_name") or ""),
        code=str(row.get("product_code") or ""),
        variations=tuple(_variation(v, zone) for v in row.get("variations") or ()),
        prices=tuple(format_price(p) for p in row.get("prices") or ()),
    )
