"""Admin data entry for tutorial events, with their sessions inline in sequence order."""

from __future__ import annotations

from django.contrib import admin

from tutorials.models import TutorialEvent, TutorialSession


class TutorialSessionInline(admin.TabularInline):
    model = TutorialSession
    extra = 1
    ordering = ["sequence"]
    fields = ["sequence", "title", "location", "venue", "start_date", "end_date", "url"]


@admin.register(TutorialEvent)
class TutorialEventAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "location",
        "venue",
        "start_date",
        "end_date",
        "remain_space",
        "is_soldout",
    ]
    list_filter = ["is_soldout", "location", "store_product__exam_session_subject__subject"]
    search_fields = ["code", "location", "venue", "store_product__product_code"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["store_product"]
    list_select_related = ["store_product"]
    inlines = [TutorialSessionInline]


@admin.register(TutorialSession)
class TutorialSessionAdmin(admin.ModelAdmin):
    list_display = ["tutorial_event", "sequence", "title", "start_date", "end_date", "location"]
    list_filter = ["location"]
    search_fields = ["title", "tutorial_event__code", "venue"]
    autocomplete_fields = ["tutorial_event"]
    list_select_related = ["tutorial_event"]
