"""The privacy officer's review of the access log: patterns that deserve a question.

The Dutch DPA found in 2026 that municipalities rarely notice staff misusing access. These rules
point the officer at what to ask about; none of them proves misuse, and none blocks anyone:

- **many dossiers**: one user opening more distinct dossiers within an hour than the threshold;
- **outside the team**: opening a case of a team the user is not a member of (legitimate when
  regisseur or involved, and for a beschikker when the case has an indication advice to decide
  on, ``maatwerk.access``: those are left out);
- **night**: reading dossiers between 22:00 and 06:00;
- **opened with a reason, not followed up**: a dossier opened by breaking the glass that the team
  leader did not review within ``BREAK_GLASS_REVIEW_DAYS``.

Beside them, per partner organisation, its bekendheidsvragen ("is this household known?") against
the referrals it sent (``known_query_review``): the questions come from a partner system or a
referrer, not from a colleague, so they are not in the rules above; an organisation that asks far
more often than it refers is marked.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from cases.models import Case, CaseEvent, CaseInvolvement
from intake.models import KnownQuery, Referral
from maatwerk.models import IndicationAdvice
from partners.models import Organisation
from people.models import HouseholdMember
from privacy.models import AccessLog, Action, BreakGlass
from teams.models import TeamMembership
from wijkteam.dates import local_days

READS = [Action.VIEW, Action.PRINT, Action.EXPORT, Action.API_READ]


def _setting(name: str, default: int) -> int:
    return int(settings.WIJKTEAM.get(name, default))


@dataclass
class Finding:
    rule: str
    label: str
    user: object
    first: datetime
    last: datetime
    count: int
    details: list[str] = field(default_factory=list)


RULES = {
    "many": _("Many dossiers in one hour"),
    "outside": _("Dossiers outside the own team"),
    "night": _("Reading at night (22:00-06:00)"),
    "glass": _("Opened with a reason, not reviewed by the team leader in time"),
}


def findings(*, start: date, end: date, municipality_id: int | None = None) -> list[Finding]:
    """The findings for reads from ``start`` up to and including ``end``, newest first."""

    since, until = local_days(start, end)
    reads = AccessLog.objects.filter(at__gte=since, at__lt=until, action__in=READS).exclude(
        case_id__isnull=True, household_id__isnull=True, resident_id__isnull=True
    )
    if municipality_id is not None:
        reads = reads.filter(user__municipality_id=municipality_id)
    results: list[Finding] = []

    # One pass over the reads of the period, newest first (capped: a period that large is reviewed
    # in smaller periods). A dossier is a case, else a household, else a resident.
    rows = list(reads.order_by("-at").values_list("user_id", "case_id", "household_id", "resident_id", "at")[:200_000])
    threshold = _setting("ANOMALY_DOSSIERS_PER_HOUR", 25)
    per_hour: dict[tuple[int, datetime], set] = defaultdict(set)
    night: dict[int, list[tuple[tuple, datetime]]] = defaultdict(list)
    for user_id, case_id, household_id, resident_id, at in rows:
        dossier = ("c", case_id) if case_id else ("h", household_id) if household_id else ("r", resident_id)
        local = timezone.localtime(at)
        per_hour[(user_id, local.replace(minute=0, second=0, microsecond=0))].add(dossier)
        if local.hour >= 22 or local.hour < 6:
            night[user_id].append((dossier, at))
    busy = sorted(
        (
            (user_id, hour, len(dossiers))
            for (user_id, hour), dossiers in per_hour.items()
            if len(dossiers) > threshold
        ),
        key=lambda row: row[1],
        reverse=True,
    )[:200]

    # Cases of a team the user is not in, and where they are not regisseur or involved.
    case_reads = [(user_id, case_id, at) for user_id, case_id, _h, _r, at in rows if case_id]
    case_ids = {case_id for _, case_id, _ in case_reads}
    cases = {c["pk"]: c for c in Case.objects.filter(pk__in=case_ids).values("pk", "team_id", "regisseur_id")}
    teams = defaultdict(set)
    for user_id, team_id in TeamMembership.objects.values_list("user_id", "team_id"):
        teams[user_id].add(team_id)
    involved = set(CaseInvolvement.objects.filter(case_id__in=case_ids).values_list("user_id", "case_id"))
    # A beschikker decides on the case's indication advices: reading that case is their work.
    beschikkers = set(
        User.objects.filter(pk__in={user_id for user_id, _c, _a in case_reads}, role=Role.BESCHIKKER).values_list(
            "pk", flat=True
        )
    )
    to_decide = set(IndicationAdvice.objects.filter(case_id__in=case_ids).values_list("case_id", flat=True))
    outside: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for user_id, case_id, at in case_reads:
        case = cases.get(case_id)
        if (
            case
            and case["team_id"] not in teams[user_id]
            and case["regisseur_id"] != user_id
            and (user_id, case_id) not in involved
            and not (user_id in beschikkers and case_id in to_decide)
        ):
            outside[user_id].append((case_id, at))

    # Dossiers opened with a reason that the team leader did not review within the term.
    term = timedelta(days=_setting("BREAK_GLASS_REVIEW_DAYS", 7))
    grants = BreakGlass.objects.filter(at__gte=since, at__lt=until)
    if municipality_id is not None:
        grants = grants.filter(user__municipality_id=municipality_id)
    late = Q(reviewed_at__isnull=True, at__lt=timezone.now() - term) | Q(reviewed_at__gt=F("at") + term)
    glass: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for user_id, case_id, at in grants.filter(late).values_list("user_id", "case_id", "at"):
        glass[user_id].append((case_id, at))

    users = User.objects.in_bulk({row[0] for row in busy} | set(outside) | set(night) | set(glass))
    for user_id, hour, count in busy:
        results.append(Finding("many", str(RULES["many"]), users.get(user_id), hour, hour, count))
    for rule, groups in (("outside", outside), ("night", night), ("glass", glass)):
        for user_id, items in groups.items():
            moments = [at for _, at in items]
            results.append(
                Finding(
                    rule,
                    str(RULES[rule]),
                    users.get(user_id),
                    min(moments),
                    max(moments),
                    len({key for key, _ in items}),
                )
            )
    return sorted(results, key=lambda f: f.last, reverse=True)


def log_search(*, resident_id: int | None = None, user_id: int | None = None, start: date, end: date):
    """Access-log rows about one resident (their dossier, households and cases) or by one user."""

    since, until = local_days(start, end)
    rows = AccessLog.objects.filter(at__gte=since, at__lt=until).select_related("user")
    if resident_id is not None:
        households = list(
            HouseholdMember.objects.filter(resident_id=resident_id).values_list("household_id", flat=True)
        )
        cases = list(
            Case.objects.filter(Q(resident_id=resident_id) | Q(household_id__in=households)).values_list(
                "pk", flat=True
            )
        )
        rows = rows.filter(Q(resident_id=resident_id) | Q(household_id__in=households) | Q(case_id__in=cases))
    if user_id is not None:
        rows = rows.filter(user_id=user_id)
    return rows.order_by("-at", "-pk")


INVOLVEMENT_KINDS = ("involved", "uninvolved")


def involvement_changes(*, start: date, end: date, municipality_id: int | None):
    """Professionals involved in a case, or whose involvement ended, in the period: who, by whom,
    when and why. An involved professional opens the full dossier, so each is worth a look."""
    since, until = local_days(start, end)
    events = CaseEvent.objects.filter(kind__in=INVOLVEMENT_KINDS, at__gte=since, at__lt=until)
    if municipality_id is not None:
        events = events.filter(case__team__municipality_id=municipality_id)
    return events.select_related("by", "case__team").order_by("-at", "-pk")


# An organisation that asks at least this many times in the period, and more than this many times
# as often as it refers, is marked: it may be using the bekendheidsvraag to find out who is known.
KNOWN_QUERY_MINIMUM = 10
KNOWN_QUERY_RATIO = 3


@dataclass
class PartnerQueries:
    organisation: object
    questions: int
    known: int
    via_api: int
    referrals: int

    @property
    def marked(self) -> bool:
        return self.questions >= KNOWN_QUERY_MINIMUM and self.questions > KNOWN_QUERY_RATIO * self.referrals


def known_query_review(*, start: date, end: date, municipality_id: int | None) -> list[PartnerQueries]:
    """Per partner organisation of the municipality: its bekendheidsvragen in the period (how many
    were answered "known", how many came through its API key) beside the referrals it sent; the
    marked ones first, then the most questions."""

    since, until = local_days(start, end)
    questions = {
        row["organisation"]: row
        for row in KnownQuery.objects.filter(
            asked_at__gte=since, asked_at__lt=until, organisation__municipality_id=municipality_id
        )
        .values("organisation")
        .annotate(n=Count("pk"), known=Count("pk", filter=Q(known=True)), api=Count("pk", filter=Q(via_api=True)))
    }
    referrals = dict(
        Referral.objects.filter(received_at__gte=since, received_at__lt=until, organisation__in=list(questions))
        .values("organisation")
        .annotate(n=Count("pk"))
        .values_list("organisation", "n")
    )
    organisations = Organisation.objects.in_bulk(list(questions))
    rows = [
        PartnerQueries(organisations[pk], row["n"], row["known"], row["api"], referrals.get(pk, 0))
        for pk, row in questions.items()
    ]
    return sorted(rows, key=lambda row: (not row.marked, -row.questions, str(row.organisation)))
