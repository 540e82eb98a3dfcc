"""Tutorial events (dated runs of a tutorial store product) and their sessions.

Every database constraint here has a form-level message first (field validators,
``clean()``, ``violation_error_message``), so an editor never sees a constraint's name.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from catalog.models import StoreProduct, VariationType, acted

# Which store products an event may belong to (the admin's choices and autocomplete).
TUTORIAL_STORE_PRODUCTS = {
    "product_product_variation__product_variation__variation_type": VariationType.TUTORIAL.value
}


def not_a_tutorial_message(store_product: StoreProduct) -> str:
    variation = store_product.product_product_variation.product_variation
    return (
        f"{store_product.product_code} is a {variation.get_variation_type_display()} product, "
        f"not a tutorial: an event can only belong to a store product whose format is "
        f"Tutorial."
    )


def _day(value: dt.date) -> str:
    return date_format(value, "j M Y")


class TutorialEvent(models.Model):
    code = models.CharField(
        "event code",
        max_length=50,
        unique=True,
        help_text="Unique code of this run, e.g. CM2-55-25S.",
        error_messages={"unique": "Another event already uses this code."},
    )
    venue = models.CharField(
        max_length=255, blank=True, help_text="Where it takes place, e.g. Camden Court Hotel."
    )
    location = models.CharField(
        max_length=255, blank=True, help_text="The city or “Online”, e.g. London."
    )
    is_soldout = models.BooleanField(
        "sold out", default=False, help_text="Shown as sold out on the storefront."
    )
    finalisation_date = models.DateField(
        null=True, blank=True, help_text="Last day the event can still be changed or cancelled."
    )
    remain_space = models.IntegerField(
        "places left", default=0, help_text="Places still available to book."
    )
    start_date = models.DateField("first day")
    end_date = models.DateField("last day")
    price = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Only when this run is priced differently from its store product.",
    )
    store_product = models.ForeignKey(
        StoreProduct,
        on_delete=models.CASCADE,
        related_name="tutorial_events",
        limit_choices_to=TUTORIAL_STORE_PRODUCTS,
        help_text="The tutorial this is a run of: type a subject, location or format.",
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
                violation_error_message="The event's last day is before its first day.",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_date and self.end_date and self.start_date > self.end_date:
            errors["end_date"] = "The last day is before the first day."
        if self.store_product_id and not _is_tutorial(self.store_product):
            errors["store_product"] = not_a_tutorial_message(self.store_product)
        if errors:
            raise ValidationError(errors)


def _is_tutorial(store_product: StoreProduct) -> bool:
    variation = store_product.product_product_variation.product_variation
    return variation.variation_type == VariationType.TUTORIAL


class TutorialSession(models.Model):
    """One day (or block) of a tutorial event, shown in ``sequence`` order."""

    id = models.BigAutoField(primary_key=True)
    tutorial_event = models.ForeignKey(
        TutorialEvent, on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(max_length=255, help_text="e.g. Day 1 or Revision day.")
    location = models.CharField(max_length=255)
    venue = models.CharField(max_length=255)
    # NULL, not "", for "no URL": the API contract shows it as null.
    url = models.URLField(  # noqa: DJ001
        "joining link", max_length=500, null=True, blank=True, help_text="For online sessions."
    )
    sequence = models.PositiveIntegerField(
        "#",
        validators=[MinValueValidator(1, "Sessions are numbered from 1.")],
        help_text="Order within the event: 1, 2, 3…",
    )
    start_date = models.DateTimeField("starts")
    end_date = models.DateTimeField("ends")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        db_table = acted("tutorial_sessions")
        ordering = ["sequence"]
        constraints = [
            # Not deferrable: the demo loader's ON CONFLICT needs it as an arbiter. The
            # admin's formset renumbers in two steps instead (TutorialSessionFormSet).
            models.UniqueConstraint(
                fields=["tutorial_event", "sequence"],
                name="uniq_tutorial_session_sequence",
                violation_error_message="Another session of this event has this number.",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__lte=models.F("end_date")),
                name="tutorial_session_start_not_after_end",
                violation_error_message="The session ends before it starts.",
            ),
            models.CheckConstraint(
                condition=models.Q(sequence__gte=1),
                name="tutorial_session_sequence_positive",
                violation_error_message="Sessions are numbered from 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tutorial_event.code} #{self.sequence} {self.title}"

    def clean(self) -> None:
        """Errors on the field to fix; they also stand in for the check constraints."""
        if not (self.start_date and self.end_date):
            return
        if self.start_date > self.end_date:
            raise ValidationError({"end_date": "The session ends before it starts."})
        event = self._event()
        if event is None or not (event.start_date and event.end_date):
            return
        # Dates are compared in the catalog's time zone, where the event's days are.
        first, last = timezone.localdate(self.start_date), timezone.localdate(self.end_date)
        if event.start_date <= first and last <= event.end_date:
            return
        field = "start_date" if not event.start_date <= first <= event.end_date else "end_date"
        raise ValidationError(
            {
                field: f"Outside the event's dates ({_day(event.start_date)} to "
                f"{_day(event.end_date)}): change this session's date or the event's days."
            }
        )

    def _event(self) -> TutorialEvent | None:
        try:
            return self.tutorial_event
        except TutorialEvent.DoesNotExist:
            return None
