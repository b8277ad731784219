import pytest
from django.urls import reverse

from cases.factories import CaseFactory
from conftest import login
from people.factories import household_in
from privacy.models import AccessLog

pytestmark = pytest.mark.django_db


def test_case_list_shows_only_visible_cases_and_is_logged(world, as_worker):
    mine = CaseFactory(team=world.team_a, regisseur=world.worker)
    CaseFactory(team=world.team_b)
    response = as_worker.get(reverse("cases_api:case-list"))
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [mine.pk]
    assert AccessLog.objects.get().action == "api_read"


def test_case_list_filters(world, as_worker):
    CaseFactory(team=world.team_a, regisseur=world.worker)
    CaseFactory(team=world.team_a, regisseur=world.colleague)
    assert response_ids(as_worker, mine="true") == 1
    assert response_ids(as_worker, status="aangemeld") == 2
    response = as_worker.get(reverse("cases_api:case-list"), {"status": "weg"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["invalid_params"][0]["name"] == "status"


def response_ids(client, **params) -> int:
    return len(client.get(reverse("cases_api:case-list"), params).json()["results"])


def test_case_detail_is_gated_with_problem_details(world, as_worker, as_outsider):
    case = CaseFactory(team=world.team_a)
    url = reverse("cases_api:case-detail", args=[case.pk])
    response = as_worker.get(url)
    assert response.status_code == 200
    assert response.json()["reference"] == case.reference
    response = as_outsider.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Niet gevonden"


def test_api_requires_a_casework_role(world, client):
    response = client.get(reverse("cases_api:case-list"))
    assert response.status_code == 403
    assert response.json()["status"] == 403
    response = login(world.policy).get(reverse("cases_api:case-list"))
    assert response.status_code == 403


def test_resident_search_api(world, as_worker):
    household = household_in(world.area_a, geslachtsnaam="Meiden")
    response = as_worker.get(reverse("people_api:resident-search"), {"q": "meiden"})
    assert response.status_code == 200
    assert [r["household"] for r in response.json()] == [household.pk]
    too_long = as_worker.get(reverse("people_api:resident-search"), {"q": "x" * 101})
    assert too_long.status_code == 400


def test_unknown_api_url_is_a_problem(as_worker):
    response = as_worker.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_openapi_schema_is_served(as_worker):
    response = as_worker.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/cases/" in response.content.decode()
