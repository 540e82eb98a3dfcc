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


CONSTRAINT_WORDS = ("Constraint", "tutorial_session_", "tutorial_event_", "uniq_")


def assert_no_constraint_name(page: bytes) -> None:
    text = page.decode()
    assert not [word for word in CONSTRAINT_WORDS if word in text], text[:3000]


def test_event_on_a_study_material_store_product_is_refused_in_words(admin_client) -> None:
    material = factories.StoreProductFactory(
        product_product_variation__product__code="CSM01",
        product_product_variation__product_variation__code="P",
    )
    data = event_form(material.pk, [session(1, "2025-07-22 09:00", "2025-07-22 17:00")])

    response = admin_client.post(reverse("admin:tutorials_tutorialevent_add"), data)

    assert response.status_code == 200
    assert (
        f"{material.product_code} is a Printed product, not a tutorial: an event can only "
        "belong to a store product whose format is Tutorial."
    ) in response.content.decode()
    assert not TutorialEvent.objects.exists()
    assert_no_constraint_name(response.content)


def test_session_outside_the_events_dates_is_refused(admin_client, store_product_id) -> None:
    data = event_form(
        store_product_id,
        [
            session(1, "2025-07-22 09:00", "2025-07-22 17:00"),
            session(2, "2030-07-23 09:00", "2030-07-23 17:00"),
        ],
    )

    response = admin_client.post(reverse("admin:tutorials_tutorialevent_add"), data)

    assert response.status_code == 200
    assert (
        "Outside the event&#x27;s dates (22 Jul 2025 to 24 Jul 2025): change this "
        "session&#x27;s date or the event&#x27;s days."
    ) in response.content.decode()
    assert not TutorialEvent.objects.exists()
    assert_no_constraint_name(response.content)


def test_sequence_zero_is_refused_in_words(admin_client, store_product_id) -> None:
    data = event_form(store_product_id, [session(0, "2025-07-22 09:00", "2025-07-22 17:00")])

    response = admin_client.post(reverse("admin:tutorials_tutorialevent_add"), data)

    assert response.status_code == 200
    assert b"Sessions are numbered from 1." in response.content
    assert not TutorialEvent.objects.exists()
    assert_no_constraint_name(response.content)


def test_session_ending_before_it_starts_names_no_constraint(
    admin_client, store_product_id
) -> None:
    data = event_form(store_product_id, [session(1, "2025-07-22 17:00", "2025-07-22 09:00")])

    response = admin_client.post(reverse("admin:tutorials_tutorialevent_add"), data)

    assert b"The session ends before it starts." in response.content
    assert_no_constraint_name(response.content)


def test_two_sessions_can_swap_numbers_in_one_save(admin_client) -> None:
    event = factories.TutorialEventFactory(sessions=2)
    first, second = event.sessions.all()
    data = event_form(
        event.store_product_id,
        [
            {**session(2, "2025-07-22 09:00", "2025-07-22 17:00"), "id": str(first.pk)},
            {**session(1, "2025-07-23 09:00", "2025-07-23 17:00"), "id": str(second.pk)},
        ],
        code=event.code,
        **{f"{INLINE}-INITIAL_FORMS": "2"},
    )

    response = admin_client.post(
        reverse("admin:tutorials_tutorialevent_change", args=[event.pk]), data
    )

    assert response.status_code == 302, response.content[:3000]
    assert [s.pk for s in event.sessions.order_by("sequence")] == [second.pk, first.pk]


def test_new_session_rows_continue_the_numbering_at_the_events_place(admin_client) -> None:
    event = factories.TutorialEventFactory(sessions=3, location="London", venue="BPP Waterloo")

    page = admin_client.get(reverse("admin:tutorials_tutorialevent_change", args=[event.pk]))

    empty = page.context["inline_admin_formsets"][0].formset.empty_form
    assert empty["sequence"].value() == 4
    assert (empty["location"].value(), empty["venue"].value()) == ("London", "BPP Waterloo")


def test_event_page_header_names_store_product_subject_sitting_and_places(admin_client) -> None:
    event = factories.TutorialEventFactory(remain_space=7)

    page = admin_client.get(reverse("admin:tutorials_tutorialevent_change", args=[event.pk]))

    header = page.content.decode().split('id="event-summary"')[1].split("</dl>")[0]
    store_product = event.store_product
    assert store_product.product_code in header
    assert store_product.exam_session_subject.subject.code in header
    assert "2025-09" in header
    assert "<dt>Places left</dt><dd>7</dd>" in header
