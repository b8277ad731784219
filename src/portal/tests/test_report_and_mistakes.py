"""The kitchen-table report in Mijn Wijkteam with the resident's own comment, kept beside it and
seen by the regisseur; and "report a mistake" (a rectification request, AVG art. 16), which
reaches the regisseur and the privacy officer, with its due date (one month, AVG art. 12(3)) and
status for the resident."""

import json
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Role
from cases.models import CaseEvent
from conftest import login
from plans.models import Comment, Conversation
from privacy.models import AccessLog, Action, Purpose, RectificationRequest, RectificationStatus
from privacy.services import rectification_due

from .conftest import resident_client


@pytest.fixture
def reports(world, family):
    """A report of Govert's case and one of his child's case."""
    own = Conversation.objects.create(
        case=family.case,
        held_on=timezone.localdate(),
        question_asked="Hulp bij de post",
        own_strength="Govert kan goed koken",
        conclusion="Samen de post openen",
        by=world.worker,
    )
    childs = Conversation.objects.create(
        case=family.child_case,
        held_on=timezone.localdate(),
        question_asked="Schulden van Gijs",
        conclusion="Naar de schuldhulp",
        by=world.worker,
    )
    return own, childs


def test_the_resident_reads_the_report_in_the_words_of_the_paper_one(family, reports):
    own, _ = reports
    client = resident_client(family.govert)
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:report", args=[own.pk]) in home
    assert reverse("portal:report", args=[reports[1].pk]) not in home  # the child's
    page = client.get(reverse("portal:report", args=[own.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Verslag van ons gesprek" in html
    assert "Wat u zelf kunt" in html and "Govert kan goed koken" in html
    assert "Samen de post openen" in html
    log = AccessLog.objects.filter(user=None, role="resident", resident_id=family.govert.pk).order_by("pk").last()
    # Logged with the report's case, not the household (the other members' files leave it out).
    assert (log.action, log.purpose, log.case_id, log.household_id) == (
        Action.VIEW,
        Purpose.OWN_FILE,
        own.case_id,
        None,
    )
    assert log.detail == "Mijn Wijkteam: report"


def test_another_residents_report_is_404(family, reports):
    own, childs = reports
    client = resident_client(family.govert)
    assert client.get(reverse("portal:report", args=[childs.pk])).status_code == 404
    assert client.post(reverse("portal:report", args=[childs.pk]), {"text": "Niet waar"}).status_code == 404
    assert client.get(reverse("portal:report", args=[999999])).status_code == 404
    other = resident_client(family.other_child)
    assert other.get(reverse("portal:report", args=[own.pk])).status_code == 404
    assert not Comment.objects.exists()


def test_the_comment_is_kept_beside_the_report_and_the_regisseur_sees_it(world, family, reports):
    own, _ = reports
    client = resident_client(family.govert)
    url = reverse("portal:report", args=[own.pk])
    empty = client.post(url, {"text": "   "})
    assert empty.status_code == 400
    assert 'id="comment-text-error"' in empty.content.decode()
    assert client.post(url, {"text": "Ik kook niet, mijn zus kookt."}).status_code == 302
    comment = Comment.objects.get()
    assert (comment.conversation, comment.by, comment.via_portal, comment.received_on) == (
        own,
        None,
        True,
        timezone.localdate(),
    )
    assert "Ik kook niet, mijn zus kookt." in client.get(url).content.decode()
    event = CaseEvent.objects.get(case=family.case, kind="conversation_comment")
    assert event.by is None
    regisseur = login(world.worker)
    conversation_page = regisseur.get(reverse("plans:conversation", args=[family.case.pk, own.pk])).content.decode()
    assert "Ik kook niet, mijn zus kookt." in conversation_page
    assert "geschreven in Mijn Wijkteam" in conversation_page
    plan_page = regisseur.get(reverse("plans:plan", args=[family.household.pk])).content.decode()
    assert "Reacties op het verslag" in plan_page and "Ik kook niet, mijn zus kookt." in plan_page
    own_file = json.loads(client.get(reverse("portal:own_file_download", args=["json"])).content)
    comments = own_file["conversations"][0]["comments"]
    assert comments == [{"received_on": comments[0]["received_on"], "text": comment.text, "in_mijn_wijkteam": True}]


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2027, 3, 28), date(2027, 4, 28)),
        (date(2027, 1, 31), date(2027, 2, 28)),
        (date(2026, 12, 7), date(2027, 1, 7)),
    ],
)
def test_the_answer_is_due_within_one_month(received, due):
    assert rectification_due(received) == due


