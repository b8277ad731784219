"""Pre-aggregated case counts for the district profiles and management information (issue 8).

Counting a year of a city's cases live takes a second or more; these tallies answer the same
questions from a few thousand rows. A ``Tally`` row counts the cases of one team and district on
one day (``month=False``), or in one month (``month=True``, the sum of that month's day rows).
``rows(measures, start, end)`` picks the rows that cover a period exactly: whole months from the
month rows, the days at either end from the day rows.

They stay exact like this:

- database triggers (migration 0004 of this app) note the day of every change that can move a
  count in ``StaleDay``, whatever made the change: a service, the admin, a bulk load, the purge;
- ``refresh()``, which every reader calls first, recounts those days from the cases and their
  months from the days, under a lock, in one transaction;
- ``manage.py refresh_tallies`` recounts everything (after a bulk load) and with ``--check``
  compares every stored count with a recount from the cases.

Only counts are stored, and with every month row the noise of its base cell
(``wijkteam.suppression``: a month row of a team, district, measure and key is one), drawn when the
row is counted; the readers in ``aggregates`` and ``management_info`` add counts and noise up in SQL
and suppress small sums (``suppression.Count``).
"""

import functools
import operator
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from wijkteam.suppression import month_of, noise

from .models import Measure, StaleDay, Tally, TallyTotal

# A case's investigation is finished once it reached one of these statuses (its first such event).
FINISHED = ["plan", "uitvoering", "evaluatie", "afgesloten"]
# Keys of Measure.INVESTIGATION: finished in time, finished late, not finished and still being
# investigated (running until its due date, late after), not finished otherwise (late).
MET, LATE, INVESTIGATING, STALLED = "met", "late", "investigating", "stalled"
# Recounting more days than this at once is done as one recount of everything.
MANY_DAYS = 400
LOCK = 804_2026  # the advisory lock that serialises refreshes on PostgreSQL

Key = tuple[int, int | None, date, str, str]  # team, district, day, measure, key


# The triggers of migration 0004 that note changed days, by table (a bulk load switches them off).
TRIGGERS = {
    "cases_case": "insights_stale_case",
    "cases_case_life_domains": "insights_stale_case_domain",
    "zrm_domainscore": "insights_stale_score",
    "zrm_assessment": "insights_stale_assessment",
    "cases_caseevent": "insights_stale_event",
    "people_household": "insights_stale_household",
}


@contextmanager
def quiet_triggers() -> Iterator[None]:
    """For loading many cases at once (``generate_city``), inside its transaction: on PostgreSQL
    the triggers stay quiet during the load (which needs ownership of the tables). Recount
    everything afterwards (``recount()``)."""
    switch = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if switch:
            for table, trigger in TRIGGERS.items():
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER "{trigger}"')
        yield
        if switch:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks may be pending
            for table, trigger in TRIGGERS.items():
                cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER "{trigger}"')


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def covering(start: date | None, end: date | None, *, days_from: date | None = None) -> Q:
    """The tally rows that count every day from ``start`` to ``end`` (either open) exactly once:
    month rows for the whole months, day rows for the rest. With ``days_from``, days from then on
    are taken from day rows only (for counts whose meaning changes with the day, such as a term
    that is still running)."""
    parts = covering_parts(start, end, days_from=days_from)
    return functools.reduce(operator.or_, parts) if parts else Q(pk__in=[])


