"""Dutch public holidays, computed (cases.deadlines); recurring visits on a Sunday or a holiday are listed before they
are planned, with the offer to move them to the next working day (issue 23); a conversation is a
contact too ("laatste contact")."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.deadlines import day_off, easter_sunday, extend_to_working_day, next_visit_day, public_holidays
from cases.factories import CaseFactory
from contacts.models import Contact, ContactKind, ContactSeries, ContactStatus, Every
from contacts.services import series_extend
from plans.models import Conversation


def test_easter_and_the_holidays_of_2026_to_2028():
    assert [easter_sunday(y) for y in (2026, 2027, 2028)] == [date(2026, 4, 5), date(2027, 3, 28), date(2028, 4, 16)]
    assert sorted(public_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 4, 6),  # Easter Monday
        date(2026, 4, 27),  # King's Day
        date(2026, 5, 5),
        date(2026, 5, 14),  # Ascension Day
        date(2026, 5, 25),  # Whit Monday
        date(2026, 12, 25),
        date(2026, 12, 26),
    ]
    assert sorted(public_holidays(2027))[1:6] == [
        date(2027, 3, 29),
        date(2027, 4, 27),
        date(2027, 5, 5),
        date(2027, 5, 6),
        date(2027, 5, 17),
    ]
    assert sorted(public_holidays(2028))[1:6] == [
        date(2028, 4, 17),
        date(2028, 4, 27),
        date(2028, 5, 5),
        date(2028, 5, 25),
        date(2028, 6, 5),
    ]
    # King's Day moves to Saturday the 26th when the 27th is a Sunday (2025, 2031).
    assert date(2025, 4, 26) in public_holidays(2025) and date(2025, 4, 27) not in public_holidays(2025)
    assert date(2031, 4, 26) in public_holidays(2031)


def test_the_next_working_day_skips_weekends_and_holidays():
    assert extend_to_working_day(date(2027, 3, 28)) == date(2027, 3, 30)  # Easter Sunday, Easter Monday
    assert extend_to_working_day(date(2026, 12, 25)) == date(2026, 12, 28)  # Christmas, Boxing Day, Sunday
    assert extend_to_working_day(date(2026, 12, 23)) == date(2026, 12, 23)
    assert (day_off(date(2027, 4, 4)), day_off(date(2027, 5, 6)), day_off(date(2027, 5, 7))) == (
        "zondag",
        "Hemelvaartsdag",
        "",
    )


def test_a_visit_moves_off_sundays_and_holidays_only():
    assert next_visit_day(date(2027, 3, 28)) == date(2027, 3, 30)  # Easter Sunday, Easter Monday
    assert next_visit_day(date(2026, 12, 25)) == date(2026, 12, 28)  # Christmas, Boxing Day, Sunday
    assert next_visit_day(date(2027, 5, 5)) == date(2027, 5, 7)  # Liberation Day, Ascension Day
    assert next_visit_day(date(2026, 12, 12)) == date(2026, 12, 12)  # a Saturday is not a day off
    assert next_visit_day(date(2028, 12, 23)) == date(2028, 12, 23)


@pytest.fixture
def case(world):
    return CaseFactory(team=world.team_a, regisseur=world.worker)


def _series(start: date, **extra):
    return {
        "kind": ContactKind.HUISBEZOEK,
        "interval": 1,
        "every": Every.WEEK,
        "starts_on": start.isoformat(),
        "at": "10:00",
        "duration_minutes": 60,
        "ends_on": (start + timedelta(days=21)).isoformat(),
        **extra,
    }


def _next(weekday: int) -> date:
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def test_visits_on_sundays_are_listed_before_they_are_planned_and_can_move(world, case, as_worker):
    sunday = _next(6)
    url = reverse("contacts:series_new", args=[case.pk])
    response = as_worker.post(url, _series(sunday))
    assert response.status_code == 200 and not ContactSeries.objects.exists()
    assert [day for day, _why in response.context["clashes"]] == [sunday + timedelta(weeks=n) for n in range(4)]
    assert response.context["form"]["starts_on"].value() == sunday.isoformat()  # nothing typed is lost
    response = as_worker.post(url, {**_series(sunday), "holidays": "move"})
    assert response.status_code == 302
    series = ContactSeries.objects.get()
    assert series.working_days_only
    planned = sorted(c.planned_at for c in Contact.objects.filter(series=series, status=ContactStatus.PLANNED))
    assert [timezone.localtime(p).date() for p in planned] == [
        next_visit_day(sunday + timedelta(weeks=n)) for n in range(4)
    ]
    assert all(timezone.localtime(p).time() == time(10) for p in planned)


def test_visits_kept_on_their_dates_when_the_resident_wants(world, case, as_worker):
    sunday = _next(6)
    response = as_worker.post(reverse("contacts:series_new", args=[case.pk]), {**_series(sunday), "holidays": "keep"})
    assert response.status_code == 302
    days = {timezone.localtime(c.planned_at).date() for c in Contact.objects.filter(series__isnull=False)}
    assert sunday in days


def test_a_series_on_working_days_is_planned_without_a_question(world, case, as_worker):
    tuesday = _next(1)
    response = as_worker.post(
        reverse("contacts:series_new", args=[case.pk]), _series(tuesday, ends_on=tuesday.isoformat())
    )
    if day_off(tuesday):  # a holiday on a Tuesday (Easter Monday week, King's Day...): asked, rightly
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and ContactSeries.objects.get().working_days_only is False


def _my_case(page, pk: int):
    """The case ``pk`` among Mijn werk's rows (one per resident, with their cases)."""
    return next(case for _, cases in page.context["rows"] for case in cases if case.pk == pk)


