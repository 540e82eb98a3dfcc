"""Browser tests of the admin start logged in: the login form is not what they test."""

from __future__ import annotations

from typing import Any


def log_in(page: Any, client: Any, user: Any, base_url: str) -> None:
    """Reuse a test-client session cookie in the browser's context."""
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base_url}])
