"""A JSON parser with limits: body size, nesting depth and value count.

The standard parser hands any body to ``json.loads``: a 5,000-deep array raises
``RecursionError`` (a 500), and a multi-megabyte body is read whole. Here the body is read
only up to its limit, decoded by orjson (which stops at depth 1,024 by itself), and its
shape is walked without recursion, so hostile input is a 400 that names the limit.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _check_shape(data: Any, max_depth: int, max_values: int) -> None:
    """Raise ``ParseError`` if ``data`` nests deeper or holds more values than allowed."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    values = 0
    while stack:
        value, depth = stack.pop()
        values += 1
        if values > max_values:
            raise ParseError(f"JSON body holds more than {max_values} values.")
        if isinstance(value, dict | list):
            if depth > max_depth:
                raise ParseError(f"JSON body is nested deeper than {max_depth} levels.")
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)


def parse_bounded_json(stream: Any) -> Any:
    """The JSON document ``stream`` holds, within ``settings.API_LIMITS``: DRF's parser and
    the search endpoints' lean path (``search_index.api.lean_path``) both read bodies here."""
    limits = settings.API_LIMITS
    max_bytes = limits["MAX_BODY_BYTES"]
    raw = stream.read(max_bytes + 1) if stream is not None else b""
    if len(raw) > max_bytes:
        raise ParseError(f"Request body is larger than {max_bytes} bytes.")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if "depth limit" in str(exc):
            raise ParseError(
                f"JSON body is nested deeper than {limits['MAX_JSON_DEPTH']} levels."
            ) from exc
        raise ParseError(f"JSON parse error - {exc}") from exc
    _check_shape(data, limits["MAX_JSON_DEPTH"], limits["MAX_JSON_VALUES"])
    return data


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return parse_bounded_json(stream)