def test_reporting_a_mistake_reaches_the_regisseur_and_the_privacy_officer(world, family):
    client = resident_client(family.govert)
    url = reverse("portal:rectification")
    assert client.get(url).status_code == 200
    empty = client.post(url, {"text": ""})
    assert empty.status_code == 400
    assert "Schrijf wat er niet klopt." in empty.content.decode()
    response = client.post(url, {"text": "Mijn telefoonnummer is 06 12345678."})
    assert response.status_code == 302
    asked = RectificationRequest.objects.get()
    assert (asked.resident, asked.status) == (family.govert, RectificationStatus.RECEIVED)
    assert asked.due_on == rectification_due(timezone.localdate())
    due = f"{asked.due_on.day} "
    page = client.get(url).content.decode()
    assert "Mijn telefoonnummer is 06 12345678." in page
    assert "Antwoord uiterlijk" in page and due in page and "Ontvangen" in page

    # The regisseur: on the case page (open requests) and in the case's history; not on the child's case.
    case_page = login(world.worker).get(reverse("cases:detail", args=[family.case.pk])).content.decode()
    assert "De inwoner meldt een fout" in case_page and "Mijn telefoonnummer is 06 12345678." in case_page
    assert CaseEvent.objects.filter(case=family.case, kind="rectification", by=None).exists()
    assert not CaseEvent.objects.filter(case=family.child_case, kind="rectification").exists()

    # The privacy officer: in the residents' requests, and answers it on the resident's page.
    officer = login(UserFactory(role=Role.PRIVACY_OFFICER, municipality=world.municipality))
    requests_page = officer.get(reverse("privacy:requests")).content.decode()
    assert reverse("privacy:resident", args=[family.govert.pk]) in requests_page
    assert "Meldingen van een fout (Mijn Wijkteam)" in requests_page
    assert AccessLog.objects.filter(detail="1 rectification requests", purpose=Purpose.PRIVACY_REQUEST).exists()
    answer_url = reverse("privacy:rectification_answer", args=[family.govert.pk, asked.pk])
    resident_page = officer.get(reverse("privacy:resident", args=[family.govert.pk])).content.decode()
    assert answer_url in resident_page
    empty = officer.post(answer_url, {"answer": "  "})
    assert empty.status_code == 400
    assert f'id="answer-{asked.pk}-error"' in empty.content.decode()
    assert "Schrijf het antwoord aan de inwoner." in empty.content.decode()
    assert officer.post(answer_url, {"answer": "Het nummer is verbeterd."}).status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.answer, asked.handled_on) == (
        RectificationStatus.HANDLED,
        "Het nummer is verbeterd.",
        timezone.localdate(),
    )
    page = client.get(url).content.decode()
    assert "Afgehandeld" in page and "Het nummer is verbeterd." in page
    assert (
        "De inwoner meldt een fout"
        not in login(world.worker).get(reverse("cases:detail", args=[family.case.pk])).content.decode()
    )
    own_file = json.loads(client.get(reverse("portal:own_file_download", args=["json"])).content)
    assert own_file["rectification_requests"][0]["answer"] == "Het nummer is verbeterd."


def test_another_municipalitys_officer_and_a_worker_cannot_answer(world, family):
    from areas.factories import MunicipalityFactory

    asked = RectificationRequest.objects.create(resident=family.govert, text="Fout", due_on=timezone.localdate())
    url = reverse("privacy:rectification_answer", args=[family.govert.pk, asked.pk])
    stranger = login(
        UserFactory(role=Role.PRIVACY_OFFICER, municipality=MunicipalityFactory(cbs_code="GM0074", name="Heerenveen"))
    )
    assert stranger.post(url, {"answer": "x"}).status_code == 404
    assert "Fout" not in stranger.get(reverse("privacy:requests")).content.decode()
    assert login(world.worker).post(url, {"answer": "x"}).status_code in (403, 404)
    other = RectificationRequest.objects.create(resident=family.child, text="Fout", due_on=timezone.localdate())
    officer = login(UserFactory(role=Role.PRIVACY_OFFICER, municipality=world.municipality))
    wrong = reverse("privacy:rectification_answer", args=[family.govert.pk, other.pk])
    assert officer.post(wrong, {"answer": "x"}).status_code == 404
    asked.refresh_from_db()
    assert asked.status == RectificationStatus.RECEIVED


def test_a_residents_requests_are_their_own(family):
    RectificationRequest.objects.create(resident=family.child, text="Fout van Gijs", due_on=timezone.localdate())
    page = resident_client(family.govert).get(reverse("portal:rectification")).content.decode()
    assert "Fout van Gijs" not in page
