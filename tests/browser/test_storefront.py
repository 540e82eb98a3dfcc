"""The storefront search page at ``/`` in a real Chromium, on a real index."""

from __future__ import annotations

import contextlib
import re
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.admin_session import log_in
from tests.catalogs.storefront_pages import StorefrontCatalog

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("opensearch_index")]

PHONE = {"width": 375, "height": 740}
LOCATIONS = "tutorial_location"


def updates(page: Any) -> int:
    """How many times the page's script has swapped in new results."""
    return int(page.evaluate("() => +(document.documentElement.dataset.updated || 0)"))


def wait_for_update(page: Any, before: int) -> None:
    page.wait_for_function("n => +(document.documentElement.dataset.updated || 0) > n", arg=before)


def facet_counts(page: Any) -> dict[str, dict[str, int]]:
    """Every facet group's options and counts as shown."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('fieldset.facet')].map(f =>
            [f.dataset.key, Object.fromEntries([...f.querySelectorAll('li')].map(li =>
                [li.querySelector('input').value, +li.querySelector('[data-count]').textContent]
            ))]))"""
    )


def card_titles(page: Any) -> list[str]:
    return page.locator(".card h3").all_text_contents()


def test_a_shopper_narrows_by_location_pages_and_comes_back(
    page: Any, indexed_storefront_catalog: StorefrontCatalog
) -> None:
    # Given the storefront
    page.goto("/")
    expect(page.locator("#status")).to_contain_text("results")

    # When a shopper types "cm2"
    before = updates(page)
    page.locator("#q").press_sequentially("cm2")
    expect(page.locator("#status")).to_have_text(
        f"{indexed_storefront_catalog.cm2_rows} results for “cm2”"
    )
    wait_for_update(page, before)
    all_cm2 = facet_counts(page)
    assert all_cm2[LOCATIONS]["LON"] == 2
    assert all_cm2["categories"] == {"Tutorial": 14, "Material": 16}

    # and ticks London
    before = updates(page)
    page.get_by_role("group", name=re.compile("Tutorial locations")).get_by_label(
        re.compile("London")
    ).check()
    wait_for_update(page, before)

    # Then the results narrow to London's tutorials
    expect(page.locator("#status")).to_have_text("2 results for “cm2”")
    assert all("London" in meta for meta in page.locator(".card-meta").all_text_contents())
    narrowed = facet_counts(page)
    # the other facets count London only
    assert narrowed["categories"] == {"Tutorial": 2}
    # while the ticked facet keeps its siblings' counts, to widen the choice
    assert narrowed[LOCATIONS] == all_cm2[LOCATIONS]
    assert "tutorial_location=LON" in page.url

    # When the shopper removes the location's chip
    before = updates(page)
    page.get_by_role("link", name=re.compile("Remove filter Tutorial locations")).click()
    wait_for_update(page, before)

    # Then every CM2 row is back
    expect(page.locator("#status")).to_have_text(
        f"{indexed_storefront_catalog.cm2_rows} results for “cm2”"
    )
    assert facet_counts(page) == all_cm2
    first_page = card_titles(page)

    # When they go to page 2
    before = updates(page)
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    wait_for_update(page, before)
    expect(page.locator(".pager [aria-current=page]")).to_have_text("2")
    assert "page=2" in page.url
    second_page = card_titles(page)
    assert second_page and not set(second_page) & set(first_page)

    # and back with the browser's Back button
    before = updates(page)
    page.go_back()
    wait_for_update(page, before)
    expect(page.locator(".pager [aria-current=page]")).to_have_text("1")
    assert card_titles(page) == first_page

    # Then a reload shows the same state, rendered by the server
    page.reload()
    expect(page.locator("#q")).to_have_value("cm2")
    expect(page.locator("#status")).to_have_text(
        f"{indexed_storefront_catalog.cm2_rows} results for “cm2”"
    )
    assert card_titles(page) == first_page
    assert facet_counts(page) == all_cm2


