"""List filters named in an editor's words rather than by the field's path."""

from __future__ import annotations

from typing import Any

from django.contrib import admin


def titled(title: str) -> type[admin.RelatedOnlyFieldListFilter]:
    """A related-only filter headed "By <title>" (e.g. "category" for product groups)."""

    class TitledFilter(admin.RelatedOnlyFieldListFilter):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.title = title

    TitledFilter.__name__ = f"{title.title().replace(' ', '')}Filter"
    return TitledFilter
