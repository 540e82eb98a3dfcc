"""List filters for tutorial events, in an editor's terms (sitting, subject, category, dates)."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from catalog.admin_filters import titled


def _month_start(day: dt.date, months_ahead: int = 0) -> dt.date:
    month_index = day.year * 12 + day.month - 1 + months_ahead
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


class StartsFilter(admin.SimpleListFilter):
    """When the event starts, relative to today in the catalog's time zone."""

    title = "starts"
    parameter_name = "starts"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [
            ("this_month", "This month"),
            ("next_month", "Next month"),
            ("upcoming", "From today on"),
            ("past", "Before today"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        today = timezone.localdate()
        this_month, next_month = _month_start(today), _month_start(today, 1)
        ranges = {
            "this_month": {"start_date__gte": this_month, "start_date__lt": next_month},
            "next_month": {"start_date__gte": next_month, "start_date__lt": _month_start(today, 2)},
            "upcoming": {"start_date__gte": today},
            "past": {"start_date__lt": today},
        }
        chosen = ranges.get(self.value() or "")
        return queryset.filter(**chosen) if chosen else queryset


SITTING = "store_product__exam_session_subject__exam_session"
SUBJECT = "store_product__exam_session_subject__subject"
CATEGORY = "store_product__product_product_variation__product__groups"

EVENT_LIST_FILTERS = [
    StartsFilter,
    (SITTING, titled("sitting")),
    (SUBJECT, titled("subject")),
    (CATEGORY, titled("category")),
    "is_soldout",
    "location",
]
