"""Whose the household plan is, in Mijn Wijkteam and in the own file: one rule for both
(``Plan.objects.of_resident``: a member now, with an open case of their own in the household); in
the own file only the evaluations of the resident's own cases; another member's use of the portal
never in this resident's file; the plan names whom to ask as the case has it now; the objection
term after a decision as the Algemene termijnenwet counts it."""

import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cases.deadlines import term_end
from cases.factories import CaseFactory
from cases.models import Case
from cases.services import household_cases_follow
from cases.workflow import Status
from maatwerk.factories import IndicationAdviceFactory, beschikker_of, customised_provision
from maatwerk.services import decision_make
from people.factories import HouseholdMemberFactory, ResidentFactory, household_in
from people.models import Household, HouseholdMember, Relation
from plans.evaluations import GoalOutcome, evaluation_record
from plans.models import AgreementKind, GoalResult, NextStep, Plan, PlanResponse, PlanVersion
from plans.services import goal_save, plan_update
from privacy.models import AccessLog, Action, Purpose
from privacy.services import log_access
from zrm.models import LifeDomain

from .conftest import resident_client


def _own_file(resident) -> dict:
    return json.loads(resident_client(resident).get(reverse("portal:own_file_download", args=["json"])).content)


def _plan_urls(plan):
    return [
        ("get", reverse("portal:plan", args=[plan.pk])),
        ("post", reverse("portal:plan_agree", args=[plan.pk])),
        ("post", reverse("portal:plan_change", args=[plan.pk])),
    ]


def _no_plan_for(resident, family) -> None:
    client = resident_client(resident)
    for method, url in _plan_urls(family.plan):
        response = getattr(client, method)(url, {"text": "Mag dit anders?", "version": family.plan.version})
        assert response.status_code == 404, url
    assert reverse("portal:plan", args=[family.plan.pk]) not in client.get(reverse("portal:home")).content.decode()
    assert _own_file(resident)["plans"] == []
    family.plan.refresh_from_db()
    assert family.plan.agreed_on is None
    assert not PlanResponse.objects.exists()


def test_a_resident_whose_own_case_is_closed_no_longer_reads_nor_agrees_to_the_plan(world, family):
    Case.objects.filter(pk=family.case.pk).update(status=Status.AFGESLOTEN, closed_at=timezone.now())
    _no_plan_for(family.govert, family)
    # The child's case is open: the child keeps the plan, in the portal and in the own file.
    assert resident_client(family.child).get(reverse("portal:plan", args=[family.plan.pk])).status_code == 200
    assert [p["summary"] for p in _own_file(family.child)["plans"]] == ["Govert woont veilig thuis."]


def test_an_ex_partner_who_left_the_household_no_longer_reads_nor_agrees_to_the_plan(world, family):
    """She still has an open case in the household she left (not moved yet): that is no reason."""
    partner = ResidentFactory(area=world.area_a, voornamen="Gea", geslachtsnaam="Geus")
    HouseholdMemberFactory(household=family.household, resident=partner, relation=Relation.PARTNER)
    CaseFactory(team=world.team_a, household=family.household, resident=partner, regisseur=world.worker)
    assert resident_client(partner).get(reverse("portal:plan", args=[family.plan.pk])).status_code == 200
    HouseholdMember.objects.filter(household=family.household, resident=partner).delete()
    HouseholdMemberFactory(household=household_in(world.area_a), resident=partner)
    _no_plan_for(partner, family)


def test_a_member_without_a_case_of_their_own_gets_no_plan_in_the_own_file(world, family):
    assert _own_file(family.other_child)["plans"] == []
    assert [p["summary"] for p in _own_file(family.govert)["plans"]] == ["Govert woont veilig thuis."]


def test_the_own_file_holds_only_the_evaluations_of_the_residents_own_cases(world, family):
    goal = family.plan.goals.get()
    today = timezone.localdate()
    Plan.objects.filter(pk=family.plan.pk).update(agreed_on=today, agreement=AgreementKind.VERBAL)  # evaluable
    family.plan.refresh_from_db()
    evaluation_record(
        case=family.child_case,
        by=world.worker,
        held_on=today,
        outcomes={goal: GoalOutcome(result=GoalResult.PARTLY, note="Gijs opent de post niet")},
        next_step=NextStep.REFER,
        referred_to="Schuldhulp Friesland",
        note="Gijs zijn schulden zijn te groot voor ons",
        expected_version=family.plan.version,
    )
    family.plan.refresh_from_db()
    evaluation_record(
        case=family.case,
        by=world.worker,
        held_on=today,
        outcomes={goal: GoalOutcome(result=GoalResult.PARTLY)},
        next_step=NextStep.CONTINUE,
        next_evaluation_on=today + timedelta(weeks=12),
        note="Govert gaat door",
        expected_version=family.plan.version,
    )
    (plan,) = _own_file(family.govert)["plans"]
    assert [e["note"] for e in plan["evaluations"]] == ["Govert gaat door"]
    text = json.dumps(_own_file(family.govert))
    assert "Schuldhulp Friesland" not in text and "Gijs zijn schulden" not in text and "Gijs opent" not in text
    pdf_text = resident_client(family.govert).get(reverse("portal:own_file_download", args=["pdf"]))
    assert pdf_text.status_code == 200
    if Case.objects.get(pk=family.child_case.pk).status != Status.AFGESLOTEN:  # referred on: still open here
        (child_plan,) = _own_file(family.child)["plans"]
        assert [e["referred_to"] for e in child_plan["evaluations"]] == ["Schuldhulp Friesland"]
    # The plan's versions keep no evaluation: each is its case's record, not the household's.
    assert not any("evaluations" in v.snapshot for v in PlanVersion.objects.filter(plan=family.plan))


