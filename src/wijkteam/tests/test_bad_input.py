"""The thirteen inputs of the outside test that gave a server error (issue 18, item 9), each now a
400 with a clear message: a NUL character, dates at the edges of the calendar, JSON nested 100,000
deep. ``test_bad_input_everywhere.py`` sends the same kinds of input to every form and endpoint."""

import json

import pytest
from django.urls import reverse

from conftest import login
from wijkteam.api import MAX_JSON_DEPTH, _depth

pytestmark = pytest.mark.django_db

NUL = "Jan\x00sen"


def _says(response, text: str) -> None:
    body = response.content.decode()
    if response["Content-Type"].startswith("application/problem+json"):
        body = json.dumps(response.json(), ensure_ascii=False)
    assert text in body, body[:2000]


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("intake:resident_search", {"q": NUL}),
        ("people_api:resident-search", {"q": NUL}),
        ("people:search", {"q": NUL}),
    ],
)
def test_a_nul_character_in_a_search_is_a_400_with_a_message(world, url, params):
    response = login(world.worker).get(reverse(url), params)
    assert response.status_code == 400
    _says(response, "NUL")


def test_a_nul_character_in_a_district_code_is_a_400(world):
    response = login(world.policy).get("/wijken/WK%00/")
    assert response.status_code == 400
    _says(response, "NUL")
    api = login(world.policy).get("/api/v1/districts/WK%00/profile/")
    assert api.status_code == 400 and api["Content-Type"] == "application/problem+json"


def test_a_nul_character_in_a_posted_form_is_a_400(world):
    response = login(world.worker).post(reverse("intake:desk"), {"text": NUL})
    assert response.status_code == 400
    _says(response, "NUL")


PERIOD_URLS = [
    ("insights:management", ()),
    ("insights:management_export", ("csv",)),
    ("insights:management_export", ("xlsx",)),
    ("insights:district", ("WK008040",)),
    ("insights:district_export", ("WK008040", "csv")),
    ("insights:districts", ()),
    ("insights:map", ()),
    ("insights:map_data", ()),
    ("insights_api:district-profile", ("WK008040",)),
]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize(("url", "args"), PERIOD_URLS)
def test_dates_at_the_edge_of_the_calendar_are_a_400(world, url, args, day):
    for params in ({"van": day}, {"tot": day}, {"van": day, "tot": day}):
        response = login(world.policy).get(reverse(url, args=args), params)
        assert response.status_code == 400, (params, response.status_code)
        _says(response, "2099")  # "Kies een datum van 1 januari 1900 tot en met 31 december 2099."


def test_the_period_form_shows_its_error_beside_the_field(world):
    response = login(world.policy).get(reverse("insights:management"), {"tot": "9999-12-31"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and "31 december 2099" in page


@pytest.mark.parametrize("url", ["privacy:review", "privacy:log"])
def test_the_privacy_officers_periods_refuse_them_too(world, url):
    from accounts.factories import UserFactory
    from accounts.models import Role

    officer = UserFactory(role=Role.PRIVACY_OFFICER, municipality=world.municipality)
    response = login(officer).get(reverse(url), {"end": "9999-12-31"})
    assert response.status_code == 400
    _says(response, "2099")


def test_json_nested_too_deep_is_a_400_problem(world):
    response = login(world.worker).post(
        reverse("insights_api:signal-list"), "[" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    _says(response, str(MAX_JSON_DEPTH))


def test_the_depth_counts_brackets_outside_strings_only():
    assert _depth(b'{"a": [1, {"b": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"]"}]}') == 3
    assert _depth(b"[" * 40) > MAX_JSON_DEPTH
    assert _depth(b'"\\\\"') == 0


def test_json_with_a_nul_character_is_a_400_problem(world):
    body = json.dumps({"team": world.team_a.pk, "title": NUL, "description": "x"})
    response = login(world.worker).post(reverse("insights_api:signal-list"), body, content_type="application/json")
    assert response.status_code == 400
    _says(response, "NUL")
