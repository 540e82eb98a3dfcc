"""``manage.py load_demo_catalog`` against the real database."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max, Min

from catalog.models import (
    ExamSessionSubject,
    Price,
    Product,
    ProductGroup,
    ProductVariation,
    StoreProduct,
    Subject,
)
from demo.loader import table_counts
from tutorials.models import TutorialEvent, TutorialSession

pytestmark = pytest.mark.django_db

# From the real export: 268 rows, 5 rejected (3 WAITLIST, 2 Mod1), 109 distinct
# (subject, location, format) store products among the rest.
REAL_EVENTS = 263
TUTORIAL_STORE_PRODUCTS = 109
# 22 offered subjects x 3 sittings x 9 material and marking variations.
MATERIAL_STORE_PRODUCTS = 594


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo_catalog", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_loads_the_real_export_and_reports_the_rejected_rows() -> None:
    # Given an empty catalog
    # When the demo catalog is loaded
    output = load()

    # Then every valid row is an event, and the others are reported with line and reason
    assert TutorialEvent.objects.count() == REAL_EVENTS
    assert "rejected line 256: WAITLIST is a waiting-list code" in output
    assert "rejected line 259: subject 'M1' of format code 'M1_LO_6'" in output
    assert "loaded with a fix, line 239: available_space is negative (-81)" in output
    assert "263 events loaded (17 after a fix), 5 rejected" in output
    assert not TutorialEvent.objects.filter(code__contains="Waiting List").exists()


def test_reference_data_and_store_products() -> None:
    load()

    assert Subject.objects.get(code="CM2").description == "Financial Engineering and Loss Reserving"
    assert ExamSessionSubject.objects.filter(subject__active=False).count() == 0
    assert (
        StoreProduct.objects.filter(
            product_product_variation__product_variation__variation_type="Tutorial"
        ).count()
        == TUTORIAL_STORE_PRODUCTS
    )
    assert StoreProduct.objects.count() == MATERIAL_STORE_PRODUCTS + TUTORIAL_STORE_PRODUCTS
    inactive = StoreProduct.objects.filter(is_active=False).values_list("product_code", flat=True)
    assert set(inactive) == {"CB1/PMOCK01/2025-04", "CM2/HCSM01/2025-04"}
    # Codes are the ones save() would generate.
    for store_product in StoreProduct.objects.order_by("?")[:25]:
        assert store_product.product_code == store_product.generate_product_code()
    assert StoreProduct.objects.filter(product_code="CS1/PCSM01/2025-09").exists()
    assert StoreProduct.objects.filter(product_code="CM2/TDUBCM2_f2f_5/2025-09").exists()
    # Materials have a standard and a retaker price; tutorials a standard one.
    material = Price.objects.filter(store_product__product_code="CS1/PCSM01/2025-09")
    assert dict(material.values_list("price_type", "amount")) == {
        "standard": Decimal("149.00"),
        "retaker": Decimal("119.20"),
    }
    tutorial = Price.objects.get(store_product__product_code="CM2/TDUBCM2_f2f_5/2025-09")
    assert (tutorial.price_type, tutorial.amount) == ("standard", Decimal("625.00"))


def test_location_products_sit_in_their_format_family_group() -> None:
    load()

    def groups(code: str) -> list[str]:
        return list(Product.objects.get(code=code).groups.values_list("name", flat=True))

    assert groups("LON") == ["Face-to-face"]
    assert groups("LO") == ["Live Online"]
    assert groups("OC") == ["Online Classroom"]
    assert ProductGroup.objects.get(code="ONLINE_CLASSROOM").parent.name == "Tutorial"
    london = Product.objects.get(code="LON")
    assert (london.fullname, london.shortname) == ("Tutorial - London", "London")
    variation = ProductVariation.objects.get(code="CB1_f2f_3")
    assert (variation.variation_type, variation.name, variation.description) == (
        "Tutorial",
        "CB1_f2f_3",
        "CB1 3-day face-to-face",
    )


def test_every_event_has_sessions_numbered_one_to_n_that_do_not_end_before_they_start() -> None:
    load()

    stats = TutorialEvent.objects.annotate(
        n=Count("sessions"), first=Min("sessions__sequence"), last=Max("sessions__sequence")
    )
    assert all(e.n >= 1 and e.first == 1 and e.last == e.n for e in stats)
    assert not TutorialSession.objects.filter(start_date__gt=F("end_date")).exists()
    event = TutorialEvent.objects.get(code="CM2-55-25S")
    assert (event.location, event.venue, event.remain_space) == ("Dublin", "Camden Court Hotel", 11)
    sessions = list(event.sessions.all())
    assert [s.title for s in sessions] == [f"Day {n}" for n in range(1, 6)]
    assert sessions[0].start_date.isoformat() == "2025-07-22T08:00:00+00:00"
    assert all(s.location == "Dublin" and s.venue == "Camden Court Hotel" for s in sessions)
    online = TutorialEvent.objects.get(code="CM2-OC-25S")
    assert (online.venue, online.location, online.remain_space) == (
        "Online Classroom",
        "Online Classroom",
        0,
    )
    assert online.sessions.count() == 1


def test_the_planner_knows_the_loaded_sizes_at_once() -> None:
    # When the demo catalog is loaded at a size no other test loads (ANALYZE's estimate is
    # not rolled back with a test's transaction, and autovacuum never sees uncommitted rows)
    load("--scale", "37")

    # Then the planner's estimate is the loaded size, without waiting for autovacuum
    assert planner_row_estimate(StoreProduct) == StoreProduct.objects.count()
    assert planner_row_estimate(TutorialSession) == TutorialSession.objects.count()


def planner_row_estimate(model: type) -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [connection.ops.quote_name(model._meta.db_table)],
        )
        return cursor.fetchone()[0]


def test_loading_twice_duplicates_nothing() -> None:
    # Given a loaded demo catalog
    load()
    first = table_counts()
    first_ids = set(TutorialSession.objects.values_list("pk", flat=True))

    # When it is loaded again
    load()

    # Then every table has the same rows
    assert table_counts() == first
    assert set(TutorialSession.objects.values_list("pk", flat=True)) == first_ids


def test_a_csv_with_garbage_is_reported_and_does_not_crash(tmp_path: Path) -> None:
    # Given an export with garbage rows among good ones
    path = tmp_path / "events.csv"
    path.write_text(
        "format_code,event_code,start,end,location_product,venue,sold_out,"
        "finalisation_date,available_space\n"
        "CB1_f2f_3,CB1-20-25S,29/05/2025 09:30,14/07/2025 17:00,Tutorial - London,BPP,False,"
        "28/04/2025,0\n"
        "garbage\n"
        "CB1_f2f_3,CB1-21-25S,99/99/2025 09:30,14/07/2025 17:00,Tutorial - London,BPP,False,,0\n"
        "\n"
        "CB1_f2f_3,CB1-22-25S,29/05/2025 09:30,14/07/2025 17:00,Tutorial - London,BPP,False,,"
        "lots\n"
        "CB1_LO_3,CB1-40-25S,18/06/2025 09:30,18/08/2025 17:00,Tutorial - Live Online,"
        "Live Online,True,12/05/2025,0\n",
        encoding="utf-8",
    )

    # When it is loaded
    output = load("--csv", str(path))

    # Then the good rows are events and each bad one is reported with its line
    assert sorted(TutorialEvent.objects.values_list("code", flat=True)) == [
        "CB1-20-25S",
        "CB1-40-25S",
    ]
    assert "rejected line 3: expected 9 fields, found 1" in output
    assert "rejected line 4: start '99/99/2025 09:30' is not a date" in output
    assert "rejected line 5: blank line" in output
    assert "rejected line 6: available_space 'lots' is not a whole number" in output
    assert TutorialEvent.objects.get(code="CB1-40-25S").is_soldout is True


def test_a_missing_file_is_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="CSV file not found"):
        load("--csv", str(tmp_path / "nope.csv"))
    assert Subject.objects.count() == 0


def test_a_file_with_the_wrong_header_is_a_command_error_and_writes_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "events.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")

    with pytest.raises(CommandError, match="Hint: expected the columns"):
        load("--csv", str(path))
    assert Subject.objects.count() == 0


def test_quiet_at_verbosity_zero() -> None:
    assert load("--verbosity", "0") == ""


def event_line(
    code: str,
    *,
    format_code: str = "CB1_f2f_3",
    start: str = "29/05/2025 09:30",
    end: str = "14/07/2025 17:00",
    location: str = "Tutorial - London",
    venue: str = "BPP",
    space: str = "3",
) -> str:
    return f"{format_code},{code},{start},{end},{location},{venue},False,,{space}\n"


def test_rows_that_would_fail_at_insert_are_reported_and_the_rest_load(tmp_path: Path) -> None:
    # Given an export whose bad rows each break a column limit or a database rule
    path = tmp_path / "events.csv"
    path.write_text(
        "format_code,event_code,start,end,location_product,venue,sold_out,"
        "finalisation_date,available_space\n"
        + event_line("CB1-20-25S")  # line 2: good
        + event_line("CB1-21-25S", space="99999999999")  # 3: not a 32-bit integer
        + event_line("CB1-22-25S", location="Tutorial - " + "L" * 250)  # 4: fullname > 255
        + event_line("CB1-23-25S", location="Tutorial - " + "S" * 101)  # 5: shortname > 100
        + event_line("CB1-24\x00-25S")  # 6: PostgreSQL refuses NUL in text
        + event_line("CB1-25-25S", venue="B\x00PP")  # 7
        + event_line("cb1-20-25s")  # 8: line 2's code in lower case
        + event_line("CB1-26-25S", start="01/01/0001 09:00")  # 9
        # 10: planning Day 2 (23:00 to 01:00 becomes 23:00 to 06:30) overflowed year 9999
        + event_line(
            "CB1-27-25S", format_code="CB1_f2f_2", start="30/12/9999 23:00", end="31/12/9999 01:00"
        )
        # 11: 01:30 on the day the clocks go forward does not exist
        + event_line(
            "CB1-28-25S", format_code="CB1_f2f_1", start="30/03/2025 01:30", end="30/03/2025 02:10"
        )
        + event_line("CB1-29-25S", format_code="CB1_f2f_03")  # 12: a second 3-day format
        + event_line("CB1-30-25S", location="Tutorial - X01")  # 13: a material product's code
        + event_line("CB1-31-25S", location="Tutorial - St Albans")  # 14: good
        + event_line("CB1-32-25S", location="Tutorial - St. Albans")  # 15: St Albans' code
        + event_line("CB1-33-25S\u200b")  # 16: looks like CB1-33-25S
        + event_line("CB1-34-25S", space="2147483647")  # 17: good, the column's maximum
        # 18: good; its middle session falls on the day the clocks go forward, in the
        # skipped hour (01:30 to 02:15, which ends before it starts as instants)
        + event_line("CB1-35-25S", start="29/03/2025 01:30", end="31/03/2025 02:15")
        + event_line("CB1-36-25S", location="Tutorial - london")  # 19: good, London
        + event_line("CB1-37-25S", location="Tutorial - Ke\x00nt"),  # 20
        encoding="utf-8",
    )

    # When it is loaded, the command completes
    output = load("--csv", str(path))

    # Then each bad line is reported with its number and reason
    for expected in [
        "line 3: available_space 99999999999 is out of range (at most 2147483647)",
        "line 4: location_product is longer than 255 characters",
        "line 5: the place in location_product is longer than 100 characters",
        "line 6: event_code contains a NUL character",
        "line 7: venue contains a NUL character",
        "line 8: duplicate event_code 'cb1-20-25s': the same as 'CB1-20-25S' but for case",
        "line 9: start 01/01/0001 09:00 is outside the years 2000-2099",
        "line 10: start 30/12/9999 23:00 is outside the years 2000-2099; "
        "end 31/12/9999 01:00 is outside the years 2000-2099",
        "line 11: start 30/03/2025 01:30 does not exist in London time",
        "line 12: format code 'CB1_f2f_03' has a leading zero (expected 'CB1_f2f_3')",
        "line 13: location product 'Tutorial - X01' would take over the product code X01",
        "line 15: location product 'Tutorial - St. Albans' has the same product code "
        "STALBANS as 'Tutorial - St Albans' (first loaded from line 14)",
        "line 16: event_code contains the unprintable character U+200B",
        "line 20: location_product contains a NUL character",
    ]:
        assert f"rejected {expected}" in output
    assert "19 data lines, 5 events loaded (0 after a fix), 14 rejected" in output

    # And the good rows are loaded
    assert sorted(TutorialEvent.objects.values_list("code", flat=True)) == [
        "CB1-20-25S",
        "CB1-31-25S",
        "CB1-34-25S",
        "CB1-35-25S",
        "CB1-36-25S",
    ]
    assert TutorialEvent.objects.get(code="CB1-34-25S").remain_space == 2147483647
    assert TutorialEvent.objects.get(code="CB1-36-25S").location == "London"
    assert Product.objects.get(code="X01").fullname == "Series X Assignments"
    assert Product.objects.get(code="STALBANS").fullname == "Tutorial - St Albans"
    middle = TutorialSession.objects.get(tutorial_event__code="CB1-35-25S", sequence=2)
    assert middle.start_date < middle.end_date
    assert not TutorialSession.objects.filter(start_date__gt=F("end_date")).exists()