def covering_parts(start: date | None, end: date | None, *, days_from: date | None = None) -> list[Q]:
    """``covering`` as its (at most three) parts, each one range of the tally index: the month rows,
    the day rows before them and the day rows after them. PostgreSQL reads a part with a single
    index range; their OR it reads as every row of the measure, filtered."""
    first = None if start is None else (start if start.day == 1 else next_month(start))
    # The first day after the whole months: the start of the month of `end` unless `end` is its last day.
    after = (
        None
        if end is None
        else (next_month(end) if next_month(end) - timedelta(days=1) == end else end.replace(day=1))
    )
    if days_from is not None:
        after = days_from.replace(day=1) if after is None else min(after, days_from.replace(day=1))
    if first is not None and after is not None and first >= after:  # no whole month: days only
        return [Q(month=False, day__gte=start) & (Q(day__lte=end) if end is not None else Q())]
    months = Q(month=True)
    if first is not None:
        months &= Q(day__gte=first)
    if after is not None:
        months &= Q(day__lt=after)
    parts = [months]
    if first is not None and start < first:
        parts.append(Q(month=False, day__gte=start, day__lt=first))
    if after is not None and (end is None or after <= end):
        parts.append(Q(month=False, day__gte=after) & (Q(day__lte=end) if end is not None else Q()))
    return parts


def rows(
    measures: Iterable[str], start: date | None, end: date | None, *, days_from: date | None = None, fresh: bool = True
):
    """The tally rows of ``measures`` for the period (see ``covering``), refreshed first unless the
    caller did that already (``fresh=False``)."""
    if fresh:
        refresh()
    return Tally.objects.filter(covering(start, end, days_from=days_from), measure__in=list(measures))


# --- keeping them exact -------------------------------------------------------------------------


def refresh() -> int:
    """Recount the days that changed since the last refresh; the number of days recounted."""
    if not StaleDay.objects.exists():
        return 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One refresh at a time: a second one waits and then sees the first one's counts.
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])
            # Take the marks that are committed now; a change committed later leaves its own mark
            # for the next refresh. (On SQLite this first write also locks out other writers.)
            cursor.execute(f"DELETE FROM {StaleDay._meta.db_table} RETURNING day")  # noqa: S608 - a table name
            days = {_as_date(row[0]) for row in cursor.fetchall()}
        if days:
            recount(None if len(days) > MANY_DAYS else days)
    return len(days)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def recount(days: Iterable[date] | None = None) -> None:
    """Replace the tallies of ``days`` (None: all) with a count from the cases, and the tallies of
    their months with the sum of their days."""
    days = None if days is None else sorted(set(days))
    counts = counted(days)
    if days is None:
        Tally.objects.all().delete()
    else:
        Tally.objects.filter(month=False, day__in=days).delete()
    Tally.objects.bulk_create(
        (
            Tally(team_id=team, area_id=area, day=day, measure=measure, key=key, n=n)
            # In the order readers read them: a period's rows lie together.
            for (team, area, day, measure, key), n in sorted(counts.items(), key=_reading_order)
            if n
        ),
        batch_size=5000,
    )
    day_rows = Tally.objects.filter(month=False)
    before: tuple[Counter, Counter] = (Counter(), Counter())  # the replaced month rows, as totals
    if days is not None:
        months = sorted({day.replace(day=1) for day in days})
        replaced = Tally.objects.filter(month=True, day__in=months)
        before = _totals(replaced)
        replaced.delete()
        day_rows = day_rows.filter(
            functools.reduce(operator.or_, (Q(day__gte=m, day__lt=next_month(m)) for m in months))
        )
    Tally.objects.bulk_create(
        (
            Tally(
                team_id=team,
                area_id=area,
                month=True,
                day=month,
                measure=measure,
                key=key,
                n=n,
                noise=noise(cell(team, area, month, measure, key), n),
            )
            for team, area, month, measure, key, n in day_rows.annotate(m=TruncMonth("day"))
            .order_by()
            .values_list("team_id", "area_id", "m", "measure", "key")
            .annotate(total=Sum("n"))
        ),
        batch_size=5000,
    )
    if days is None:
        TallyTotal.objects.all().delete()
        _add_to_totals(*_totals(Tally.objects.filter(month=True)))
    else:
        counts, noises = _totals(Tally.objects.filter(month=True, day__in=months))
        counts.subtract(before[0])
        noises.subtract(before[1])
        _add_to_totals(counts, noises)