def test_a_later_keystroke_aborts_the_answer_still_on_its_way(
    page: Any, indexed_storefront_catalog: StorefrontCatalog
) -> None:
    # Given the answer for "cm" held back by the network
    held: list[Any] = []
    page.route(lambda url: urlsplit(url).query == "q=cm", lambda route: held.append(route))
    page.goto("/")
    page.locator("#q").press_sequentially("cm")
    page.wait_for_function("() => location.search === '?q=cm'")

    # When the shopper types the next key before it arrives
    with page.expect_event("requestfailed", lambda r: r.url.endswith("?q=cm")) as aborted:
        page.locator("#q").press("2")

    # Then the stale request is aborted, not waited for, and "cm2" is shown
    assert "ABORTED" in (aborted.value.failure or "")
    expect(page.locator("#status")).to_have_text(
        f"{indexed_storefront_catalog.cm2_rows} results for “cm2”"
    )
    for route in held:
        with contextlib.suppress(PlaywrightError):
            route.continue_()
    expect(page.locator("#status")).to_have_text(
        f"{indexed_storefront_catalog.cm2_rows} results for “cm2”"
    )


def test_a_typo_finds_london_and_nonsense_shows_the_empty_state(
    page: Any, indexed_storefront_catalog: StorefrontCatalog, axe_violations
) -> None:
    page.goto("/?q=cm2%20londn")

    titles = page.locator(".card").all_text_contents()
    assert titles and "London" in titles[0]

    page.goto("/?q=zzqxv%20wibble")
    empty = page.locator("[data-state=empty]")
    expect(empty).to_contain_text("No results for “zzqxv wibble”")
    assert axe_violations(page) == []


def test_the_empty_state_offers_the_search_without_its_filters(
    page: Any, indexed_storefront_catalog: StorefrontCatalog
) -> None:
    page.goto("/?q=london&subjects=CM1")

    empty = page.locator("[data-state=empty]")
    expect(empty).to_contain_text("No results for “london”")
    before = updates(page)
    empty.get_by_role("link", name=re.compile("without filters")).click()
    wait_for_update(page, before)
    expect(page.locator("#status")).to_contain_text("for “london”")
    assert "subjects" not in page.url


def test_the_results_page_has_no_serious_accessibility_violations(
    page: Any, indexed_storefront_catalog: StorefrontCatalog, axe_violations
) -> None:
    page.goto("/?q=cm2&tutorial_location=LON")
    expect(page.locator(".card").first).to_be_visible()
    assert axe_violations(page) == []

    # with an event's sessions unfolded (by keyboard), they pass too
    fold = page.locator("details.sessions-fold").first
    fold.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(fold.locator(".session").first).to_be_visible()
    assert axe_violations(page) == []


def test_the_phone_layout_has_no_horizontal_scroll_and_folds_the_filters(
    page: Any, indexed_storefront_catalog: StorefrontCatalog, axe_violations
) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/?q=cm2%20london")
    expect(page.locator(".card").first).to_be_visible()

    def overflow() -> int:
        return int(
            page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
        )

    assert overflow() <= 0
    toggle = page.get_by_role("button", name="Filters")
    expect(page.locator("#facet-panel")).to_be_hidden()
    assert axe_violations(page) == []  # the filters folded away
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#facet-panel")).to_be_visible()
    assert overflow() <= 0
    assert axe_violations(page) == []


def test_suggestions_appear_as_you_type_and_lead_to_a_search(
    page: Any, indexed_storefront_catalog: StorefrontCatalog
) -> None:
    page.goto("/")
    search_box = page.get_by_role("combobox", name=re.compile("Search"))

    search_box.press_sequentially("lond")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(search_box).to_have_attribute("aria-expanded", "true")
    location = listbox.get_by_role("option", name=re.compile("London.*Location"))
    expect(location).to_be_visible()

    # Chosen with the keyboard: arrow down to it, Enter
    options = listbox.get_by_role("option").all_text_contents()
    index = next(i for i, text in enumerate(options) if re.search("London.*Location", text))
    before = updates(page)
    for _ in range(index + 1):
        search_box.press("ArrowDown")
    search_box.press("Enter")
    wait_for_update(page, before)

    assert f"{LOCATIONS}=LON" in page.url
    expect(listbox).to_be_hidden()
    assert all("London" in meta for meta in page.locator(".card-meta").all_text_contents())


