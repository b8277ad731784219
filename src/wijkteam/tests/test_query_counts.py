"""The number of SQL queries of each key page does not grow with the data (issue 8).

Each test requests a page, adds more of what the page lists (cases, contacts, history, members,
goals …), requests it again and asserts the same number of queries: an N+1 regression (a query
per listed row) fails here. The upper bound catches a page that becomes chatty in other ways.
"""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test import Client
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
from insights import tallies
from people.factories import HouseholdMemberFactory, NetworkMemberFactory, ResidentFactory, household_in
from people.models import Relation
from plans.models import Action, Conversation, Goal
from plans.services import plan_start
from teams.factories import TeamFactory
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
    assert after <= most, f"{url}: {after} queries:\n{listing}"
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
    # A colleague's case too, so the first request already asks whether the worker may open it.
    CaseFactory(team=world.team_a, household=household, resident=case.resident, regisseur=world.colleague)

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
    # follow-up, the questions to colleagues, the messages and reported mistakes beside the timeline:
    # 23 at most, whatever the data.
    assert_constant(as_worker, reverse("cases:detail", args=[case.pk]), grow, most=23)


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
    # The plan page: goals with their actions, arrangements, the forms' choices, versions, members,
    # the evaluations, what the resident agreed or asked, and their comments on the reports, in Mijn Wijkteam.
    assert_constant(as_worker, reverse("plans:plan", args=[case.household_id]), grow, most=21)


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


# --- the team work queue, the policy pages and the referral API ------------------------------------


def test_werkbak_of_a_team_leader(world):
    """New, untriaged, unassigned cases, legal deadlines close, and referrals waiting."""
    from intake.models import Referral, ReferralSource

    def grow():
        today = timezone.localdate()
        CaseFactory(team=world.team_a)  # new, untriaged, no regisseur
        CaseFactory(team=world.team_a, regisseur=world.worker, triage="ondersteuning")
        CaseFactory(team=world.team_a, regisseur=world.colleague, melding_date=today - timedelta(days=40))
        Referral.objects.create(
            municipality=world.municipality,
            source=ReferralSource.SELF,
            name="J. Visser",
            postcode="8921AB",
            concern="Schulden.",
            team=world.team_a,
        )

    grow()
    assert_constant(login(world.leader), reverse("cases:werkbak"), grow)


def test_district_profile(world):
    """Published figures (the real CBS files) beside the period's cases by quarter, life domain and
    triage, provisions used and initiatives: none of it costs a query per row."""
    from decimal import Decimal

    from insights.importers import import_figures
    from insights.services import initiative_join, initiative_start
    from provisions.factories import ProvisionFactory
    from provisions.models import ProvisionReferral

    import_figures()
    domains = list(LifeDomain.objects.all())
    count = 0

    def grow():
        nonlocal count
        count += 1
        today = timezone.localdate()
        provision = ProvisionFactory(municipality=world.municipality, name=f"Buurtkamer {count}")
        for team, months in ((world.team_a, 1), (world.team_a, 5), (world.team_b, 9)):
            case = CaseFactory(team=team, triage="zelfredzaam", melding_date=today - timedelta(days=30 * months))
            case.life_domains.add(*domains[count : count + 2])
            ProvisionReferral.objects.create(provision=provision, case=case, resident=case.resident, by=world.worker)
        initiative = initiative_start(
            by=world.leader,
            team=world.team_a,
            name=f"Taalcafé {count}",
            description="Samen Nederlands oefenen.",
            area=world.area_a,
            budget=Decimal("1000"),
            started_on=today,
        )
        initiative_join(initiative=initiative, by=world.leader, household=household_in(world.area_a), joined_on=today)
        # The changed days are recounted once, by the next reader (insights/tests/test_tallies.py
        # bounds that); measured here is what reading the profile costs.
        tallies.refresh()

    grow()
    url = reverse("insights:district", args=[world.area_a.cbs_code])
    # The profile: area, figures (district, town, postcode areas), the period's aggregates here
    # and in the town, domains, provisions, initiatives.
    assert_constant(login(world.policy), url, grow, most=32)


