from datetime import date

import pytest
from django.urls import reverse

from people.factories import household_in
from people.search import parse_query
from privacy.models import AccessLog

pytestmark = pytest.mark.django_db

SEARCH = reverse("people:search")


@pytest.fixture
def residents(world):
    return {
        "widow": household_in(
            world.area_a,
            voornamen="Ingrid",
            voorvoegsel="van der",
            geslachtsnaam="Meiden",
            birth_date=date(1957, 9, 29),
            postcode="8932AB",
            huisnummer=120,
            bsn="999993185",
        )
        .members.get()
        .resident,
        "frisian": household_in(world.area_a, voornamen="Sjoerd", geslachtsnaam="Nijlân", birth_date=date(1980, 1, 2))
        .members.get()
        .resident,
        "elsewhere": household_in(
            world.area_b, voornamen="Ingrid", geslachtsnaam="Meiden", birth_date=date(1960, 1, 1)
        )
        .members.get()
        .resident,
    }


def found(client, q):
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200
    return {r.pk for r in response.context["results"]}


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("meiden", "widow"),
        ("Ingrid van der Mei", "widow"),
        ("29-09-1957", "widow"),
        ("1957-09-29", "widow"),
        ("meiden 29-9-1957", "widow"),
        ("8932 AB 120", "widow"),
        ("8932ab", "widow"),
        ("999993185", "widow"),
        ("nijlan", "frisian"),
        ("Nijlân", "frisian"),
    ],
)
def test_find_by_what_the_desk_hears(as_worker, residents, query, who):
    assert found(as_worker, query) == {residents[who].pk}


def test_residents_of_another_team_are_not_found(as_worker, as_outsider, residents):
    assert residents["elsewhere"].pk not in found(as_worker, "meiden")
    assert found(as_outsider, "meiden") == {residents["elsewhere"].pk}


def test_search_is_logged_without_the_search_text(world, as_worker, residents):
    found(as_worker, "999993185")
    log = AccessLog.objects.get()
    assert log.action == "search"
    assert "999993185" not in log.detail
    assert log.detail == "bsn: 1"


def test_htmx_request_gets_only_the_results(as_worker, residents):
    response = as_worker.get(SEARCH, {"q": "meiden"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "Meiden" in html


def test_search_query_count_does_not_grow_with_results(world, as_worker, django_assert_max_num_queries):
    for n in range(15):
        household_in(world.area_a, geslachtsnaam="Jansen", huisnummer=n + 1)
    with django_assert_max_num_queries(8):
        response = as_worker.get(SEARCH, {"q": "jansen"})
    assert len(response.context["results"]) == 15


def test_parse_query():
    parsed = parse_query("Van der Meiden 8932 AB 120 29-09-1957")
    assert parsed.postcode == "8932AB" and parsed.huisnummer == 120
    assert parsed.birth_date == date(1957, 9, 29)
    assert parsed.names == ["van", "der", "meiden"]
    assert parse_query("31-02-1957").birth_date is None