def test_first_paint_is_server_rendered(
    browser: Any, live_server: Any, indexed_storefront_catalog: StorefrontCatalog
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        no_script = context.new_page()
        no_script.goto("/?q=cm2&tutorial_location=LON")
        expect(no_script.locator("#status")).to_have_text("2 results for “cm2”")
        expect(no_script.locator(".card")).to_have_count(2)
    finally:
        context.close()


def test_with_opensearch_unreachable_the_page_shows_the_error_state(
    page: Any, opensearch_unreachable
) -> None:
    response = page.goto("/?q=cm2")

    assert response.status == 503
    expect(page.locator("[data-state=error]")).to_contain_text("Search is unavailable")
    expect(page.locator("#status")).to_contain_text("unavailable")

    # and a live update while it is down shows the same state, not a broken page
    before = updates(page)
    page.locator("#q").fill("cm1")
    wait_for_update(page, before)
    expect(page.locator("[data-state=error]")).to_contain_text("Search is unavailable")


def test_an_event_staff_add_in_the_admin_shows_within_2_s_with_sessions_in_order(
    page: Any,
    indexed_storefront_catalog: StorefrontCatalog,
    client: Any,
    django_user_model: Any,
    live_server: Any,
) -> None:
    # Given staff on the admin's "add tutorial event" page, in the browser
    staff = django_user_model.objects.create_superuser("staff", "s@example.com", "pw-12345678")
    log_in(page, client, staff, live_server.url)
    tutorial = indexed_storefront_catalog.london_cm2
    page.goto("/admin/tutorials/tutorialevent/add/")

    # When they choose the store product with the autocomplete, fill in the event
    page.locator(".field-store_product .select2-selection").click()
    page.locator(".select2-search__field").fill(tutorial.product_code)
    page.locator(".select2-results__option", has_text=tutorial.product_code).click()
    page.fill("#id_code", "CM2-LONX-25S")
    page.fill("#id_start_date", "2025-09-01")
    page.fill("#id_end_date", "2025-09-03")
    page.fill("#id_location", "London")
    page.fill("#id_venue", "Holborn Bars")
    page.fill("#id_remain_space", "4")
    # and enter three sessions out of order (3, 1, 2), adding a row for each after the first
    for row, sequence in enumerate((3, 1, 2)):
        if row:
            page.click("#sessions-group .add-row a")
        day = f"2025-09-0{sequence}"
        for field, value in {
            "sequence": str(sequence),
            "title": f"Day {sequence}",
            "location": "London",
            "venue": "Holborn Bars",
            "start_date_0": day,
            "start_date_1": "09:30:00",
            "end_date_0": day,
            "end_date_1": "17:00:00",
        }.items():
            page.fill(f"#id_sessions-{row}-{field}", value)
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/tutorials/tutorialevent/")
    saved_at = time.monotonic()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    # Then within 2 s, without a rebuild, the storefront shows it, sessions in order
    event = page.locator(".event", has_text="CM2-LONX-25S")
    while True:
        page.goto("/?q=cm2%20london&tutorial_location=LON")
        if event.count():
            break
        assert time.monotonic() - saved_at < 2.0, "the new event did not appear within 2 s"
    assert time.monotonic() - saved_at < 2.0
    sessions = event.locator(".session-title").all_text_contents()
    assert sessions == ["Day 1", "Day 2", "Day 3"]
    expect(event.locator("time").first).to_contain_text("Mon 1 Sep 2025, 09:30\u201317:00")
    expect(event).to_contain_text("4 places left")
