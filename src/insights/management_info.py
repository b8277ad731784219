"""Management information: caseload, inflow by channel and source, throughput, legal deadlines,
80-20-5, ZRM outcomes, costs of customised provisions and initiative budgets, filtered by team,
district and period.

Every table is built here as text cells with protection and suppression already applied
(``wijkteam.suppression``: counts added up from perturbed base cells over whole months, small ones
suppressed), so the page and the CSV/XLSX exports show exactly the same thing and one test can check
every cell. ``Filters.exact``: a team leader looking at a team they lead gets its exact counts.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Sum,
    Value,
)
from django.db.models import Count as DbCount
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from cases.models import TRIAGE_MODEL, Case, Triage
from cases.workflow import Status
from intake.models import Channel, Outcome, Question, Referral, ReferralSource
from maatwerk.costs import granted_cell
from maatwerk.models import AdviceStatus, Budget, Decision, DecisionOutcome, IndicationAdvice
from partners.models import OrganisationKind
from provisions.models import Provision, ProvisionKind
from wijkteam.dates import local_days
from wijkteam.numbers import number
from wijkteam.suppression import HIDDEN, Cells, Count, Shown, month_of, protect, whole_months
from zrm.models import LifeDomain

from . import tallies
from .models import Initiative, Measure, Tally, TallyTotal


@dataclass
class Table:
    sheet: str  # a short worksheet name for the XLSX export (31 characters, no ':')
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""
    counts: list[int] = field(default_factory=list)  # columns that hold (suppressed) counts

    def body_html(self) -> str:
        """The rows as HTML table rows, the first cell a row header: built here rather than by a
        template loop over every cell, which cost more than most queries of the page."""
        return format_html_join(
            "\n",
            '<tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="row">{}</th>{}</tr>',
            (
                (
                    row[0],
                    format_html_join(
                        "",
                        '<td class="utrecht-table__cell utrecht-table__cell--numeric">{}</td>',
                        ((c,) for c in row[1:]),
                    ),
                )
                for row in self.rows
            ),
        )


@dataclass
class Filters:
    municipality: object
    start: date
    end: date
    team: object = None
    area: object = None
    exact: bool = False  # a team's own cases for its team leader; else protected, in whole months
    refreshed: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.exact:
            self.start, self.end = whole_months(self.start, self.end)

    def cells(self) -> Cells:
        return Cells(exact=self.exact)

    def cases(self):
        queryset = Case.objects.filter(team__municipality=self.municipality)
        if self.team is not None:
            queryset = queryset.filter(team=self.team)
        if self.area is not None:
            queryset = queryset.filter(household__area=self.area)
        return queryset

    def moments(self, column: str) -> Q:
        """``column`` (a timestamp) on a day of the period in local time, as a range on the column
        itself, which its index can serve (``__date`` converts every row's timestamp first)."""
        since, until = local_days(self.start, self.end)
        return Q(**{f"{column}__gte": since, f"{column}__lt": until})

    def tallies(self, measures, period: Q):
        """The pre-aggregated counts (``insights.tallies``) of the cases that ``cases()`` selects,
        in the rows that ``period`` picks (``tallies.covering``)."""
        return self._counts(Tally, measures).filter(period)

    def totals(self, measures):
        """The counts over all time (``TallyTotal``) of the cases that ``cases()`` selects."""
        return self._counts(TallyTotal, measures)

    def _counts(self, model, measures):
        if not self.refreshed:
            tallies.refresh()
            self.refreshed = True  # once per report is enough
        queryset = model.objects.filter(measure__in=measures, team__municipality=self.municipality)
        if self.team is not None:
            queryset = queryset.filter(team=self.team)
        if self.area is not None:
            queryset = queryset.filter(area=self.area)
        return queryset.order_by()

    def sums(self, measures, parts: list[Q], build) -> list[tuple]:
        """The rows of ``build(queryset)`` (a grouped count) for each part of a period
        (``tallies.covering_parts``), in one query: a part is one range of the tally index, which
        PostgreSQL reads much faster than the rows of all parts picked out of the whole measure.
        The same group can come back once per part; callers add them up."""
        first, *rest = [build(self.tallies(measures, part)) for part in parts]
        return list(first.union(*rest, all=True) if rest else first)


def report(filters: Filters, *, per_professional_for=None) -> list[Table]:
    """The tables of the page. ``per_professional_for``: a team leader, who also sees the caseload of
    each professional in the teams they lead."""
    caseload = _caseload(filters)
    tables = [caseload_per_team(filters, caseload=caseload)]
    if per_professional_for is not None:
        tables.append(caseload_per_professional(filters, per_professional_for))
    tables += [inflow_by_channel(filters, opened=caseload[1].count(NEW)), referrals_by_source(filters)]
    tables += [triage(filters), throughput(filters), investigation_deadline(filters), decision_deadline(filters)]
    tables += [zrm_outcomes(filters), customised_costs(filters), initiative_budgets(filters)]
    return tables


NEW = "new"


def _caseload(filters: Filters) -> tuple[list[str], Cells]:
    """The teams with any case so far, and their cells: the open cases now and the cases reported in
    the period (the triage cells, as on the district pages, so the numbers agree), with the noise
    the tallies carry. Keys: (team, "open"), (team, NEW) and NEW for all teams together. One query."""
    totals = (
        filters.totals([Measure.NEW, Measure.OPEN])
        .annotate(period=Value(False))
        .values_list("team__name", "period")
        .annotate(
            open=Sum("n", filter=Q(measure=Measure.OPEN), default=0),
            open_noise=Sum("noise", filter=Q(measure=Measure.OPEN), default=0),
            n=Value(0),
            noise=Value(0),
        )
    )
    new = [
        filters.tallies([Measure.TRIAGE], part)
        .annotate(period=Value(True))
        .values_list("team__name", "period")
        .annotate(open=Value(0), open_noise=Value(0), n=Sum("n"), noise=Sum("noise"))
        for part in tallies.covering_parts(filters.start, filters.end)
    ]
    cells = filters.cells()
    teams = set()
    for team, in_period, open_now, open_noise, n, noise in totals.union(*new, all=True):
        teams.add(team)  # every team with a case so far has a "new" total
        if in_period:
            cells.add_counted(n, noise, [(team, NEW), NEW])
        else:
            cells.add_counted(open_now, open_noise, [(team, "open")])
    return sorted(teams), cells


def caseload_per_team(filters: Filters, *, caseload: tuple[list[str], Cells] | None = None) -> Table:
    teams, cells = _caseload(filters) if caseload is None else caseload
    # Both columns add up to municipal totals that other pages show: protect the parts.
    open_now = protect([cells.count((team, "open")) for team in teams])
    new = protect([cells.count((team, NEW)) for team in teams])
    return Table(
        str(_("Caseload")),
        str(_("Caseload per team")),
        [str(_("Team")), str(_("Open cases now")), str(_("New cases in the period"))],
        [[team, str(o), str(n)] for team, o, n in zip(teams, open_now, new, strict=True)],
        counts=[1, 2],
    )


def caseload_per_professional(filters: Filters, leader) -> Table:
    from teams.services import led_team_ids_of

    rows = (
        filters.cases()
        .filter(team_id__in=led_team_ids_of(leader))
        # Not closed, as two ranges of the (team, status) index: "exclude" would read every case of the team.
        .filter(Q(status__lt=Status.AFGESLOTEN) | Q(status__gt=Status.AFGESLOTEN))
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
                number(r["n"]),
            ]
            for r in rows
        ],
        note=str(
            _(
                "Exact counts, small ones too: these are the cases of the teams you lead, which you see anyway. "
                "Only team leaders see this table; it is not exported."
            )
        ),
    )


