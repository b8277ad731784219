from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.factories import CaseFactory
from conftest import login
from contacts.factories import ContactFactory
from contacts.models import Contact, ContactStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return CaseFactory(team=world.team_a, regisseur=world.worker)


def test_record_a_home_visit_that_took_place(world, as_worker, case):
    yesterday = timezone.localdate() - timedelta(days=1)  # at 00:05 whatever the hour the test runs
    response = as_worker.post(
        reverse("contacts:new", args=[case.pk]),
        {
            "mode": "done",
            "kind": "huisbezoek",
            "day": yesterday.isoformat(),
            "at": "00:05",
            "duration_minutes": "60",
            "note": "Post doorgenomen.",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.status, contact.duration_minutes, contact.professional) == (ContactStatus.DONE, 60, world.worker)
    event = case.events.get(kind="contact")
    assert event.note == "Post doorgenomen." and event.data["minutes"] == 60


@pytest.mark.parametrize("local", ["00:01", "06:30", "08:59", "23:59"])
def test_a_contact_today_without_a_time_is_accepted_at_any_hour(world, case, local):
    """No time given means 'some time today', not 09:00 (which was refused before nine)."""
    moment = timezone.make_aware(datetime.combine(date(2026, 12, 8), time.fromisoformat(local)))
    with time_machine.travel(moment, tick=False):
        response = login(world.worker).post(
            reverse("contacts:new", args=[case.pk]),
            {"mode": "done", "kind": "telefoon", "day": "2026-12-08", "at": ""},
        )
        assert response.status_code == 302
        happened = Contact.objects.get().happened_at
        assert happened <= timezone.now()
        assert timezone.localtime(happened).date() == date(2026, 12, 8)


def test_a_contact_on_an_earlier_day_without_a_time_is_dated_that_day(world, as_worker, case):
    day = timezone.localdate() - timedelta(days=3)
    response = as_worker.post(
        reverse("contacts:new", args=[case.pk]), {"mode": "done", "kind": "telefoon", "day": day.isoformat()}
    )
    assert response.status_code == 302
    assert timezone.localtime(Contact.objects.get().happened_at).date() == day


def test_plan_a_visit_that_shows_on_my_work(world, as_worker, case):
    day = timezone.localdate() + timedelta(days=3)
    response = as_worker.post(
        reverse("contacts:new", args=[case.pk]),
        {"mode": "planned", "kind": "huisbezoek", "day": day.isoformat(), "at": "10:00"},
    )
    assert response.status_code == 302
    agenda = as_worker.get(reverse("cases:my_work")).context["agenda"]
    assert [c.planned_at.date() for c in agenda] == [day]


@pytest.mark.parametrize(
    ("mode", "days", "time", "field"),
    [("done", 2, "10:00", "day"), ("done", 1, "", "day"), ("planned", -2, "10:00", "day"), ("planned", 2, "", "at")],
)
def test_contacts_in_the_wrong_time_are_refused(as_worker, case, mode, days, time, field):
    day = timezone.localdate() + timedelta(days=days)
    response = as_worker.post(
        reverse("contacts:new", args=[case.pk]), {"mode": mode, "kind": "telefoon", "day": day.isoformat(), "at": time}
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Contact.objects.exists()


def test_complete_miss_and_cancel_planned_contacts(world, as_worker, case):
    done = ContactFactory(case=case, professional=world.worker, planned_at=timezone.now() - timedelta(hours=2))
    missed = ContactFactory(case=case, professional=world.worker)
    cancelled = ContactFactory(case=case, professional=world.worker)
    assert (
        as_worker.post(reverse("contacts:done", args=[case.pk, done.pk]), {"duration_minutes": "45"}).status_code
        == 302
    )
    assert as_worker.post(reverse("contacts:not_held", args=[case.pk, missed.pk]), {"missed": "1"}).status_code == 302
    assert as_worker.post(reverse("contacts:not_held", args=[case.pk, cancelled.pk])).status_code == 302
    statuses = {c.pk: c.status for c in Contact.objects.all()}
    assert statuses == {done.pk: "gedaan", missed.pk: "gemist", cancelled.pk: "geannuleerd"}
    # A contact is completed once: a second attempt finds no planned contact.
    assert as_worker.post(reverse("contacts:done", args=[case.pk, done.pk]), {}).status_code == 404


def test_completing_a_future_contact_is_refused(world, as_worker, case):
    planned = ContactFactory(case=case, professional=world.worker, planned_at=timezone.now() + timedelta(days=1))
    response = as_worker.post(reverse("contacts:done", args=[case.pk, planned.pk]), {})
    assert response.status_code == 200
    assert Contact.objects.get().status == ContactStatus.PLANNED


def test_contacts_of_another_team_are_404(world, as_outsider, case):
    planned = ContactFactory(case=case, professional=world.worker)
    assert as_outsider.get(reverse("contacts:new", args=[case.pk])).status_code == 404
    assert as_outsider.post(reverse("contacts:done", args=[case.pk, planned.pk])).status_code == 404


def test_a_closed_case_takes_no_new_contacts(world, as_worker, case):
    as_worker.post(reverse("cases:close", args=[case.pk]), {"end_reason": "19", "note": "klaar"})
    response = as_worker.post(
        reverse("contacts:new", args=[case.pk]),
        {"mode": "done", "kind": "telefoon", "day": timezone.localdate().isoformat(), "at": "00:01"},
    )
    assert response.status_code == 400
    assert not Contact.objects.exists()
