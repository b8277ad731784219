"""Management information: caseload, throughput, legal deadlines, 80-20-5, ZRM outcomes and
initiative budgets, filtered by team, district and period.

Every table is built here as text cells with suppression already applied, so the page and the
CSV/XLSX exports show exactly the same thing and one test can check every cell.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from django.db.models import Count as DbCount
from django.db.models import Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Triage
from cases.workflow import INVESTIGATING
from zrm.models import DomainScore, LifeDomain

from .models import Initiative, InitiativeExpense
from .suppression import Count, Shown, protect


@dataclass
class Table:
    sheet: str  # a short worksheet name for the XLSX export (31 characters, no ':')
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""
    counts: list[int] = field(default_factory=list)  # columns that hold (suppressed) counts


@dataclass
class Filters:
    municipality: object
    start: date
    end: date
    team: object = None
    area: object = None

    def cases(self):
        queryset = Case.objects.filter(team__municipality=self.municipality)
        if self.team is not None:
            queryset = queryset.filter(team=self.team)
        if self.area is not None:
            queryset = queryset.filter(household__area=self.area)
        return queryset


def report(filters: Filters, *, per_professional_for=None) -> list[Table]:
    """The tables of the page. ``per_professional_for``: a team leader, who also sees the caseload of
    each professional in the teams they lead."""
    tables = [caseload_per_team(filters)]
    if per_professional_for is not None:
        tables.append(caseload_per_professional(filters, per_professional_for))
    tables += [triage(filters), throughput(filters), investigation_deadline(filters), zrm_outcomes(filters)]
    tables.append(initiative_budgets(filters))
    return tables


def caseload_per_team(filters: Filters) -> Table:
    rows = (
        filters.cases()
        .order_by()
        .values("team__name")
        .annotate(
            open=DbCount("pk", filter=~Q(status="afgesloten")),
            new=DbCount("pk", filter=Q(melding_date__gte=filters.start, melding_date__lte=filters.end)),
        )
        .order_by("team__name")
    )
    rows = list(rows)
    # Both columns add up to municipal totals that other pages show: protect the parts.
    open_now = protect([Count.of(r["open"]) for r in rows])
    new = protect([Count.of(r["new"]) for r in rows])
    return Table(
        str(_("Caseload")),
        str(_("Caseload per team")),
        [str(_("Team")), str(_("Open cases now")), str(_("New cases in the period"))],
        [[r["team__name"], str(o), str(n)] for r, o, n in zip(rows, open_now, new, strict=True)],
        counts=[1, 2],
    )


def caseload_per_professional(filters: Filters, leader) -> Table:
    from teams.services import led_team_ids_of

    rows = (
        filters.cases()
        .filter(team_id__in=led_team_ids_of(leader))
        .exclude(status="afgesloten")
        .order_by()
        .values("regisseur__first_name", "regisseur__last_name")
        .annotate(n=DbCount("pk"))
        .order_by("regisseur__first_name", "regisseur__last_name")
    )
    no_regisseur = str(_("(no regisseur yet)"))
    return Table(
        str(_("Per regisseur")),
        str(_("Open cases per regisseur (your teams)")),
        [str(_("Regisseur")), str(_("Open cases"))],
        [
            [
                f"{r['regisseur__first_name'] or ''} {r['regisseur__last_name'] or ''}".strip() or no_regisseur,
                str(r["n"]),
            ]
            for r in rows
        ],
        note=str(_("Only team leaders see this table, for the teams they lead; it is not exported.")),
    )


def triage(filters: Filters) -> Table:
    new = filters.cases().filter(melding_date__gte=filters.start, melding_date__lte=filters.end)
    counts = dict(new.order_by().values_list("triage").annotate(n=DbCount("pk")))
    total = Count.of(sum(v for k, v in counts.items() if k))
    parts = protect([Count.of(counts.get(value, 0)) for value in [*Triage.values, ""]])
    rows = [
        [str(label), str(count), str(count.share_of(total))]
        for label, count in zip(Triage.labels, parts[:-1], strict=True)
    ]
    rows.append([str(_("Not triaged")), str(parts[-1]), ""])
    return Table(
        str(_("80-20-5")),
        str(_("80-20-5 distribution of new cases")),
        [str(_("Triage")), str(_("Cases")), str(_("Share"))],
        rows,
        counts=[1],
    )


def throughput(filters: Filters) -> Table:
    closed = filters.cases().filter(closed_at__date__gte=filters.start, closed_at__date__lte=filters.end)
    per_team: dict[str, list[int]] = defaultdict(list)
    for team, melding, closed_at in closed.values_list("team__name", "melding_date", "closed_at"):
        per_team[team].append((timezone.localtime(closed_at).date() - melding).days)
    rows = []
    for team in sorted(per_team):
        days = per_team[team]
        count = Count.of(len(days))
        rows.append([team, str(count), "-" if count.suppressed else str(round(median(days)))])
    return Table(
        str(_("Throughput")),
        str(_("Throughput of cases closed in the period")),
        [str(_("Team")), str(_("Closed cases")), str(_("Median days from report to closure"))],
        rows,
        note=str(_("A median of fewer cases than the threshold is not shown.")),
        counts=[1],
    )


FINISHED = ["plan", "uitvoering", "evaluatie", "afgesloten"]


def investigation_deadline(filters: Filters) -> Table:
    """Wmo 2015 art. 2.3.2: the investigation within six weeks of the report (melding)."""
    today = timezone.localdate()
    due = (
        filters.cases()
        .filter(onderzoek_due__gte=filters.start, onderzoek_due__lte=filters.end)
        .annotate(finished=Min("events__at", filter=Q(events__data__new_code__in=FINISHED)))
        .values_list("team__name", "onderzoek_due", "finished", "status")
    )
    tally: dict[str, dict[str, int]] = defaultdict(lambda: {"met": 0, "late": 0, "running": 0})
    for team, due_on, finished, status in due:
        if finished is not None:
            done = timezone.localtime(finished).date()
            tally[team]["met" if done <= due_on else "late"] += 1
        elif status in INVESTIGATING and due_on >= today:
            tally[team]["running"] += 1
        else:
            tally[team]["late"] += 1
    rows = []
    for team in sorted(tally):
        met, late = Count.of(tally[team]["met"]), Count.of(tally[team]["late"])
        decided = Count.of(tally[team]["met"] + tally[team]["late"])
        # The share with "in time" would give a suppressed "late" away (and the reverse).
        share = met.share_of(decided) if not (met.suppressed or late.suppressed) else Shown(None, "-")
        rows.append([team, str(met), str(late), str(Count.of(tally[team]["running"])), str(share)])
    return Table(
        str(_("Investigation term")),
        str(_("Investigation within 6 weeks (Wmo 2015 art. 2.3.2), by due date in the period")),
        [str(_("Team")), str(_("In time")), str(_("Late")), str(_("Still running")), str(_("Share in time"))],
        rows,
        note=str(
            _(
                "The 2-week term for decisions (art. 2.3.5) is not measured yet: "
                "decisions are not recorded in this version."
            )
        ),
        counts=[1, 2, 3],
    )


def zrm_outcomes(filters: Filters) -> Table:
    """Per life domain: cases whose first and last ZRM score differ, up or down."""
    scores = (
        DomainScore.objects.filter(assessment__case__in=filters.cases().filter(melding_date__lte=filters.end))
        .order_by("assessment__case_id", "domain_id", "assessment__assessed_on", "assessment_id")
        .values_list("assessment__case_id", "domain_id", "score")
    )
    first_last: dict[tuple[int, int], list[int]] = {}
    for case_id, domain_id, score in scores:
        pair = first_last.setdefault((case_id, domain_id), [score, score])
        pair[1] = score
    outcome: dict[int, dict[str, int]] = defaultdict(lambda: {"up": 0, "same": 0, "down": 0})
    for (_case, domain_id), (first, last) in first_last.items():
        outcome[domain_id]["up" if last > first else "down" if last < first else "same"] += 1
    rows = [
        [
            str(domain),
            str(Count.of(outcome[domain.pk]["up"])),
            str(Count.of(outcome[domain.pk]["same"])),
            str(Count.of(outcome[domain.pk]["down"])),
        ]
        for domain in LifeDomain.objects.all()
    ]
    return Table(
        str(_("ZRM outcome")),
        str(_("ZRM outcome per life domain (first and last score of a case)")),
        [str(_("Life domain")), str(_("Better")), str(_("Same")), str(_("Worse"))],
        rows,
        counts=[1, 2, 3],
    )


def initiative_budgets(filters: Filters) -> Table:
    initiatives = Initiative.objects.filter(team__municipality=filters.municipality).select_related(
        "provision", "area"
    )
    if filters.team is not None:
        initiatives = initiatives.filter(team=filters.team)
    if filters.area is not None:
        initiatives = initiatives.filter(area=filters.area)
    spent = dict(
        InitiativeExpense.objects.filter(initiative__in=initiatives, spent_on__lte=filters.end)
        .values("initiative")
        .annotate(total=Sum("amount"))
        .values_list("initiative", "total")
    )
    rows = [
        [str(i), str(i.area), f"{i.budget:.2f}", f"{spent.get(i.pk, 0):.2f}", f"{i.budget - spent.get(i.pk, 0):.2f}"]
        for i in initiatives.order_by("provision__name")
    ]
    return Table(
        str(_("Initiative budgets")),
        str(_("Costs against budget: neighbourhood initiatives")),
        [
            str(_("Initiative")),
            str(_("District")),
            str(_("Budget (EUR)")),
            str(_("Spent (EUR)")),
            str(_("Remaining (EUR)")),
        ],
        rows,
        note=str(
            _(
                "Costs of customised provisions are not shown yet: "
                "decisions and their costs are not recorded in this version."
            )
        ),
    )
