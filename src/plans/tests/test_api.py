"""The plan and the ZRM through the REST API: same gate, same rules, problem details."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.factories import CaseFactory
from plans.services import goal_save, plan_start
from privacy.models import AccessLog
from zrm.models import Assessment, LifeDomain


@pytest.fixture
def case(world):
    return CaseFactory(team=world.team_a, regisseur=world.worker)


def test_plan_is_read_through_the_gate(world, case, as_worker, as_outsider):
    url = reverse("plans_api:plan-detail", args=[case.household_id])
    assert as_worker.get(url).status_code == 404  # no plan yet
    plan = plan_start(household=case.household, by=world.worker)
    goal_save(
        plan=plan,
        expected_version=plan.version,
        by=world.worker,
        domain=LifeDomain.objects.get(code="financien"),
        description="Administratie op orde",
        target_score=4,
    )
    response = as_worker.get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 2 and body["goals"][0]["domain"] == "financien"
    assert body["costs"] == {"asked": "0.00", "arranged": "0.00"}
    assert AccessLog.objects.filter(household_id=case.household_id, action="api_read").exists()
    response = as_outsider.get(url)
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"


def test_zrm_through_the_api_scores_only_what_is_sent_and_needs_reasons(case, as_worker, as_outsider):
    url = reverse("zrm_api:case-assessments", args=[case.pk])
    response = as_worker.post(
        url, {"scores": [{"domain": "financien", "score": 2, "reason": "kort"}]}, content_type="application/json"
    )
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    response = as_worker.post(url, {"scores": []}, content_type="application/json")
    assert response.status_code == 400
    assert not Assessment.objects.exists()
    response = as_worker.post(
        url,
        {
            "assessed_on": timezone.localdate().isoformat(),
            "scores": [{"domain": "financien", "score": 2, "reason": "Aanmaningen liggen ongeopend"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["moment"] == "start" and len(response.json()["scores"]) == 1
    listed = as_worker.get(url).json()
    assert [s["domain"] for s in listed[0]["scores"]] == ["financien"]
    assert as_outsider.get(url).status_code == 404
    assert as_outsider.post(url, {"scores": []}, content_type="application/json").status_code == 404
