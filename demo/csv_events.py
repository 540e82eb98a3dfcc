"""Reading the tutorial-event export: every row is loaded, or reported with its line.

The export (``tutorial_events_25S.csv``) is messy on purpose. Each kind of mess is
either fixed and loaded with a warning, or rejected with a reason:

loaded with a warning
    * empty ``venue`` (the Online Classroom rows): the venue is the location's name;
    * negative ``available_space`` (Online Classroom rows are sold beyond their nominal
      capacity): stored as 0 spaces left;
    * empty ``available_space``: stored as 0;
    * a format with more days than the event spans: one session per calendar day.

rejected
    * the ``WAITLIST`` pseudo format (waiting lists are not bookable events), an unknown
      format code or one with a leading zero (``CB1_f2f_03``), or a subject the catalog
      does not offer (``M1_LO_6``);
    * a placeholder or empty location product, one whose family contradicts the
      format (a face-to-face format at "Tutorial - Live Online"), one too long for the
      product, one whose derived code belongs to another place or to a material
      product;
    * an empty, over-long or duplicate event code (the first row with a code wins;
      codes differing only in case or Unicode form are duplicates);
    * a date that does not parse, lies outside the years 2000-2099, or is a London
      time the clocks skip; a start after the end;
    * a space count that is not a whole number or does not fit the column, or an
      unreadable ``sold_out``;
    * an over-long venue; a NUL or other control character in any field (PostgreSQL
      refuses NUL), or an unprintable one in the event code;
    * a wrong number of fields, a blank line, a line the CSV reader cannot split.

Every value written comes from a check here against its column's limits, so a row that
passes cannot fail at insert and take the rest of the load down with it.

An empty ``finalisation_date`` is not mess: the field is optional.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from demo.formats import (
    SHOWN_MAX_LENGTH,
    FormatCodeError,
    TutorialFamily,
    TutorialFormat,
    parse_format_code,
    shown,
)
from demo.locations import LocationError, LocationSpec, location_spec
from demo.reference import MATERIAL_PRODUCTS
from demo.sessions import LONDON, existing, session_count

COLUMNS = (
    "format_code",
    "event_code",
    "start",
    "end",
    "location_product",
    "venue",
    "sold_out",
    "finalisation_date",
    "available_space",
)
DATETIME_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y")
DATE_FORMAT = "%d/%m/%Y"
BOOLEANS = {
    "true": True,
    "yes": True,
    "y": True,
    "1": True,
    "false": False,
    "no": False,
    "n": False,
    "0": False,
    "": False,
}
# TutorialEvent.code, TutorialEvent.venue (and TutorialSession.venue), and the range of
# TutorialEvent.remain_space, a 32-bit integer column.
EVENT_CODE_MAX_LENGTH = 50
VENUE_MAX_LENGTH = 255
REMAIN_SPACE_MAX = 2**31 - 1
# Dates outside these years are typos (0025 for 2025) or placeholders (31/12/9999);
# the ends of Python's range would also overflow when sessions are planned.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2099
# Line breaks and tabs are kept in the venue (a quoted two-line address); any other
# control character is refused everywhere.
VENUE_WHITESPACE = frozenset("\t\n\r")
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
# Location codes the material products already use: a place must not take them over.
_MATERIAL_CODES = frozenset(product.code for product in MATERIAL_PRODUCTS)


class CsvFileError(Exception):
    """The file as a whole cannot be read as the export: unreadable, or wrong header."""


@dataclass(frozen=True)
class RowError:
    """A row that was not loaded, and why. ``line`` is 1-based; the header is line 1."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class RowWarning(RowError):
    """A row that was loaded after a fix, and what was fixed."""


@dataclass(frozen=True)
class EventRow:
    line: int
    code: str
    tutorial_format: TutorialFormat
    location: LocationSpec
    venue: str
    is_soldout: bool
    finalisation_date: dt.date | None
    remain_space: int
    start: dt.datetime
    end: dt.datetime
    sessions: int


