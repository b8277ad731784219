"""The pre-aggregated case counts (insights.tallies) equal a live count from the cases, whatever
changed the cases, and a period is covered by month and day rows exactly once."""

from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Min, Q, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from areas.factories import AreaFactory
from cases.factories import CaseFactory
from cases.models import Case, CaseEvent, Triage
from cases.services import case_change_status, case_close, case_reopen, case_triage
from cases.workflow import INVESTIGATING, Status
from insights import tallies
from insights.aggregates import HERE, TOWN, case_cells
from insights.management_info import NEW, Filters, _caseload, investigation_deadline, zrm_outcomes
from insights.models import Measure, StaleDay, Tally, TallyTotal
from zrm.models import DomainScore, LifeDomain
from zrm.services import Rating, assessment_record

pytestmark = pytest.mark.django_db


def test_a_period_is_covered_exactly_once(world):
    """Month rows hold each month's days together: every period counts each of its days once."""
    first, last = date(2024, 1, 1), date(2026, 3, 31)
    rows, day = [], first
    while day <= last:
        rows.append(Tally(team=world.team_a, area=world.area_a, day=day, measure=Measure.NEW, n=1))
        if day.day == 1:
            days = (tallies.next_month(day) - day).days
            rows.append(Tally(team=world.team_a, area=world.area_a, month=True, day=day, measure=Measure.NEW, n=days))
        day += timedelta(days=1)
    Tally.objects.bulk_create(rows)

    def counted(start, end, days_from=None) -> int:
        queryset = tallies.rows([Measure.NEW], start, end, days_from=days_from)
        return sum(queryset.values_list("n", flat=True))

    periods = [
        (date(2024, 1, 1), date(2024, 1, 31)),  # one whole month
        (date(2024, 1, 2), date(2024, 1, 30)),  # inside one month
        (date(2024, 2, 29), date(2024, 2, 29)),  # one day
        (date(2024, 1, 15), date(2025, 1, 14)),  # a year from the middle of a month
        (date(2024, 11, 30), date(2025, 2, 1)),  # across a year's end, one day at either end
        (date(2024, 3, 1), date(2026, 2, 28)),  # whole months only
        (date(2025, 12, 31), date(2026, 1, 1)),
    ]
    for start, end in periods:
        assert counted(start, end) == (end - start).days + 1, (start, end)
        middle = start + (end - start) / 2
        assert counted(start, end, days_from=middle) == (end - start).days + 1, (start, end, "days from")
    assert counted(None, date(2024, 12, 31)) == 366 + 0  # 2024 is a leap year
    assert counted(None, date(2025, 1, 10)) == 366 + 10
    assert counted(date(2026, 2, 10), None) == 19 + 31
    assert counted(None, None) == (last - first).days + 1
    # Days from `days_from` on come from day rows only (a running term depends on the day).
    day_rows = tallies.rows([Measure.NEW], date(2024, 1, 1), date(2024, 12, 31), days_from=date(2024, 6, 15))
    assert not day_rows.filter(month=True, day__gte=date(2024, 6, 1)).exists()


def live_counts(municipality, area, start, end) -> dict:
    """The profile's numbers counted straight from the cases, as the page did before the tallies."""
    cases = Case.objects.filter(
        household__area__municipality=municipality, melding_date__gte=start, melding_date__lte=end
    )
    here = cases.filter(household__area=area)
    return {
        "new": (here.count(), cases.count()),
        "triage": {t: (here.filter(triage=t).count(), cases.filter(triage=t).count()) for t in ["", *Triage.values]},
        "domains": {
            d.pk: (here.filter(life_domains=d).count(), cases.filter(life_domains=d).count())
            for d in LifeDomain.objects.all()
        },
    }


def shown_counts(area, start, end) -> dict:
    """The profile's counts, exact (the cells added up without noise)."""
    counts = case_cells(area, start=start, end=end, exact=True).shown
    return {
        "new": (counts[(HERE, Measure.NEW)], counts[(TOWN, Measure.NEW)]),
        "triage": {
            t: (counts[(HERE, Measure.TRIAGE, t)], counts[(TOWN, Measure.TRIAGE, t)]) for t in ["", *Triage.values]
        },
        "domains": {
            d.pk: (counts[(HERE, Measure.DOMAIN, str(d.pk))], counts[(TOWN, Measure.DOMAIN, str(d.pk))])
            for d in LifeDomain.objects.all()
        },
    }


