"""The evaluation of a plan (issue 23): per goal what was reached, the ZRM at evaluation beside the
start, and what next, saved all or nothing, shown on the case and the plan, and in the resident's file."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Role
from cases.factories import CaseFactory
from cases.models import CaseEvent, Status
from conftest import login
from contacts.models import Contact, ContactStatus
from oversight.rights import resident_file
from plans.evaluations import GoalOutcome, evaluation_record
from plans.models import EvaluatedGoal, Evaluation, GoalStatus, NextStep, PlanVersion
from plans.services import goal_save, plan_start, plan_update
from zrm.models import Assessment, LifeDomain, Moment
from zrm.services import Rating, assessment_record


@pytest.fixture
def case(world):
    return CaseFactory(team=world.team_a, regisseur=world.worker)


@pytest.fixture
def planned(world, case):
    """A case with a start ZRM on finances, a plan with two goals agreed with the resident, still
    "aangemeld"."""
    finance = LifeDomain.objects.get(code="financien")
    network = LifeDomain.objects.get(code="sociaal-netwerk")
    assessment_record(
        case=case,
        by=world.worker,
        ratings=[Rating(finance, 2, "Achterstand huur"), Rating(network, 3, "Weinig contact")],
        assessed_on=timezone.localdate() - timedelta(days=120),
    )
    plan = plan_start(household=case.household, by=world.worker)
    rent = goal_save(
        plan=plan, expected_version=plan.version, by=world.worker, domain=finance, description="Huur op tijd"
    )
    club = goal_save(
        plan=plan, expected_version=plan.version, by=world.worker, domain=network, description="Wekelijks naar de soos"
    )
    _agree(plan, world.worker)
    return plan, rent, club


def _agree(plan, by):
    plan.refresh_from_db()
    plan_update(
        plan=plan,
        expected_version=plan.version,
        by=by,
        summary=plan.summary,
        agreed_on=timezone.localdate(),
        agreement="mondeling",
        evaluate_on=None,
    )
    plan.refresh_from_db()


def _data(plan, rent, club, **extra):
    return {
        "held_on": timezone.localdate().isoformat(),
        "version": plan.version,
        f"goal_{rent.pk}": GoalStatus.REACHED,
        f"goal_{rent.pk}_note": "Drie maanden op tijd",
        f"goal_{club.pk}": GoalStatus.PARTLY,
        f"goal_{club.pk}_note": "Eén keer geweest",
        "zrm-score_financien": 4,
        "zrm-reason_financien": "Huur drie maanden op tijd betaald",
        "zrm-score_sociaal-netwerk": 3,  # unchanged: no new reason needed
        "zrm-reason_sociaal-netwerk": "",
        "next_step": NextStep.CONTINUE,
        "next_evaluation_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
        "note": "Nog een periode, met de soos als doel.",
        **extra,
    }


def test_evaluation_form_starts_from_the_latest_scores_and_shows_the_start(world, case, planned, as_worker):
    _plan, rent, club = planned
    page = as_worker.get(reverse("cases:evaluate", args=[case.pk]))
    assert page.status_code == 200
    zrm = page.context["zrm_form"]
    assert zrm["score_financien"].initial == 2 and not zrm.fields["reason_financien"].required
    assert {f"goal_{rent.pk}", f"goal_{club.pk}"} <= set(page.context["form"].fields)
    assert "assessed_on" not in zrm.fields  # the evaluation gives the date: one ZRM path, one date


def test_evaluation_continues_the_plan_in_one_step_from_aangemeld(world, case, planned, as_worker):
    plan, rent, club = planned
    version = plan.version
    response = as_worker.post(reverse("cases:evaluate", args=[case.pk]), _data(plan, rent, club))
    assert response.status_code == 302, response.context and response.context["form"].errors
    evaluation = Evaluation.objects.get()
    assert evaluation.case == case and evaluation.plan_version == version
    results = {g.goal_id: (g.result, g.note) for g in EvaluatedGoal.objects.all()}
    assert results == {rent.pk: ("behaald", "Drie maanden op tijd"), club.pk: ("deels", "Eén keer geweest")}
    rent.refresh_from_db()
    club.refresh_from_db()
    assert (rent.status, club.status) == (GoalStatus.REACHED, GoalStatus.OPEN)  # the new period works on it
    plan.refresh_from_db()
    assert plan.evaluate_on == timezone.localdate() + timedelta(days=90)
    assert PlanVersion.objects.filter(plan=plan, number=plan.version, change="plan evaluated").exists()
    # The ZRM at evaluation is an assessment of the case, an unchanged score with its standard reason.
    assessment = evaluation.assessment
    assert assessment.moment == Moment.INTERIM
    assert {s.domain.code: s.score for s in assessment.scores.all()} == {"financien": 4, "sociaal-netwerk": 3}
    # Aangemeld → evaluatie (the evaluation proves it) → uitvoering: two history entries, no four.
    case.refresh_from_db()
    assert case.status == Status.UITVOERING
    moves = [(e.data["old_code"], e.data["new_code"]) for e in CaseEvent.objects.filter(case=case, kind="status")]
    assert sorted(moves) == sorted([(Status.AANGEMELD, Status.EVALUATIE), (Status.EVALUATIE, Status.UITVOERING)])
    assert CaseEvent.objects.filter(case=case, kind="evaluation").exists()
    # Shown on the case page and the plan page, with the change since the start.
    for url in (reverse("cases:detail", args=[case.pk]), reverse("plans:plan", args=[case.household_id])):
        page = as_worker.get(url)
        shown = page.context["evaluations"]
        assert [e.pk for e in shown] == [evaluation.pk]
        assert {z.domain.code: z.change for z in shown[0].zrm_changes} == {"financien": 2, "sociaal-netwerk": 0}
        assert "Eén keer geweest" in page.content.decode()


def test_evaluation_that_closes_the_case_ends_its_visits(world, case, planned, as_worker):
    plan, rent, club = planned
    Contact.objects.create(
        case=case,
        professional=world.worker,
        planned_at=timezone.now() + timedelta(days=7),
        status=ContactStatus.PLANNED,
    )
    response = as_worker.post(
        reverse("cases:evaluate", args=[case.pk]),
        _data(plan, rent, club, next_step=NextStep.CLOSE, next_evaluation_on=""),
    )
    assert response.status_code == 302
    case.refresh_from_db()
    club.refresh_from_db()
    assert case.status == Status.AFGESLOTEN and case.end_reason == "19"
    assert club.status == GoalStatus.PARTLY  # the plan ends: the goal keeps its result
    assert Evaluation.objects.get().assessment.moment == Moment.FINAL
    assert not Contact.objects.filter(case=case, status=ContactStatus.PLANNED).exists()


def test_referring_on_needs_to_whom_and_loses_nothing(world, case, planned, as_worker):
    plan, rent, club = planned
    data = _data(plan, rent, club, next_step=NextStep.REFER, referred_to="")
    response = as_worker.post(reverse("cases:evaluate", args=[case.pk]), data)
    assert response.status_code == 400 and "referred_to" in response.context["form"].errors
    assert response.context["form"]["note"].value() == data["note"]  # what was typed stays
    assert not Evaluation.objects.exists() and not Assessment.objects.filter(moment=Moment.FINAL).exists()
    data["referred_to"] = "GGZ Friesland"
    assert as_worker.post(reverse("cases:evaluate", args=[case.pk]), data).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.AFGESLOTEN and case.end_reason == "39" and "GGZ Friesland" in case.end_note


def test_a_goal_left_unanswered_is_asked_for_beside_it(world, case, planned, as_worker):
    plan, rent, club = planned
    data = _data(plan, rent, club)
    del data[f"goal_{club.pk}"]
    response = as_worker.post(reverse("cases:evaluate", args=[case.pk]), data)
    assert response.status_code == 400 and f"goal_{club.pk}" in response.context["form"].errors
    case.refresh_from_db()
    assert case.status == Status.AANGEMELD and not Evaluation.objects.exists()


def test_a_changed_score_needs_its_reason(world, case, planned, as_worker):
    plan, rent, club = planned
    response = as_worker.post(
        reverse("cases:evaluate", args=[case.pk]), _data(plan, rent, club, **{"zrm-reason_financien": ""})
    )
    assert response.status_code == 400 and "reason_financien" in response.context["zrm_form"].errors


def test_the_evaluation_is_in_the_residents_own_file(world, case, planned, as_worker):
    plan, rent, club = planned
    as_worker.post(reverse("cases:evaluate", args=[case.pk]), _data(plan, rent, club))
    (held,) = resident_file(case.resident)["plans"][0]["evaluations"]
    assert held["next_step"] == NextStep.CONTINUE
    assert {g["description"]: g["result"] for g in held["goals"]} == {
        "Huur op tijd": "behaald",
        "Wekelijks naar de soos": "deels",
    }
    # The privacy officer's copy for the resident shows it with the plan.
    officer = UserFactory(role=Role.PRIVACY_OFFICER, municipality=world.municipality)
    page = login(officer).get(reverse("privacy:resident", args=[case.resident_id])).content.decode()
    assert "Wekelijks naar de soos: Deels behaald · Eén keer geweest" in page


def test_someone_of_another_team_gets_404(world, case, planned, as_outsider):
    plan, rent, club = planned
    assert as_outsider.get(reverse("cases:evaluate", args=[case.pk])).status_code == 404
    assert as_outsider.post(reverse("cases:evaluate", args=[case.pk]), _data(plan, rent, club)).status_code == 404
    assert not Evaluation.objects.exists()


def test_evaluating_without_a_plan_sends_back_to_the_case(world, case, as_worker):
    response = as_worker.get(reverse("cases:evaluate", args=[case.pk]))
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.pk])


def test_a_plan_not_agreed_is_not_evaluated(world, as_worker):
    """The agreement ends the Wmo investigation: the evaluation (which moves the case to
    "evaluatie") cannot bypass it, neither through the page nor through the service."""
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    plan = plan_start(household=case.household, by=world.worker)
    finance = LifeDomain.objects.get(code="financien")
    goal = goal_save(plan=plan, expected_version=plan.version, by=world.worker, domain=finance, description="Huur")
    plan.refresh_from_db()
    url = reverse("cases:evaluate", args=[case.pk])
    data = {
        "held_on": timezone.localdate().isoformat(),
        "version": plan.version,
        f"goal_{goal.pk}": GoalStatus.REACHED,
        "next_step": NextStep.CONTINUE,
        "next_evaluation_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
    }
    assert url not in as_worker.get(reverse("cases:detail", args=[case.pk])).content.decode()
    for response in (as_worker.get(url), as_worker.post(url, data)):
        assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.pk])
    assert not Evaluation.objects.exists()
    case.refresh_from_db()
    assert case.status == Status.AANGEMELD
    with pytest.raises(ValidationError):
        evaluation_record(
            case=case,
            by=world.worker,
            held_on=timezone.localdate(),
            outcomes={goal: GoalOutcome(GoalStatus.REACHED)},
            next_step=NextStep.CLOSE,
            expected_version=plan.version,
        )
    assert not Evaluation.objects.exists()
    _agree(plan, world.worker)
    assert as_worker.get(url).status_code == 200
    assert url in as_worker.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_the_case_page_reads_its_evaluations_in_a_fixed_number_of_queries(
    world, case, planned, as_worker, django_assert_max_num_queries
):
    plan, rent, club = planned
    for _ in range(3):
        plan.refresh_from_db()
        as_worker.post(
            reverse("cases:evaluate", args=[case.pk]), _data(plan, rent, club, **{f"goal_{rent.pk}": "deels"})
        )
    assert Evaluation.objects.count() == 3
    with django_assert_max_num_queries(31):  # 29 + the messages panel + the reported mistakes
        page = as_worker.get(reverse("cases:detail", args=[case.pk]))
    assert len(page.context["evaluations"]) == 3
