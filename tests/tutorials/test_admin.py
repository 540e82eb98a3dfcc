"""Admin data entry for tutorial events with session inlines, through the test client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tutorials.models import TutorialEvent

pytestmark = pytest.mark.django_db

INLINE = "sessions"


def event_form(store_product_id: int, sessions: list[dict[str, str]], **event: str) -> dict:
    data = {
        "code": "CM2-70-25S",
        "venue": "Camden Court Hotel",
        "location": "Dublin",
        "remain_space": "12",
        "start_date": "2025-07-22",
        "end_date": "2025-07-24",
        "store_product": str(store_product_id),
        f"{INLINE}-TOTAL_FORMS": str(len(sessions)),
        f"{INLINE}-INITIAL_FORMS": "0",
        f"{INLINE}-MIN_NUM_FORMS": "0",
        f"{INLINE}-MAX_NUM_FORMS": "1000",
        **event,
    }
    for i, session in enumerate(sessions):
        for key, value in session.items():
            data[f"{INLINE}-{i}-{key}"] = value
    return data


def session(sequence: int, start: str, end: str) -> dict[str, str]:
    return {
        "sequence": str(sequence),
        "title": f"Day {sequence}",
        "location": "Dublin",
        "venue": "Camden Court Hotel",
        "start_date_0": start.split()[0],
        "start_date_1": start.split()[1],
        "end_date_0": end.split()[0],
        "end_date_1": end.split()[1],
        "url": "",
    }


@pytest.fixture
def store_product_id() -> int:
    return factories.StoreProductFactory(tutorial=True).pk


def test_add_page_renders(admin_client) -> None:
    response = admin_client.get(reverse("admin:tutorials_tutorialevent_add"))
    assert response.status_code == 200
    assert b"sessions-TOTAL_FORMS" in response.content


def test_valid_event_with_sessions_saves(admin_client, store_product_id) -> None:
    data = event_form(
        store_product_id,
        [
            session(2, "2025-07-23 09:00", "2025-07-23 17:00"),
            session(1, "2025-07-22 09:00", "2025-07-22 17:00"),
        ],
    )

    response = admin_client.post(reverse("admin:tutorials_tutorialevent_add"), data)

    assert response.status_code == 302, response.content[:2000]
    event = TutorialEvent.objects.get(code="CM2-70-25S")
    assert [s.sequence for s in event.sessions.all()] == [1, 2]
    change = admin_client.get(reverse("admin:tutorials_tutorialevent_change", args=[event.pk]))
    assert change.status_code == 200


def test_session_ending_before_it_starts_is_a_form_error(admin_client, store_product_id) -> None:
    data = event_form(store_product_id, [session(1, "2025-07-22 17:00", "2025-07-22 09:00")])

    response = admin_client.post(reverse("admin:tutorials_tutorialevent_add"), data)

    assert response.status_code == 200
    assert b"The session ends before it starts." in response.content
    assert not TutorialEvent.objects.filter(code="CM2-70-25S").exists()


def test_duplicate_sequence_is_a_form_error(admin_client, store_product_id) -> None:
    data = event_form(
        store_product_id,
        [
            session(1, "2025-07-22 09:00", "2025-07-22 17:00"),
            session(1, "2025-07-23 09:00", "2025-07-23 17:00"),
        ],
    )

    response = admin_client.post(reverse("admin:tutorials_tutorialevent_add"), data)

    assert response.status_code == 200
    assert "Two sessions have the same number" in response.content.decode()
    assert not TutorialEvent.objects.filter(code="CM2-70-25S").exists()


def test_event_ending_before_it_starts_is_a_form_error(admin_client, store_product_id) -> None:
    data = event_form(store_product_id, [], start_date="2025-08-02", end_date="2025-08-01")

    response = admin_client.post(reverse("admin:tutorials_tutorialevent_add"), data)

    assert response.status_code == 200
    assert b"The last day is before the first day." in response.content


def test_admin_requires_staff(client) -> None:
    response = client.get(reverse("admin:tutorials_tutorialevent_add"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
