"""The privacy officer: the resident's file (scenario 8) and the anomaly list."""

import io
import json
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.factories import UserFactory
from accounts.models import Role
from cases.factories import CaseFactory
from conftest import login
from oversight.review import findings
from privacy.models import AccessLog, Action, Purpose
from privacy.services import log_access


@pytest.fixture
def officer(world):
    return UserFactory(role=Role.PRIVACY_OFFICER, municipality=world.municipality)


@pytest.fixture
def case(world):
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    resident = case.resident
    resident.voornamen, resident.geslachtsnaam = "Zoë", "van der Meiden"
    resident.set_bsn("111222333")
    resident.save()
    return case


def test_resident_file_holds_everything_and_who_opened_it(world, case, officer, as_worker):
    as_worker.get(reverse("cases:detail", args=[case.pk]))  # the worker opens the dossier
    as_worker.post(reverse("cases:note", args=[case.pk]), {"text": "Post doorgenomen in Nijlân"})
    client = login(officer)
    found = client.get(reverse("privacy:requests"), {"bsn": "111222333"})
    assert [r.pk for r in found.context["found"]] == [case.resident_id]
    bad = client.get(reverse("privacy:requests"), {"bsn": "123456789"})
    assert bad.status_code == 400 and "bsn" in bad.context["form"].errors
    page = client.get(reverse("privacy:resident", args=[case.resident_id]))
    assert page.status_code == 200
    data = json.loads(client.get(reverse("privacy:resident_json", args=[case.resident_id])).content)
    assert data["resident"]["bsn"] == "111222333"
    assert any("Post doorgenomen" in (e["note"] or "") for e in data["cases"][0]["history"])
    assert any(row["who"] == str(world.worker) for row in data["access_log"])
    pdf = client.get(reverse("privacy:resident_pdf", args=[case.resident_id]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Zoë" in text and "Nijlân" in text and str(world.worker) in text
    assert AccessLog.objects.filter(user=officer, purpose=Purpose.PRIVACY_REQUEST, action=Action.EXPORT).count() == 2


def test_only_the_privacy_officer_reaches_these_pages(world, case, as_worker):
    for name, args in [("privacy:review", []), ("privacy:requests", []), ("privacy:resident", [case.resident_id])]:
        assert as_worker.get(reverse(name, args=args)).status_code == 403
    other = UserFactory(role=Role.PRIVACY_OFFICER)  # another municipality
    assert login(other).get(reverse("privacy:resident", args=[case.resident_id])).status_code == 404


def test_anomaly_list_finds_a_night_of_many_dossiers_outside_the_team(world, officer):
    cases = [CaseFactory(team=world.team_b) for _ in range(30)]
    night = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=2), datetime.min.time()))
    night = night.replace(hour=23, minute=5)
    # 30 dossiers of another team, read one a minute from 23:05 (the time is set when written).
    for number, case in enumerate(cases):
        AccessLog.objects.create(
            user=world.worker,
            role=world.worker.role,
            action=Action.VIEW,
            purpose=Purpose.CASEWORK,
            case_id=case.pk,
            at=night + timedelta(minutes=number),
        )
    found = findings(start=timezone.localdate() - timedelta(days=7), end=timezone.localdate())
    rules = {(f.rule, f.user) for f in found}
    assert {("many", world.worker), ("outside", world.worker), ("night", world.worker)} <= rules
    page = login(officer).get(reverse("privacy:review"))
    assert page.status_code == 200 and len(page.context["findings"]) >= 3
    report = login(officer).get(reverse("privacy:review"), {"formaat": "csv"})
    assert "Dossiers outside" in report.content.decode() or "buiten" in report.content.decode()


def test_regisseur_of_another_team_is_not_a_signal(world):
    case = CaseFactory(team=world.team_b, regisseur=world.worker)
    log_access(user=world.worker, action=Action.VIEW, purpose=Purpose.CASEWORK, case_id=case.pk)
    found = findings(start=timezone.localdate(), end=timezone.localdate())
    assert not [f for f in found if f.rule == "outside"]


def test_the_file_holds_only_the_residents_own_cases(world, case, officer):
    from people.factories import ResidentFactory
    from people.models import HouseholdMember, Relation

    partner = ResidentFactory(area=world.area_a)
    HouseholdMember.objects.create(household=case.household, resident=partner, relation=Relation.EX_PARTNER)
    theirs = CaseFactory(team=world.team_a, household=case.household, resident=partner, question="Geheim van de ex")
    data = json.loads(login(officer).get(reverse("privacy:resident_json", args=[case.resident_id])).content)
    assert [c["reference"] for c in data["cases"]] == [case.reference]
    assert theirs.reference not in json.dumps(data)


def test_an_officer_without_a_municipality_sees_nothing(world, case):
    nowhere = UserFactory(role=Role.PRIVACY_OFFICER, municipality=None)
    client = login(nowhere)
    assert client.get(reverse("privacy:review")).status_code == 404
    assert client.get(reverse("privacy:resident", args=[case.resident_id])).status_code == 404


def test_reading_resident_pages_at_night_is_a_signal_too(world):
    from people.factories import ResidentFactory

    night = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=1), datetime.min.time()))
    for number in range(30):
        resident = ResidentFactory(area=world.area_a)
        AccessLog.objects.create(
            user=world.colleague,
            role=world.colleague.role,
            action=Action.VIEW,
            purpose=Purpose.SEARCH,
            resident_id=resident.pk,
            at=night.replace(hour=23) + timedelta(minutes=number),
        )
    found = findings(start=timezone.localdate() - timedelta(days=2), end=timezone.localdate())
    assert {("many", world.colleague), ("night", world.colleague)} <= {(f.rule, f.user) for f in found}


ENGLISH_MONTH = r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b"


def test_the_access_log_and_break_glass_list_write_dates_in_dutch(world, case, officer, as_worker):
    """They read "7 Dec 2026" (Django's month abbreviation, title-cased) on Dutch pages."""
    import re

    as_worker.get(reverse("cases:detail", args=[case.pk]))
    client = login(officer)
    log = client.get(reverse("privacy:log"), {"inwoner": case.resident_id}).content.decode()
    assert "<td" in log
    for page in (log, client.get(reverse("privacy:break_glass_list")).content.decode()):
        assert not re.search(ENGLISH_MONTH, page)
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("nl"):
        assert date_format(timezone.localdate(), "j F Y") in log  # e.g. "28 maart 2027"
