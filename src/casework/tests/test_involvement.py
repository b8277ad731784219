"""The gate's rule "the professionals involved see the full dossier" is reachable: a screen and an
API add and end an involvement, each with a reason that the case's history and the privacy
officer's access review show."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.factories import UserFactory
from accounts.models import Role
from cases.factories import CaseFactory
from cases.models import CaseEvent, CaseInvolvement
from conftest import login

pytestmark = pytest.mark.django_db

REASON = "Schuldhulpverlener van het andere team neemt de financiën over."


@pytest.fixture
def case(world):
    return CaseFactory(team=world.team_a, regisseur=world.worker)


def _officer_review(world) -> str:
    officer = UserFactory(role=Role.PRIVACY_OFFICER, municipality=world.municipality)
    return login(officer).get(reverse("privacy:review")).content.decode()


def test_the_regisseur_involves_a_professional_who_then_opens_the_dossier(world, case, as_worker, as_outsider):
    detail = reverse("cases:detail", args=[case.pk])
    assert as_outsider.get(detail).status_code == 404
    assert reverse("cases:involve", args=[case.pk]) in as_worker.get(detail).content.decode()
    response = as_worker.post(reverse("cases:involve", args=[case.pk]), {"user": world.outsider.pk, "reason": REASON})
    assert response.status_code == 302
    assert as_outsider.get(detail).status_code == 200
    event = CaseEvent.objects.get(case=case, kind="involved")
    assert (event.by, event.note) == (world.worker, REASON)
    assert escape(REASON) in as_worker.get(reverse("cases:history", args=[case.pk])).content.decode() or (
        escape(REASON) in as_worker.get(detail).content.decode()
    )
    assert escape(REASON) in _officer_review(world)


def test_a_reason_is_required_and_shown_beside_the_field(world, case, as_worker):
    response = as_worker.post(reverse("cases:involve", args=[case.pk]), {"user": world.outsider.pk, "reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert not CaseInvolvement.objects.exists()


def test_only_professionals_of_the_municipality_can_be_chosen(world, case, as_worker):
    policy = world.policy
    response = as_worker.post(reverse("cases:involve", args=[case.pk]), {"user": policy.pk, "reason": REASON})
    assert response.status_code == 400 and response.context["form"].errors["user"]
    response = as_worker.post(reverse("cases:involve", args=[case.pk]), {"user": world.worker.pk, "reason": REASON})
    assert response.status_code == 400, "the regisseur is on the case already"


def test_ending_an_involvement_closes_the_dossier_to_them_again(world, case, as_worker, as_outsider):
    as_worker.post(reverse("cases:involve", args=[case.pk]), {"user": world.outsider.pk, "reason": REASON})
    involvement = CaseInvolvement.objects.get()
    url = reverse("cases:involvement_end", args=[case.pk])
    assert as_worker.post(url, {"involvement": involvement.pk, "reason": ""}).status_code == 400
    response = as_worker.post(url, {"involvement": involvement.pk, "reason": "Schulden zijn geregeld."})
    assert response.status_code == 302
    assert as_outsider.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    involvement.refresh_from_db()
    assert involvement.ended_at is not None
    assert CaseEvent.objects.get(case=case, kind="uninvolved").note == "Schulden zijn geregeld."
    assert "Schulden zijn geregeld." in _officer_review(world)


def test_a_colleague_not_on_the_case_cannot_involve_anyone(world, case, as_outsider):
    url = reverse("cases:involve", args=[case.pk])
    assert as_outsider.post(url, {"user": world.outsider.pk, "reason": REASON}).status_code == 404
    assert not CaseInvolvement.objects.exists()


def test_the_api_adds_lists_and_ends_an_involvement(world, case, as_worker, as_outsider):
    url = reverse("cases_api:case-involvements", args=[case.pk])
    refused = as_worker.post(url, {"user": world.outsider.pk}, content_type="application/json")
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    assert refused.json()["invalid_params"][0]["name"] == "reason"
    payload = {"user": world.outsider.pk, "reason": REASON}
    assert as_outsider.post(url, payload, content_type="application/json").status_code == 404
    created = as_worker.post(url, payload, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["user"] == world.outsider.pk and body["ended_at"] is None and "reason" not in body
    assert [row["user"] for row in as_worker.get(url).json()] == [world.outsider.pk]
    again = as_worker.post(url, payload, content_type="application/json")
    assert again.status_code == 400, "already involved"
    end = reverse("cases_api:case-involvement-end", args=[case.pk, body["id"]])
    ended = as_worker.post(end, {"reason": "Klaar."}, content_type="application/json")
    assert ended.status_code == 200 and ended.json()["ended_at"]
    assert as_worker.get(url).json() == []
    assert as_worker.post(end, {"reason": "Klaar."}, content_type="application/json").status_code == 400
