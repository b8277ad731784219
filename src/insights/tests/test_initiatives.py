"""Scenario 5: a neighbourhood initiative with budget, spending, reach and evaluation."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.factories import CaseFactory
from conftest import login
from insights.models import Initiative
from insights.services import initiative_join, initiative_start
from provisions.models import ProvisionKind
from provisions.services import provision_search
from zrm.models import LifeDomain

pytestmark = pytest.mark.django_db

NAME = "Groep voor kinderen van gescheiden ouders"


@pytest.fixture
def initiative(world):
    return initiative_start(
        by=world.leader,
        team=world.team_a,
        name=NAME,
        description="Tien bijeenkomsten voor kinderen van 8 tot 12 jaar.",
        area=world.area_a,
        budget=Decimal("30000"),
        started_on=timezone.localdate(),
        theme=LifeDomain.objects.get(code="huiselijke-relaties"),
    )


def test_scenario_5_start_spend_link_evaluate(world):
    leader = login(world.leader)
    response = leader.post(
        reverse("insights:initiative_new"),
        {
            "team": world.team_a.pk,
            "name": NAME,
            "description": "Tien bijeenkomsten voor kinderen van 8 tot 12 jaar.",
            "area": world.area_a.pk,
            "theme": LifeDomain.objects.get(code="huiselijke-relaties").pk,
            "budget": "30000",
            "started_on": timezone.localdate().isoformat(),
        },
    )
    initiative = Initiative.objects.get()
    assert response.url == reverse("insights:initiative", args=[initiative.pk])
    # In the sociale kaart as a collective provision for the district.
    found = provision_search(municipality=world.municipality, area=world.area_a, kind=ProvisionKind.COLLECTIEF)
    assert [p.name for p in found] == [NAME]

    url = reverse("insights:initiative", args=[initiative.pk])
    today = timezone.localdate().isoformat()
    assert (
        leader.post(
            url, {"action": "expense", "spent_on": today, "amount": "1250.50", "description": "Groepstrainer"}
        ).status_code
        == 302
    )
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    assert login(world.worker).post(url, {"action": "join", "reference": case.reference}).status_code == 302
    assert (
        leader.post(
            url, {"action": "evaluation", "evaluation": "Kinderen voelen zich minder alleen.", "evaluated_on": today}
        ).status_code
        == 302
    )

    page = leader.get(url)
    assert page.context["spent"] == Decimal("1250.50")
    assert page.context["remaining"] == Decimal("28749.50")
    assert page.context["reach"] == 1  # the team sees its own number
    text = page.content.decode()
    assert "Kinderen voelen zich minder alleen." in text
    assert "1,40" in text or "1.40" in text
    assert "Lokaal Bestuur" in text  # the assumption is shown where the ratio is used


def test_policy_officer_sees_reach_suppressed(world, initiative):
    for _ in range(3):
        case = CaseFactory(team=world.team_a)
        initiative_join(
            initiative=initiative, by=world.worker, household=case.household, joined_on=timezone.localdate()
        )
    response = login(world.policy).get(reverse("insights:initiative", args=[initiative.pk]))
    assert str(response.context["reach"]) == "< 10"
    listing = login(world.policy).get(reverse("insights:initiatives"))
    assert [str(reach) for _i, _s, reach in listing.context["rows"]] == ["< 10"]
    assert "join" not in response.context or not response.context["member"]


def test_a_household_of_another_team_cannot_be_linked(world, initiative):
    other = CaseFactory(team=world.team_b)
    response = login(world.worker).post(
        reverse("insights:initiative", args=[initiative.pk]), {"action": "join", "reference": other.reference}
    )
    assert response.status_code == 400
    assert not initiative.participants.exists()


def test_only_the_leader_records_spending(world, initiative):
    response = login(world.worker).post(
        reverse("insights:initiative", args=[initiative.pk]),
        {"action": "expense", "spent_on": timezone.localdate().isoformat(), "amount": "10", "description": "x"},
    )
    assert response.status_code == 403
    assert (
        login(world.outsider)
        .post(reverse("insights:initiative", args=[initiative.pk]), {"action": "join", "reference": "x"})
        .status_code
        == 403
    )


def test_prevention_ratio_is_a_setting(world, initiative, settings):
    settings.WIJKTEAM = {
        **settings.WIJKTEAM,
        "PREVENTION_RATIO": "2.00",
        "PREVENTION_ASSUMPTION": "Eigen raming 2026.",
    }
    login(world.leader).post(
        reverse("insights:initiative", args=[initiative.pk]),
        {"action": "expense", "spent_on": timezone.localdate().isoformat(), "amount": "1000", "description": "Zaal"},
    )
    page = login(world.leader).get(reverse("insights:initiative", args=[initiative.pk]))
    assert page.context["prevention"].saving == Decimal(2000)
    assert "Eigen raming 2026." in page.content.decode()


def test_initiative_list_queries_do_not_grow(world, initiative, django_assert_max_num_queries):
    for n in range(8):
        initiative_start(
            by=world.leader,
            team=world.team_a,
            name=f"Initiatief {n}",
            description="...",
            area=world.area_a,
            budget=Decimal(1000),
            started_on=timezone.localdate(),
        )
    client = login(world.policy)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("insights:initiatives")).status_code == 200


def test_reach_appears_in_the_district_profile_suppressed(world, initiative):
    case = CaseFactory(team=world.team_a)
    initiative_join(initiative=initiative, by=world.worker, household=case.household, joined_on=timezone.localdate())
    profile = login(world.policy).get(reverse("insights:district", args=["WK008040"])).context["profile"]
    assert [(row.label, str(row.district)) for row in profile.initiatives] == [(NAME, "< 10")]
