"""The storefront's usual search bodies validated without building DRF fields per request.

DRF deep-copies every serializer field for every request: validating a body with two
filters took 2.1 ms, an empty one 0.2 ms (issue 11), on a request whose whole budget
outside OpenSearch is about 1 ms. The bodies the storefront sends are small and
well-formed; ``quick_validated`` recognises those and returns exactly what
``SearchRequestSerializer`` returns for them. Anything else (a wrong type, an unknown
key, a limit crossed, a date it does not parse itself) gives None, and the serializer
validates the body and names the error. ``tests/search_index/test_quick_validation.py``
checks on generated bodies that the two never disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from search_index.api.request import MAX_ID, FilterValueField, SearchBoxQuerySerializer
from search_index.filter_config import FilterSet
from search_index.search.query import MAX_RESULT_WINDOW
from search_index.search.sorting import SORTS

MAX_TEXT = 200  # searchQuery and names: StrictCharField(max_length=200)
MAX_LIST = 100  # every list filter: ListField(max_length=100)
MAX_PAGE_SIZE = 100
NAME_KEYS = ("exam_sessions", "locations", "venues")
ID_KEYS = ("product_ids", "essp_ids")
DATE_KEYS = ("event_start_from", "event_start_to")
# The serializer's own order of the built-in filter keys (FiltersSerializer's fields).
BUILTIN_ORDER = (*ID_KEYS, *NAME_KEYS, *DATE_KEYS, "available_only")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The search box's ``limit``: digits only (the serializer also takes "5.0" or " 5").
_BOX_LIMIT_FIELD = SearchBoxQuerySerializer().fields["limit"]
_BOX_LIMIT = re.compile(r"[0-9]{1,3}")


class _Unsure(Exception):
    """Not a body this module vouches for: the serializer decides."""


def _text(value: Any, allow_blank: bool) -> str:
    """A ``StrictCharField``: a string, whitespace trimmed, no NUL or lone surrogate."""
    if not isinstance(value, str):
        raise _Unsure
    text = value.strip()
    if (not text and not allow_blank) or len(text) > MAX_TEXT or "\x00" in text:
        raise _Unsure
    if not text.isascii():
        try:
            text.encode()
        except UnicodeEncodeError as exc:  # a lone surrogate
            raise _Unsure from exc
    return text


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list) or len(value) > MAX_LIST:
        raise _Unsure
    return value


def _id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise _Unsure
    return value


def _filter_value(value: Any) -> str:
    """A ``FilterValueField``: a non-empty string or an integer, as a string (not trimmed)."""
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise _Unsure
    text = str(value)
    if len(text) > FilterValueField.MAX_LENGTH:
        raise _Unsure
    return text


def _date(value: Any) -> dt.date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise _Unsure
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise _Unsure from exc


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Unsure
    return value


def _filters(value: Any, filter_set: FilterSet) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Unsure
    configured = [f.key for f in filter_set.filters if f.key not in BUILTIN_ORDER]
    if not set(value) <= {*BUILTIN_ORDER, *configured}:
        raise _Unsure
    out: dict[str, Any] = {}
    for key in (*BUILTIN_ORDER, *configured):
        if key not in value:
            continue
        given = value[key]
        if key in ID_KEYS:
            out[key] = [_id(item) for item in _list(given)]
        elif key in NAME_KEYS:
            out[key] = [_text(item, allow_blank=False) for item in _list(given)]
        elif key in DATE_KEYS:
            out[key] = _date(given)
        elif key == "available_only":
            out[key] = _bool(given)
        else:
            out[key] = [_filter_value(item) for item in _list(given)]
    start, end = out.get("event_start_from"), out.get("event_start_to")
    if start and end and start > end:
        raise _Unsure
    return out


def _pagination(value: Any) -> dict[str, int]:
    if not isinstance(value, dict) or not set(value) <= {"page", "page_size"}:
        raise _Unsure
    page, size = value.get("page", 1), value.get("page_size", 20)
    for number in (page, size):
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise _Unsure
    if size > MAX_PAGE_SIZE or page * size > MAX_RESULT_WINDOW:
        raise _Unsure
    return {"page": page, "page_size": size}


def _options(value: Any) -> dict[str, Any]:
    """An open object: keys other than these two are ignored, as the serializer does."""
    if not isinstance(value, dict):
        raise _Unsure
    out: dict[str, Any] = {"include_bundles": _bool(value.get("include_bundles", True))}
    if "sort" in value:
        if not isinstance(value["sort"], str) or value["sort"] not in SORTS:
            raise _Unsure
        out["sort"] = value["sort"]
    return out


def quick_validated(body: Any, filter_set: FilterSet) -> dict[str, Any] | None:
    """``SearchRequestSerializer``'s ``validated_data`` for ``body``, or None if unsure."""
    if not isinstance(body, dict):
        return None
    try:
        return {
            "searchQuery": _text(body.get("searchQuery", ""), allow_blank=True),
            # An absent object is the serializer's default as it is: {} (not validated).
            "filters": _filters(body["filters"], filter_set) if "filters" in body else {},
            "pagination": _pagination(body["pagination"]) if "pagination" in body else {},
            "options": _options(body["options"]) if "options" in body else {},
        }
    except _Unsure:
        return None


def quick_search_box_params(params: Mapping[str, str]) -> dict[str, Any] | None:
    """``SearchBoxQuerySerializer``'s ``validated_data`` for the usual ``q`` and ``limit``
    (the last value of each, as the serializer reads a query string), or None if unsure."""
    try:
        query = _text(params.get("q", ""), allow_blank=True)
    except _Unsure:
        return None
    given = params.get("limit")
    if given is None:
        return {"q": query, "limit": _BOX_LIMIT_FIELD.default}
    if not _BOX_LIMIT.fullmatch(given):
        return None
    limit = int(given)
    if not _BOX_LIMIT_FIELD.min_value <= limit <= _BOX_LIMIT_FIELD.max_value:
        return None
    return {"q": query, "limit": limit}
