"""Sessions derived from an event: one per day of its format, spread from start to end.

The export has one row per event and no sessions, so they are derived deterministically:
a 3-day format gives "Day 1".."Day 3" on the first day, the last day and evenly between
(weekdays where possible), each from the event's start time to its end time in
Europe/London. An event with one session (one-day formats, the self-paced Online
Classroom) gets a single session spanning the whole event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tutorials.models import TutorialEvent, TutorialSession

LONDON = ZoneInfo("Europe/London")
SATURDAY = 5

# Used when a day's end time is not after its start time (e.g. 14:00 to 12:30), which
# would otherwise give sessions that end before they begin.
FALLBACK_SESSION_LENGTH = dt.timedelta(hours=7, minutes=30)


@dataclass(frozen=True)
class SessionPlan:
    sequence: int
    title: str
    start: dt.datetime
    end: dt.datetime


def london(value: dt.datetime) -> dt.datetime:
    """``value`` as a Europe/London wall-clock time (naive values are taken as London)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=LONDON)
    return value.astimezone(LONDON)


def existing(value: dt.datetime) -> dt.datetime:
    """``value`` (aware, London), moved past the hour the clocks skip if it falls in it.

    01:30 on the last Sunday of March does not exist; zoneinfo reads it as 01:30 GMT,
    the instant 02:30 BST, so a session from 01:30 to 02:15 would end before it starts.
    """
    return value.astimezone(dt.UTC).astimezone(LONDON)


def session_count(days: int | None, start: dt.date, end: dt.date) -> int:
    """One session per format day, never more than the calendar days the event spans."""
    span = (end - start).days + 1
    return max(1, min(days or 1, span))


def spread_days(first: dt.date, last: dt.date, count: int) -> list[dt.date]:
    """``count`` days from ``first`` to ``last``, evenly spread, weekends avoided if possible.

    A Saturday moves back to the Friday and a Sunday on to the Monday when that day is
    inside the event and not taken; the first and last days are the event's own.
    """
    span = (last - first).days
    days = [first + dt.timedelta(days=i * span // (count - 1)) for i in range(count)]
    taken = set(days)
    for index in range(1, count - 1):
        day = days[index]
        if day.weekday() < SATURDAY:
            continue
        weekday = day + dt.timedelta(days=-1 if day.weekday() == SATURDAY else 1)
        if first < weekday < last and weekday not in taken:
            taken.discard(day)
            taken.add(weekday)
            days[index] = weekday
    return days


def plan_sessions(
    start: dt.datetime, end: dt.datetime, count: int, title: str = "Day {n}"
) -> list[SessionPlan]:
    """``count`` sessions from ``start`` to ``end`` (aware, ``start <= end``)."""
    start, end = existing(london(start)), existing(london(end))
    if count <= 1:
        end = max(start, end, key=lambda value: value.astimezone(dt.UTC))
        return [SessionPlan(1, title.format(n=1), start, end)]
    plans = []
    for index, day in enumerate(spread_days(start.date(), end.date(), count)):
        session_start = existing(dt.datetime.combine(day, start.time(), LONDON))
        session_end = existing(dt.datetime.combine(day, end.time(), LONDON))
        # Compared as instants: same-zone comparison is by wall clock, which is not the
        # order of the instants the database stores on the days the clocks change.
        if session_end.astimezone(dt.UTC) <= session_start.astimezone(dt.UTC):
            session_end = existing(session_start + FALLBACK_SESSION_LENGTH)
        plans.append(SessionPlan(index + 1, title.format(n=index + 1), session_start, session_end))
    return plans


def session_from_plan(event: TutorialEvent, plan: SessionPlan) -> TutorialSession:
    """A session of ``event`` at its location and venue, as planned."""
    return TutorialSession(
        tutorial_event=event,
        title=plan.title,
        location=event.location,
        venue=event.venue,
        sequence=plan.sequence,
        start_date=plan.start,
        end_date=plan.end,
    )