def test_a_conversation_counts_as_last_contact(world, case, as_worker):
    earlier = timezone.now() - timedelta(days=10)
    Contact.objects.create(case=case, professional=world.worker, status=ContactStatus.DONE, happened_at=earlier)
    row = lambda: _my_case(as_worker.get(reverse("cases:my_work")), case.pk)  # noqa: E731
    assert row().last_contact == timezone.localtime(earlier).date()
    talked = timezone.localdate() - timedelta(days=2)
    Conversation.objects.create(case=case, held_on=talked, question_asked="Post", conclusion="Samen", by=world.worker)
    assert row().last_contact == talked
    # Only a conversation: that is the last contact.
    other = CaseFactory(team=world.team_a, regisseur=world.worker)
    Conversation.objects.create(case=other, held_on=talked, question_asked="Post", conclusion="Samen", by=world.worker)
    page = as_worker.get(reverse("cases:my_work"))
    assert _my_case(page, other.pk).last_contact == talked
    assert f"{talked.day}-{talked.month}-{talked.year}" in page.content.decode()


def test_a_holiday_is_listed_by_its_name_and_the_form_starts_on_a_working_day(world, case, as_worker):
    day = timezone.localdate() + timedelta(days=1)
    while not (day.weekday() < 5 and day_off(day)):
        day += timedelta(days=1)
    url = reverse("contacts:series_new", args=[case.pk])
    response = as_worker.post(url, _series(day, ends_on=day.isoformat()))
    assert response.context["clashes"] == [(day, day_off(day))]
    assert day_off(day) in response.content.decode()  # "Tweede paasdag", "Koningsdag", ...
    start = as_worker.get(url).context["form"]["starts_on"].value()
    assert extend_to_working_day(start) == start


def _planned_days(series) -> list[date]:
    return sorted(timezone.localtime(c.planned_at).date() for c in Contact.objects.filter(series=series))


def _next_weekday_holiday() -> date:
    day = timezone.localdate() + timedelta(days=1)
    while not (day.weekday() < 5 and day_off(day)):
        day += timedelta(days=1)
    return day


def test_moving_visits_keeps_saturdays_and_moves_a_holiday(world, case, as_worker):
    """A weekly series: "move them" moves only what the warning listed (Sundays, holidays); a
    Saturday visit keeps its date."""
    saturday = _next(5)
    response = as_worker.post(
        reverse("contacts:series_new", args=[case.pk]), {**_series(saturday, ends_on=""), "holidays": "move"}
    )
    assert response.status_code == 302
    series = ContactSeries.objects.get()
    weeks = [saturday + timedelta(weeks=n) for n in range(8)]
    planned = _planned_days(series)[:8]
    assert planned == [next_visit_day(day) for day in weeks]
    assert [day for day in planned if day.weekday() == 5] == [day for day in weeks if not day_off(day)]
    # Across a holiday on a working day: that visit moves past it (and past a Sunday), the others stay.
    holiday = _next_weekday_holiday()
    weekly = ContactSeries.objects.create(
        case=case,
        professional=world.worker,
        every=Every.WEEK,
        starts_on=holiday - timedelta(weeks=1),
        at=time(10),
        working_days_only=True,
    )
    series_extend(series=weekly, until=holiday + timedelta(weeks=1))
    moved = next_visit_day(holiday)
    assert moved > holiday and not day_off(moved)
    weeks = [holiday - timedelta(weeks=1), holiday, holiday + timedelta(weeks=1)]
    assert _planned_days(weekly) == [next_visit_day(day) for day in weeks]


def test_a_monthly_series_across_a_holiday(world, case):
    holiday = _next_weekday_holiday()
    monthly = ContactSeries.objects.create(
        case=case, professional=world.worker, every=Every.MONTH, starts_on=holiday, at=time(9), working_days_only=True
    )
    series_extend(series=monthly, until=holiday + timedelta(days=70))
    days = _planned_days(monthly)
    assert days[0] == next_visit_day(holiday) != holiday
    assert all(not day_off(day) for day in days) and len(days) == 3


def test_a_moved_visit_never_merges_with_a_visit_of_the_series(world, case):
    """When the day a visit would move to already has a visit of the series, both are kept: the
    visit stays on its own date instead of silently disappearing into the other."""
    holiday = _next_weekday_holiday()
    weekly = ContactSeries.objects.create(
        case=case, professional=world.worker, every=Every.WEEK, starts_on=holiday, at=time(10), working_days_only=True
    )
    moved = next_visit_day(holiday)
    Contact.objects.create(
        case=case,
        professional=world.worker,
        series=weekly,
        status=ContactStatus.PLANNED,
        planned_at=timezone.make_aware(datetime.combine(moved, time(10))),
    )
    assert series_extend(series=weekly, until=holiday + timedelta(days=6)) == 1
    assert _planned_days(weekly) == [holiday, moved]
