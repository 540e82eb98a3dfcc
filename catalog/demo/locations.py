"""Location products: ``Tutorial - London`` is the catalog product LON, short name London.

The CSV names location products by full name. Known places get the codes the storefront
already uses; any other place gets a code derived from its name, so a new city in next
sitting's export loads without a code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.demo.formats import TutorialFamily

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

PRODUCT_CODE_MAX_LENGTH = 20
_KNOWN_CODES = frozenset(code for code, _, _ in KNOWN_LOCATIONS.values())


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
    name = fullname.strip()
    if name.startswith(FULLNAME_PREFIX):
        name = name[len(FULLNAME_PREFIX) :].strip()
    if not name:
        raise LocationError("location_product is empty")
    if name in PLACEHOLDER_LOCATIONS:
        raise LocationError(f"location product {fullname!r} is a placeholder, not a place")
    if name in KNOWN_LOCATIONS:
        code, shortname, family = KNOWN_LOCATIONS[name]
        return LocationSpec(code, f"{FULLNAME_PREFIX}{name}", shortname, family)
    code = re.sub(r"[^A-Za-z0-9]", "", name).upper()[: PRODUCT_CODE_MAX_LENGTH - 1]
    if not code:
        raise LocationError(f"location product {fullname!r} has no letters or digits")
    if code in _KNOWN_CODES:
        # "Lon" must not become London's LON.
        code = f"{code}2"
    return LocationSpec(code, f"{FULLNAME_PREFIX}{name}", name[:100], None)