def cell(team: int, area: int | None, month: date, measure: str, key: str) -> tuple:
    """The base cell of the policy figures that a month row counts (``wijkteam.suppression``)."""
    return ("case", measure, key, team, area, month_of(month))


TotalKey = tuple[int, int | None, str, str]  # team, district, measure, key


def _totals(month_rows) -> tuple[Counter, Counter]:
    """``month_rows`` summed over their months: {(team, district, measure, key): n} and the same
    for their noise."""
    counts, noises = Counter(), Counter()
    for team, area, measure, key, n, total_noise in (
        month_rows.order_by()
        .values_list("team_id", "area_id", "measure", "key")
        .annotate(total=Sum("n"), total_noise=Sum("noise"))
    ):
        counts[(team, area, measure, key)] = n
        noises[(team, area, measure, key)] = total_noise
    return counts, noises


def _add_to_totals(change: Counter, noise_change: Counter) -> None:
    """Add ``change`` and ``noise_change`` (which may hold negative numbers) to the stored totals."""
    keys = {key for key, n in change.items() if n} | {key for key, n in noise_change.items() if n}
    if not keys:
        return
    teams = {team for team, _area, _measure, _key in keys}
    measures = {measure for _team, _area, measure, _key in keys}
    stored = {
        (row.team_id, row.area_id, row.measure, row.key): row
        for row in TallyTotal.objects.filter(team_id__in=teams, measure__in=measures)
    }
    changed, added, emptied = [], [], []
    for key in keys:
        n, extra = change[key], noise_change[key]
        row = stored.get(key)
        if row is None:
            team, area, measure, tally_key = key
            added.append(TallyTotal(team_id=team, area_id=area, measure=measure, key=tally_key, n=n, noise=extra))
        elif row.n + n:
            row.n += n
            row.noise += extra
            changed.append(row)
        else:
            emptied.append(row.pk)
    TallyTotal.objects.bulk_create(added, batch_size=5000)
    TallyTotal.objects.bulk_update(changed, ["n", "noise"], batch_size=1000)
    TallyTotal.objects.filter(pk__in=emptied).delete()


def _reading_order(item: tuple[Key, int]) -> tuple:
    (team, area, day, measure, key), _n = item
    return measure, day, team, area or 0, key


def counted(days: list[date] | None = None) -> Counter:
    """The tallies of ``days`` (None: all) counted from the cases now: {(team, district, day,
    measure, key): n}. The one definition of every measure."""
    from cases.models import Case
    from cases.workflow import INVESTIGATING as INVESTIGATING_STATUSES
    from cases.workflow import Status
    from zrm.models import DomainScore

    counts: Counter = Counter()
    reported = Q() if days is None else Q(melding_date__in=days)
    for team, area, day, triage, status, n in (
        Case.objects.filter(reported)
        .order_by()
        .values_list("team_id", "household__area_id", "melding_date", "triage", "status")
        .annotate(n=Count("pk"))
    ):
        counts[(team, area, day, Measure.NEW, "")] += n
        counts[(team, area, day, Measure.TRIAGE, triage)] += n
        if status != Status.AFGESLOTEN:
            counts[(team, area, day, Measure.OPEN, "")] += n

    through = Case.life_domains.through.objects.filter(*([] if days is None else [Q(case__melding_date__in=days)]))
    for team, area, day, domain, n in (
        through.order_by()
        .values_list("case__team_id", "case__household__area_id", "case__melding_date", "lifedomain_id")
        .annotate(n=Count("pk"))
    ):
        counts[(team, area, day, Measure.DOMAIN, str(domain))] += n

    # ZRM: per case and life domain, the first score against the last (by date, then entry).
    scores = DomainScore.objects.filter(
        *([] if days is None else [Q(assessment__case__melding_date__in=days)])
    ).order_by("assessment__case_id", "domain_id", "assessment__assessed_on", "assessment_id")
    first_last: dict[tuple[int, int], list] = {}
    for case, team, area, day, domain, score in scores.values_list(
        "assessment__case_id",
        "assessment__case__team_id",
        "assessment__case__household__area_id",
        "assessment__case__melding_date",
        "domain_id",
        "score",
    ).iterator(chunk_size=5000):
        pair = first_last.setdefault((case, domain), [team, area, day, score, score])
        pair[4] = score
    for (_case, domain), (team, area, day, first, last) in first_last.items():
        direction = "up" if last > first else "down" if last < first else "same"
        counts[(team, area, day, Measure.ZRM, f"{domain}:{direction}")] += 1

    # The investigation term, by due date: finished (the first step past the investigation) in
    # time or late, or not finished yet.
    due = Case.objects.filter(onderzoek_due__isnull=False, **({} if days is None else {"onderzoek_due__in": days}))
    for team, area, day, finished, status in (
        due.annotate(finished=Min("events__at", filter=Q(events__data__new_code__in=FINISHED)))
        .values_list("team_id", "household__area_id", "onderzoek_due", "finished", "status")
        .iterator(chunk_size=5000)
    ):
        if finished is not None:
            key = MET if timezone.localtime(finished).date() <= day else LATE
        else:
            key = INVESTIGATING if status in INVESTIGATING_STATUSES else STALLED
        counts[(team, area, day, Measure.INVESTIGATION, key)] += 1
    return counts


