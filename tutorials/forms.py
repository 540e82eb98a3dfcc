"""Editor-facing forms for events and their sessions: compact, pre-filled, in plain words."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Max
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html

from catalog.labels import STORE_PRODUCT_LABEL_RELATED, store_product_label
from catalog.models import StoreProduct
from tutorials.models import TutorialSession, not_a_tutorial_message


class TutorialStoreProductField(forms.ModelChoiceField):
    """A tutorial store product; any other is refused with the rule in words."""

    def label_from_instance(self, obj: StoreProduct) -> str:
        return store_product_label(obj)

    def to_python(self, value: Any) -> StoreProduct | None:
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code != "invalid_choice":
                raise
            other = _store_product_or_none(value)
            if other is None:
                raise
            raise ValidationError(not_a_tutorial_message(other), code="not_tutorial") from error


def _store_product_or_none(value: Any) -> StoreProduct | None:
    try:
        return StoreProduct.objects.select_related(*STORE_PRODUCT_LABEL_RELATED).get(pk=value)
    except (StoreProduct.DoesNotExist, ValueError, TypeError, ValidationError):
        return None


class LinkedURLInput(forms.URLInput):
    """A URL box with the saved link next to it, to open and check it."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        box = super().render(name, value, attrs, renderer)
        if not value:
            return box
        return format_html(
            '{} <a href="{}" target="_blank" rel="noopener" class="session-link">open</a>',
            box,
            value,
        )


def compact_datetime() -> forms.SplitDateTimeWidget:
    """The browser's own date and time pickers: much narrower than the admin's shortcuts."""
    return forms.SplitDateTimeWidget(
        date_attrs={"type": "date"},
        time_attrs={"type": "time"},
        date_format="%Y-%m-%d",
        time_format="%H:%M",
    )


class TutorialSessionInlineForm(forms.ModelForm):
    class Meta:
        model = TutorialSession
        fields = ["sequence", "title", "location", "venue", "start_date", "end_date", "url"]
        widgets = {
            "sequence": forms.NumberInput(attrs={"min": 1, "class": "session-sequence"}),
            "title": forms.TextInput(attrs={"size": 16}),
            "location": forms.TextInput(attrs={"size": 14}),
            "venue": forms.TextInput(attrs={"size": 14}),
            "start_date": compact_datetime(),
            "end_date": compact_datetime(),
            "url": LinkedURLInput(attrs={"size": 16}),
        }


# Far above any real session number, so the first step of a renumbering never collides.
RENUMBERING_OFFSET = 1_000_000


class TutorialSessionFormSet(BaseInlineFormSet):
    """New rows come numbered after the last session, at the event's location and venue."""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        initial_count = self.initial_form_count()
        if index is None or index >= initial_count:  # a new row, or the "add" template
            offset = 0 if index is None else index - initial_count
            kwargs["initial"] = {
                "sequence": self.next_sequence + offset,
                "location": self.instance.location,
                "venue": self.instance.venue,
            }
        return kwargs

    @cached_property
    def next_sequence(self) -> int:
        if self.instance.pk is None:
            return 1
        last = self.instance.sessions.aggregate(last=Max("sequence"))["last"]
        return (last or 0) + 1

    def save_existing_objects(self, commit: bool = True) -> list[TutorialSession]:
        """Move renumbered (and deleted) sessions out of the way first, so that two sessions
        can swap numbers in one save without tripping the (event, number) uniqueness."""
        moving = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk
            and ("sequence" in form.changed_data or self._should_delete_form(form))
        ]
        if commit and moving:
            TutorialSession.objects.filter(pk__in=moving).update(
                sequence=F("sequence") + RENUMBERING_OFFSET
            )
        return super().save_existing_objects(commit)

    def get_unique_error_message(self, unique_check: Any) -> str:
        if "sequence" in unique_check:
            return "Two sessions have the same number: give each its own (1, 2, 3…)."
        return super().get_unique_error_message(unique_check)

    def get_form_error(self) -> str:
        return "This number is used by another session."