def triage(filters: Filters) -> Table:
    cells = filters.cells()
    for key, n, noise in filters.sums(
        [Measure.TRIAGE],
        tallies.covering_parts(filters.start, filters.end),
        lambda rows: rows.values_list("key").annotate(n=Sum("n"), noise=Sum("noise")),
    ):
        cells.add_counted(n, noise, [key, "triaged"] if key else [key])
    total = cells.count("triaged")
    parts = protect([cells.count(value) for value in [*Triage.values, ""]])
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
        note=str(TRIAGE_MODEL),
        counts=[1],
    )


def _closing_times(filters: Filters) -> list[tuple[str, Count, float]]:
    """Per team: the cases closed in the period (protected: per team, district and month of closure)
    and the median of their days from report to closure (the closing day in local time). One query
    of two counts: per team and number of days (the median is read from those), and per team,
    district and month (the base cells)."""
    closed = filters.cases().filter(filters.moments("closed_at")).order_by()  # the index on closed_at serves it
    columns = ("team__name", "d", "t", "a", "m")
    nothing = {
        "d": Value(None, output_field=DurationField()),
        "t": Value(None, output_field=IntegerField()),
        "a": Value(None, output_field=IntegerField()),
        "m": Value(None, output_field=DateField()),
    }
    days = ExpressionWrapper(TruncDate("closed_at") - F("melding_date"), output_field=DurationField())
    by_days = closed.annotate(**{**nothing, "d": days}).values_list(*columns).annotate(n=DbCount("*"))
    cell = {"t": F("team_id"), "a": F("household__area_id"), "m": TruncMonth("closed_at", output_field=DateField())}
    by_cell = closed.annotate(**{**nothing, **cell}).values_list(*columns).annotate(n=DbCount("*"))
    histograms: dict[str, Counter] = defaultdict(Counter)
    cells = filters.cells()
    for team, duration, team_id, district, month, n in by_days.union(by_cell, all=True):
        if duration is not None:
            histograms[team][duration.days] += n
        else:
            cells.add(("closed", team_id, district, month_of(month)), n, [team])
    return [(team, cells.count(team), _median(histogram)) for team, histogram in histograms.items()]


