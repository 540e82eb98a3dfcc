"""Tutorial format codes: ``CB1_f2f_3``, ``CM2_LO_5``, ``OC_CS1``.

A format code names the subject, the format family and, for dated formats, the number
of days. The family decides the product group of the location product (Face-to-face,
Live Online, Online Classroom); the days decide how many sessions an event gets.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class TutorialFamily(enum.Enum):
    """A tutorial format family: the code used in format codes, and its product group."""

    FACE_TO_FACE = ("f2f", "Face-to-face")
    LIVE_ONLINE = ("LO", "Live Online")
    ONLINE_CLASSROOM = ("OC", "Online Classroom")

    def __init__(self, code: str, label: str) -> None:
        self.code = code
        self.label = label


class FormatCodeError(ValueError):
    """A format code that does not name a known kind of tutorial."""


# Waiting-list rows in the Administrate export carry this pseudo format code.
WAITING_LIST_CODE = "WAITLIST"

# ASCII digits only: a bare \d also matches other scripts' digits, which int() accepts,
# so a full-width "3" would make a second variation of the 3-day format.
_SUBJECT = r"(?P<subject>[A-Z]{1,4}[0-9]{1,2})"
_DATED = re.compile(rf"{_SUBJECT}_(?P<family>f2f|LO)_(?P<days>[0-9]{{1,2}})")
_ONLINE_CLASSROOM = re.compile(rf"OC_{_SUBJECT}")
_FAMILY_BY_CODE = {family.code: family for family in TutorialFamily}
SHOWN_MAX_LENGTH = 40


def shown(value: str) -> str:
    """``value`` quoted for a message, cut short so a huge cell cannot flood the report."""
    if len(value) > SHOWN_MAX_LENGTH:
        return f"{value[:SHOWN_MAX_LENGTH]!r}... ({len(value)} characters)"
    return repr(value)


@dataclass(frozen=True)
class TutorialFormat:
    code: str
    subject_code: str
    family: TutorialFamily
    # None for the self-paced Online Classroom, which has no days.
    days: int | None

    @classmethod
    def dated(cls, subject_code: str, family: TutorialFamily, days: int) -> TutorialFormat:
        return cls(f"{subject_code}_{family.code}_{days}", subject_code, family, days)

    @property
    def description_short(self) -> str:
        if self.days is None:
            return self.family.label
        return f"{self.days}-day {self.family.label.lower()}"

    @property
    def description(self) -> str:
        return f"{self.subject_code} {self.description_short}"


def parse_format_code(code: str) -> TutorialFormat:
    """The format a code names; ``FormatCodeError`` saying why when it names none."""
    if code == WAITING_LIST_CODE:
        raise FormatCodeError(f"{code} is a waiting-list code, not a bookable tutorial event")
    if match := _DATED.fullmatch(code):
        days = int(match["days"])
        if days < 1:
            raise FormatCodeError(f"format code {code!r} has {days} days")
        tutorial_format = TutorialFormat.dated(
            match["subject"], _FAMILY_BY_CODE[match["family"]], days
        )
        if tutorial_format.code != code:
            # "CB1_f2f_03" would be a second variation (and store product) of CB1_f2f_3.
            raise FormatCodeError(
                f"format code {code!r} has a leading zero (expected {tutorial_format.code!r})"
            )
        return tutorial_format
    if match := _ONLINE_CLASSROOM.fullmatch(code):
        return TutorialFormat(code, match["subject"], TutorialFamily.ONLINE_CLASSROOM, None)
    raise FormatCodeError(
        f"unknown format code {shown(code)} (expected e.g. CB1_f2f_3, CB1_LO_6 or OC_CB1)"
    )
