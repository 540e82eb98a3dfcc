"""TutorialSession against the real database: constraints, cascade, validation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tests import factories
from tutorials.models import TutorialEvent, TutorialSession

pytestmark = pytest.mark.django_db


def test_crud_and_ordering_by_sequence() -> None:
    event = factories.TutorialEventFactory()
    for sequence in (2, 3, 1):
        factories.TutorialSessionFactory(tutorial_event=event, sequence=sequence)

    assert [s.sequence for s in event.sessions.all()] == [1, 2, 3]
    session = event.sessions.get(sequence=2)
    session.title = "Day 2 - Revision"
    session.save()
    assert TutorialSession.objects.get(pk=session.pk).title == "Day 2 - Revision"
    session.delete()
    assert event.sessions.count() == 2


def test_deleting_an_event_deletes_its_sessions() -> None:
    session = factories.TutorialSessionFactory()
    session.tutorial_event.delete()
    assert not TutorialSession.objects.filter(pk=session.pk).exists()


def test_sequence_is_unique_per_event_in_the_database() -> None:
    session = factories.TutorialSessionFactory(sequence=1)
    duplicate = TutorialSession(
        tutorial_event=session.tutorial_event,
        sequence=1,
        title="again",
        location="x",
        venue="y",
        start_date=session.start_date,
        end_date=session.end_date,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    other_event = factories.TutorialEventFactory()
    factories.TutorialSessionFactory(tutorial_event=other_event, sequence=1)


def test_check_constraint_rejects_start_after_end_on_raw_insert() -> None:
    event = factories.TutorialEventFactory()
    start = timezone.now()
    with (
        pytest.raises(IntegrityError, match="tutorial_session_start_not_after_end"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            'INSERT INTO "acted"."tutorial_sessions" (tutorial_event_id, title, location, venue,'
            " sequence, start_date, end_date, created_at, updated_at)"
            " VALUES (%s, 't', 'l', 'v', 1, %s, %s, now(), now())",
            [event.pk, start, start - dt.timedelta(hours=1)],
        )


def test_clean_explains_start_after_end() -> None:
    session = factories.TutorialSessionFactory.build(
        tutorial_event=factories.TutorialEventFactory(),
        start_date=timezone.now(),
        end_date=timezone.now() - dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="The session ends before it starts"):
        session.clean()


def test_url_is_optional() -> None:
    session = factories.TutorialSessionFactory(url=None)
    session.full_clean()
    with_url = factories.TutorialSessionFactory(url="https://meet.example.com/cm2-day-1")
    assert TutorialSession.objects.get(pk=with_url.pk).url.startswith("https://")


def test_event_dates_checked_by_the_database() -> None:
    store_product = factories.StoreProductFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        TutorialEvent.objects.create(
            code="BAD-1",
            store_product=store_product,
            start_date=dt.date(2025, 8, 2),
            end_date=dt.date(2025, 8, 1),
        )
