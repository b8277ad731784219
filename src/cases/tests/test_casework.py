"""Scaling up and down, asking a colleague for advice, and closing a case with its outcome."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.factories import UserFactory
from accounts.models import Expertise, Role
from cases.factories import CaseFactory
from cases.models import Consultation, Status
from conftest import login
from partners.models import Organisation
from plans.models import GoalStatus
from plans.services import goal_save, plan_start
from privacy.models import AccessLog
from zrm.models import Assessment, LifeDomain, Moment
from zrm.services import Rating, assessment_record


@pytest.fixture
def case(world):
    return CaseFactory(team=world.team_a, regisseur=world.worker)


def test_scale_up_and_down_keeps_regie_in_the_team(world, case, as_worker):
    organisation = Organisation.objects.create(name="Veilig Thuis Fryslân", municipality=world.municipality)
    response = as_worker.post(reverse("cases:escalate", args=[case.pk]), {"to": organisation.pk, "reason": ""})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    response = as_worker.post(
        reverse("cases:escalate", args=[case.pk]), {"to": organisation.pk, "reason": "Zorgen over veiligheid"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.escalated_to == organisation and case.regisseur == world.worker
    assert "Veilig Thuis Fryslân" in as_worker.get(reverse("cases:detail", args=[case.pk])).content.decode()
    as_worker.post(reverse("cases:deescalate", args=[case.pk]), {"reason": "Veiligheid geborgd"})
    case.refresh_from_db()
    assert case.escalated_to is None
    assert case.events.filter(kind__in=["escalated", "deescalated"]).count() == 2


def test_consulted_colleague_sees_the_question_but_not_the_dossier(world, case, as_worker):
    expert = UserFactory(role=Role.SOCIAL_WORKER, municipality=world.municipality, teams=[world.team_b])
    group = Expertise.objects.create(name="Schulden")
    expert.expertises.add(group)
    response = as_worker.post(
        reverse("cases:consult", args=[case.pk]),
        {"expertise": group.pk, "question": "Welke schuldeisers eerst, bij een bijstandsinkomen?"},
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    as_expert = login(expert)
    inbox = as_expert.get(reverse("cases:consultations"))
    assert [q.pk for q in inbox.context["to_me"]] == [consultation.pk]
    assert as_expert.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    page = as_expert.get(reverse("cases:consultation", args=[consultation.pk]))
    assert page.status_code == 200
    assert case.resident.geslachtsnaam not in page.content.decode()
    assert AccessLog.objects.filter(user=expert, case_id=case.pk, purpose="consultation").exists()
    response = as_expert.post(reverse("cases:consultation", args=[consultation.pk]), {"answer": "Eerst vaste lasten."})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.answer == "Eerst vaste lasten." and consultation.answered_by == expert
    # The asker sees the answer on the case; someone else sees nothing.
    assert "Eerst vaste lasten." in as_worker.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert login(world.outsider).get(reverse("cases:consultation", args=[consultation.pk])).status_code == 404


def test_consultation_needs_one_addressee(world, case, as_worker):
    response = as_worker.post(reverse("cases:consult", args=[case.pk]), {"question": "Vraag"})
    assert response.status_code == 400
    assert "colleague" in response.context["form"].errors
    assert not Consultation.objects.exists()


def test_closing_records_final_zrm_and_goals_reached(world, case, as_worker):
    finance = LifeDomain.objects.get(code="financien")
    assessment_record(
        case=case,
        by=world.worker,
        ratings=[Rating(finance, 2, "Achterstand huur")],
        assessed_on=timezone.localdate() - timedelta(days=90),
    )
    plan = plan_start(household=case.household, by=world.worker)
    goal = goal_save(
        plan=plan, expected_version=plan.version, by=world.worker, domain=finance, description="Huur op tijd"
    )
    page = as_worker.get(reverse("cases:close", args=[case.pk]))
    form = page.context["form"]
    assert form["score_financien"].initial == 2 and f"goal_{goal.pk}" in form.fields
    response = as_worker.post(
        reverse("cases:close", args=[case.pk]),
        {
            "end_reason": "19",
            "note": "Doelen bereikt",
            "score_financien": 4,
            "reason_financien": "",
            f"goal_{goal.pk}": GoalStatus.REACHED,
        },
    )
    assert response.status_code == 400  # a changed score needs its reason
    case.refresh_from_db()
    assert case.status != Status.AFGESLOTEN
    response = as_worker.post(
        reverse("cases:close", args=[case.pk]),
        {
            "end_reason": "19",
            "note": "Doelen bereikt",
            "score_financien": 4,
            "reason_financien": "Huur drie maanden op tijd betaald",
            f"goal_{goal.pk}": GoalStatus.REACHED,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    goal.refresh_from_db()
    assert case.status == Status.AFGESLOTEN and goal.status == GoalStatus.REACHED
    final = Assessment.objects.get(case=case, moment=Moment.FINAL)
    assert final.scores.get().score == 4
    trend = as_worker.get(reverse("cases:detail", args=[case.pk])).context["trend"]
    assert trend.domains[0].change == 2


def test_an_unchanged_final_score_needs_no_new_reason(world, case, as_worker):
    finance = LifeDomain.objects.get(code="financien")
    assessment_record(case=case, by=world.worker, ratings=[Rating(finance, 3, "Regeling loopt")])
    response = as_worker.post(
        reverse("cases:close", args=[case.pk]),
        {"end_reason": "19", "note": "Klaar", "score_financien": 3, "reason_financien": ""},
    )
    assert response.status_code == 302
    final = Assessment.objects.get(case=case, moment=Moment.FINAL).scores.get()
    with translation.override("nl"):
        assert (final.score, final.reason) == (3, translation.gettext("Unchanged since the last assessment."))


@pytest.mark.parametrize("name", ["cases:escalate", "cases:deescalate", "cases:consult"])
def test_another_team_cannot_act(world, case, as_outsider, name):
    assert as_outsider.post(reverse(name, args=[case.pk]), {"reason": "x", "question": "y"}).status_code == 404


def test_an_expertise_group_in_another_municipality_does_not_see_the_question(world, case, as_worker):
    from areas.factories import MunicipalityFactory

    group = Expertise.objects.create(name="Schulden")
    elsewhere = UserFactory(
        role=Role.SOCIAL_WORKER, municipality=MunicipalityFactory(cbs_code="GM0074", name="Heerenveen")
    )
    elsewhere.expertises.add(group)
    as_worker.post(reverse("cases:consult", args=[case.pk]), {"expertise": group.pk, "question": "Welke eerst?"})
    consultation = Consultation.objects.get()
    assert login(elsewhere).get(reverse("cases:consultation", args=[consultation.pk])).status_code == 404


def test_closing_refuses_goal_statuses_from_an_older_plan_version(world, case, as_worker):
    finance = LifeDomain.objects.get(code="financien")
    plan = plan_start(household=case.household, by=world.worker)
    goal = goal_save(plan=plan, expected_version=plan.version, by=world.worker, domain=finance, description="Huur")
    form = as_worker.get(reverse("cases:close", args=[case.pk])).context["form"]
    opened_on = form.initial["plan_version"]
    goal_save(  # a colleague sharpens the goal while the closing form is open
        plan=plan,
        expected_version=plan.version,
        by=world.colleague,
        domain=finance,
        description="Huur elke maand op tijd betaald",
        goal=goal,
    )
    response = as_worker.post(
        reverse("cases:close", args=[case.pk]),
        {"end_reason": "19", "note": "Klaar", "plan_version": opened_on, f"goal_{goal.pk}": GoalStatus.NOT_REACHED},
    )
    assert response.status_code == 400
    goal.refresh_from_db()
    case.refresh_from_db()
    assert goal.status == GoalStatus.OPEN and case.status != Status.AFGESLOTEN
    assert "Huur elke maand" in response.content.decode()  # what changed in between is shown


def test_closing_stops_recurring_visits(world, case, as_worker):
    from contacts.models import Contact, ContactSeries, ContactStatus

    as_worker.post(
        reverse("contacts:series_new", args=[case.pk]),
        {
            "kind": "huisbezoek",
            "interval": 1,
            "every": "maand",
            "at": "10:00",
            "duration_minutes": 60,
            "starts_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "holidays": "keep",
        },
    )
    assert Contact.objects.filter(case=case, status=ContactStatus.PLANNED).exists()
    as_worker.post(reverse("cases:close", args=[case.pk]), {"end_reason": "19", "note": "Klaar"})
    assert not Contact.objects.filter(case=case, status=ContactStatus.PLANNED).exists()
    assert not ContactSeries.objects.get(case=case).active


def test_closing_reasons_are_spelled_as_dutch_readers_expect(world, as_worker):
    """The iWmo code list WMO588 writes "beeindigd" and "client"; the page does not."""
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    page = as_worker.get(reverse("cases:close", args=[case.pk])).content.decode()
    assert "Levering volgens plan beëindigd" in page
    assert "beeindig" not in page.lower() and " client" not in page.lower()
