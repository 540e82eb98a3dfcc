"""Hostile input as a test suite: generated bodies and requests, on a real index.

Property: whatever the body or query string, a search is a result or a validation error
(a JSON 4xx) — never an exception, never a 5xx. Hypothesis generates the bodies for the
query builder; schemathesis generates requests from our own OpenAPI schema.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ValidationError
from schemathesis import GenerationMode

from catalog.filtering import BUILT_IN_FILTER_KEYS, STANDARD_FILTERS
from search_index.api.unified import unified_search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opensearch_index")]

# Every key a request may carry: the seeded configured ones and the built-in ones.
FILTER_KEYS = sorted(BUILT_IN_FILTER_KEYS | {key for key, *_ in STANDARD_FILTERS})
# Text that query parsers tend to choke on, mixed into arbitrary unicode.
NASTY_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(['"', "*", "~", "\\", "(", ")", "cm2 AND (", "/", "🙂", "\x00", "a" * 250]),
)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | NASTY_TEXT,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(NASTY_TEXT, children, max_size=4)
    ),
    max_leaves=12,
)
FILTER_VALUES = st.one_of(
    st.lists(st.one_of(NASTY_TEXT, st.integers(min_value=-5, max_value=2**64)), max_size=5),
    st.dates().map(str),
    JSON_VALUES,
)
BODIES = st.fixed_dictionaries(
    {},
    optional={
        "searchQuery": st.one_of(NASTY_TEXT, JSON_VALUES),
        "filters": st.dictionaries(
            st.one_of(st.sampled_from(FILTER_KEYS), NASTY_TEXT), FILTER_VALUES, max_size=4
        ),
        "pagination": st.fixed_dictionaries(
            {},
            optional={
                "page": st.one_of(st.integers(min_value=-3, max_value=600), JSON_VALUES),
                "page_size": st.one_of(st.integers(min_value=-3, max_value=120), JSON_VALUES),
            },
        ),
        "options": st.dictionaries(
            st.sampled_from(["sort", "include_bundles", "other"]),
            st.one_of(
                st.sampled_from(["relevance", "subject", "price_asc", "earliest_event"]),
                JSON_VALUES,
            ),
            max_size=2,
        ),
    },
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.one_of(BODIES, JSON_VALUES))
def test_any_body_is_a_result_or_a_validation_error(indexed_small_catalog, body: Any) -> None:  # type: ignore[no-untyped-def]
    # when any body is searched on a real index
    try:
        result = unified_search(body)
    except ValidationError:
        return  # then it is refused, naming the field (a 400)
    # or it is a whole result
    assert {"products", "filter_counts", "pagination"} <= result.keys()


# --- schemathesis: requests generated from our own OpenAPI schema ----------------------

# Every storefront-facing read endpoint: the searches, the search box, the filter panel.
SEARCH_PATHS = (
    "^/api/(search/(unified|fuzzy|advanced-fuzzy|default-data)"
    "|catalog/search|products/filter-configuration)/$"
)
OPERATIONS = 6
EXAMPLES_PER_OPERATION = 175  # times 6 operations: over 1,000 generated requests


@pytest.fixture
def app_requests():  # type: ignore[no-untyped-def]
    """Our WSGI app, with the per-request closing of database connections suspended.

    As in Django's test client: it would close the test transaction's connection.
    """
    from config.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def check_response(case: Any) -> None:
    """Send one generated request; never a 5xx, and every refusal is JSON."""
    response = case.call()
    assert response.status_code < 500, (case.path, case.body, case.query, response.text[:300])
    if 400 <= response.status_code < 500:
        headers = {name.lower(): value for name, value in response.headers.items()}
        content_type = headers["content-type"]
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert content_type.startswith("application/json"), (case.path, response.status_code)
        assert response.json()


def test_generated_requests_never_get_a_5xx_and_4xx_are_json(
    indexed_small_catalog, app_requests
) -> None:  # type: ignore[no-untyped-def]
    # given our own OpenAPI schema, as the running app serves it
    schema = schemathesis.openapi.from_wsgi("/api/search/schema/?format=json", app_requests)
    operations = [
        result.ok() for result in schema.include(path_regex=SEARCH_PATHS).get_all_operations()
    ]
    assert len(operations) == OPERATIONS
    sent = {"count": 0}

    # when schemathesis sends requests built from it, valid and deliberately invalid
    for operation in operations:
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def send(case: Any) -> None:
            sent["count"] += 1
            check_response(case)

        started = time.monotonic()
        before = sent["count"]
        send()
        seconds = time.monotonic() - started
        print(f"{operation.label}: {sent['count'] - before} requests, {seconds:.1f} s")

    # then (checked per request above) none failed; and there were over a thousand
    assert sent["count"] >= 1000
