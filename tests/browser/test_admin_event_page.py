"""The tutorial event page in a real Chromium: 8 sessions fit a 1,280 x 800 screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests import factories
from tests.browser.admin_session import log_in

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1280, "height": 800}


def test_event_with_eight_sessions_fits_a_1280_screen(
    page: Any, client: Any, django_user_model: Any, live_server: Any
) -> None:
    # Given an event with 8 sessions, each with a joining link
    admin = django_user_model.objects.create_superuser("editor", "e@example.com", "pw-12345678")
    event = factories.TutorialEventFactory(
        code="CM2-60-25S", start_date="2025-07-01", end_date="2025-07-31"
    )
    for sequence in range(1, 9):
        factories.TutorialSessionFactory(
            tutorial_event=event,
            sequence=sequence,
            title=f"Day {sequence} - Financial mathematics revision",
            url=f"https://meet.example.com/cm2-60-25s/day-{sequence}",
        )
    log_in(page, client, admin, live_server.url)

    # When the editor opens it in a 1,280 x 800 window
    page.set_viewport_size(LAPTOP)
    page.goto(reverse("admin:tutorials_tutorialevent_change", args=[event.pk]))

    # Then nothing scrolls sideways: every column, Delete included, is on screen
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " viewport: document.documentElement.clientWidth})"
    )
    assert widths["scroll"] <= widths["viewport"], widths
    rows = page.locator("#sessions-group tbody tr.form-row:not(.empty-form)")
    assert rows.count() == 8
    for cell in ("td.field-url", "td.delete"):
        box = rows.first.locator(cell).bounding_box()
        assert box is not None and box["x"] + box["width"] <= LAPTOP["width"], (cell, box)
    # in sequence order, the joining link shown as a link, the header naming the sitting
    numbers = [rows.nth(i).locator("input.session-sequence").input_value() for i in range(8)]
    assert numbers == [str(n) for n in range(1, 9)]
    link = rows.first.locator("a.session-link")
    assert link.get_attribute("href") == "https://meet.example.com/cm2-60-25s/day-1"
    assert "2025-09" in page.locator("#event-summary").inner_text()


def test_add_another_session_continues_from_the_last_one(
    page: Any, client: Any, django_user_model: Any, live_server: Any
) -> None:
    # Given an event with 2 sessions in London
    admin = django_user_model.objects.create_superuser("editor", "e@example.com", "pw-12345678")
    event = factories.TutorialEventFactory(
        sessions=2, location="London", venue="BPP Waterloo", start_date="2025-07-01"
    )
    log_in(page, client, admin, live_server.url)
    page.goto(reverse("admin:tutorials_tutorialevent_change", args=[event.pk]))

    # When the editor adds a session
    page.click("#sessions-group .add-row a")

    # Then it is number 3, at the event's place, the day after session 2 at its times
    row = page.locator("#sessions-group tr.form-row.dynamic-sessions").last
    assert row.locator('[name$="-sequence"]').input_value() == "3"
    assert row.locator('[name$="-location"]').input_value() == "London"
    assert row.locator('[name$="-venue"]').input_value() == "BPP Waterloo"
    assert row.locator('[name$="-start_date_0"]').input_value() == "2025-07-03"
    assert row.locator('[name$="-start_date_1"]').input_value() == "09:00"
