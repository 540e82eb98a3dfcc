"""Respelling a query from the suggester's answer: words replaced where they were typed."""

from __future__ import annotations

from search_index.search.spelling import respelled_from


def _entry(text: str, offset: int, options: list[str]) -> dict:
    return {"text": text, "offset": offset, "length": len(text),
            "options": [{"text": option} for option in options]}  # fmt: skip


def test_each_corrected_word_is_replaced_in_place() -> None:
    entries = [
        _entry("cm2", 0, []),
        _entry("lndn", 5, ["london"]),
        _entry("revsion", 10, ["revision"]),
    ]

    assert respelled_from("cm2  lndn revsion!", entries) == "cm2  london revision!"


def test_nothing_corrected_is_no_respelling() -> None:
    assert respelled_from("cm2 london", [_entry("cm2", 0, []), _entry("london", 4, [])]) is None
    # a change of case only is no respelling either
    assert respelled_from("London", [_entry("london", 0, ["london"])]) is None