@dataclass
class ParsedEvents:
    rows: list[EventRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowWarning] = field(default_factory=list)
    # Data lines read, blank and broken ones included; the header is not counted.
    lines_read: int = 0


class _Rejected(Exception):
    pass


def read_events(path: Path | str, offered_subjects: Collection[str]) -> ParsedEvents:
    """Parse and validate the export; raise ``CsvFileError`` only for the whole file."""
    text = _read_text(Path(path))
    records = _records(text)
    try:
        _, _, header = next(records)
    except StopIteration:
        raise CsvFileError(f"{path} is empty. Hint: expected a header line.") from None
    columns = _column_positions(header, path)

    result = ParsedEvents()
    parser = _RowParser(offered_subjects)
    for line, last_line, record in records:
        result.lines_read += 1
        if isinstance(record, RowError):
            result.errors.append(record)
            continue
        warnings: list[str] = []
        try:
            cells = _cells(record, columns, len(header), line, last_line)
            row = parser.parse(line, cells, warnings)
        except _Rejected as rejected:
            result.errors.append(RowError(line, str(rejected)))
            continue
        result.rows.append(row)
        result.warnings.extend(RowWarning(line, warning) for warning in warnings)
    return result


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheet exports are often Windows-1252; undecodable bytes become U+FFFD.
        return raw.decode("cp1252", errors="replace")


