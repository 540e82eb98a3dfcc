"""``manage.py load_demo_catalog`` against the real database."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Min

from catalog.demo.loader import table_counts
from catalog.models import (
    ExamSessionSubject,
    Price,
    Product,
    ProductGroup,
    ProductVariation,
    StoreProduct,
    Subject,
)
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