def _median(histogram: Counter) -> float:
    """The median of the values counted in ``histogram`` (as statistics.median of all of them)."""
    total = histogram.total()
    middle = sorted({(total - 1) // 2, total // 2})
    found, seen = [], 0
    for value in sorted(histogram):
        seen += histogram[value]
        while middle and middle[0] < seen:
            found.append(value)
            middle.pop(0)
    return sum(found) / len(found) if len(found) > 1 else found[0]


def throughput(filters: Filters) -> Table:
    rows = []
    for team, count, middle in sorted(_closing_times(filters), key=lambda row: row[0]):
        rows.append([team, str(count), "-" if count.suppressed else number(round(middle))])
    return Table(
        str(_("Throughput")),
        str(_("Throughput of cases closed in the period")),
        [str(_("Team")), str(_("Closed cases")), str(_("Median days from report to closure"))],
        rows,
        note=str(_("A median of fewer cases than the threshold is not shown.")),
        counts=[1],
    )


def investigation_deadline(filters: Filters) -> Table:
    """Wmo 2015 art. 2.3.2: the investigation within six weeks of the report (melding)."""
    today = timezone.localdate()
    # Whether an unfinished investigation is still running depends on today: count those days one by
    # one. Month rows carry their noise; the days from this month on are cells of their own (the
    # month, and whether the due date is still ahead), perturbed here.
    due = filters.sums(
        [Measure.INVESTIGATION],
        tallies.covering_parts(filters.start, filters.end, days_from=today),
        lambda rows: (
            rows.annotate(ahead=ExpressionWrapper(Q(day__gte=today), output_field=BooleanField()), m=TruncMonth("day"))
            .values_list("team__name", "team_id", "area_id", "month", "m", "key", "ahead")
            .annotate(n=Sum("n"), noise=Sum("noise"))
        ),
    )
    cells = filters.cells()
    days: Counter = Counter()
    teams = set()
    for name, team, district, is_month, month, key, ahead, n, noise in due:
        teams.add(name)
        if key == tallies.MET:
            bucket = "met"
        elif key == tallies.INVESTIGATING and ahead:
            bucket = "running"
        else:  # finished late, or not finished after the due date
            bucket = "late"
        keys = [(name, bucket), (name, "decided")] if bucket != "running" else [(name, bucket)]
        if is_month:
            cells.add_counted(n, noise, keys)
        else:
            days[(name, team, district, month_of(month), key, bucket)] += n
    for (name, team, district, month, key, bucket), n in days.items():
        keys = [(name, bucket), (name, "decided")] if bucket != "running" else [(name, bucket)]
        cells.add(("case", Measure.INVESTIGATION, key, bucket, team, district, month), n, keys)
    return Table(
        str(_("Investigation term")),
        str(_("Investigation within 6 weeks (Wmo 2015 art. 2.3.2), by due date in the period")),
        _deadline_header(),
        _deadline_rows(cells, sorted(teams)),
        note=str(_("Late includes investigations still running after their due date.")),
        counts=[1, 2, 3],
    )


def _deadline_header() -> list[str]:
    return [str(_("Team")), str(_("In time")), str(_("Late")), str(_("Still running")), str(_("Share in time"))]


def _deadline_rows(cells: Cells, teams: list[str]) -> list[list[str]]:
    rows = []
    for team in teams:
        met, late = cells.count((team, "met")), cells.count((team, "late"))
        decided = cells.count((team, "decided"))
        # The share with "in time" would give a suppressed "late" away (and the reverse).
        share = met.share_of(decided) if not (met.suppressed or late.suppressed) else Shown(None, "-")
        rows.append([team, str(met), str(late), str(cells.count((team, "running"))), str(share)])
    return rows


def decision_deadline(filters: Filters) -> Table:
    """Wmo 2015 art. 2.3.5: the decision on an application (aanvraag) within two weeks; Jeugdwet
    applications have the Awb's eight weeks. Measured on the team's indication advices: the decision
    date against the advice's due date. Withdrawn applications are left out."""
    today = timezone.localdate()
    advices = (
        IndicationAdvice.objects.filter(
            case__in=filters.cases(), decision_due__gte=filters.start, decision_due__lte=filters.end
        )
        .exclude(status=AdviceStatus.WITHDRAWN)
        .values_list(
            "case__team__name", "case__team_id", "case__household__area_id", "decision_due", "decision__decided_on"
        )
    )
    per_cell: Counter = Counter()
    for name, team, district, due_on, decided_on in advices:
        if decided_on is not None:
            bucket = "met" if decided_on <= due_on else "late"
        else:
            bucket = "running" if due_on >= today else "late"
        per_cell[(name, team, district, month_of(due_on), bucket)] += 1
    cells = filters.cells()
    for (name, team, district, month, bucket), n in per_cell.items():
        keys = [(name, bucket), (name, "decided")] if bucket != "running" else [(name, bucket)]
        cells.add(("decision-term", bucket, team, district, month), n, keys)
    return Table(
        str(_("Decision term")),
        str(_("Decision within 2 weeks of the application (Wmo 2015 art. 2.3.5), by due date in the period")),
        _deadline_header(),
        _deadline_rows(cells, sorted({name for name, *_rest in per_cell})),
        note=str(
            _(
                "Customised provisions only, from the indication advice to the decision. Youth care (Jeugdwet) "
                "applications have 8 weeks (Awb art. 4:13). Late includes applications still waiting after "
                "their due date."
            )
        ),
        counts=[1, 2, 3],
    )


def zrm_outcomes(filters: Filters) -> Table:
    """Per life domain: cases (reported up to the end of the period) whose first and last ZRM score
    differ, up or down; with the noise of their month rows (the base cells)."""
    cells = filters.cells()
    # Every case so far, less those reported after the period (there are seldom any).
    later = [
        filters.tallies([Measure.ZRM], part)
        .annotate(sign=Value(-1))
        .values_list("sign", "key")
        .annotate(n=Sum("n"), noise=Sum("noise"))
        for part in tallies.covering_parts(filters.end + timedelta(days=1), None)
    ]
    everything = (
        filters.totals([Measure.ZRM])
        .annotate(sign=Value(1))
        .values_list("sign", "key")
        .annotate(n=Sum("n"), noise=Sum("noise"))
    )
    for sign, key, n, noise in everything.union(*later, all=True):
        cells.add_counted(sign * n, sign * noise, [key])
    rows = [
        [
            str(domain),
            str(cells.count(f"{domain.pk}:up")),
            str(cells.count(f"{domain.pk}:same")),
            str(cells.count(f"{domain.pk}:down")),
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
    initiatives = initiatives.annotate(
        spent=Sum("expenses__amount", filter=Q(expenses__spent_on__lte=filters.end), default=Decimal("0.00"))
    )
    rows = [
        [str(i), str(i.area), _money(i.budget), _money(i.spent), _money(i.budget - i.spent)]
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
    )


def inflow_by_channel(filters: Filters, *, opened: Count | None = None) -> Table:
    """Questions registered at the desk (and on the phone, by e-mail, …) in the period, by channel,
    next to the cases opened in the period (``opened``, when the caller counted them already)."""
    questions = Question.objects.filter(filters.moments("registered_at"), municipality=filters.municipality)
    if filters.team is not None:
        questions = questions.filter(team=filters.team)
    if filters.area is not None:
        questions = questions.filter(area=filters.area)
    cells = filters.cells()
    for channel, team, district, month, melding, n in (
        questions.order_by()
        .annotate(
            m=TruncMonth("registered_at", output_field=DateField()),
            melding=ExpressionWrapper(Q(outcome=Outcome.MELDING), output_field=BooleanField()),
        )
        .values_list("channel", "team_id", "area_id", "m", "melding")
        .annotate(n=DbCount("pk"))
    ):
        keys = [(channel, "n"), ("all", "n")] + ([(channel, "melding"), ("all", "melding")] if melding else [])
        cells.add(("question", channel, bool(melding), team, district, month_of(month)), n, keys)
    counts = [cells.count((value, "n")) for value in Channel.values]
    meldingen = [cells.count((value, "melding")) for value in Channel.values]
    rows = [
        [str(label), str(n), str(m)]
        for label, n, m in zip(Channel.labels, protect(counts), protect(meldingen), strict=True)
    ]
    rows.append([str(_("All questions")), str(cells.count(("all", "n"))), str(cells.count(("all", "melding")))])
    if opened is None:
        opened = _caseload(filters)[1].count(NEW)
    rows.append([str(_("Cases opened in the period (all routes)")), str(opened), ""])
    return Table(
        str(_("Inflow by channel")),
        str(_("Inflow: questions by channel, next to the cases opened")),
        [str(_("Channel")), str(_("Questions")), str(_("Of which a melding"))],
        rows,
        note=str(
            _(
                "Questions without a team or district are counted only when no team or district is chosen. "
                "Cases also come in through referrals and directly, so the cases opened are not a part of "
                "the questions."
            )
        ),
        counts=[1, 2],
    )


NO_ORGANISATION = "-"


def referrals_by_source(filters: Filters) -> Table:
    """Referrals received in the period: by partners (by kind of organisation) or by residents
    themselves, and how many the team took up as a case."""
    referrals = Referral.objects.filter(filters.moments("received_at"), municipality=filters.municipality)
    if filters.team is not None:
        referrals = referrals.filter(team=filters.team)
    if filters.area is not None:
        referrals = referrals.filter(case__household__area=filters.area)
    cells = filters.cells()
    for source, kind, team, district, month, taken, n in (
        referrals.order_by()
        .annotate(
            m=TruncMonth("received_at", output_field=DateField()),
            taken=ExpressionWrapper(Q(case__isnull=False), output_field=BooleanField()),
        )
        .values_list("source", "organisation__kind", "team_id", "case__household__area_id", "m", "taken")
        .annotate(n=DbCount("pk"))
    ):
        key = ReferralSource.SELF.value if source == ReferralSource.SELF else (kind or NO_ORGANISATION)
        keys = [(key, "n"), ("all", "n")] + ([(key, "case"), ("all", "case")] if taken else [])
        cells.add(("referral", source, kind or "", bool(taken), team, district, month_of(month)), n, keys)
    keys = [*OrganisationKind.values, NO_ORGANISATION, ReferralSource.SELF.value]
    labels = [
        *(str(label) for label in OrganisationKind.labels),
        str(_("Partner, organisation not recorded")),
        str(ReferralSource.SELF.label),
    ]
    received = protect([cells.count((key, "n")) for key in keys])
    taken_up = protect([cells.count((key, "case")) for key in keys])
    rows = [[label, str(n), str(c)] for label, n, c in zip(labels, received, taken_up, strict=True)]
    rows.append([str(_("All referrals")), str(cells.count(("all", "n"))), str(cells.count(("all", "case")))])
    return Table(
        str(_("Referrals by source")),
        str(_("Inflow: referrals by source")),
        [str(_("Source")), str(_("Referrals")), str(_("Taken up as a case"))],
        rows,
        note=str(
            _(
                "Partner referrals are grouped by the kind of the referring organisation. "
                "A referral has no district of its own: with a district chosen, only referrals taken up "
                "as a case in that district count."
            )
        ),
        counts=[1, 2],
    )


def _money(amount: Decimal | None) -> str:
    return "-" if amount is None else number(amount, 2)


def customised_costs(filters: Filters) -> Table:
    """The expected cost of customised provisions granted with support starting in the period
    (as in ``maatwerk.costs``: the whole expected cost counts when the support starts), against the
    budget for the period: each year's budget spread evenly over its days. Budgets are set for the
    municipality, so with a team or district chosen only the costs are shown. Counts and costs are
    added up per base cell (provision, delivery form, team, district, month the support starts: the
    cells of the costs page); a protected cell's cost moves with its noise, so a difference of two
    periods never gives one decision's cost."""
    provisions = list(
        Provision.objects.filter(municipality=filters.municipality, kind=ProvisionKind.MAATWERK)
        .order_by("name")
        .values_list("pk", "name")
    )
    cells = filters.cells()
    # Decisions are only taken on customised provisions (``maatwerk.services``).
    for provision, form, team, district, month, n, cost in (
        Decision.objects.filter(
            advice__case__in=filters.cases(),
            outcome=DecisionOutcome.GRANTED,
            starts_on__gte=filters.start,
            starts_on__lte=filters.end,
        )
        .annotate(m=TruncMonth("starts_on"))
        .order_by()
        .values_list("provision_id", "delivery_form", "advice__case__team_id", "advice__case__household__area_id", "m")
        .annotate(n=DbCount("pk"), cost=Sum("expected_cost"))
    ):
        cell = granted_cell(provision, form, team, district, month)  # as on the costs page
        cells.add(cell, n, [provision, "all"], amount=cost or Decimal(0))
    with_budget = filters.team is None and filters.area is None
    budgets = _budgets_for_period(filters) if with_budget else {}
    counts = protect([cells.count(pk) for pk, _name in provisions])
    rows = []
    for (pk, name), count in zip(provisions, counts, strict=True):
        cost = None if count.suppressed else cells.amount(pk)
        budget = budgets.get(pk) if with_budget else None
        rows.append([name, str(count), _cost_cell(count, cost), _money(budget), _remaining(count, budget, cost)])
    total = cells.count("all")
    total_cost = cells.amount("all")
    total_budget = None
    if with_budget:
        total_budget = budgets.get(None) or (sum(budgets.values(), Decimal("0.00")) if budgets else None)
    rows.append(
        [
            str(_("All customised provisions")),
            str(total),
            _cost_cell(total, total_cost),
            _money(total_budget),
            _remaining(total, total_budget, total_cost),
        ]
    )
    if with_budget:
        note = _(
            "Granted decisions whose support starts in the period, with their whole expected cost (open-ended "
            "support counts one year). The budget is the year's budget spread evenly over its days, for the days "
            "of the period. A cost is not shown where the number of decisions is not shown."
        )
    else:
        note = _(
            "Granted decisions whose support starts in the period, with their whole expected cost. Budgets are "
            "set for the municipality as a whole, so they are not shown for a team or district. A cost is not "
            "shown where the number of decisions is not shown."
        )
    return Table(
        str(_("Customised costs")),
        str(_("Costs against budget: customised provisions")),
        [
            str(_("Provision")),
            str(_("Decisions")),
            str(_("Expected cost (EUR)")),
            str(_("Budget for the period (EUR)")),
            str(_("Remaining (EUR)")),
        ],
        rows,
        note=str(note),
        counts=[1],
    )


def _budgets_for_period(filters: Filters) -> dict[int | None, Decimal]:
    """Per provision (``None``: all together), the part of each year's budget that falls in the
    period, by days: a whole calendar year gets exactly its budget."""
    budgets: dict[int | None, Decimal] = defaultdict(Decimal)
    for provision_id, year, amount in Budget.objects.filter(
        municipality=filters.municipality, year__gte=filters.start.year, year__lte=filters.end.year
    ).values_list("provision_id", "year", "amount"):
        first, last = date(year, 1, 1), date(year, 12, 31)
        days = (min(filters.end, last) - max(filters.start, first)).days + 1
        budgets[provision_id] += amount * days / ((last - first).days + 1)
    return {key: value.quantize(Decimal("0.01")) for key, value in budgets.items()}


def _cost_cell(count: Count, cost: Decimal | None) -> str:
    """A sum of money over fewer decisions than the threshold is as telling as the count."""
    if count.suppressed:
        return HIDDEN
    return _money(cost or Decimal("0.00"))


def _remaining(count: Count, budget: Decimal | None, cost: Decimal | None) -> str:
    if budget is None:
        return "-"
    if count.suppressed:
        return HIDDEN
    return _money(budget - (cost or Decimal("0.00")))
