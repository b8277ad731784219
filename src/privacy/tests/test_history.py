"""The change history of case data (who, when, old and new value, reason) and rectification at
the resident's request (AVG art. 16): through the pages, with factories."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Role
from cases.factories import CaseFactory
from cases.models import LegalFramework
from conftest import login
from contacts.factories import ContactFactory
from contacts.models import ContactStatus
from people.models import Resident
from plans.models import Conversation
from privacy.history import EMPTY
from privacy.models import FieldChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    resident = case.resident
    resident.voornamen, resident.geslachtsnaam, resident.postcode = "Zoë", "Meiden", "8921AB"
    resident.set_bsn("111222333")
    resident.save()
    return case


def resident_form(resident: Resident, **overrides) -> dict:
    data = {
        "voornamen": resident.voornamen,
        "voorvoegsel": resident.voorvoegsel,
        "geslachtsnaam": resident.geslachtsnaam,
        "birth_date": resident.birth_date.isoformat(),
        "bsn": "",
        "postcode": resident.postcode,
        "huisnummer": resident.huisnummer or "",
        "huisletter": resident.huisletter,
        "huisnummertoevoeging": resident.huisnummertoevoeging,
        "straat": resident.straat,
        "woonplaats": resident.woonplaats,
        "phone": resident.phone,
        "email": resident.email,
        "reason": "",
    }
    data.update(overrides)
    return data


def history(client, case) -> list:
    response = client.get(reverse("cases:history", args=[case.pk]))
    assert response.status_code == 200
    return response.context["changes"]


def test_a_change_of_personal_data_shows_who_when_old_and_new(world, case, as_worker):
    url = reverse("people:resident_edit", args=[case.resident_id])
    assert as_worker.get(url).status_code == 200
    response = as_worker.post(url, resident_form(case.resident, straat="Nieuwe Weg", reason="Verhuisd"))
    assert response.status_code == 302
    assert Resident.objects.get(pk=case.resident_id).straat == "Nieuwe Weg"
    (change,) = history(as_worker, case)
    assert (change.by, change.field, change.old, change.new) == (
        str(world.worker),
        "Straat",
        "Zwettestraat",
        "Nieuwe Weg",
    )
    assert change.reason == "Verhuisd" and not change.rectification
    assert abs((timezone.now() - change.at).total_seconds()) < 60


def test_a_new_bsn_is_recorded_as_changed_without_its_values(case, as_worker):
    url = reverse("people:resident_edit", args=[case.resident_id])
    as_worker.post(url, resident_form(case.resident, bsn="999993185"))
    assert Resident.objects.get(pk=case.resident_id).bsn == "999993185"
    row = FieldChange.objects.get(field="bsn")
    assert row.secret and row.old == "" and row.new == ""
    assert not FieldChange.objects.filter(new__contains="999993185").exists()
    assert not FieldChange.objects.filter(old__contains="111222333").exists()
    page = as_worker.get(reverse("cases:history", args=[case.pk])).content.decode()
    assert "999993185" not in page and "111222333" not in page
    assert "versleuteld" in page  # "changed (value not shown: it is stored encrypted)"


def test_nothing_changed_is_said_and_nothing_recorded(case, as_worker):
    response = as_worker.post(reverse("people:resident_edit", args=[case.resident_id]), resident_form(case.resident))
    assert response.status_code == 400
    assert FieldChange.objects.count() == 0


def test_a_rectification_needs_a_reason(case, as_worker):
    url = reverse("people:resident_edit", args=[case.resident_id])
    response = as_worker.post(url, resident_form(case.resident, phone="0582124000", rectification="on"))
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert Resident.objects.get(pk=case.resident_id).phone == ""


def test_the_privacy_officer_records_a_rectification_that_the_file_shows(world, case):
    officer = UserFactory(role=Role.PRIVACY_OFFICER, municipality=world.municipality)
    client = login(officer)
    url = reverse("privacy:rectify", args=[case.resident_id])
    page = client.get(url)
    assert page.status_code == 200
    refused = client.post(url, resident_form(case.resident, voornamen="Zoe"))
    assert refused.status_code == 400 and "reason" in refused.context["form"].errors
    done = client.post(
        url, resident_form(case.resident, voornamen="Zoe", reason="Naam staat zo in het paspoort", rectification="1")
    )
    assert done.status_code == 302
    row = FieldChange.objects.get()
    assert (row.field, row.old, row.new, row.rectification, row.by) == ("voornamen", "Zoë", "Zoe", True, officer)
    data = json.loads(client.get(reverse("privacy:resident_json", args=[case.resident_id])).content)
    (change,) = data["changes"]
    assert (change["old"], change["new"], change["rectification"]) == ("Zoë", "Zoe", True)
    assert change["reason"] == "Naam staat zo in het paspoort"
    # The social worker sees it in the case's history, marked as the resident's request.
    (shown,) = history(login(world.worker), case)
    assert shown.rectification and shown.by == str(officer)


def test_others_get_404_for_the_history_and_the_change_pages(world, case, as_outsider):
    assert as_outsider.get(reverse("cases:history", args=[case.pk])).status_code == 404
    assert as_outsider.get(reverse("cases:edit", args=[case.pk])).status_code == 404
    assert as_outsider.get(reverse("people:resident_edit", args=[case.resident_id])).status_code == 404
    assert login(world.policy).get(reverse("cases:history", args=[case.pk])).status_code == 403
    officer_elsewhere = UserFactory(role=Role.PRIVACY_OFFICER, municipality=None)
    assert login(officer_elsewhere).get(reverse("privacy:rectify", args=[case.resident_id])).status_code == 404
    assert login(world.worker).get(reverse("privacy:rectify", args=[case.resident_id])).status_code == 403


def test_the_case_question_and_legal_basis_change_with_their_history(world, case, as_worker):
    jeugdwet = LegalFramework.objects.get(code="jeugdwet")
    url = reverse("cases:edit", args=[case.pk])
    assert as_worker.get(url).status_code == 200
    response = as_worker.post(
        url,
        {
            "question": "Zoon spijbelt.",
            "frameworks": [jeugdwet.pk],
            "life_domains": [],
            "reason": "Vraag verduidelijkt",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.question == "Zoon spijbelt." and list(case.frameworks.all()) == [jeugdwet]
    changes = {c.field: c for c in history(as_worker, case)}
    assert (changes["Vraag"].old, changes["Vraag"].new) == ("Kan de post niet meer overzien.", "Zoon spijbelt.")
    assert (changes["Wettelijk kader"].old, changes["Wettelijk kader"].new) == ("Wmo 2015", "Jeugdwet")
    event = case.events.get(kind="changed")
    assert event.note == "Vraag verduidelijkt"


def test_the_history_gathers_status_plan_and_report_changes_without_copying_them(world, case, as_worker):
    as_worker.post(reverse("cases:status", args=[case.pk]), {"to": "intake"})
    as_worker.post(reverse("plans:start", args=[case.household_id]))
    plan_form = {
        "version": 1,
        "summary": "Rust in de administratie",
        "agreed_on": "",
        "agreement": "",
        "evaluate_on": "",
    }
    assert as_worker.post(reverse("plans:edit", args=[case.household_id, "gegevens"]), plan_form).status_code == 302
    conversation = Conversation.objects.create(
        case=case, held_on=timezone.localdate(), question_asked="Post", conclusion="Hulp bij post", by=world.worker
    )
    url = reverse("plans:conversation_correct", args=[case.pk, conversation.pk])
    assert as_worker.get(url).status_code == 200
    form = {
        "held_on": conversation.held_on.isoformat(),
        "place": "",
        "others": "",
        "question_asked": "Post",
        "question_behind": "",
        "own_strength": "",
        "network_strength": "",
        "conclusion": "Hulp bij post en rekeningen",
    }
    refused = as_worker.post(url, form)
    assert refused.status_code == 400 and "reason" in refused.context["form"].errors
    assert as_worker.post(url, {**form, "reason": "Inwoner vulde aan", "rectification": "on"}).status_code == 302
    changes = history(as_worker, case)
    fields = [(c.field, c.old, c.new) for c in changes]
    assert ("Conclusie", "Hulp bij post", "Hulp bij post en rekeningen") in fields
    assert ("Status", "Aangemeld", "Intake") in fields  # from the CaseEvent, not copied
    assert any(c.what == "Plan" and c.old == EMPTY and c.new == "Rust in de administratie" for c in changes)
    assert FieldChange.objects.count() == 1  # only the report; status and plan have their own history
    report = next(c for c in changes if c.field == "Conclusie")
    assert report.rectification and report.reason == "Inwoner vulde aan"


def test_a_contact_note_is_corrected_with_its_old_text_kept(world, case, as_worker):
    done = ContactFactory(
        case=case,
        professional=world.worker,
        status=ContactStatus.DONE,
        happened_at=timezone.now(),
        duration_minutes=30,
        note="Post doorgenomen met de zoon",
    )
    planned = ContactFactory(case=case, professional=world.worker)
    assert as_worker.get(reverse("contacts:correct", args=[case.pk, planned.pk])).status_code == 404
    url = reverse("contacts:correct", args=[case.pk, done.pk])
    assert as_worker.get(url).status_code == 200
    data = {
        "note": "Post doorgenomen met de dochter",
        "duration_minutes": 30,
        "reason": "Inwoner: het was mijn dochter",
    }
    assert as_worker.post(url, {**data, "rectification": "on"}).status_code == 302
    done.refresh_from_db()
    assert done.note == "Post doorgenomen met de dochter"
    (change,) = [c for c in history(as_worker, case) if c.field == "Notitie"]
    assert (change.old, change.new, change.rectification) == (
        "Post doorgenomen met de zoon",
        "Post doorgenomen met de dochter",
        True,
    )