def stored() -> tuple[Counter, Counter, Counter]:
    """What the tallies hold now: the day rows, the month rows (as {(team, district, month,
    measure, key): n}) and the totals ({(team, district, measure, key): n})."""
    days: Counter = Counter()
    months: Counter = Counter()
    for team, area, month, day, measure, key, n in Tally.objects.values_list(
        "team_id", "area_id", "month", "day", "measure", "key", "n"
    ):
        (months if month else days)[(team, area, day, measure, key)] += n
    totals: Counter = Counter()
    for team, area, measure, key, n in TallyTotal.objects.values_list("team_id", "area_id", "measure", "key", "n"):
        totals[(team, area, measure, key)] += n
    return days, months, totals


def differences() -> list[str]:
    """Every stored count that differs from a count from the cases now (empty when all agree)."""
    refresh()
    expected_days = +counted()
    expected_months: Counter = Counter()
    expected_totals: Counter = Counter()
    for (team, area, day, measure, key), n in expected_days.items():
        expected_months[(team, area, day.replace(day=1), measure, key)] += n
        expected_totals[(team, area, measure, key)] += n
    days, months, totals = stored()
    found = []
    # The noise of every month row is that of its cell, and the totals' noise the sum of theirs.
    noise_totals: Counter = Counter()
    for team, area, day, measure, key, n, stored_noise in Tally.objects.filter(month=True).values_list(
        "team_id", "area_id", "day", "measure", "key", "n", "noise"
    ):
        noise_totals[(team, area, measure, key)] += stored_noise
        if stored_noise != noise(cell(team, area, day, measure, key), n):
            found.append(f"month {(team, area, day, measure, key)}: noise {stored_noise} is not its cell's")
    for team, area, measure, key, total_noise in TallyTotal.objects.values_list(
        "team_id", "area_id", "measure", "key", "noise"
    ):
        months_noise = noise_totals[(team, area, measure, key)]
        if total_noise != months_noise:
            found.append(f"total {(team, area, measure, key)}: noise {total_noise}, its months {months_noise}")
    grains = (("day", expected_days, days), ("month", expected_months, months), ("total", expected_totals, totals))
    for grain, expected, actual in grains:
        for key in sorted(set(expected) | set(actual), key=str):
            if expected[key] != actual[key]:
                found.append(f"{grain} {key}: stored {actual[key]}, counted {expected[key]}")
    return found