def live_management(filters: Filters) -> dict:
    """The management tables' raw numbers counted straight from the cases (threshold 1 shows all)."""
    cases = filters.cases()
    today = timezone.localdate()
    investigation: dict[str, Counter] = defaultdict(Counter)
    for team, due, finished, status in (
        cases.filter(onderzoek_due__gte=filters.start, onderzoek_due__lte=filters.end)
        .annotate(finished=Min("events__at", filter=Q(events__data__new_code__in=tallies.FINISHED)))
        .values_list("team__name", "onderzoek_due", "finished", "status")
    ):
        if finished is not None:
            investigation[team]["met" if timezone.localtime(finished).date() <= due else "late"] += 1
        elif status in INVESTIGATING and due >= today:
            investigation[team]["running"] += 1
        else:
            investigation[team]["late"] += 1
    first_last: dict = {}
    for case, domain, score in (
        DomainScore.objects.filter(assessment__case__in=cases.filter(melding_date__lte=filters.end))
        .order_by("assessment__case_id", "domain_id", "assessment__assessed_on", "assessment_id")
        .values_list("assessment__case_id", "domain_id", "score")
    ):
        first_last.setdefault((case, domain), [score, score])[1] = score
    zrm: Counter = Counter()
    for (_case, domain), (first, last) in first_last.items():
        zrm[(domain, "up" if last > first else "down" if last < first else "same")] += 1
    return {
        "open": Counter(cases.exclude(status=Status.AFGESLOTEN).values_list("team__name", flat=True)),
        "new": Counter(
            cases.filter(melding_date__gte=filters.start, melding_date__lte=filters.end).values_list(
                "team__name", flat=True
            )
        ),
        "investigation": investigation,
        "zrm": zrm,
    }


def _number(cell: str) -> int:
    return int(cell)  # exact: every count is shown, zeros too


def shown_management(filters: Filters) -> dict:
    """What the management tables show (with threshold 1 every count but zero is shown)."""
    teams, cells = _caseload(filters)
    zrm: Counter = Counter()
    for row in zrm_outcomes(filters).rows:
        domain = LifeDomain.objects.get(name=row[0])
        for direction, cell in zip(("up", "same", "down"), row[1:], strict=True):
            if _number(cell):
                zrm[(domain.pk, direction)] = _number(cell)
    return {
        "open": Counter({team: cells.shown[(team, "open")] for team in teams if cells.shown[(team, "open")]}),
        "new": Counter({team: cells.shown[(team, NEW)] for team in teams if cells.shown[(team, NEW)]}),
        "investigation": {
            row[0]: Counter(
                {k: _number(v) for k, v in zip(("met", "late", "running"), row[1:4], strict=True) if _number(v)}
            )
            for row in investigation_deadline(filters).rows
        },
        "zrm": zrm,
    }


def test_tallies_equal_a_live_count_after_every_kind_of_change(world, settings):
    """Services, factories, plain ORM writes, bulk inserts, deletes and a household that moves:
    after each, what the readers get equals a count from the cases."""
    settings.WIJKTEAM = {**settings.WIJKTEAM, "SUPPRESSION_THRESHOLD": 1}
    today = timezone.localdate()
    start, end = today - timedelta(days=365), today
    finance, housing = LifeDomain.objects.get(code="financien"), LifeDomain.objects.get(code="huisvesting")
    filters = Filters(world.municipality, start, end, exact=True)  # the counts without noise

    def agree(step: str) -> None:
        assert tallies.differences() == [], step
        for area in (world.area_a, world.area_b):
            assert shown_counts(area, start, end) == live_counts(world.municipality, area, start, end), step
        assert shown_management(Filters(world.municipality, start, end, exact=True)) == live_management(filters), step
        # Filtered by team and by district as well.
        by_team = Filters(world.municipality, start, end, team=world.team_a, exact=True)
        assert shown_management(by_team) == live_management(by_team), step
        by_area = Filters(world.municipality, start, end, area=world.area_b, exact=True)
        assert shown_management(by_area) == live_management(by_area), step
        # A period that ended a month ago: the totals less the cases reported since.
        earlier = Filters(world.municipality, start - timedelta(days=30), end - timedelta(days=30), exact=True)
        assert shown_management(earlier) == live_management(earlier), step

    old = CaseFactory(team=world.team_a, melding_date=today - timedelta(days=400))  # before the period
    cases = [
        CaseFactory(team=team, melding_date=today - timedelta(days=days))
        for team, days in ((world.team_a, 3), (world.team_a, 40), (world.team_b, 200), (world.team_a, 364))
    ]
    agree("cases made by the factory")
    cases[0].life_domains.add(finance, housing)
    cases[2].life_domains.add(finance)
    agree("life domains added")
    cases[0].life_domains.remove(housing)
    agree("a life domain removed")
    case_triage(case=cases[0], triage=Triage.SUPPORT, reason="Schulden en huur.", by=world.worker)
    Case.objects.filter(pk=cases[1].pk).update(triage=Triage.SELF_RELIANT)  # no service, no save()
    agree("triage")
    for case in (cases[0], old):
        for days_ago, score in ((30, 2), (5, 4)):
            assessment_record(
                case=case,
                by=world.worker,
                ratings=[Rating(domain=finance, score=score, reason="Post ligt op tafel.")],
                assessed_on=today - timedelta(days=days_ago),
            )
    agree("ZRM assessments")
    DomainScore.objects.filter(assessment__case=old).update(score=3)
    agree("scores changed in bulk")
    case_change_status(case=cases[0], to=Status.ONDERZOEK, by=world.worker)
    case_change_status(case=cases[0], to=Status.PLAN, by=world.worker)
    case_close(case=cases[1], by=world.worker, end_reason="19", note="Klaar.")
    agree("status changes and a closure")
    case_reopen(case=cases[1], by=world.worker, reason="Toch nog hulp nodig.")
    CaseEvent.objects.filter(case=cases[0], data__new_code="plan").delete()
    agree("reopened, and a history entry deleted")
    household = cases[3].household
    household.area = world.area_b
    household.save(update_fields=["area"])
    agree("a household moved to another district")
    Case.objects.filter(pk=cases[2].pk).update(melding_date=today - timedelta(days=10), team=world.team_a)
    agree("report date and team changed")
    other_area = AreaFactory(municipality=world.municipality)
    household.area = other_area
    household.save()
    Case.objects.filter(pk=cases[3].pk).delete()
    agree("a case deleted")


