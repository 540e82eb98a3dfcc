"""Codes as staff and shoppers paste them: any case, with or without separators.

``CS1/PCSM01/2025-09``, ``cs1 pcsm01 2025 09`` and ``CS1PCSM01202509`` name the same
store product; ``CM2-55-25S`` and ``cm2 55 25s`` the same event. A code's key keeps only
its letters and digits, lowercased, and is indexed as a keyword, so a pasted code is one
exact term lookup however it was typed.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\W_]+")


def code_key(text: str) -> str:
    """Letters and digits only, case-folded: the form codes are indexed and looked up in."""
    return _SEPARATORS.sub("", text).casefold()
