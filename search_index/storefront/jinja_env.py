"""The storefront templates' Jinja2 environment: Django's ``static`` and ``url`` as
functions, the only two tags the page used from Django's engine."""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import Environment


def environment(**options: Any) -> Environment:
    env = Environment(**options)
    env.globals.update(static=static, url=reverse)
    return env
