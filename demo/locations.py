"""Location products: ``Tutorial - London`` is the catalog product LON, short name London.

The CSV names location products by full name. Known places get the codes the storefront
already uses; any other place gets a code derived from its name, so a new city in next
sitting's export loads without a code change. The prefix, known places and placeholders
are recognised whatever their case ("Tutorial - london" is London).

A name that would not fit the product (full name 255 characters, short name 100) is
refused rather than cut, so two long names cannot end up as one short name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from demo.formats import TutorialFamily, shown

FULLNAME_PREFIX = "Tutorial - "

# short name in the CSV -> (product code, short name shown as the event location, family).
KNOWN_LOCATIONS: dict[str, tuple[str, str, TutorialFamily]] = {
    "London": ("LON", "London", TutorialFamily.FACE_TO_FACE),
    "Edinburgh": ("EDI", "Edinburgh", TutorialFamily.FACE_TO_FACE),
    "Manchester": ("MAN", "Manchester", TutorialFamily.FACE_TO_FACE),
    "Birmingham": ("BIR", "Birmingham", TutorialFamily.FACE_TO_FACE),
    "Bristol": ("BRI", "Bristol", TutorialFamily.FACE_TO_FACE),
    "Leeds": ("LEE", "Leeds", TutorialFamily.FACE_TO_FACE),
    "Dublin": ("DUB", "Dublin", TutorialFamily.FACE_TO_FACE),
    "Live Online": ("LO", "Live Online", TutorialFamily.LIVE_ONLINE),
    "Online": ("OC", "Online Classroom", TutorialFamily.ONLINE_CLASSROOM),
}

# Placeholders in the Administrate export that are not places anyone can attend.
PLACEHOLDER_LOCATIONS = frozenset({"Default Location"})

# Product.code, Product.fullname and Product.shortname.
PRODUCT_CODE_MAX_LENGTH = 20
FULLNAME_MAX_LENGTH = 255
SHORTNAME_MAX_LENGTH = 100
_KNOWN_CODES = frozenset(code for code, _, _ in KNOWN_LOCATIONS.values())
_KNOWN_BY_FOLDED_NAME = {name.casefold(): name for name in KNOWN_LOCATIONS}
_PLACEHOLDERS_FOLDED = frozenset(name.casefold() for name in PLACEHOLDER_LOCATIONS)


@dataclass(frozen=True)
class LocationSpec:
    code: str
    fullname: str
    shortname: str
    # The family every format at this place must belong to; None when not fixed.
    family: TutorialFamily | None


class LocationError(ValueError):
    """A location product name that cannot stand for a place."""


def location_spec(fullname: str) -> LocationSpec:
    """The location product a CSV ``location_product`` value names."""
    if len(fullname) > FULLNAME_MAX_LENGTH:
        raise LocationError(f"location_product is longer than {FULLNAME_MAX_LENGTH} characters")
    name = fullname.strip()
    if name[: len(FULLNAME_PREFIX)].casefold() == FULLNAME_PREFIX.casefold():
        name = name[len(FULLNAME_PREFIX) :].strip()
    if not name:
        raise LocationError("location_product is empty")
    if name.casefold() in _PLACEHOLDERS_FOLDED:
        raise LocationError(f"location product {shown(fullname)} is a placeholder, not a place")
    if name.casefold() in _KNOWN_BY_FOLDED_NAME:
        name = _KNOWN_BY_FOLDED_NAME[name.casefold()]
        code, shortname, family = KNOWN_LOCATIONS[name]
        return LocationSpec(code, f"{FULLNAME_PREFIX}{name}", shortname, family)
    if len(name) > SHORTNAME_MAX_LENGTH:
        # The short name is the event's location; the full name adds the prefix.
        raise LocationError(
            f"the place in location_product is longer than {SHORTNAME_MAX_LENGTH} characters"
        )
    code = re.sub(r"[^A-Za-z0-9]", "", name).upper()[: PRODUCT_CODE_MAX_LENGTH - 1]
    if not code:
        raise LocationError(f"location product {shown(fullname)} has no letters or digits")
    if code in _KNOWN_CODES:
        # "Lon" must not become London's LON.
        code = f"{code}2"
    return LocationSpec(code, f"{FULLNAME_PREFIX}{name}", name, None)
