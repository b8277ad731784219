"""A household that moves to another district (a new address, a corrected district) takes its open
cases to the team of the new district: each case's history says so, the regisseur stays only when
they work in the new team too, and the old team no longer opens the case (the gate: 404)."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import Role
from areas.factories import PostcodeAreaFactory
from cases.factories import CaseFactory
from cases.models import Case, CaseEvent
from cases.services import case_close
from conftest import login
from people.factories import household_in
from plans.models import PlanVersion
from plans.services import plan_start
from privacy.tests.test_history import resident_form
from teams.models import TeamMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def moving(world):
    """A household of team A (postcode 8921, district A) with an open case."""
    PostcodeAreaFactory(postcode4="8921", area=world.area_a)
    PostcodeAreaFactory(postcode4="8931", area=world.area_b)
    household = household_in(world.area_a, geslachtsnaam="Zwerver", postcode="8921AB", huisnummer=3)
    resident = household.members.get().resident
    open_case = CaseFactory(team=world.team_a, household=household, resident=resident, regisseur=world.worker)
    return resident, open_case


def move(client, resident, **changes):
    return client.post(
        reverse("people:resident_edit", args=[resident.pk]),
        resident_form(resident, postcode="8931AB", huisnummer="12", reason="Verhuisd naar Goutum", **changes),
    )


def test_a_new_address_takes_the_open_cases_to_the_new_team(world, moving, as_worker, as_outsider):
    resident, open_case = moving
    detail = reverse("cases:detail", args=[open_case.pk])
    assert as_outsider.get(detail).status_code == 404
    response = move(as_worker, resident)
    # The worker can no longer open the household: told where it went, never sent to a 404.
    assert response.status_code == 302 and response.url == reverse("people:search")
    assert world.team_b.name in as_worker.get(response.url).content.decode()
    open_case.refresh_from_db()
    assert open_case.team == world.team_b and open_case.regisseur is None, "unassigned in the new team's queue"
    event = CaseEvent.objects.get(case=open_case, kind="team")
    assert event.by == world.worker and event.note == "Verhuisd naar Goutum"
    assert event.data["old_id"] == world.team_a.pk and event.data["new_id"] == world.team_b.pk
    assert not event.data["regisseur_kept"] and world.team_b.name in event.text
    # The gate: the old team (its regisseur and a colleague) gets 404, the new team opens the case.
    assert as_worker.get(detail).status_code == 404
    assert login(world.colleague).get(detail).status_code == 404
    assert as_outsider.get(detail).status_code == 200
    assert open_case in Case.objects.visible_to(world.outsider)
    werkbak = as_outsider.get(reverse("cases:werkbak")).content.decode()
    assert open_case.reference in werkbak


def test_a_closed_case_stays_with_the_team_that_closed_it(world, moving, as_worker):
    resident, open_case = moving
    closed = CaseFactory(team=world.team_a, household=open_case.household, resident=resident)
    case_close(case=closed, by=world.leader, end_reason="19", note="")
    assert move(as_worker, resident).status_code == 302
    closed.refresh_from_db()
    open_case.refresh_from_db()
    assert closed.team == world.team_a and open_case.team == world.team_b
    assert not CaseEvent.objects.filter(case=closed, kind="team").exists()
    assert as_worker.get(reverse("cases:detail", args=[open_case.pk])).status_code == 404


def test_the_regisseur_who_works_in_both_teams_stays_regisseur(world, moving, as_worker):
    resident, open_case = moving
    TeamMembership.objects.create(team=world.team_b, user=world.worker)
    assert move(as_worker, resident).status_code == 302
    open_case.refresh_from_db()
    assert open_case.team == world.team_b and open_case.regisseur == world.worker
    assert CaseEvent.objects.get(case=open_case, kind="team").data["regisseur_kept"]
    assert as_worker.get(reverse("cases:detail", args=[open_case.pk])).status_code == 200


def test_a_change_that_does_not_move_leaves_the_cases_where_they_are(world, moving, as_worker):
    resident, open_case = moving
    response = as_worker.post(
        reverse("people:resident_edit", args=[resident.pk]), resident_form(resident, phone="0581123456")
    )
    assert response.status_code == 302
    open_case.refresh_from_db()
    assert open_case.team == world.team_a and open_case.regisseur == world.worker
    assert not CaseEvent.objects.filter(kind="team").exists()


def test_the_api_moves_the_open_cases_too(world, moving):
    resident, open_case = moving
    response = login(world.worker).patch(
        reverse("people_api:resident-update", args=[resident.pk]),
        {"postcode": "8931AB", "huisnummer": 12, "reason": "Verhuisd"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    open_case.refresh_from_db()
    assert open_case.team == world.team_b


def test_a_move_where_no_team_serves_leaves_the_cases_with_their_team(world, moving, as_worker):
    resident, open_case = moving
    response = as_worker.post(
        reverse("people:resident_edit", args=[resident.pk]),
        resident_form(resident, postcode="9999ZZ", huisnummer="1", reason="Verhuisd buiten de gemeente"),
    )
    assert response.status_code == 302
    open_case.refresh_from_db()
    assert open_case.team == world.team_a, "nobody is lost: the team keeps the case"
    leader_b = UserFactory(role=Role.TEAM_LEADER, municipality=world.municipality, teams=[world.team_b], leads=True)
    assert login(leader_b).get(reverse("cases:detail", args=[open_case.pk])).status_code == 404


def test_a_household_taken_up_from_the_queue_goes_to_the_team_of_its_new_district(world, as_worker):
    """Homeless, taken up by team A from the intake queue; found a home in district B: team B's now."""
    PostcodeAreaFactory(postcode4="8931", area=world.area_b)
    household = household_in(None, geslachtsnaam="Zwerfkamp")
    household.team, household.municipality = world.team_a, world.municipality
    household.save(update_fields=["team", "municipality"])
    resident = household.members.get().resident
    case = CaseFactory(team=world.team_a, household=household, resident=resident, regisseur=world.worker)
    assert move(as_worker, resident).status_code == 302
    household.refresh_from_db()
    case.refresh_from_db()
    assert household.area == world.area_b and household.team is None
    assert case.team == world.team_b
    assert as_worker.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_the_plan_follows_its_case_to_the_new_team(world, moving, as_worker):
    """The case's regisseur is cleared in the new team: the plan's is not left with the old one (who
    no longer opens the household); the new team's leader holds it until they assign a regisseur."""
    resident, open_case = moving
    plan = plan_start(household=open_case.household, by=world.worker)
    assert plan.regisseur == world.worker
    leader_b = UserFactory(role=Role.TEAM_LEADER, municipality=world.municipality, teams=[world.team_b], leads=True)
    assert move(as_worker, resident).status_code == 302
    plan.refresh_from_db()
    assert plan.regisseur == leader_b
    assert PlanVersion.objects.filter(plan=plan, number=plan.version, change="regisseur changed").exists()


def test_the_plan_keeps_the_regisseur_the_case_kept(world, moving, as_worker):
    resident, open_case = moving
    plan = plan_start(household=open_case.household, by=world.worker)
    TeamMembership.objects.create(team=world.team_b, user=world.worker)
    UserFactory(role=Role.TEAM_LEADER, municipality=world.municipality, teams=[world.team_b], leads=True)
    version = plan.version
    assert move(as_worker, resident).status_code == 302
    plan.refresh_from_db()
    assert plan.regisseur == world.worker and plan.version == version
