"""What kind of row a store product heads, and each kind's preview fields.

The storefront's client picks a card layout by ``kind``: a ``material`` row is a
catalog product in one exam session subject with its formats as variations; a
``tutorial`` or ``marking`` row is one store product. Tutorials are described by their
format (``LO_6``, "Live Online 6 days") and location; markings by their template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.models import ProductGroup

MATERIAL = "material"
TUTORIAL = "tutorial"
MARKING = "marking"
KIND_BY_ROW_TYPE = {"Materials": MATERIAL, "Tutorial": TUTORIAL, "Markings": MARKING}
# A tutorial or marking row is one store product, keyed by it (``sp:<id>``); a material
# row is keyed by its product in an exam session subject and may hold several.
SINGLE_ROW_KEY_PREFIX = "sp:"

# A tutorial's format family is the product group beneath "Tutorial" its location
# product belongs to; its code starts the format code. Unknown families use the group code.
FAMILY_CODE_BY_GROUP_CODE = {
    "FACE_TO_FACE": "F2F",
    "LIVE_ONLINE": "LO",
    "ONLINE_CLASSROOM": "OC",
}
# Self-paced: not a place anyone attends, so its rows carry no location.
PLACELESS_GROUP_CODES = frozenset({"ONLINE_CLASSROOM"})
# The number of days ends a dated format's variation code: CM2_f2f_5, CB1_LO_6.
_DAYS = re.compile(r"_([0-9]{1,2})$")


@dataclass(frozen=True)
class TutorialFormat:
    code: str
    display: str


def tutorial_format(
    variation_code: str, family: ProductGroup | None, fallback_label: str
) -> TutorialFormat:
    """``F2F_5`` / "Face-to-face 5 days" from the variation code and the format family
    (the product's group beneath "Tutorial"; without one, the variation's own label)."""
    if family is None or not family.code or not family.name:
        return TutorialFormat(variation_code.upper(), fallback_label or variation_code)
    prefix = FAMILY_CODE_BY_GROUP_CODE.get(family.code, family.code)
    match = _DAYS.search(variation_code)
    if not match:
        return TutorialFormat(prefix, family.name)
    days = int(match[1])
    unit = "day" if days == 1 else "days"
    return TutorialFormat(f"{prefix}_{days}", f"{family.name} {days} {unit}")
