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
      format code, or a subject the catalog does not offer (``M1_LO_6``);
    * a placeholder or empty location product, or one whose family contradicts the
      format (a face-to-face format at "Tutorial - Live Online");
    * an empty, over-long or duplicate event code (the first row with a code wins);
    * a date that does not parse, or a start after the end;
    * a non-numeric space count or an unreadable ``sold_out``;
    * a wrong number of fields, a blank line, a line the CSV reader cannot split.

An empty ``finalisation_date`` is not mess: the field is optional.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from catalog.demo.formats import FormatCodeError, TutorialFamily, TutorialFormat, parse_format_code
from catalog.demo.locations import LocationError, LocationSpec, location_spec
from catalog.demo.sessions import LONDON, session_count

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
EVENT_CODE_MAX_LENGTH = 50
VENUE_MAX_LENGTH = 255


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
        _, header = next(records)
    except StopIteration:
        raise CsvFileError(f"{path} is empty. Hint: expected a header line.") from None
    columns = _column_positions(header, path)

    result = ParsedEvents()
    parser = _RowParser(offered_subjects)
    for line, record in records:
        result.lines_read += 1
        if isinstance(record, RowError):
            result.errors.append(record)
            continue
        warnings: list[str] = []
        try:
            row = parser.parse(line, _cells(record, columns, len(header)), warnings)
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


def _records(text: str) -> Iterator[tuple[int, list[str] | RowError]]:
    """(first line number, fields) per CSV record; a record the reader rejects is a RowError."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, RowError(line, f"not a valid CSV line ({exc})")
            continue
        if not record:
            yield line, RowError(line, "blank line")
            continue
        if all(not cell.strip() for cell in record):
            yield line, RowError(line, "empty row: every field is blank")
            continue
        yield line, record


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


def _cells(record: list[str], columns: dict[str, int], width: int) -> dict[str, str]:
    extra = record[width:]
    if len(record) < width or any(cell.strip() for cell in extra):
        raise _Rejected(f"expected {width} fields, found {len(record)}")
    return {column: record[position].strip() for column, position in columns.items()}


class _RowParser:
    """Validates one row at a time; remembers codes and location families seen so far."""

    def __init__(self, offered_subjects: Collection[str]) -> None:
        self.offered_subjects = offered_subjects
        self.first_line_by_code: dict[str, int] = {}
        self.family_by_location: dict[str, tuple[TutorialFamily, int]] = {}

    def parse(self, line: int, cells: dict[str, str], warnings: list[str]) -> EventRow:
        problems: list[str] = []

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

        if not problems and code in self.first_line_by_code:
            problems.append(
                f"duplicate event_code {code!r} (first loaded from line "
                f"{self.first_line_by_code[code]})"
            )
        if problems or not (tutorial_format and location and start and end):
            raise _Rejected("; ".join(problems))

        sessions = session_count(tutorial_format.days, start.date(), end.date())
        if tutorial_format.days and sessions < tutorial_format.days:
            warnings.append(
                f"format {tutorial_format.code} has {tutorial_format.days} days but the event "
                f"spans {sessions}; one session per day"
            )
        self.first_line_by_code[code] = line
        self.family_by_location.setdefault(location.code, (tutorial_format.family, line))
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
            return location_spec(name)
        except LocationError as exc:
            problems.append(str(exc))
            return None

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


def _datetime(column: str, value: str, problems: list[str]) -> dt.datetime | None:
    if not value:
        problems.append(f"{column} is empty")
        return None
    for pattern in DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(value, pattern).replace(tzinfo=LONDON)
        except ValueError:
            continue
    problems.append(f"{column} {value!r} is not a date (expected DD/MM/YYYY HH:MM)")
    return None


def _date(column: str, value: str, problems: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.strptime(value, DATE_FORMAT).date()
    except ValueError:
        problems.append(f"{column} {value!r} is not a date (expected DD/MM/YYYY)")
        return None


def _boolean(column: str, value: str, problems: list[str]) -> bool | None:
    parsed = BOOLEANS.get(value.lower())
    if parsed is None:
        problems.append(f"{column} {value!r} is not True or False")
    return parsed


def _space(value: str, problems: list[str], warnings: list[str]) -> int:
    if not value:
        warnings.append("available_space is empty; stored as 0")
        return 0
    try:
        space = int(value)
    except ValueError:
        problems.append(f"available_space {value!r} is not a whole number")
        return 0
    if space < 0:
        warnings.append(f"available_space is negative ({space}); stored as 0")
        return 0
    return space
