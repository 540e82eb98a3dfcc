"""Sessions derived from an event's dates and its format's days."""

from __future__ import annotations

import datetime as dt

from demo.sessions import LONDON, plan_sessions, session_count, spread_days


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def test_one_session_per_day_from_the_first_day_to_the_last() -> None:
    # Given a 3-day event over three consecutive weekdays
    # When its sessions are planned
    plans = plan_sessions(london(2025, 8, 4, 9, 30), london(2025, 8, 6, 17, 0), 3)

    # Then there is one a day, numbered and titled in order, each 09:30 to 17:00
    assert [p.sequence for p in plans] == [1, 2, 3]
    assert [p.title for p in plans] == ["Day 1", "Day 2", "Day 3"]
    assert [p.start.date() for p in plans] == [dt.date(2025, 8, d) for d in (4, 5, 6)]
    assert all(p.start.time() == dt.time(9, 30) and p.end.time() == dt.time(17) for p in plans)


def test_sessions_are_spread_over_a_long_event_and_avoid_weekends() -> None:
    plans = plan_sessions(london(2025, 5, 27, 9, 0), london(2025, 7, 31, 12, 30), 6)

    days = [p.start.date() for p in plans]
    assert days[0] == dt.date(2025, 5, 27) and days[-1] == dt.date(2025, 7, 31)
    assert days == sorted(set(days))
    assert all(day.weekday() < 5 for day in days)
    assert all(p.start <= p.end for p in plans)


def test_a_single_session_spans_the_whole_event() -> None:
    start, end = london(2025, 4, 1, 0, 0), london(2025, 9, 30, 0, 0)

    (plan,) = plan_sessions(start, end, 1, "Online Classroom access")

    assert (plan.start, plan.end, plan.title) == (start, end, "Online Classroom access")


def test_times_are_london_wall_clock_across_the_clock_change() -> None:
    plans = plan_sessions(london(2025, 10, 24, 9, 30), london(2025, 10, 27, 17, 0), 2)

    assert [p.start.utcoffset() for p in plans] == [dt.timedelta(hours=1), dt.timedelta(0)]
    assert all(p.start.hour == 9 for p in plans)


def test_an_end_time_before_the_start_time_still_gives_sessions_that_end_after_they_start() -> None:
    plans = plan_sessions(london(2025, 8, 4, 14, 0), london(2025, 8, 6, 12, 30), 3)

    assert all(p.start < p.end for p in plans)


def test_session_count_is_capped_by_the_calendar_days() -> None:
    assert session_count(5, dt.date(2025, 8, 4), dt.date(2025, 8, 5)) == 2
    assert session_count(None, dt.date(2025, 4, 1), dt.date(2025, 9, 30)) == 1
    assert session_count(3, dt.date(2025, 8, 4), dt.date(2025, 9, 5)) == 3


def test_weekend_days_keep_their_place_when_the_weekday_is_taken() -> None:
    # Friday to Sunday: Saturday cannot move to the taken Friday.
    assert spread_days(dt.date(2025, 8, 1), dt.date(2025, 8, 3), 3) == [
        dt.date(2025, 8, 1),
        dt.date(2025, 8, 2),
        dt.date(2025, 8, 3),
    ]


def test_a_session_in_the_hour_the_clocks_skip_does_not_end_before_it_starts() -> None:
    # Given a 3-day event whose middle day is the Sunday the clocks go forward, from
    # 01:30 (which does not exist that day) to 02:15 (which does)
    plans = plan_sessions(london(2025, 3, 29, 1, 30), london(2025, 3, 31, 2, 15), 3)

    # Then every session starts before it ends as an instant, as the database stores it
    assert all(p.start.astimezone(dt.UTC) < p.end.astimezone(dt.UTC) for p in plans)
    middle = plans[1]
    # 01:30 is read as the first real time after it, 02:30 BST; 02:15 is then earlier,
    # so the session gets the fallback length.
    assert middle.start == dt.datetime(2025, 3, 30, 1, 30, tzinfo=dt.UTC)
    assert middle.end - middle.start == dt.timedelta(hours=7, minutes=30)
