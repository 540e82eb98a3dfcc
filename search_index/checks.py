from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from search_index.conf import check_settings


@register()
def search_index_settings_check(app_configs: Any, **kwargs: Any) -> list[Error]:
    return [
        Error(f"settings.SEARCH_INDEX: {problem}", id="search_index.E001")
        for problem in check_settings()
    ]
