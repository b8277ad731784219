"""Letters to residents read as a resident reads them (issue 23): the resident's own file (right of
access) and the kitchen-table report, read back from the PDF as text."""

import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.factories import UserFactory
from accounts.models import Role
from cases.factories import CaseFactory
from conftest import login
from plans.models import Conversation
from plans.services import goal_save, plan_start, plan_update
from privacy.models import AccessLog, Action, BreakGlass, Purpose
from zrm.models import LifeDomain

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def case(world):
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    resident = case.resident
    resident.birth_date = date(1957, 3, 14)
    resident.straat, resident.huisnummer, resident.huisletter, resident.postcode = "Kerkstraat", 45, "A", "8932CA"
    resident.woonplaats = "Leeuwarden"
    resident.save()
    return case


@pytest.fixture
def officer(world):
    return UserFactory(role=Role.PRIVACY_OFFICER, municipality=world.municipality)


def test_the_residents_file_reads_as_a_letter(world, case, officer):
    household = case.household
    plan = plan_start(household=household, by=world.worker)
    household_domain = LifeDomain.objects.get(name="Instrumentele ADL")
    goal_save(
        plan=plan, expected_version=1, by=world.worker, domain=household_domain, description="Zelf boodschappen doen"
    )
    plan_update(
        plan=plan,
        expected_version=2,
        by=world.worker,
        summary="",
        agreed_on=None,
        agreement="",
        evaluate_on=timezone.localdate() + timedelta(days=30),
    )
    start = timezone.now() - timedelta(days=3)
    for minute in range(52):  # the regisseur read the dossier 52 times
        AccessLog.objects.create(
            user=world.worker,
            role=world.worker.role,
            action=Action.VIEW,
            purpose=Purpose.CASEWORK,
            case_id=case.pk,
            at=start + timedelta(minutes=minute),
        )
    BreakGlass.objects.create(
        case=case,
        user=world.colleague,
        expires_at=timezone.now() + timedelta(hours=8),
        reason="stand_in",
        explanation="Collega ziek, inwoner belde over de huur.",
    )
    client = login(officer)
    text = pdf_text(client.get(reverse("privacy:resident_pdf", args=[case.resident_id])))

    assert "14 maart 1957" in text and "1957-03-14" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "an ISO date in the letter"
    assert "Kerkstraat 45 A, 8932 CA Leeuwarden" in text
    # the resident's words for the domain, not the matrix's
    assert "Instrumentele ADL" not in text and "Het huishouden" in text
    # 52 reads are one line: how often, the first and the last time
    assert text.count("Bekeken") == 1
    assert "52 keer" in text
    # the plan's empty field did not become a row "Akkoord op" from a dash to a dash
    assert "Akkoord op \u2013 \u2013" not in text and "Akkoord op" not in text
    # the opening with a stated reason, with the reason
    assert "Collega ziek, inwoner belde over de huur." in text and str(world.colleague) in text

    # the machine-readable copy keeps every row and ISO dates, and the official domain name
    data = client.get(reverse("privacy:resident_json", args=[case.resident_id])).json()
    assert len([row for row in data["access_log"] if row["who"] == str(world.worker)]) == 52
    assert data["resident"]["birth_date"] == "1957-03-14"
    assert data["plans"][0]["goals"][0]["domain_official"] == "Instrumentele ADL"
    assert data["break_glass"][0]["explanation"] == "Collega ziek, inwoner belde over de huur."


def test_the_kitchen_table_report_prints_an_ampersand(world, case, as_worker):
    world.team_a.name = "Team Noord & Zuid"
    world.team_a.save()
    conversation = Conversation.objects.create(
        case=case, held_on=timezone.localdate(), question_asked="Post", conclusion="Samen doen", by=world.worker
    )
    text = pdf_text(as_worker.get(reverse("plans:conversation_pdf", args=[case.pk, conversation.pk])))
    assert "Team Noord & Zuid" in text and "&amp;" not in text
