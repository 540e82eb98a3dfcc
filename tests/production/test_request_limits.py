"""Hostile bodies: too deep, too many values, too large — each a 400 naming the limit."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.endpoints import UNIFIED

pytestmark = pytest.mark.django_db


def post_raw(client: Client, body: bytes | str) -> tuple[int, dict[str, object]]:
    response = client.post(UNIFIED, data=body, content_type="application/json")
    return response.status_code, response.json()


@pytest.mark.parametrize(
    ("body", "named"),
    [
        pytest.param("[" * 5000 + "]" * 5000, "nested deeper", id="array-depth-5000"),
        pytest.param('{"a":' * 3000 + "1" + "}" * 3000, "nested deeper", id="objects-3000"),
        pytest.param('{"searchQuery": ' + "[" * 30 + "]" * 30 + "}", "nested deeper", id="d30"),
        pytest.param("[" + ",".join(["1"] * 6000) + "]", "more than", id="6000-values"),
    ],
)
def test_deep_or_wide_json_is_a_400_naming_the_limit(client: Client, body: str, named: str) -> None:
    # when a hostile JSON body arrives
    status, answer = post_raw(client, body)

    # then it is refused as a 400 that says which limit it broke
    assert status == 400
    assert named in str(answer)


def test_a_body_over_the_size_limit_is_a_400(client: Client) -> None:
    # given a body one byte over the limit
    limit = settings.API_LIMITS["MAX_BODY_BYTES"]
    body = '{"searchQuery": "' + "x" * limit + '"}'

    # then it is refused without being parsed
    status, answer = post_raw(client, body)
    assert status == 400
    assert f"larger than {limit} bytes" in str(answer)


def test_invalid_utf8_and_bad_json_are_400s(client: Client) -> None:
    assert post_raw(client, b"\xff\xfe")[0] == 400
    assert post_raw(client, "{")[0] == 400


def test_form_bodies_are_refused_as_unsupported(client: Client) -> None:
    # when a form is posted where JSON is expected
    response = client.post(UNIFIED, data={"searchQuery": "x"})

    # then it is a JSON 415, not a 500
    assert response.status_code == 415
    assert response.json()