def test_triggers_note_the_day_of_a_change(world):
    case = CaseFactory(team=world.team_a, melding_date=date(2025, 3, 4))
    tallies.refresh()
    assert not StaleDay.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET triage = %s WHERE id = %s", [Triage.SPECIALIST, case.pk])
    assert set(StaleDay.objects.values_list("day", flat=True)) >= {date(2025, 3, 4)}
    tallies.refresh()
    CaseEvent.objects.create(case=case, kind="note", summary="Note", note="Gebeld.")  # no status: no recount
    assert not StaleDay.objects.exists()


def test_a_recount_costs_the_same_number_of_queries_for_more_days(world):
    def changes_on(days: int) -> int:
        for n in range(days):
            CaseFactory(team=world.team_a, melding_date=date(2025, 1, 1) + timedelta(days=7 * n))
        with CaptureQueriesContext(connection) as captured:
            assert tallies.refresh() >= days
        return len(captured)

    assert changes_on(2) == changes_on(20)


def test_recount_command_checks_every_count(world):
    from django.core.management import CommandError, call_command

    CaseFactory(team=world.team_a, melding_date=date(2025, 5, 5))
    call_command("refresh_tallies", "--all", "--check")
    Tally.objects.filter(measure=Measure.NEW, month=False).update(n=7)  # what no trigger sees
    with pytest.raises(CommandError, match="differ"):
        call_command("refresh_tallies", "--check")
    call_command("refresh_tallies", "--all", "--check")
    TallyTotal.objects.filter(measure=Measure.OPEN).update(n=5)  # the totals are checked as well
    with pytest.raises(CommandError, match="differ"):
        call_command("refresh_tallies", "--check")


def test_totals_follow_a_refresh_of_a_few_days(world):
    """A refresh adds each recounted month's change to the totals: a new team and key, a count
    that grows, and one that drops to nothing (its total row goes)."""
    first = CaseFactory(team=world.team_a, melding_date=date(2025, 1, 5), triage=Triage.SUPPORT)
    CaseFactory(team=world.team_a, melding_date=date(2025, 3, 5))
    call_command_all()
    assert tallies.differences() == []
    CaseFactory(team=world.team_b, melding_date=date(2025, 3, 6))
    Case.objects.filter(pk=first.pk).update(triage=Triage.SELF_RELIANT)
    assert tallies.refresh() >= 2
    assert tallies.differences() == []
    totals = dict(
        TallyTotal.objects.filter(measure=Measure.TRIAGE, team=world.team_a).values_list("key").annotate(n=Sum("n"))
    )
    assert totals.get(Triage.SUPPORT, 0) == 0
    assert totals[Triage.SELF_RELIANT] == 1
    assert TallyTotal.objects.filter(measure=Measure.NEW, team=world.team_b).get().n == 1


def call_command_all() -> None:
    from django.core.management import call_command

    call_command("refresh_tallies", "--all")


@pytest.mark.parametrize("durations", [[3, 10, 40], [3, 10, 40, 41], [7, 7], [0, 5, 6, 9, 100, 101]])
def test_throughput_median_is_the_median_of_the_closed_cases(world, settings, durations):
    """Days from report to closure (the closing day in local time), the middle one or the mean of
    the middle two, rounded as Python rounds; counted by the database per team and number of days."""
    from statistics import median

    from insights.management_info import throughput

    settings.WIJKTEAM = {**settings.WIJKTEAM, "SUPPRESSION_THRESHOLD": 1}
    today = timezone.localdate()
    midnight = timezone.make_aware(timezone.datetime.combine(today - timedelta(days=2), timezone.datetime.min.time()))
    for days in durations:
        CaseFactory(
            team=world.team_a,
            melding_date=today - timedelta(days=2 + days),
            status=Status.AFGESLOTEN,
            # 00:30 local time: in UTC still the day before, so the local day must be used
            closed_at=midnight + timedelta(minutes=30),
        )
    CaseFactory(
        team=world.team_a,
        melding_date=today - timedelta(days=900),
        status=Status.AFGESLOTEN,
        closed_at=midnight - timedelta(days=400),
    )  # closed before the period
    rows = throughput(Filters(world.municipality, today - timedelta(days=365), today, exact=True)).rows
    assert rows == [[world.team_a.name, str(len(durations)), str(round(median(durations)))]]
