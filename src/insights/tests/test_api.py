"""Scenarios 5 and 7 through the API, with the same rules as the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.factories import CaseFactory
from conftest import login

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_scenario_7_through_the_api(world):
    worker, leader, policy = login(world.worker), login(world.leader), login(world.policy)
    raised = worker.post(
        f"{API}/signals/",
        {"team": world.team_a.pk, "title": "Toeslag kwijt", "description": "Nieuw formulier.", "area": "WK008040"},
        content_type="application/json",
    )
    assert raised.status_code == 201, raised.json()
    pk = raised.json()["id"]
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    assert (
        worker.post(
            f"{API}/signals/{pk}/forward/",
            {"policy_officer": world.policy.pk, "due_on": due},
            content_type="application/json",
        ).status_code
        == 403
    )
    forwarded = leader.post(
        f"{API}/signals/{pk}/forward/",
        {"policy_officer": world.policy.pk, "due_on": due},
        content_type="application/json",
    )
    assert forwarded.json()["status"] == "doorgestuurd"
    answered = policy.post(
        f"{API}/signals/{pk}/answer/", {"answer": "Er komt een toelichting."}, content_type="application/json"
    )
    assert answered.status_code == 200
    assert worker.get(f"{API}/signals/{pk}/").json()["answer"] == "Er komt een toelichting."
    assert login(world.outsider).get(f"{API}/signals/{pk}/").status_code == 404


def test_forward_with_a_past_date_is_a_problem_with_invalid_params(world):
    pk = (
        login(world.worker)
        .post(
            f"{API}/signals/",
            {"team": world.team_a.pk, "title": "x", "description": "y"},
            content_type="application/json",
        )
        .json()["id"]
    )
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = login(world.leader).post(
        f"{API}/signals/{pk}/forward/",
        {"policy_officer": world.policy.pk, "due_on": past},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert [p["name"] for p in response.json()["invalid_params"]] == ["due_on"]


def test_scenario_5_through_the_api(world):
    leader = login(world.leader)
    started = leader.post(
        f"{API}/initiatives/",
        {
            "team": world.team_a.pk,
            "name": "Kinderen in scheiding",
            "description": "Groepsprogramma.",
            "area": "WK008040",
            "theme": "huiselijke-relaties",
            "budget": "30000.00",
            "started_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    assert started.status_code == 201, started.json()
    pk = started.json()["id"]
    spent = leader.post(
        f"{API}/initiatives/{pk}/expenses/",
        {"spent_on": timezone.localdate().isoformat(), "amount": "1500.00", "description": "Trainer"},
        content_type="application/json",
    )
    assert spent.json()["spent"] == "1500.00"
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    joined = login(world.worker).post(
        f"{API}/initiatives/{pk}/participants/", {"case_reference": case.reference}, content_type="application/json"
    )
    assert joined.json()["reach"] == "1"
    assert login(world.policy).get(f"{API}/initiatives/{pk}/").json()["reach"] == "< 10"
    other = CaseFactory(team=world.team_b)
    assert (
        login(world.worker)
        .post(
            f"{API}/initiatives/{pk}/participants/",
            {"case_reference": other.reference},
            content_type="application/json",
        )
        .status_code
        == 404
    )


def test_district_profile_through_the_api_is_suppressed(world):
    for _ in range(3):
        CaseFactory(team=world.team_b)
    data = login(world.policy).get(f"{API}/districts/WK008071/profile/").json()
    assert data["cases"][0]["district"] == "< 10"
    numbers = [
        row[key]
        for table in ("cases", "domains", "triage", "provisions")
        for row in data[table]
        for key in ("district", "municipality")
        if row[key]
    ]
    assert all(n == "< 10" or int(n) >= 10 for n in numbers), numbers


def test_referrer_cannot_use_the_insights_api(world):
    from accounts.factories import UserFactory
    from accounts.models import Role

    referrer = UserFactory(role=Role.REFERRER, municipality=world.municipality)
    assert login(referrer).get(f"{API}/signals/").status_code == 403
    assert login(referrer).get(f"{API}/districts/WK008040/profile/").status_code == 403
