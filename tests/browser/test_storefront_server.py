"""The storefront page's server side, through Django's test client (no browser needed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.http import QueryDict

from catalog.filtering import FilterConfiguration, FilterType
from search_index.storefront.state import SearchState

STATIC = Path(__file__).resolve().parents[2] / "search_index" / "storefront" / "static"
PAGE_WEIGHT_LIMIT = 60 * 1024


def test_our_own_javascript_and_css_weigh_at_most_60_kb() -> None:
    assets = [p for p in STATIC.rglob("*") if p.suffix in {".js", ".css"}]
    assert {p.suffix for p in assets} == {".js", ".css"}
    assert sum(p.stat().st_size for p in assets) <= PAGE_WEIGHT_LIMIT


def test_the_state_round_trips_through_its_url() -> None:
    params = QueryDict("q=cm2+london&subjects=CM2&subjects=CM2&subjects=&sort=price_asc&page=3")
    state = SearchState.from_query(params)

    assert state.filters == (("subjects", ("CM2",)),)
    assert state.url() == "/?q=cm2+london&subjects=CM2&sort=price_asc&page=3"
    assert SearchState.from_query(QueryDict(state.url()[2:])) == state
    # a change of filters starts again at page 1
    assert state.with_value("subjects", "CM1").url() == (
        "/?q=cm2+london&subjects=CM2&subjects=CM1&sort=price_asc"
    )
    assert state.api_body() == {
        "searchQuery": "cm2 london",
        "filters": {"subjects": ["CM2"]},
        "pagination": {"page": 3, "page_size": 20},
        "options": {"sort": "price_asc"},
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?colour=red", "filters.colour"),
        ("?page=abc", "pagination.page"),
        ("?page=0", "pagination.page"),
        ("?sort=cheapest", "options.sort"),
    ],
)
def test_bad_input_is_a_400_page_naming_the_field(client, db, query, field) -> None:
    # Judged by the API's serializer before any search: no index needed
    response = client.get(f"/{query}")

    assert response.status_code == 400
    body = response.content.decode()
    assert "That search could not be run" in body
    assert f"<code>{field}</code>" in body


def test_the_script_gets_only_the_changing_parts(client, indexed_storefront_catalog) -> None:
    response = client.get("/?q=cm2", headers={"X-Storefront-Fragment": "1"})

    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="facets">')
    assert '<div id="results"' in body
    assert "<html" not in body
    assert "X-Storefront-Fragment" in response["Vary"]


def test_a_newly_configured_facet_appears_without_a_template_change(
    client, indexed_storefront_catalog
) -> None:
    FilterConfiguration.objects.create(
        filter_key="exam_level",
        display_label="Exam level",
        filter_type=FilterType.SUBJECT_TYPE,
        display_order=0,  # served as 100: after every standard section
    )

    body = client.get("/?q=cm2").content.decode()

    assert '<fieldset class="facet" data-key="exam_level">' in body
    assert "<legend>Exam level" in body
    assert body.index('data-key="subjects"') < body.index('data-key="exam_level"')
    response = client.get("/?q=cm2&exam_level=UK")
    assert response.status_code == 200
    assert "Exam level: " in response.content.decode()


def test_navbar_parameters_narrow_the_page_too(client, indexed_storefront_catalog) -> None:
    body = client.get("/?q=cm2&distance_learning=1").content.decode()

    assert "8 results for “cm2”" in body


def _event_html(body: str, code: str) -> str:
    start = body.index(f'<span class="event-code">{code}</span>')
    return body[start : body.index("</li>\n", body.index("</ol>", start))]


def test_an_events_sessions_fold_behind_their_count_in_sequence_order(
    client, indexed_storefront_catalog
) -> None:
    body = client.get("/?q=CM2-LON3-25S", headers={"X-Storefront-Fragment": "1"}).content.decode()

    event = _event_html(body, "CM2-LON3-25S")
    assert '<details class="sessions-fold">' in event
    assert "<summary>3 sessions" in event
    titles = re.findall(r'<span class="session-title">([^<]*)</span>', event)
    assert titles == ["Day 1", "Day 2", "Day 3"]  # entered 2, 3, 1


def test_what_the_shopper_typed_is_escaped_on_the_page(client, indexed_storefront_catalog) -> None:
    body = client.get("/", {"q": '<img src=x onerror="alert(1)">'}).content.decode()

    assert "<img src=x" not in body
    assert 'value="&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"' in body  # the search box
    assert "No results for “&lt;img src=x onerror=&#34;alert(1)&#34;&gt;”" in body


def test_an_empty_search_offers_the_query_respelled_from_the_index(
    client, indexed_storefront_catalog
) -> None:
    # "lndn" is two letters from "london": beyond the search's own typo tolerance
    body = client.get("/", {"q": "cm2 lndn"}).content.decode()

    assert "No results for “cm2 lndn”" in body
    match = re.search(
        r'Did you mean <a href="([^"]+)" data-nav>“([^”]+)”</a>\? \((\d+) results?\)', body
    )
    assert match, body[body.index('data-state="empty"') :][:600]
    url, query, count = match.groups()
    assert (url, query) == ("/?q=cm2+london", "cm2 london")
    # and the count offered is the count found there
    assert f"{count} result" in client.get(url).content.decode()


def test_nonsense_gets_no_respelling(client, indexed_storefront_catalog) -> None:
    body = client.get("/", {"q": "qqqqzzzz"}).content.decode()

    assert "No results for “qqqqzzzz”" in body
    assert "Did you mean" not in body
    assert "Check the spelling" in body