@pytest.mark.parametrize("role", ["leader", "policy"])
def test_management_report(world, role):
    """Caseload per team (and per regisseur for a team leader), 80-20-5, throughput, the
    investigation term, ZRM outcomes and initiative budgets."""
    from decimal import Decimal

    from cases.services import case_close
    from insights.services import initiative_spend, initiative_start

    finance = LifeDomain.objects.get(code="financien")
    count = 0

    def grow():
        nonlocal count
        count += 1
        today = timezone.localdate()
        for team, regisseur in ((world.team_a, world.worker), (world.team_b, world.outsider)):
            case = CaseFactory(
                team=team, regisseur=regisseur, triage="ondersteuning", melding_date=today - timedelta(days=60)
            )
            for days, score in ((50, 2), (10, 4)):
                assessment_record(
                    case=case,
                    by=regisseur,
                    ratings=[Rating(domain=finance, score=score, reason="Post ligt ongeopend op tafel")],
                    assessed_on=today - timedelta(days=days),
                )
            case_close(case=case, by=regisseur, end_reason="19", note="Klaar.")
            CaseFactory(team=team, regisseur=regisseur, melding_date=today - timedelta(days=20))
        CaseFactory(team=TeamFactory(municipality=world.municipality), melding_date=today)
        initiative = initiative_start(
            by=world.leader,
            team=world.team_a,
            name=f"Buurtmaaltijd {count}",
            description="Samen eten.",
            area=world.area_a,
            budget=Decimal("500"),
            started_on=today,
        )
        initiative_spend(
            initiative=initiative, by=world.leader, spent_on=today, amount=Decimal("20"), description="Eten"
        )
        tallies.refresh()  # as in test_district_profile: the report's own queries are measured

    grow()
    user = world.leader if role == "leader" else world.policy
    assert_constant(login(user), reverse("insights:management"), grow, most=20)


def _partner_api(world):
    from areas.factories import PostcodeAreaFactory
    from intake.models import PartnerToken
    from partners.factories import OrganisationFactory

    PostcodeAreaFactory(postcode4="8921", area=world.area_a)
    practice = OrganisationFactory(municipality=world.municipality, name="Huisarts Huizum")
    _token, key = PartnerToken.issue(organisation=practice, name="HIS")
    return practice, Client(HTTP_AUTHORIZATION=f"Token {key}")


def _more_referrals(world, practice):
    """Referrals of this practice (one taken up) and of another organisation, more teams and keys."""
    from intake.models import PartnerToken, Referral, ReferralSource
    from partners.factories import OrganisationFactory

    other = OrganisationFactory(municipality=world.municipality)
    PartnerToken.issue(organisation=other, name="CRM")
    TeamFactory(municipality=world.municipality, areas=[world.area_a])
    for organisation, case in ((practice, CaseFactory(team=world.team_a)), (practice, None), (other, None)):
        referral = Referral.objects.create(
            municipality=world.municipality,
            source=ReferralSource.PARTNER,
            organisation=organisation,
            name="Familie de Jong",
            postcode="8921AB",
            concern="Schulden.",
            team=world.team_a,
            case=case,
        )
        referral.life_domains.set(LifeDomain.objects.all()[:3])


def test_referral_api_create(world):
    """A partner system refers someone: the same queries, however many referrals, teams and keys exist."""
    practice, api = _partner_api(world)
    url = reverse("intake_api:referral-list")
    body = {
        "name": "Familie de Jong",
        "postcode": "8921 AB",
        "huisnummer": 7,
        "concern": "Schulden, kind verzuimt school.",
        "life_domains": ["financien", "geestelijke-gezondheid", "werk-en-opleiding"],
        "resident_informed": True,
    }

    def post() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api.post(url, body, content_type="application/json")
        assert response.status_code == 201, response.content
        return len(captured)

    post()
    before = post()
    _more_referrals(world, practice)
    _more_referrals(world, practice)
    after = post()
    assert after == before, f"{before} queries, {after} after adding referrals"
    assert after <= 12, after


def test_referral_api_status(world):
    from intake.models import Referral

    practice, api = _partner_api(world)
    _more_referrals(world, practice)
    referral = Referral.objects.filter(organisation=practice, case__isnull=False).first()
    assert_constant(
        api, reverse("intake_api:referral-detail", args=[referral.pk]), lambda: _more_referrals(world, practice)
    )
    assert_constant(api, reverse("intake_api:referral-list"), lambda: _more_referrals(world, practice))
