"""Recurring contacts, reminders on 'Mijn werk', goals on contacts and the case conference."""

from datetime import date, time, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.factories import CaseFactory
from conftest import login
from contacts.models import Contact, ContactKind, ContactSeries, ContactStatus, Every
from contacts.services import occurrences
from plans.models import Goal
from plans.services import goal_save, plan_start
from zrm.models import LifeDomain


@pytest.fixture
def case(world):
    return CaseFactory(team=world.team_a, regisseur=world.worker)


def _series_data(**extra):
    return {
        "kind": ContactKind.HUISBEZOEK,
        "interval": 1,
        "every": Every.MONTH,
        "starts_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
        "at": "10:00",
        "duration_minutes": 60,
        "ends_on": "",
        "note": "Administratie samen doornemen",
        "holidays": "keep",  # the dates as they fall (the warning is tested in test_holidays.py)
        **extra,
    }


def test_monthly_series_without_end_plans_visits_on_my_work(world, case, as_worker):
    response = as_worker.post(reverse("contacts:series_new", args=[case.pk]), _series_data())
    assert response.status_code == 302
    series = ContactSeries.objects.get()
    planned = Contact.objects.filter(series=series, status=ContactStatus.PLANNED)
    assert 3 <= planned.count() <= 4  # three months ahead
    my_work = as_worker.get(reverse("cases:my_work"))
    assert any(c.series_id == series.pk for c in my_work.context["agenda"])
    # The daily command is idempotent.
    call_command("plan_contacts", verbosity=0)
    call_command("plan_contacts", verbosity=0)
    assert planned.count() == Contact.objects.filter(series=series).count()
    assert len(set(planned.values_list("planned_at", flat=True))) == planned.count()


def test_series_with_an_end_date_stops_there(world, case, as_worker):
    starts = timezone.localdate() + timedelta(days=1)
    as_worker.post(
        reverse("contacts:series_new", args=[case.pk]),
        _series_data(
            every=Every.WEEK,
            interval=2,
            starts_on=starts.isoformat(),
            ends_on=(starts + timedelta(days=30)).isoformat(),
        ),
    )
    days = sorted(c.planned_at.date() for c in Contact.objects.filter(series__isnull=False))
    assert days == [starts, starts + timedelta(days=14), starts + timedelta(days=28)]


def test_monthly_series_on_the_31st_falls_on_the_last_day_of_short_months():
    series = ContactSeries(starts_on=date(2027, 1, 31), at=time(10), every=Every.MONTH, interval=1)
    days = list(occurrences(series, after=None, until=date(2027, 5, 1)))
    assert days == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]


def test_series_in_the_past_or_ending_before_it_starts_is_refused(case, as_worker):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = as_worker.post(
        reverse("contacts:series_new", args=[case.pk]), _series_data(starts_on=yesterday.isoformat())
    )
    assert response.status_code == 400 and "starts_on" in response.context["form"].errors
    starts = timezone.localdate() + timedelta(days=5)
    response = as_worker.post(
        reverse("contacts:series_new", args=[case.pk]),
        _series_data(starts_on=starts.isoformat(), ends_on=(starts - timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 400 and "ends_on" in response.context["form"].errors
    assert not ContactSeries.objects.exists()


def test_stopping_a_series_cancels_its_future_visits(case, as_worker):
    as_worker.post(reverse("contacts:series_new", args=[case.pk]), _series_data())
    series = ContactSeries.objects.get()
    as_worker.post(reverse("contacts:series_stop", args=[case.pk, series.pk]))
    assert not Contact.objects.filter(series=series, status=ContactStatus.PLANNED).exists()
    series.refresh_from_db()
    assert not series.active


def test_a_missed_visit_shows_as_reminder_until_recorded(world, case, as_worker):
    past = Contact.objects.create(
        case=case,
        professional=world.worker,
        kind=ContactKind.HUISBEZOEK,
        status=ContactStatus.PLANNED,
        planned_at=timezone.now() - timedelta(days=2),
    )
    page = as_worker.get(reverse("cases:my_work"))
    assert [c.pk for c in page.context["reminders"]] == [past.pk]
    assert past not in page.context["agenda"]
    response = as_worker.post(
        reverse("contacts:not_held", args=[case.pk, past.pk]), {"missed": "1", "next": "mijn-werk"}
    )
    assert response["Location"] == reverse("cases:my_work")
    assert as_worker.get(reverse("cases:my_work")).context["reminders"] == []


def test_contact_links_goals_of_the_household_plan(world, case, as_worker):
    plan = plan_start(household=case.household, by=world.worker)
    goal = goal_save(
        plan=plan,
        expected_version=plan.version,
        by=world.worker,
        domain=LifeDomain.objects.get(code="financien"),
        description="Administratie op orde",
    )
    page = as_worker.get(reverse("contacts:new", args=[case.pk]))
    assert page.context["form"].has_goals
    response = as_worker.post(
        reverse("contacts:new", args=[case.pk]),
        {
            "mode": "done",
            "kind": ContactKind.HUISBEZOEK,
            "day": timezone.localdate().isoformat(),
            "at": "00:00",
            "duration_minutes": 60,
            "note": "Post gesorteerd",
            "goals": [goal.pk],
        },
    )
    assert response.status_code == 302
    assert list(Contact.objects.get().goals.all()) == [goal]
    other = Goal.objects.create(
        plan=plan_start(household=CaseFactory(team=world.team_a).household, by=world.worker),
        domain=goal.domain,
        description="Ander huishouden",
    )
    response = as_worker.post(
        reverse("contacts:new", args=[case.pk]),
        {
            "mode": "done",
            "kind": "telefoon",
            "day": timezone.localdate().isoformat(),
            "at": "00:00",
            "goals": [other.pk],
        },
    )
    assert response.status_code == 400


def test_case_conference_records_attendees_decisions_and_regisseur(world, case, as_worker):
    response = as_worker.post(
        reverse("contacts:conference_new", args=[case.pk]),
        {
            "day": timezone.localdate().isoformat(),
            "at": "00:00",
            "attendees": [world.colleague.pk],
            "partners": "J. de Vries, Kredietbank Leeuwarden\nhuisarts Van Dijk",
            "decisions": "Schuldhulp via Kredietbank; collega wordt regisseur.",
            "regisseur": world.colleague.pk,
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get(kind=ContactKind.CASUSOVERLEG)
    conference = contact.conference
    assert set(conference.attendees.all()) == {world.worker, world.colleague}
    assert conference.partner_lines == ["J. de Vries, Kredietbank Leeuwarden", "huisarts Van Dijk"]
    case.refresh_from_db()
    assert case.regisseur == world.colleague


def test_case_conference_needs_decisions(case, as_worker):
    response = as_worker.post(
        reverse("contacts:conference_new", args=[case.pk]),
        {"day": timezone.localdate().isoformat(), "at": "00:00", "decisions": ""},
    )
    assert response.status_code == 400 and "decisions" in response.context["form"].errors
    assert not Contact.objects.exists()


@pytest.mark.parametrize("name", ["contacts:series_new", "contacts:conference_new"])
def test_another_team_gets_404(world, case, name):
    client = login(world.outsider)
    assert client.get(reverse(name, args=[case.pk])).status_code == 404
    assert client.post(reverse(name, args=[case.pk]), _series_data()).status_code == 404
    assert not ContactSeries.objects.exists()
