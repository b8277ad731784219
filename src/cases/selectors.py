"""Reads of cases for the pages, beside the writes in ``services.py``: each takes the user (or what
the gate let through) and returns querysets already filtered by the gate (``cases.access``)."""

import functools
import operator
from datetime import date, datetime, timedelta

from django.db.models import Case as SqlCase
from django.db.models import Count, F, IntegerField, Min, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Least

from people.models import names_of
from teams.services import led_team_ids_of, team_ids_of

from .access import involved_case_ids
from .models import Case, Consultation, Triage
from .workflow import DECIDING, INVESTIGATING, OPEN_STATUSES


def my_open_cases(user) -> QuerySet:
    """The open cases the user is regisseur of or involved in."""
    return Case.objects.visible_to(user).open().filter(Q(regisseur=user) | Q(pk__in=involved_case_ids(user)))


def deadlines_within(cases: QuerySet, *, until: date, limit: int = 50) -> list[Case]:
    """Of ``cases``, those whose investigation term ends by ``until``, soonest first."""
    return list(
        cases.filter(status__in=INVESTIGATING, onderzoek_due__lte=until)
        .select_related("resident")
        .only("reference", "status", "onderzoek_due", *names_of("resident"))
        .order_by("onderzoek_due", "pk")[:limit]
    )


def open_questions_for(user) -> int:
    """Requests for advice addressed to the user (or their expertise group) still unanswered."""
    return Consultation.objects.visible_to(user).filter(answered_at__isnull=True).exclude(asked_by=user).count()


def unassigned_count(user) -> int | None:
    """For a team leader: the open cases of the teams they lead without a regisseur (else None)."""
    led = led_team_ids_of(user)
    if not led:
        return None
    return Case.objects.visible_to(user).open().filter(team_id__in=led, regisseur__isnull=True).count()


def team_open_count(user) -> int:
    """The open cases of the user's teams."""
    return Case.objects.visible_to(user).open().filter(team_id__in=team_ids_of(user)).count()


def queue_conditions(*, now: datetime, today: date, new_for: timedelta, horizon: timedelta) -> dict[str, Q]:
    """The work queue's filters: new, not triaged, without a regisseur, a legal term ending soon."""
    until = today + horizon
    return {
        "new": Q(opened_at__gte=now - new_for),
        "untriaged": Q(triage=""),
        "unassigned": Q(regisseur__isnull=True),
        "deadlines": Q(onderzoek_due__lte=until, status__in=INVESTIGATING)
        | Q(decision_due__lte=until, status__in=DECIDING),
    }


def work_queue(user, conditions: dict[str, Q], *, show: str = "") -> tuple[QuerySet, dict[str, int]]:
    """The open cases of the user's teams that match ``show`` (one of ``conditions``; any of them
    when empty), the nearest legal term first, and how many match each condition."""
    team_cases = Case.objects.visible_to(user).open().filter(team_id__in=team_ids_of(user))
    counts = team_cases.aggregate(**{name: Count("pk", filter=condition) for name, condition in conditions.items()})
    chosen = conditions.get(show) or functools.reduce(operator.or_, conditions.values())
    cases = (
        team_cases.filter(chosen)
        .select_related("resident", "regisseur")
        .only(
            *("reference", "status", "triage", "melding_date", "opened_at", "onderzoek_due", "decision_due"),
            *("regisseur__first_name", "regisseur__last_name", "regisseur__username"),
            *names_of("resident"),
        )
        .annotate(due=next_due())
        .order_by(F("due").asc(nulls_last=True), "-opened_at", "-pk")
    )
    return cases, counts


def next_due():
    """``Case.next_due`` in SQL, so that the database orders the queue and fetches only one page:
    the nearer of the running investigation term and the running decision term."""
    investigation = SqlCase(When(status__in=INVESTIGATING, then=F("onderzoek_due")))
    decision = SqlCase(When(status__in=DECIDING, then=F("decision_due")))
    # LEAST is NULL on SQLite when either side is: compare each with the other as its fallback.
    return Least(Coalesce(investigation, decision), Coalesce(decision, investigation))


def phase():
    """The place of a case's status in its life (aangemeld first, evaluatie last), in SQL."""
    return SqlCase(
        *(When(status=status, then=Value(place)) for place, status in enumerate(OPEN_STATUSES)),
        default=Value(len(OPEN_STATUSES)),
        output_field=IntegerField(),
    )


# In the query string of the team's case list: no regisseur, no triage yet.
NONE_YET = "geen"

# How the lists of open cases are ordered (Mijn werk, the team's cases): by phase, then the nearest
# running legal term (none last), then the oldest first.
CASE_ORDER = ("phase", F("due").asc(nulls_last=True), "opened_at", "pk")


def residents_of(cases: QuerySet) -> QuerySet:
    """One row per resident of ``cases`` (``resident_id``, ``phase``, ``due``), in ``CASE_ORDER``:
    a resident with two open cases (a second melding, a Wmo and a Jeugdwet question) is one row of the
    list, placed by the earliest phase and the nearest term of their cases."""
    return (
        cases.order_by()
        .values("resident_id")
        .annotate(phase=Min(phase()), due=Min(next_due()), first_opened=Min("opened_at"))
        .order_by("phase", F("due").asc(nulls_last=True), "first_opened", "resident_id")
    )


def ordered(cases: QuerySet) -> QuerySet:
    """``cases`` with ``phase`` and ``due`` (the nearest running legal term), in ``CASE_ORDER``."""
    return cases.annotate(phase=phase(), due=next_due()).order_by(*CASE_ORDER)


def team_caseload(cases: QuerySet, *, today: date, horizon: timedelta) -> list[dict]:
    """Per regisseur (None: no regisseur yet) of ``cases``: the open cases in all, per status, per
    triage (``untriaged`` for none yet), and how many have a legal term ending by ``today + horizon``
    (``at_risk``) or already past (``overdue``). One query, whatever the number of cases or members."""
    due = next_due()
    counts = {
        "total": Count("pk"),
        **{f"status_{status}": Count("pk", filter=Q(status=status)) for status in OPEN_STATUSES},
        **{f"triage_{triage}": Count("pk", filter=Q(triage=triage)) for triage in Triage},
        "untriaged": Count("pk", filter=Q(triage="")),
    }
    rows = list(
        cases.order_by()
        .annotate(term=due)
        .values("regisseur_id", "regisseur__first_name", "regisseur__last_name", "regisseur__username")
        .annotate(
            **counts,
            at_risk=Count("pk", filter=Q(term__lte=today + horizon)),
            overdue=Count("pk", filter=Q(term__lt=today)),
        )
    )
    for row in rows:
        row["by_status"] = [(status, row[f"status_{status}"]) for status in OPEN_STATUSES]
        row["by_triage"] = [(triage, row[f"triage_{triage}"]) for triage in Triage]
    return rows


def deadlines_at_risk(cases: QuerySet, *, until: date, limit: int = 10) -> list[Case]:
    """Of ``cases``, those whose running legal term (investigation or decision) ends by ``until``,
    the nearest (and overdue) first."""
    return list(
        cases.annotate(due=next_due())
        .filter(due__lte=until)
        .select_related("resident", "regisseur")
        .only(
            *("reference", "status", "onderzoek_due", "decision_due", "regisseur_id"),
            *("regisseur__first_name", "regisseur__last_name", "regisseur__username"),
            *names_of("resident"),
        )
        .order_by("due", "pk")[:limit]
    )
