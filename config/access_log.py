"""gunicorn's access log: one JSON object per request, encoded by orjson.

gunicorn's own access logger builds a dictionary of every request header, response
header and environ variable for each request, then formats the line through
``access_log_format`` (about 0.1 ms of CPU, a third of what gunicorn spends on a small
request; issue 11), and it escapes only double quotes: a user agent ending in a
backslash made the line invalid JSON. This one reads the few fields it writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from gunicorn.glogging import Logger

REQUEST_ID_HEADER = "x-request-id"


def _response_header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


class JsonAccessLogger(Logger):
    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        entry = {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "remote": environ.get("REMOTE_ADDR", "-"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "duration_us": request_time.seconds * 1_000_000 + request_time.microseconds,
            "request_id": _response_header(resp.headers, REQUEST_ID_HEADER),
            "user_agent": environ.get("HTTP_USER_AGENT"),
        }
        try:
            self.access_log.info(orjson.dumps(entry).decode())
        except Exception:  # as gunicorn's own: a log line must not fail the request
            self.exception("access log")