def _records(text: str) -> Iterator[tuple[int, int, list[str] | RowError]]:
    """(first line, last line, fields) per CSV record; one the reader rejects is a RowError.

    A record spans several lines when a quoted field holds a line break, or a quote is
    left open.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, reader.line_num, RowError(line, f"not a valid CSV line ({exc})")
            continue
        if not record:
            yield line, reader.line_num, RowError(line, "blank line")
            continue
        if all(not cell.strip() for cell in record):
            yield line, reader.line_num, RowError(line, "empty row: every field is blank")
            continue
        yield line, reader.line_num, record


def _column_positions(header: list[str] | RowError, path: Path | str) -> dict[str, int]:
    if isinstance(header, RowError):
        raise CsvFileError(f"{path}: the header is not readable ({header.reason}).")
    names = [name.strip().lower() for name in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise CsvFileError(
            f"{path}: the header lacks {', '.join(missing)}. "
            f"Hint: expected the columns {','.join(COLUMNS)}."
        )
    return {column: names.index(column) for column in COLUMNS}


def _cells(
    record: list[str], columns: dict[str, int], width: int, line: int, last_line: int
) -> dict[str, str]:
    extra = record[width:]
    if len(record) < width or any(cell.strip() for cell in extra):
        reason = f"expected {width} fields, found {len(record)}"
        if last_line > line:
            # The lines an open quote swallowed into this record are reported with it.
            reason += f" (the record runs to line {last_line}: is a quote left open?)"
        raise _Rejected(reason)
    return {column: record[position].strip() for column, position in columns.items()}


class _RowParser:
    """Validates one row at a time; remembers the codes and locations loaded so far."""

    def __init__(self, offered_subjects: Collection[str]) -> None:
        self.offered_subjects = offered_subjects
        # event-code key (see _code_key) -> (code as written, line) of the row that won.
        self.first_code_by_key: dict[str, tuple[str, int]] = {}
        self.family_by_location: dict[str, tuple[TutorialFamily, int]] = {}
        # location product code -> (full name, line) of the first row loaded there.
        self.location_by_code: dict[str, tuple[str, int]] = {}

    def parse(self, line: int, cells: dict[str, str], warnings: list[str]) -> EventRow:
        problems = _character_problems(cells)

        code = cells["event_code"]
        if not code:
            problems.append("event_code is empty")
        elif len(code) > EVENT_CODE_MAX_LENGTH:
            problems.append(f"event_code is longer than {EVENT_CODE_MAX_LENGTH} characters")

        tutorial_format = self._format(cells["format_code"], problems)
        location = self._location(cells["location_product"], problems)
        if tutorial_format and location:
            self._check_family(tutorial_format, location, problems)

        start = _datetime("start", cells["start"], problems)
        end = _datetime("end", cells["end"], problems)
        if start and end and start > end:
            problems.append(f"start {cells['start']} is after end {cells['end']}")
        is_soldout = _boolean("sold_out", cells["sold_out"], problems)
        finalisation_date = _date("finalisation_date", cells["finalisation_date"], problems)
        remain_space = _space(cells["available_space"], problems, warnings)

        venue = cells["venue"]
        if len(venue) > VENUE_MAX_LENGTH:
            problems.append(f"venue is longer than {VENUE_MAX_LENGTH} characters")
        elif not venue and location:
            venue = location.shortname
            warnings.append(f"venue is empty; using the location {venue!r}")

        if not problems and location:
            self._check_location_code(location, problems)
        if not problems:
            self._check_duplicate(code, problems)
        if problems or not (tutorial_format and location and start and end):
            raise _Rejected("; ".join(problems))

        sessions = session_count(tutorial_format.days, start.date(), end.date())
        if tutorial_format.days and sessions < tutorial_format.days:
            warnings.append(
                f"format {tutorial_format.code} has {tutorial_format.days} days but the event "
                f"spans {sessions}; one session per day"
            )
        self.first_code_by_key[_code_key(code)] = (code, line)
        self.family_by_location.setdefault(location.code, (tutorial_format.family, line))
        self.location_by_code.setdefault(location.code, (location.fullname, line))
        return EventRow(
            line=line,
            code=code,
            tutorial_format=tutorial_format,
            location=location,
            venue=venue,
            is_soldout=bool(is_soldout),
            finalisation_date=finalisation_date,
            remain_space=remain_space,
            start=start,
            end=end,
            sessions=sessions,
        )

    def _format(self, code: str, problems: list[str]) -> TutorialFormat | None:
        if not code:
            problems.append("format_code is empty")
            return None
        try:
            tutorial_format = parse_format_code(code)
        except FormatCodeError as exc:
            problems.append(str(exc))
            return None
        if tutorial_format.subject_code not in self.offered_subjects:
            problems.append(
                f"subject {tutorial_format.subject_code!r} of format code {code!r} "
                "is not an offered subject"
            )
            return None
        return tutorial_format

    def _location(self, name: str, problems: list[str]) -> LocationSpec | None:
        try:
            location = location_spec(name)
        except LocationError as exc:
            problems.append(str(exc))
            return None
        if location.code in _MATERIAL_CODES:
            problems.append(
                f"location product {location.fullname!r} would take over the product code "
                f"{location.code} of a material product"
            )
            return None
        return location

    def _check_location_code(self, location: LocationSpec, problems: list[str]) -> None:
        """Two place names must not share one product ("St Albans", "St. Albans")."""
        fullname, first_line = self.location_by_code.get(location.code, (location.fullname, 0))
        if fullname != location.fullname:
            problems.append(
                f"location product {location.fullname!r} has the same product code "
                f"{location.code} as {fullname!r} (first loaded from line {first_line})"
            )

    def _check_duplicate(self, code: str, problems: list[str]) -> None:
        """The first row with a code wins; codes equal but for case or form are the same."""
        if (first := self.first_code_by_key.get(_code_key(code))) is None:
            return
        first_code, first_line = first
        if first_code == code:
            problems.append(f"duplicate event_code {code!r} (first loaded from line {first_line})")
        else:
            problems.append(
                f"duplicate event_code {code!r}: the same as {first_code!r} but for case or "
                f"Unicode form (first loaded from line {first_line})"
            )

    def _check_family(
        self, tutorial_format: TutorialFormat, location: LocationSpec, problems: list[str]
    ) -> None:
        if location.family is not None:
            expected, origin = location.family, ""
        elif location.code in self.family_by_location:
            expected, first_line = self.family_by_location[location.code]
            origin = f" (from line {first_line})"
        else:
            return
        if tutorial_format.family is not expected:
            problems.append(
                f"format {tutorial_format.code} is {tutorial_format.family.label} but "
                f"{location.fullname!r} is {expected.label}{origin}"
            )


def _code_key(code: str) -> str:
    """What makes two event codes the same: not case, not Unicode form (NFKC)."""
    return unicodedata.normalize("NFKC", code).casefold()


def _character_problems(cells: dict[str, str]) -> list[str]:
    """The first odd character of each column, if any."""
    problems = []
    for column in COLUMNS:
        for char in cells[column]:
            if odd := _odd_character(column, char):
                problems.append(f"{column} contains {odd}")
                break
    return problems


def _odd_character(column: str, char: str) -> str | None:
    if char == "\x00":
        return "a NUL character"  # PostgreSQL refuses it in text.
    if unicodedata.category(char) == "Cc":
        if column == "venue" and char in VENUE_WHITESPACE:
            return None
        return f"the control character U+{ord(char):04X}"
    if column == "event_code" and not char.isprintable():
        # A zero-width or odd space would make a code that looks like another one.
        return f"the unprintable character U+{ord(char):04X}"
    return None


def _datetime(column: str, value: str, problems: list[str]) -> dt.datetime | None:
    if not value:
        problems.append(f"{column} is empty")
        return None
    for pattern in DATETIME_FORMATS:
        try:
            parsed = dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
        if not _year_in_range(column, value, parsed.year, problems):
            return None
        local = parsed.replace(tzinfo=LONDON)
        if existing(local).replace(tzinfo=None) != parsed:
            problems.append(
                f"{column} {value} does not exist in London time (the clocks go forward)"
            )
            return None
        return local
    problems.append(f"{column} {shown(value)} is not a date (expected DD/MM/YYYY HH:MM)")
    return None


def _date(column: str, value: str, problems: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.strptime(value, DATE_FORMAT).date()
    except ValueError:
        problems.append(f"{column} {shown(value)} is not a date (expected DD/MM/YYYY)")
        return None
    return parsed if _year_in_range(column, value, parsed.year, problems) else None


def _year_in_range(column: str, value: str, year: int, problems: list[str]) -> bool:
    if EARLIEST_YEAR <= year <= LATEST_YEAR:
        return True
    problems.append(f"{column} {value} is outside the years {EARLIEST_YEAR}-{LATEST_YEAR}")
    return False


def _boolean(column: str, value: str, problems: list[str]) -> bool | None:
    parsed = BOOLEANS.get(value.lower())
    if parsed is None:
        problems.append(f"{column} {shown(value)} is not True or False")
    return parsed


def _space(value: str, problems: list[str], warnings: list[str]) -> int:
    if not value:
        warnings.append("available_space is empty; stored as 0")
        return 0
    # ASCII digits only: int() would also take "1_000" and other scripts' digits.
    if not _WHOLE_NUMBER.fullmatch(value):
        problems.append(f"available_space {shown(value)} is not a whole number")
        return 0
    digits = value.lstrip("+-").lstrip("0") or "0"
    if value.startswith("-") and digits != "0":
        warnings.append(f"available_space is negative (-{_cut(digits)}); stored as 0")
        return 0
    # Length first: int() refuses strings of over 4,300 digits.
    if len(digits) > len(str(REMAIN_SPACE_MAX)) or int(digits) > REMAIN_SPACE_MAX:
        problems.append(
            f"available_space {_cut(value)} is out of range (at most {REMAIN_SPACE_MAX})"
        )
        return 0
    return int(digits)


def _cut(number: str) -> str:
    """A long number shortened for a message."""
    if len(number) > SHOWN_MAX_LENGTH:
        return f"{number[:SHOWN_MAX_LENGTH]}... ({len(number)} digits)"
    return number
