"""Tutorial events (dated runs of a tutorial store product) and their sessions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from catalog.models import StoreProduct, acted


class TutorialEvent(models.Model):
    code = models.CharField(max_length=50, unique=True)
    venue = models.CharField(max_length=255, blank=True)
    location = models.CharField(max_length=255, blank=True)
    is_soldout = models.BooleanField(default=False)
    finalisation_date = models.DateField(null=True, blank=True)
    remain_space = models.IntegerField(default=0)
    start_date = models.DateField()
    end_date = models.DateField()
    price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    store_product = models.ForeignKey(
        StoreProduct, on_delete=models.CASCADE, related_name="tutorial_events"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        db_table = acted("tutorial_events")
        ordering = ["start_date", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__lte=models.F("end_date")),
                name="tutorial_event_start_not_after_end",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        if self.start_date and self.end_date and self.start_date > self.end_date:
            raise ValidationError({"end_date": "Start date cannot be after end date."})


class TutorialSession(models.Model):
    """One day (or block) of a tutorial event, shown in ``sequence`` order."""

    id = models.BigAutoField(primary_key=True)
    tutorial_event = models.ForeignKey(
        TutorialEvent, on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(max_length=255)
    location = models.CharField(max_length=255)
    venue = models.CharField(max_length=255)
    # NULL, not "", for "no URL": the API contract shows it as null.
    url = models.URLField(max_length=500, null=True, blank=True)  # noqa: DJ001
    sequence = models.PositiveIntegerField()
    start_date = models.DateTimeField()
    end_date = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        db_table = acted("tutorial_sessions")
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["tutorial_event", "sequence"], name="uniq_tutorial_session_sequence"
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__lte=models.F("end_date")),
                name="tutorial_session_start_not_after_end",
            ),
            models.CheckConstraint(
                condition=models.Q(sequence__gte=1), name="tutorial_session_sequence_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tutorial_event.code} #{self.sequence} {self.title}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.start_date > self.end_date:
            raise ValidationError("Start date cannot be after end date")