def test_a_members_use_of_the_portal_is_not_in_another_members_own_file(world, family):
    child = resident_client(family.child)
    child.get(reverse("portal:home"))
    child.get(reverse("portal:plan", args=[family.plan.pk]))
    child.get(reverse("portal:thread", args=[family.child_case.pk]))
    plan_row = AccessLog.objects.get(resident_id=family.child.pk, detail="Mijn Wijkteam: plan")
    assert (plan_row.household_id, plan_row.case_id) == (None, None)
    thread_row = AccessLog.objects.get(resident_id=family.child.pk, detail__startswith="Mijn Wijkteam: messages")
    assert (thread_row.household_id, thread_row.case_id) == (None, family.child_case.pk)
    # A row as the portal wrote them before: about the household.
    log_access(
        user=None,
        role="resident",
        action=Action.VIEW,
        purpose=Purpose.OWN_FILE,
        resident_id=family.child.pk,
        household_id=family.household.pk,
        detail="Mijn Wijkteam: plan",
    )

    data = _own_file(family.govert)
    # Govert's own download, and nothing of Gijs's visits.
    assert [(r["role"], r["action"]) for r in data["access_log"] if r["role"] == "resident"] == [
        ("resident", str(Action.EXPORT.label))
    ]
    # Gijs's file has his own.
    assert len([r for r in _own_file(family.child)["access_log"] if r["role"] == "resident"]) == 5


def test_an_agreed_plan_is_not_agreed_to_again(world, family):
    """Only the template hid the button: a POST replaced the agreement signed at the kitchen table."""
    plan_update(
        plan=family.plan,
        expected_version=family.plan.version,
        by=world.worker,
        summary=family.plan.summary,
        agreed_on=timezone.localdate() - timedelta(days=3),
        agreement=AgreementKind.SIGNED,
        evaluate_on=None,
    )
    family.plan.refresh_from_db()
    client = resident_client(family.govert)
    url = reverse("portal:plan_agree", args=[family.plan.pk])
    plan_page = reverse("portal:plan", args=[family.plan.pk])
    assert "Ik ga akkoord met dit plan" not in client.get(plan_page).content.decode()
    refused = client.post(url, {"version": family.plan.version})
    assert refused.status_code == 400
    assert "U bent al akkoord gegaan met dit plan. Sindsdien is er niets veranderd." in refused.content.decode()
    family.plan.refresh_from_db()
    assert family.plan.agreement == AgreementKind.SIGNED
    assert not PlanResponse.objects.exists()

    # Changed since the agreement: the resident may agree to the plan as it is now, once.
    goal_save(
        plan=family.plan,
        expected_version=family.plan.version,
        by=world.worker,
        domain=LifeDomain.objects.order_by("order").last(),
        description="Govert gaat naar de soos",
    )
    family.plan.refresh_from_db()
    page = client.get(plan_page).content.decode()
    assert "Sindsdien is het veranderd" in page and "Ik ga akkoord met dit plan" in page
    assert client.post(url, {"version": family.plan.version}).status_code == 302
    family.plan.refresh_from_db()
    assert (family.plan.agreement, family.plan.agreed_on) == (AgreementKind.DIGITAL, timezone.localdate())
    assert client.post(url, {"version": family.plan.version}).status_code == 400
    assert PlanResponse.objects.count() == 1


def test_the_plan_names_whom_to_ask_as_the_case_has_it_now(world, family):
    """After a move the plan's regisseur may have left the case: the portal names the case's
    regisseur, or the team and how to reach it."""
    world.team_b.phone = "058 111 22 33"
    world.team_b.save()
    Case.objects.filter(pk=family.case.pk).update(regisseur=world.colleague)
    client = resident_client(family.govert)
    html = client.get(reverse("portal:plan", args=[family.plan.pk])).content.decode()
    assert world.colleague.get_full_name() in html and world.worker.get_full_name() not in html

    Household.objects.filter(pk=family.household.pk).update(area=world.area_b)
    household_cases_follow(household=family.household, by=world.leader)
    assert Case.objects.get(pk=family.case.pk).regisseur is None
    html = client.get(reverse("portal:plan", args=[family.plan.pk])).content.decode()
    assert world.worker.get_full_name() not in html and world.colleague.get_full_name() not in html
    assert "Wijkteam Zuidwest is uw aanspreekpunt voor dit plan" in html and "058 111 22 33" in html


def test_the_objection_term_ends_on_a_working_day(world, family):
    """Six weeks after a decision of a Saturday end on a Saturday: the term runs on to the Monday."""
    today = timezone.localdate()
    saturday = today - timedelta(days=(today.weekday() - 5) % 7)
    advice = IndicationAdviceFactory(case=family.case, provision=customised_provision(world.municipality))
    decision_make(
        advice=advice,
        by=beschikker_of(world.municipality),
        outcome="toegekend",
        grounds="Nodig.",
        decided_on=saturday,
    )
    html = resident_client(family.govert).get(reverse("portal:home")).content.decode()
    until = term_end(saturday, 6)
    assert until.weekday() < 5 and until > saturday + timedelta(weeks=6)
    assert f"bezwaar maken tot en met {until.day} " in html
    assert f"bezwaar maken tot en met {(saturday + timedelta(weeks=6)).day} " not in html
