"""Reading the tutorial-event export: which rows load, which are fixed, which are rejected."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from demo.csv_events import COLUMNS, CsvFileError, read_events
from demo.formats import TutorialFamily
from demo.loader import DEFAULT_CSV, offered_subject_codes
from demo.sessions import LONDON

HEADER = ",".join(COLUMNS)
GOOD_ROW = (
    "CM2_f2f_5,CM2-55-25S,22/07/2025 09:00,21/08/2025 16:30,Tutorial - Dublin,"
    "Camden Court Hotel,False,22/06/2025,11"
)

# Read by eye from the file: the three WAITLIST rows and the two Mod1 (M1) rows.
REAL_REJECTED_LINES = [256, 257, 258, 259, 260]
# The Online Classroom rows: no venue, and (all but SA1's) negative space.
ONLINE_CLASSROOM_LINES = list(range(239, 256))
REAL_DATA_LINES = 268


def good_row_with(**changes: str | None) -> str:
    """The good row with some fields changed; a field changed to None is left out."""
    fields = dict(zip(COLUMNS, GOOD_ROW.split(","), strict=True))
    fields["event_code"] = "CM2-56-25S"
    fields.update(changes)
    return ",".join(value for value in fields.values() if value is not None)


def write_csv(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "events.csv"
    path.write_text("\r\n".join([HEADER, *lines]) + "\r\n", encoding="utf-8")
    return path


def read(path: Path):  # type: ignore[no-untyped-def]
    return read_events(path, offered_subject_codes())


def test_real_export_loads_every_row_but_the_waiting_lists_and_mod1() -> None:
    # Given the real 25S export
    # When it is read
    parsed = read(DEFAULT_CSV)

    # Then 263 of its 268 rows load, and the 5 others are reported by line
    assert parsed.lines_read == REAL_DATA_LINES
    assert len(parsed.rows) == REAL_DATA_LINES - len(REAL_REJECTED_LINES) == 263
    assert [error.line for error in parsed.errors] == REAL_REJECTED_LINES
    reasons = {error.line: error.reason for error in parsed.errors}
    assert "WAITLIST is a waiting-list code" in reasons[256]
    assert "'Tutorial - Default Location' is a placeholder" in reasons[256]
    assert reasons[259] == "subject 'M1' of format code 'M1_LO_6' is not an offered subject"
    assert str(parsed.errors[0]).startswith("line 256: ")


def test_real_export_online_classroom_rows_are_fixed_and_reported() -> None:
    parsed = read(DEFAULT_CSV)

    warnings = {(w.line, w.reason) for w in parsed.warnings}
    assert {w.line for w in parsed.warnings} == set(ONLINE_CLASSROOM_LINES)
    assert (239, "available_space is negative (-81); stored as 0") in warnings
    assert (239, "venue is empty; using the location 'Online Classroom'") in warnings
    assert (253, "available_space is negative (0); stored as 0") not in warnings
    row = next(row for row in parsed.rows if row.code == "CB1-OC-25S")
    assert row.remain_space == 0
    assert row.venue == "Online Classroom"
    assert row.finalisation_date is None
    assert row.tutorial_format.family is TutorialFamily.ONLINE_CLASSROOM
    assert row.sessions == 1


def test_a_good_row_is_read_with_london_times_and_one_session_per_day(tmp_path: Path) -> None:
    parsed = read(write_csv(tmp_path, GOOD_ROW))

    assert parsed.errors == [] and parsed.warnings == []
    (row,) = parsed.rows
    assert row.line == 2
    assert row.code == "CM2-55-25S"
    assert row.location.code == "DUB" and row.location.shortname == "Dublin"
    assert row.tutorial_format.days == 5 and row.sessions == 5
    assert row.start == dt.datetime(2025, 7, 22, 9, 0, tzinfo=LONDON)
    assert row.start.utcoffset() == dt.timedelta(hours=1)
    assert row.finalisation_date == dt.date(2025, 6, 22)
    assert row.remain_space == 11 and row.is_soldout is False


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"venue": None}, "expected 9 fields, found 8"),
        (
            {"start": "31/02/2025 09:00"},
            "start '31/02/2025 09:00' is not a date (expected DD/MM/YYYY HH:MM)",
        ),
        ({"available_space": "x"}, "available_space 'x' is not a whole number"),
        (
            {"start": "22/08/2025 09:00"},
            "start 22/08/2025 09:00 is after end 21/08/2025 16:30",
        ),
        ({"event_code": ""}, "event_code is empty"),
        (
            {"format_code": "CM2_zoom_5"},
            "unknown format code 'CM2_zoom_5' (expected e.g. CB1_f2f_3, CB1_LO_6 or OC_CB1)",
        ),
        (
            {"location_product": "Tutorial - Live Online"},
            "format CM2_f2f_5 is Face-to-face but 'Tutorial - Live Online' is Live Online",
        ),
        ({"sold_out": "maybe"}, "sold_out 'maybe' is not True or False"),
        (
            {"finalisation_date": "soon"},
            "finalisation_date 'soon' is not a date (expected DD/MM/YYYY)",
        ),
        ({"format_code": "CM2_f2f_0"}, "format code 'CM2_f2f_0' has 0 days"),
        ({"event_code": "X" * 51}, "event_code is longer than 50 characters"),
        # Values that used to pass and then fail at insert, taking the whole load down.
        (
            {"available_space": "99999999999"},
            "available_space 99999999999 is out of range (at most 2147483647)",
        ),
        (
            {"available_space": "2147483648"},
            "available_space 2147483648 is out of range (at most 2147483647)",
        ),
        (
            {"available_space": "9" * 5000},
            f"available_space {'9' * 40}... (5000 digits) is out of range (at most 2147483647)",
        ),
        (
            {"location_product": "Tutorial - " + "L" * 245},
            "location_product is longer than 255 characters",
        ),
        (
            {"location_product": "Tutorial - " + "S" * 101},
            "the place in location_product is longer than 100 characters",
        ),
        ({"event_code": "CM2-56\x00-25S"}, "event_code contains a NUL character"),
        ({"venue": "Camden\x00Court"}, "venue contains a NUL character"),
        (
            {"location_product": "Tutorial - Dub\x00lin"},
            "location_product contains a NUL character",
        ),
        ({"venue": "Camden\x1bCourt"}, "venue contains the control character U+001B"),
        (
            {"event_code": "CM2-56-25S\u200b"},
            "event_code contains the unprintable character U+200B",
        ),
        ({"event_code": "CM2\u00a056"}, "event_code contains the unprintable character U+00A0"),
        ({"start": "01/01/0001 09:00"}, "start 01/01/0001 09:00 is outside the years 2000-2099"),
        ({"end": "31/12/9999 16:30"}, "end 31/12/9999 16:30 is outside the years 2000-2099"),
        (
            {"finalisation_date": "31/12/9999"},
            "finalisation_date 31/12/9999 is outside the years 2000-2099",
        ),
        (
            {"start": "30/03/2025 01:30", "end": "30/03/2025 02:10"},
            "start 30/03/2025 01:30 does not exist in London time (the clocks go forward)",
        ),
        (
            {"format_code": "CM2_f2f_05"},
            "format code 'CM2_f2f_05' has a leading zero (expected 'CM2_f2f_5')",
        ),
        (
            {"format_code": "CM2_f2f_\uff15"},  # a full-width 5, which int() reads as 5
            "unknown format code 'CM2_f2f_\uff15' (expected e.g. CB1_f2f_3, CB1_LO_6 or OC_CB1)",
        ),
        (
            {"format_code": "X" * 100},
            f"unknown format code '{'X' * 40}'... (100 characters) "
            "(expected e.g. CB1_f2f_3, CB1_LO_6 or OC_CB1)",
        ),
        (
            {"location_product": "Tutorial - MOCK01"},
            "location product 'Tutorial - MOCK01' would take over the product code MOCK01 of "
            "a material product",
        ),
        ({"available_space": "1_000"}, "available_space '1_000' is not a whole number"),
    ],
)
def test_a_broken_row_is_rejected_with_its_reason(
    tmp_path: Path, changes: dict[str, str | None], reason: str
) -> None:
    # Given a good row, then a broken one on line 3
    path = write_csv(tmp_path, GOOD_ROW, good_row_with(**changes))

    # When the file is read
    parsed = read(path)

    # Then the good row loads and the broken one is reported with its line and reason
    assert [row.line for row in parsed.rows] == [2]
    assert [(error.line, error.reason) for error in parsed.errors] == [(3, reason)]


def test_garbage_rows_are_reported_and_reading_goes_on(tmp_path: Path) -> None:
    # Given a file mixing good rows with garbage
    path = write_csv(
        tmp_path,
        GOOD_ROW,  # line 2
        "",  # line 3: blank
        "just,some,garbage",  # line 4: 3 fields
        ",,,,,,,,",  # line 5: nothing in any field
        "CM2_f2f_5,CM2-55-25S,22/07/2025 09:00,21/08/2025 16:30,Tutorial - Dublin,"
        "Other Hotel,False,,2",  # line 6: duplicate code
        '"CM2_f2f_5","CM2-57-25S","22/07/2025 09:00","21/08/2025 16:30","Tutorial - Dublin",'
        '"Two-line\nvenue",False,,2',  # lines 7-8: quoted newline, fine
        "CM2_LO_5,CM2-58-25S,22/07/2025 09:30,21/08/2025 17:00,Tutorial - Live Online,,"
        "False,,-4,",  # line 9: trailing empty field, fixes
    )

    # When it is read, nothing raises
    parsed = read(path)

    # Then every line is accounted for
    assert [row.line for row in parsed.rows] == [2, 7, 9]
    assert [str(error) for error in parsed.errors] == [
        "line 3: blank line",
        "line 4: expected 9 fields, found 3",
        "line 5: empty row: every field is blank",
        "line 6: duplicate event_code 'CM2-55-25S' (first loaded from line 2)",
    ]
    assert [str(warning) for warning in parsed.warnings] == [
        "line 9: available_space is negative (-4); stored as 0",
        "line 9: venue is empty; using the location 'Live Online'",
    ]


def test_all_reasons_of_a_row_are_given_together(tmp_path: Path) -> None:
    parsed = read(
        write_csv(tmp_path, "XX9_f2f_3,,tomorrow,21/08/2025 16:30,Tutorial - Dublin,Hotel,False,,3")
    )

    (error,) = parsed.errors
    assert error.reason == (
        "event_code is empty; subject 'XX9' of format code 'XX9_f2f_3' is not an offered "
        "subject; start 'tomorrow' is not a date (expected DD/MM/YYYY HH:MM)"
    )


def test_a_format_longer_than_its_event_gets_one_session_per_day(tmp_path: Path) -> None:
    parsed = read(
        write_csv(
            tmp_path,
            "CB1_f2f_3,CB1-99-25S,04/08/2025 09:30,05/08/2025 17:00,Tutorial - London,BPP,False,,1",
        )
    )

    (row,) = parsed.rows
    assert row.sessions == 2
    assert [str(w) for w in parsed.warnings] == [
        "line 2: format CB1_f2f_3 has 3 days but the event spans 2; one session per day"
    ]


def test_an_unknown_place_gets_a_derived_code(tmp_path: Path) -> None:
    parsed = read(
        write_csv(
            tmp_path,
            "CB1_f2f_3,CB1-99-25S,04/08/2025 09:30,06/08/2025 17:00,Tutorial - St Albans,Hall,"
            "False,,1",
        )
    )

    (row,) = parsed.rows
    assert (row.location.code, row.location.shortname) == ("STALBANS", "St Albans")


def test_a_file_without_the_expected_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("code,when\nCB1-1,today\n", encoding="utf-8")

    with pytest.raises(CsvFileError, match="the header lacks format_code, event_code"):
        read(path)


def test_an_empty_or_missing_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")

    with pytest.raises(CsvFileError, match="is empty"):
        read(empty)
    with pytest.raises(CsvFileError, match="cannot read"):
        read(tmp_path / "missing.csv")


def test_a_windows_1252_file_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    row = GOOD_ROW.replace("Camden Court Hotel", "Caf\u00e9 Royal")
    path.write_bytes(f"{HEADER}\r\n{row}\r\n".encode("cp1252"))

    parsed = read(path)

    assert parsed.rows[0].venue == "Caf\u00e9 Royal"


def test_codes_that_differ_only_in_case_or_unicode_form_are_duplicates(tmp_path: Path) -> None:
    parsed = read(
        write_csv(
            tmp_path,
            GOOD_ROW,  # line 2: CM2-55-25S
            good_row_with(event_code="cm2-55-25s"),
            good_row_with(event_code="\uff23\uff2d2-55-25S"),  # full-width "CM"
        )
    )

    assert [row.code for row in parsed.rows] == ["CM2-55-25S"]
    assert [str(error) for error in parsed.errors] == [
        "line 3: duplicate event_code 'cm2-55-25s': the same as 'CM2-55-25S' but for case or "
        "Unicode form (first loaded from line 2)",
        "line 4: duplicate event_code '\uff23\uff2d2-55-25S': the same as 'CM2-55-25S' but for "
        "case or Unicode form (first loaded from line 2)",
    ]


def test_two_place_names_cannot_share_one_location_product(tmp_path: Path) -> None:
    parsed = read(
        write_csv(
            tmp_path,
            good_row_with(event_code="A-1", location_product="Tutorial - St Albans"),
            good_row_with(event_code="A-2", location_product="Tutorial - St. Albans"),
            good_row_with(event_code="A-3", location_product="Tutorial - St Albans"),
        )
    )

    assert [row.code for row in parsed.rows] == ["A-1", "A-3"]
    assert [str(error) for error in parsed.errors] == [
        "line 3: location product 'Tutorial - St. Albans' has the same product code STALBANS "
        "as 'Tutorial - St Albans' (first loaded from line 2)"
    ]


def test_a_known_place_is_known_whatever_its_case(tmp_path: Path) -> None:
    parsed = read(write_csv(tmp_path, good_row_with(location_product="tutorial - DUBLIN")))

    (row,) = parsed.rows
    assert (row.location.code, row.location.fullname) == ("DUB", "Tutorial - Dublin")


def test_a_huge_negative_space_count_is_stored_as_zero(tmp_path: Path) -> None:
    parsed = read(write_csv(tmp_path, good_row_with(available_space="-99999999999")))

    assert parsed.rows[0].remain_space == 0
    assert [str(w) for w in parsed.warnings] == [
        "line 2: available_space is negative (-99999999999); stored as 0"
    ]


def test_a_quote_left_open_reports_the_lines_it_swallowed(tmp_path: Path) -> None:
    # Given a venue whose quote is never closed, before a good row
    path = write_csv(
        tmp_path,
        GOOD_ROW,  # line 2
        good_row_with(venue='"Camden Court Hotel'),  # line 3: the quote runs to the end
        good_row_with(event_code="CM2-57-25S"),  # line 4: swallowed
    )

    parsed = read(path)

    # Then the record is reported with the lines it ran over
    assert [row.line for row in parsed.rows] == [2]
    assert [str(error) for error in parsed.errors] == [
        "line 3: expected 9 fields, found 6 (the record runs to line 4: is a quote left open?)"
    ]
