"""Admin for tutorial scheduling: an event with its sessions in sequence order, on one screen."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from catalog.admin_filters import titled
from catalog.labels import STORE_PRODUCT_LABEL_RELATED
from tutorials.admin_filters import EVENT_LIST_FILTERS, SITTING, SUBJECT
from tutorials.forms import (
    TutorialSessionFormSet,
    TutorialSessionInlineForm,
    TutorialStoreProductField,
)
from tutorials.models import TutorialEvent, TutorialSession


class TutorialSessionInline(admin.TabularInline):
    """Sessions as a compact table: one row each, two-line cells for place and time."""

    model = TutorialSession
    verbose_name = "session"
    verbose_name_plural = "sessions"
    form = TutorialSessionInlineForm
    formset = TutorialSessionFormSet
    template = "admin/edit_inline/compact_tabular.html"
    ordering = ["sequence"]
    fields = ["sequence", "title", ("location", "venue"), ("start_date", "end_date"), "url"]

    class Media:
        css = {"all": ["tutorials/admin/sessions.css"]}
        js = ["tutorials/admin/sessions.js"]

    def get_extra(
        self, request: HttpRequest, obj: TutorialEvent | None = None, **kwargs: Any
    ) -> int:
        """One blank row for a new event; an event with sessions adds rows on demand."""
        return 0 if obj is not None and obj.sessions.exists() else 1


@admin.register(TutorialEvent)
class TutorialEventAdmin(admin.ModelAdmin):
    change_form_template = "admin/tutorials/tutorialevent/change_form.html"
    list_display = [
        "code",
        "store_product",
        "location",
        "venue",
        "start_date",
        "end_date",
        "remain_space",
        "is_soldout",
    ]
    list_filter = EVENT_LIST_FILTERS
    search_fields = ["code", "location", "venue", "store_product__product_code"]
    ordering = ["start_date", "code"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["store_product"]
    list_select_related = ["store_product"]
    inlines = [TutorialSessionInline]
    fieldsets = [
        (None, {"fields": ["store_product", "code", ("start_date", "end_date")]}),
        ("Where", {"fields": [("location", "venue")]}),
        ("Booking", {"fields": [("remain_space", "is_soldout"), "finalisation_date", "price"]}),
    ]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "store_product":
            kwargs["form_class"] = TutorialStoreProductField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        event = self.get_object(request, object_id)
        summary = {"event_summary": event_summary(event)} if event is not None else {}
        return super().change_view(
            request, object_id, form_url, {**summary, **(extra_context or {})}
        )


def event_summary(event: TutorialEvent) -> dict[str, Any]:
    """What an editor checks first: which tutorial, subject, sitting, places left."""
    store_product = (
        type(event.store_product)
        .objects.select_related(
            *STORE_PRODUCT_LABEL_RELATED,
            "exam_session_subject__subject",
            "exam_session_subject__exam_session",
        )
        .get(pk=event.store_product_id)
    )
    subject = store_product.exam_session_subject.subject
    return {
        "store_product": store_product,
        "product": store_product.product_product_variation.product,
        "variation": store_product.product_product_variation.product_variation,
        "subject": subject,
        "sitting": store_product.exam_session_subject.exam_session,
        "places_left": event.remain_space,
        "sold_out": event.is_soldout,
        "session_count": event.sessions.count(),
    }


@admin.register(TutorialSession)
class TutorialSessionAdmin(admin.ModelAdmin):
    list_display = ["tutorial_event", "sequence", "title", "start_date", "end_date", "location"]
    list_filter = [
        ("tutorial_event__" + SITTING, titled("sitting")),
        ("tutorial_event__" + SUBJECT, titled("subject")),
        "location",
    ]
    search_fields = ["title", "tutorial_event__code", "venue", "location"]
    ordering = ["tutorial_event__start_date", "tutorial_event__code", "sequence"]
    autocomplete_fields = ["tutorial_event"]
    list_select_related = ["tutorial_event"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[TutorialSession]:
        return super().get_queryset(request).select_related("tutorial_event")
