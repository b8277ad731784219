"""Nobody is lost: a resident or question no team serves waits in the municipal intake queue, seen by
the desk and the team leaders (with a count on Mijn werk), reachable by who registered it until a team
takes it up; a team leader assigns it to a team. No registration ends in a 404."""

import time

import pytest
from django.urls import reverse

from areas.factories import PostcodeAreaFactory
from cases.models import Case
from conftest import login
from intake.models import Outcome, Question, Route
from people.models import Household, Resident
from privacy.models import AccessLog, FieldChange, Purpose
from zrm.models import LifeDomain

pytestmark = pytest.mark.django_db

NEW = reverse("people:resident_new")
QUEUE = reverse("intake:queue")


def resident_form(**overrides):
    data = {"voornamen": "Jelle", "geslachtsnaam": "Dijkstra", "birth_date": "1968-03-14", "bsn": ""}
    data.update(overrides)
    return data


def register(client, **overrides) -> Household:
    response = client.post(NEW, resident_form(**overrides))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    household = Household.objects.order_by("-pk").first()
    assert response.url == reverse("people:household", args=[household.pk])
    return household


def melding(client, **data):
    payload = {
        "channel": "balie",
        "outcome": Outcome.MELDING,
        "started": time.time() - 40,
        "text": "Slaapt in de auto, schulden",
        "life_domains": [LifeDomain.objects.get(code="financien").pk],
        **data,
    }
    return client.post(reverse("intake:desk"), payload)


@pytest.mark.parametrize(
    "address",
    [
        {},  # homeless: no address at all
        {"postcode": "1012 AB", "huisnummer": "1"},  # another municipality: outside every district
        {"postcode": "8911 AA", "huisnummer": "2", "straat": "Postbus"},  # a briefadres outside the districts
    ],
    ids=["no-address", "other-municipality", "briefadres"],
)
def test_a_resident_no_team_serves_is_found_again_and_waits_in_the_queue(world, as_worker, address):
    household = register(as_worker, **address)
    assert household.municipality == world.municipality and household.registered_by == world.worker
    page = as_worker.get(reverse("people:household", args=[household.pk]))
    assert page.status_code == 200
    assert "intake queue" in page.context["where"] or "intakewachtrij" in page.context["where"]
    assert AccessLog.objects.filter(user=world.worker, household_id=household.pk).exists()
    # The desk and the team leaders see it in the queue; the leader's start page counts it.
    for user in (world.colleague, world.leader, world.outsider):
        listed = login(user).get(QUEUE)
        assert listed.status_code == 200
        assert [h.pk for h in listed.context["households"]] == [household.pk]
    assert login(world.leader).get(reverse("cases:my_work")).context["intake_queue"] == 1
    assert login(world.policy).get(QUEUE).status_code == 403


def test_registering_the_same_bsn_again_finds_the_waiting_resident(world, as_worker):
    register(as_worker, bsn="999993185")
    response = login(world.colleague).post(NEW, resident_form(bsn="999993185"))
    assert response.status_code == 200 and "bsn" in response.context["form"].errors
    assert [r.bsn for r in response.context["duplicates"]] == ["999993185"]
    assert not response.context["hidden_duplicates"]
    assert Resident.objects.count() == 1


def test_a_resident_in_another_teams_district_is_registered_without_a_404(world, as_worker):
    PostcodeAreaFactory(postcode4="8913", area=world.area_b)
    household = register(as_worker, postcode="8913 CK", huisnummer="4")
    assert household.area == world.area_b
    page = as_worker.get(reverse("people:household", args=[household.pk]))
    assert page.status_code == 200, "who registered it reaches it until a team takes it up"
    assert world.team_b.name in page.context["where"]
    # A colleague of the registrant's team has no reason to know it.
    assert login(world.colleague).get(reverse("people:household", args=[household.pk])).status_code == 404


def test_a_melding_for_a_homeless_resident_waits_and_the_leader_assigns_a_team(world, as_worker):
    response = melding(as_worker, new_voornamen="Jelle", new_geslachtsnaam="Dijkstra", new_birth_date="1968-03-14")
    question = Question.objects.get()
    household = Household.objects.get()
    assert question.route == Route.QUEUE and question.case is None and question.team is None
    assert response.status_code == 302 and response.url == reverse("people:household", args=[household.pk])
    assert as_worker.get(response.url).status_code == 200
    assert not Case.objects.exists()

    leader = login(world.leader)
    assert leader.get(reverse("cases:my_work")).context["intake_queue"] == 1
    done = leader.post(reverse("intake:queue_assign", args=[household.pk]), {"team": world.team_b.pk})
    assert done.status_code == 302 and done.url == QUEUE
    case = Case.objects.get()
    assert case.team == world.team_b and case.household == household and case.regisseur is None
    question.refresh_from_db()
    assert question.case == case and question.team == world.team_b
    change = FieldChange.objects.get(household=household, field="team")
    assert change.new == world.team_b.name and change.by == world.leader
    assert leader.get(QUEUE).context["households"] == []
    assert leader.get(reverse("cases:my_work")).context["intake_queue"] == 0
    assert AccessLog.objects.filter(user=world.leader, household_id=household.pk, purpose=Purpose.INTAKE).exists()
    # Taken up by team B: the registrant of team A no longer reaches it; team B does.
    assert as_worker.get(reverse("people:household", args=[household.pk])).status_code == 404
    assert login(world.outsider).get(reverse("people:household", args=[household.pk])).status_code == 200


def test_only_a_team_leader_assigns_and_only_once(world, as_worker):
    household = register(as_worker)
    url = reverse("intake:queue_assign", args=[household.pk])
    assert as_worker.post(url, {"team": world.team_a.pk}).status_code == 403
    leader = login(world.leader)
    leader.post(url, {"team": world.team_a.pk})
    household.refresh_from_db()
    assert household.team == world.team_a
    leader.post(url, {"team": world.team_b.pk})
    household.refresh_from_db()
    assert household.team == world.team_a


def test_a_melding_in_another_teams_district_says_where_it_went(world, as_worker):
    PostcodeAreaFactory(postcode4="8913", area=world.area_b)
    response = melding(
        as_worker,
        new_geslachtsnaam="Postma",
        new_birth_date="1950-05-05",
        new_postcode="8913CK",
        new_huisnummer="7",
    )
    case = Case.objects.get()
    assert case.team == world.team_b
    assert response.status_code == 302 and response.url == reverse("intake:questions")
    page = as_worker.get(response.url, follow=True)
    assert page.status_code == 200
    assert world.team_b.name in page.content.decode()
