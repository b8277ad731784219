"""The number of SQL queries of each key page does not grow with the data (issue 8).

Each test requests a page, adds more of what the page lists (cases, contacts, history, members,
goals …), requests it again and asserts the same number of queries: an N+1 regression (a query
per listed row) fails here. The upper bound catches a page that becomes chatty in other ways.
"""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Role
from cases.factories import CaseFactory
from cases.models import CaseEvent, CaseInvolvement, Consultation, LegalFramework
from conftest import login
from contacts.factories import ContactFactory
from contacts.models import ContactSeries, ContactStatus
from people.factories import HouseholdMemberFactory, NetworkMemberFactory, ResidentFactory, household_in
from people.models import Relation
from plans.models import Action, Conversation, Goal
from plans.services import plan_start
from zrm.models import LifeDomain
from zrm.services import Rating, assessment_record

pytestmark = pytest.mark.django_db

# Upper bound for any listed page: session, user, gate, access log, the lists themselves.
MOST = 16


def queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def assert_constant(client, url: str, grow, params: dict | None = None, most: int = MOST) -> int:
    """The page answers with the same number of queries before and after ``grow()``."""
    queries(client, url, params)  # first request: session and caches warm
    before = queries(client, url, params)
    grow()
    grow()
    with CaptureQueriesContext(connection) as captured:
        client.get(url, params or {})
    after = len(captured)
    listing = "\n".join(q["sql"][:200] for q in captured)  # shown when the assertion fails
    assert after == before, f"{url}: {before} queries, {after} after adding rows (N+1?):\n{listing}"
    assert after <= most, f"{url}: {after} queries"
    return after


def busy_case(world, **fields):
    """An open case of the worker with a planned and a done contact, history and an involvement."""
    case = CaseFactory(team=world.team_a, regisseur=world.worker, **fields)
    case.frameworks.add(*LegalFramework.objects.all()[:2])
    case.life_domains.add(*LifeDomain.objects.all()[:2])
    now = timezone.now()
    ContactFactory(case=case, professional=world.worker, planned_at=now + timedelta(days=2))
    ContactFactory(case=case, professional=world.worker, status=ContactStatus.DONE, happened_at=now)
    CaseEvent.objects.create(case=case, by=world.worker, kind="note", summary="Note", note="Gebeld.")
    CaseInvolvement.objects.create(case=case, user=world.colleague)
    return case


def test_my_work(world, as_worker):
    busy_case(world)

    def grow():
        busy_case(world)
        # a colleague's case the worker is involved in
        other = busy_case(world)
        other.regisseur = world.colleague
        other.save()
        CaseInvolvement.objects.create(case=other, user=world.worker)

    assert_constant(as_worker, reverse("cases:my_work"), grow)


def test_my_work_of_a_team_leader_with_unassigned_cases(world):
    CaseFactory(team=world.team_a)
    assert_constant(login(world.leader), reverse("cases:my_work"), lambda: CaseFactory(team=world.team_a))


@pytest.mark.parametrize("kind", ["name", "postcode", "bsn"])
def test_resident_search(world, as_worker, kind):
    def resident():
        household = household_in(world.area_a, geslachtsnaam="Bakker", postcode="8921AB", huisnummer=7)
        CaseFactory(team=world.team_a, household=household, regisseur=world.worker)
        # someone in another district, who must stay hidden
        household_in(world.area_b, geslachtsnaam="Bakker", postcode="8921AB", huisnummer=7)
        return household.members.get().resident

    first = resident()
    query = {"name": "bakk", "postcode": "8921AB 7", "bsn": None}[kind]
    if kind == "bsn":
        first.set_bsn("111222333")
        first.save()
        query = "111222333"
    assert_constant(as_worker, reverse("people:search"), resident, {"q": query})


def test_household_dossier(world, as_worker):
    case = busy_case(world)
    household = case.household

    def grow():
        member = HouseholdMemberFactory(
            household=household, resident=ResidentFactory(area=world.area_a), relation=Relation.CHILD
        )
        NetworkMemberFactory(resident=member.resident)
        busy_case(world, household=household, resident=member.resident)
        CaseFactory(team=world.team_a, household=household, resident=member.resident, regisseur=world.colleague)

    assert_constant(as_worker, reverse("people:household", args=[household.pk]), grow)


def test_case_page(world, as_worker):
    case = busy_case(world)

    def grow():
        now = timezone.now()
        more_work()
        ContactFactory(case=case, professional=world.colleague, planned_at=now + timedelta(days=5))
        CaseEvent.objects.create(case=case, by=world.colleague, kind="note", summary="Note", note="Mail.")
        CaseEvent.objects.create(case=case, by=None, kind="deadline", summary="Deadline")
        CaseInvolvement.objects.create(case=case, user=UserFactory(teams=[world.team_a], role=Role.SOCIAL_WORKER))
        HouseholdMemberFactory(household=case.household, resident=ResidentFactory(area=world.area_a))

    def more_work():
        """The panels of the kitchen-table work: conversations, ZRM, follow-up, questions to colleagues."""
        Conversation.objects.create(
            case=case, held_on=timezone.localdate(), question_asked="Post", conclusion="Samen doen", by=world.worker
        )
        domain = LifeDomain.objects.get(code="financien")
        assessment_record(case=case, by=world.worker, ratings=[Rating(domain, 3, "Betalingsregeling loopt")])
        ContactSeries.objects.create(
            case=case, professional=world.worker, starts_on=timezone.localdate(), at=time(10), note="Post"
        )
        Consultation.objects.create(case=case, asked_by=world.worker, colleague=world.colleague, question="Tip?")

    more_work()  # one of each to begin with: then more of them must not cost more queries
    # The case page shows the conversations, the ZRM trend, the plan's outcome and costs, the
    # follow-up and the questions to colleagues beside the timeline: 22 at most, whatever the data.
    assert_constant(as_worker, reverse("cases:detail", args=[case.pk]), grow, most=22)


def test_plan_page(world, as_worker):
    case = busy_case(world)
    plan = plan_start(household=case.household, by=world.worker)
    domains = list(LifeDomain.objects.all())

    def grow():
        goal = Goal.objects.create(plan=plan, domain=domains[len(plan.goals.all())], description="Schulden op orde")
        network = NetworkMemberFactory(resident=case.resident)
        Action.objects.create(goal=goal, description="Post openen", network_member=network, actor="netwerk")
        Action.objects.create(goal=goal, description="Budget maken")

    grow()  # a plan with goals shows the action form too
    # The plan page: goals with their actions, arrangements, the forms' choices, versions, members.
    assert_constant(as_worker, reverse("plans:plan", args=[case.household_id]), grow, most=19)


def test_api_case_list(world, as_worker):
    busy_case(world)
    url = reverse("cases_api:case-list")
    assert_constant(as_worker, url, lambda: busy_case(world))
    assert_constant(as_worker, url, lambda: busy_case(world), {"mine": "true"})


def test_api_resident_search(world, as_worker):
    def resident():
        household = household_in(world.area_a, geslachtsnaam="Visser")
        CaseFactory(team=world.team_a, household=household, regisseur=world.worker)

    resident()
    assert_constant(as_worker, reverse("people_api:resident-search"), resident, {"q": "viss"})
