"""Secure messages between the resident (Mijn Wijkteam) and the team, and asking to move a visit:
the resident writes in the thread of their own case, the regisseur reads it (marked read, a count
on Mijn werk and on the case page) and answers, the resident reads the answer; an e-mail tells the
resident there is a message, never what it says. Another resident and another team get 404."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseEvent
from conftest import login
from contacts.models import ContactStatus, Message, MessageNotice
from people.factories import household_in
from privacy.models import AccessLog, Purpose

from .conftest import resident_client

SECRET = "Mijn zoon is weer opgenomen in het ziekenhuis"


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _send(client, case, text=SECRET):
    return client.post(reverse("portal:thread", args=[case.pk]), {"text": text})


def test_the_resident_writes_and_the_regisseur_reads_and_answers(world, family):
    govert = resident_client(family.govert)
    # Govert has one case: the overview is his thread.
    assert govert.get(reverse("portal:messages"))["Location"] == reverse("portal:thread", args=[family.case.pk])
    response = _send(govert, family.case)
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.case, message.from_resident, message.read_at) == (family.case, True, None)
    event = CaseEvent.objects.get(case=family.case, kind="message")
    assert event.by is None and SECRET not in str(event.data) + event.summary + event.note

    worker = login(world.worker)
    assert "1 bericht van een inwoner is ongelezen" in worker.get(reverse("cases:my_work")).content.decode()
    assert "1 ongelezen bericht" in worker.get(reverse("cases:detail", args=[family.case.pk])).content.decode()
    inbox = worker.get(reverse("contacts:inbox")).content.decode()
    assert reverse("contacts:messages", args=[family.case.pk]) in inbox

    page = worker.get(reverse("contacts:messages", args=[family.case.pk]))
    assert page.status_code == 200
    assert SECRET in page.content.decode()
    message.refresh_from_db()
    assert message.read_by == world.worker and message.read_at is not None
    assert AccessLog.objects.filter(user=world.worker, resident_id=family.govert.pk, purpose=Purpose.CASEWORK).exists()
    assert "ongelezen" not in worker.get(reverse("cases:my_work")).content.decode()

    response = worker.post(reverse("contacts:messages", args=[family.case.pk]), {"text": "Sterkte, ik bel u morgen."})
    assert response.status_code == 302
    answer = Message.objects.get(from_resident=False)
    assert answer.author == world.worker

    home = govert.get(reverse("portal:home")).content.decode()
    assert "1 nieuw bericht" in home
    # the new message is in one thread: the notice opens it
    assert f'href="{reverse("portal:thread", args=[family.case.pk])}"' in home
    thread = govert.get(reverse("portal:thread", args=[family.case.pk])).content.decode()
    assert "Sterkte, ik bel u morgen." in thread and SECRET in thread
    answer.refresh_from_db()
    assert answer.read_at is not None and answer.read_by is None
    rows = AccessLog.objects.filter(user=None, role="resident", resident_id=family.govert.pk)
    assert rows.filter(detail__contains="messages", case_id=family.case.pk, household_id=None).exists()
    assert not mail.outbox  # Govert did not ask for an e-mail


def test_an_empty_message_keeps_the_page_with_the_error(world, family):
    response = _send(resident_client(family.govert), family.case, text="   ")
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Message.objects.exists()


def test_the_notice_by_e_mail_has_no_content(world, family):
    govert = resident_client(family.govert)
    url = reverse("portal:message_notice", args=[family.case.pk])
    assert govert.post(url, {"wanted": "1", "email": "geen-adres"}).status_code == 400
    assert not MessageNotice.objects.exists()
    assert govert.post(url, {"wanted": "1", "email": "govert@example.nl"}).status_code == 302
    _send(govert, family.case)
    worker = login(world.worker)
    with_answer = "Uw uitkering is per 1 april stopgezet"
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        worker.post(reverse("contacts:messages", args=[family.case.pk]), {"text": with_answer})
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["govert@example.nl"]
    everything = sent.subject + sent.body
    for secret in (with_answer, SECRET, family.case.reference, "Govert", "Geus", world.worker.last_name):
        assert secret not in everything
    assert "/mijn/" in sent.body

    # Switching it off: no row, no e-mail.
    assert govert.post(url, {"email": "govert@example.nl"}).status_code == 302
    assert not MessageNotice.objects.exists()


def test_asking_to_move_a_visit_and_the_regisseur_moves_it(world, family):
    govert = resident_client(family.govert)
    home = govert.get(reverse("portal:home")).content.decode()
    move_url = reverse("portal:visit_move", args=[family.visit.pk])
    assert move_url in home
    assert govert.get(move_url).status_code == 200
    assert govert.post(move_url, {"text": "Ik moet werken", "preferred": ""}).status_code == 400
    response = govert.post(move_url, {"text": "Ik moet werken", "preferred": "dinsdagmiddag"})
    assert response["Location"] == reverse("portal:thread", args=[family.case.pk])
    message = Message.objects.get()
    assert (message.contact, message.preferred) == (family.visit, "dinsdagmiddag")
    assert message.visit_at == family.visit.planned_at

    worker = login(world.worker)
    page = worker.get(reverse("contacts:messages", args=[family.case.pk])).content.decode()
    assert "dinsdagmiddag" in page
    move = reverse("contacts:move", args=[family.case.pk, family.visit.pk])
    assert move in page
    new_day = timezone.localdate() + timedelta(days=9)
    prefix = f"move-{family.visit.pk}"
    assert worker.post(move, {f"{prefix}-day": "", f"{prefix}-at": "14:00"}).status_code == 400
    response = worker.post(move, {f"{prefix}-day": new_day.isoformat(), f"{prefix}-at": "14:00"})
    assert response.status_code == 302
    family.visit.refresh_from_db()
    moved = timezone.localtime(family.visit.planned_at)
    assert (moved.date(), moved.hour, family.visit.status) == (new_day, 14, ContactStatus.PLANNED)
    assert CaseEvent.objects.filter(case=family.case, by=world.worker, summary__contains="moved").exists()
    # The request still names the moment it was about, and the new one beside it.
    page = worker.get(reverse("contacts:messages", args=[family.case.pk])).content.decode()
    assert "(nu " in page and "14:00)" in page
    thread = govert.get(reverse("portal:thread", args=[family.case.pk])).content.decode()
    assert f"{timezone.localtime(message.visit_at):%H:%M}" in thread


def test_another_resident_and_another_team_get_404(world, family):
    _send(resident_client(family.govert), family.case)
    stranger = resident_client(household_in(world.area_b).members.get().resident)
    child = resident_client(family.child)  # same household, another case
    for client in (stranger, child):
        assert client.get(reverse("portal:thread", args=[family.case.pk])).status_code == 404
        assert _send(client, family.case).status_code == 404
        notice = reverse("portal:message_notice", args=[family.case.pk])
        assert client.post(notice, {"wanted": "1", "email": "x@example.nl"}).status_code == 404
        move = reverse("portal:visit_move", args=[family.visit.pk])
        assert client.get(move).status_code == 404
        assert client.post(move, {"text": "x", "preferred": "y"}).status_code == 404
    assert Message.objects.count() == 1 and not MessageNotice.objects.exists()

    outsider = login(world.outsider)
    assert outsider.get(reverse("contacts:messages", args=[family.case.pk])).status_code == 404
    assert outsider.post(reverse("contacts:messages", args=[family.case.pk]), {"text": "x"}).status_code == 404
    assert SECRET not in outsider.get(reverse("contacts:inbox")).content.decode()
    assert Message.objects.count() == 1
    assert Message.objects.get().read_at is None


def test_without_a_regisseur_the_team_leader_reads_them(world, family):
    family.case.regisseur = None
    family.case.save()
    _send(resident_client(family.govert), family.case)
    colleague = login(world.colleague)
    assert "ongelezen" not in colleague.get(reverse("cases:my_work")).content.decode()
    leader = login(world.leader)
    assert "1 bericht van een inwoner is ongelezen" in leader.get(reverse("cases:my_work")).content.decode()
    leader.get(reverse("contacts:messages", args=[family.case.pk]))
    assert Message.objects.get().read_by == world.leader


def test_a_colleague_who_reads_along_does_not_mark_them_read(world, family):
    _send(resident_client(family.govert), family.case)
    family.case.involvements.create(user=world.colleague)
    page = login(world.colleague).get(reverse("contacts:messages", args=[family.case.pk]))
    assert page.status_code == 200 and SECRET in page.content.decode()
    assert Message.objects.get().read_at is None


def test_the_inbox_queries_do_not_grow(world, family, django_assert_max_num_queries):
    from cases.factories import CaseFactory

    for _ in range(5):
        case = CaseFactory(
            team=world.team_a, household=family.household, resident=family.govert, regisseur=world.worker
        )
        _send(resident_client(family.govert), case)
    worker = login(world.worker)
    with django_assert_max_num_queries(12):
        page = worker.get(reverse("contacts:inbox"))
    assert page.content.decode().count(reverse("contacts:messages", args=[case.pk])) == 1


def test_messages_are_in_the_residents_own_file_and_not_in_anothers(world, family):
    govert = resident_client(family.govert)
    _send(govert, family.case)
    govert.post(reverse("portal:message_notice", args=[family.case.pk]), {"wanted": "1", "email": "g@example.nl"})
    own = json.loads(govert.get(reverse("portal:own_file_download", args=["json"])).content)
    assert [m["text"] for m in own["messages"]] == [SECRET]
    assert own["messages"][0]["case"] == family.case.reference
    assert own["message_notice_email"] == "g@example.nl"
    pdf = govert.get(reverse("portal:own_file_download", args=["pdf"]))
    assert pdf.status_code == 200
    child = json.loads(resident_client(family.child).get(reverse("portal:own_file_download", args=["json"])).content)
    assert child["messages"] == [] and child["message_notice_email"] == ""


def test_the_retention_purge_takes_the_messages_with_the_case(world):
    from cases.factories import CaseFactory
    from cases.models import Case
    from oversight.retention import purge
    from privacy.models import DeletionRecord

    old = CaseFactory(team=world.team_a)
    Message.objects.create(case=old, from_resident=True, text=SECRET)
    MessageNotice.objects.create(resident=old.resident, email="oud@example.nl")
    Case.objects.filter(pk=old.pk).update(status="afgesloten", closed_at=timezone.now() - timedelta(days=365.25 * 16))
    purge(dry_run=False)
    assert not Message.objects.exists() and not MessageNotice.objects.exists()
    kinds = dict(DeletionRecord.objects.values_list("kind", "count"))
    assert kinds["message with the resident"] == 1 and kinds["notice choice of the resident"] == 1


def test_a_closed_case_keeps_its_thread_but_takes_no_new_message(world, family):
    from cases.models import Case

    Case.objects.filter(pk=family.case.pk).update(status="afgesloten", closed_at=timezone.now())
    govert = resident_client(family.govert)
    page = govert.get(reverse("portal:thread", args=[family.case.pk])).content.decode()
    assert "Deze vraag is afgesloten" in page and 'name="text"' not in page
    response = _send(govert, family.case)
    assert response.status_code == 400 and "Deze vraag is afgesloten" in response.content.decode()
    assert not Message.objects.exists()


def test_a_failing_mail_server_does_not_lose_the_answer(world, family, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    MessageNotice.objects.create(resident=family.govert, email="govert@example.nl")
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = login(world.worker).post(reverse("contacts:messages", args=[family.case.pk]), {"text": "Tot dan."})
    assert response.status_code == 302
    assert Message.objects.filter(from_resident=False, text="Tot dan.").exists()
    assert "Message notice not sent" in caplog.text and "govert@example.nl" not in caplog.text


def test_the_thread_pages_read_in_a_fixed_number_of_queries(world, family, django_assert_max_num_queries):
    from contacts.factories import ContactFactory

    govert = resident_client(family.govert)
    worker = login(world.worker)
    for n in range(4):
        visit = ContactFactory(case=family.case, professional=world.worker)
        govert.post(reverse("portal:visit_move", args=[visit.pk]), {"text": f"Vraag {n}", "preferred": "ochtend"})
        worker.post(reverse("contacts:messages", args=[family.case.pk]), {"text": f"Antwoord {n}"})
    assert Message.objects.count() == 8
    with django_assert_max_num_queries(14):
        assert worker.get(reverse("contacts:messages", args=[family.case.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert govert.get(reverse("portal:thread", args=[family.case.pk])).status_code == 200
