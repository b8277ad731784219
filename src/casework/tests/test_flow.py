"""The case's flow (issue 23): the work moves a case on, the case and plan pages offer the step the
work proves as one click, and every move is one history entry naming the work."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.factories import CaseFactory
from cases.models import CaseEvent
from cases.workflow import WORK, Status, can_move, proposal, proven_by
from contacts.models import Contact, ContactStatus
from plans.models import AgreementKind, Plan
from plans.services import plan_start, plan_update


@pytest.fixture
def case(world):
    return CaseFactory(team=world.team_a, regisseur=world.worker)


def _agree(plan, by):
    today = timezone.localdate()
    plan_update(
        plan=plan,
        expected_version=plan.version,
        by=by,
        summary="Administratie op orde",
        agreed_on=today,
        agreement=AgreementKind.VERBAL,
        evaluate_on=today + timedelta(days=90),
    )


def test_the_work_proves_a_status_only_from_the_statuses_before_it():
    assert proven_by("conversation", Status.AANGEMELD) == Status.ONDERZOEK
    assert proven_by("conversation", Status.PLAN) is None  # past it: no step back
    assert proven_by("evaluation", Status.AANGEMELD) == Status.EVALUATIE
    assert proven_by("visit", Status.ONDERZOEK) is None  # a visit during the investigation is just that
    # The furthest step the work proves is the one offered.
    done = {"conversation", "plan_started", "plan_agreed"}
    assert proposal(Status.AANGEMELD, done) == (Status.UITVOERING, "plan_agreed")
    assert proposal(Status.UITVOERING, done) is None
    # A skip is never a manual transition: only the work allows it.
    assert not can_move(Status.AANGEMELD, Status.UITVOERING)
    for target, sources in WORK.values():
        assert Status.AFGESLOTEN not in sources and target not in sources


def _conversation(client, case):
    return client.post(
        reverse("plans:conversation_new", args=[case.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "residents": [case.resident_id],
            "question_asked": "Hulp bij de post.",
            "conclusion": "Samen de administratie op orde brengen.",
        },
        follow=True,
    )


def test_a_conversation_moves_a_reported_case_to_the_investigation_itself(world, case, as_worker):
    response = _conversation(as_worker, case)
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.ONDERZOEK
    assert "Onderzoek" in str(next(iter(response.context["messages"])))
    event = CaseEvent.objects.get(case=case, kind="status")
    assert event.data["work_code"] == "conversation" and event.data["old_code"] == Status.AANGEMELD
    # A second conversation proves nothing new: no second status entry.
    _conversation(as_worker, case)
    assert CaseEvent.objects.filter(case=case, kind="status").count() == 1


def test_an_agreed_plan_is_offered_as_one_click_to_uitvoering(world, case, as_worker):
    plan = plan_start(household=case.household, by=world.worker)
    page = as_worker.get(reverse("cases:detail", args=[case.pk]))
    assert page.context["next_step"].to == Status.PLAN  # started, not agreed yet: not automatic
    _agree(plan, world.worker)
    for url in (reverse("cases:detail", args=[case.pk]), reverse("plans:plan", args=[case.household_id])):
        page = as_worker.get(url)
        assert b'name="work" value="plan_agreed"' in page.content
    # Aangemeld to uitvoering in one click, on the plan page where the plan was agreed.
    response = as_worker.post(reverse("cases:status", args=[case.pk]), {"work": "plan_agreed", "next": "plan"})
    assert response.status_code == 302 and response.url == reverse("plans:plan", args=[case.household_id])
    case.refresh_from_db()
    assert case.status == Status.UITVOERING
    event = CaseEvent.objects.get(case=case, kind="status")
    assert (event.data["old_code"], event.data["new_code"]) == (Status.AANGEMELD, Status.UITVOERING)
    assert event.text.endswith("plan afgesproken met de inwoner")  # the work that proved it
    # Nothing more to offer, and the same click again changes nothing.
    assert as_worker.get(reverse("cases:detail", args=[case.pk])).context["next_step"] is None
    as_worker.post(reverse("cases:status", args=[case.pk]), {"work": "plan_agreed"})
    assert CaseEvent.objects.filter(case=case, kind="status").count() == 1


def test_a_visit_under_a_plan_offers_uitvoering(world, case, as_worker):
    plan_start(household=case.household, by=world.worker)
    case.status = Status.PLAN
    case.save(update_fields=["status"])
    assert as_worker.get(reverse("cases:detail", args=[case.pk])).context["next_step"] is None
    Contact.objects.create(case=case, professional=world.worker, status=ContactStatus.DONE, happened_at=timezone.now())
    step = as_worker.get(reverse("cases:detail", args=[case.pk])).context["next_step"]
    assert (step.to, step.work) == (Status.UITVOERING, "visit")


def test_work_that_was_not_done_moves_nothing(world, case, as_worker):
    response = as_worker.post(reverse("cases:status", args=[case.pk]), {"work": "plan_agreed"}, follow=True)
    case.refresh_from_db()
    assert case.status == Status.AANGEMELD
    assert not CaseEvent.objects.filter(case=case, kind="status").exists()
    assert response.status_code == 200


def test_someone_of_another_team_cannot_move_the_case(world, case, as_outsider):
    plan_start(household=case.household, by=world.worker)
    response = as_outsider.post(reverse("cases:status", args=[case.pk]), {"work": "plan_started"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == Status.AANGEMELD


def test_the_plan_is_started_with_one_click_from_the_case_and_links_back(world, case, as_worker):
    page = as_worker.get(reverse("cases:detail", args=[case.pk]))
    start = reverse("plans:start", args=[case.household_id])
    assert f'action="{start}"'.encode() in page.content  # a button on the case page, not a link to another
    response = as_worker.post(start, follow=True)
    assert Plan.objects.filter(household=case.household).exists()
    assert reverse("cases:detail", args=[case.pk]).encode() in response.content  # the way back to the case
    assert [c.pk for c in response.context["cases"]] == [case.pk]


def test_agreeing_a_plan_needs_only_how_the_resident_agreed(world, case, as_worker):
    plan = plan_start(household=case.household, by=world.worker)
    form = as_worker.get(reverse("plans:edit", args=[case.household_id, "gegevens"])).context["form"]
    assert form["evaluate_on"].value() is not None  # three months ahead to start with
    response = as_worker.post(
        reverse("plans:edit", args=[case.household_id, "gegevens"]),
        {
            "version": plan.version,
            "summary": "",
            "agreed_on": "",
            "agreement": AgreementKind.VERBAL,
            "evaluate_on": "",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.agreed_on == timezone.localdate() and plan.agreement == AgreementKind.VERBAL


def test_the_confirmation_of_a_visit_under_a_plan_proposes_uitvoering(world, case, as_worker):
    plan_start(household=case.household, by=world.worker)
    case.status = Status.PLAN
    case.save(update_fields=["status"])
    response = as_worker.post(
        reverse("contacts:new", args=[case.pk]),
        {"mode": "done", "kind": "huisbezoek", "day": timezone.localdate().isoformat(), "note": "Plan besproken"},
        follow=True,
    )
    assert "Uitvoering" in str(next(iter(response.context["messages"])))
    assert response.context["next_step"].work == "visit"
