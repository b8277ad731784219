"""Management information, second part: inflow by channel and source, the 2-week decision term and
the costs of customised provisions against budget. Every new cell is suppressed for a policy user,
on the page and in both exports."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from cases.factories import CaseFactory
from conftest import login
from insights import tallies
from insights.management_info import (
    Filters,
    _budgets_for_period,
    customised_costs,
    decision_deadline,
    inflow_by_channel,
    referrals_by_source,
)
from insights.tests.noise import near
from intake.models import Channel, Outcome, Question, Referral, ReferralSource
from maatwerk.factories import IndicationAdviceFactory, beschikker_of, customised_provision
from maatwerk.models import Budget, DecisionOutcome, DeliveryForm
from maatwerk.services import decision_make
from partners.factories import OrganisationFactory
from partners.models import OrganisationKind

pytestmark = pytest.mark.django_db

NEW_TITLES = [
    "Inflow: questions by channel, next to the cases opened",
    "Inflow: referrals by source",
    "Decision within 2 weeks of the application (Wmo 2015 art. 2.3.5), by due date in the period",
    "Costs against budget: customised provisions",
]
NEW_SHEETS = ["Inflow by channel", "Referrals by source", "Decision term", "Customised costs"]


def nl(text: str) -> str:
    """The pages and exports are in Dutch."""
    with translation.override("nl"):
        return gettext(text)


@pytest.fixture
def english():
    """Tables built outside a request, in English, to compare with the msgids."""
    with translation.override("en"):
        yield


def _question(world, team, area, channel, outcome=Outcome.ANSWERED):
    return Question.objects.create(
        municipality=world.municipality,
        registered_by=world.worker,
        team=team,
        area=area,
        text="Vraag over huurtoeslag",
        channel=channel,
        outcome=outcome,
    )


def _referral(world, team, organisation=None, source=ReferralSource.PARTNER, case=None):
    return Referral.objects.create(
        municipality=world.municipality,
        source=source,
        organisation=organisation,
        name="J. de Vries",
        concern="Huurachterstand",
        team=team,
        case=case,
    )


def _advice(world, team, provision, *, decided_after=None):
    """An advice whose application was made 20 days ago; decided ``decided_after`` days after it
    (or not at all)."""
    aanvraag = timezone.localdate() - timedelta(days=20)
    case = CaseFactory(team=team)
    advice = IndicationAdviceFactory(
        case=case,
        provision=provision,
        aanvraag_date=aanvraag,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=69),
        delivery_form=DeliveryForm.PGB,
        written_by=world.worker if team == world.team_a else world.outsider,
    )
    if decided_after is not None:
        decision_make(
            advice=advice,
            by=world.beschikker,
            outcome=DecisionOutcome.GRANTED,
            grounds="Past bij de vraag.",
            decided_on=aanvraag + timedelta(days=decided_after),
        )
    return advice


def flows_world(world, *, big=12):
    """Team A: ``big`` of everything (shown); team B: one or two of everything (never shown)."""
    world.beschikker = beschikker_of(world.municipality)
    world.gp = OrganisationFactory(municipality=world.municipality, kind=OrganisationKind.HUISARTS)
    police = OrganisationFactory(municipality=world.municipality, kind=OrganisationKind.POLITIE)
    world.care = customised_provision(world.municipality, name="Hulp bij het huishouden")
    world.support = customised_provision(world.municipality, name="Begeleiding individueel", price="64.00")
    world.rare = customised_provision(world.municipality, name="Woningaanpassing", price="2500.00")
    more_of_team_a(world, big)
    _question(world, world.team_b, world.area_b, Channel.BALIE)
    _referral(world, world.team_b, police)
    _referral(world, world.team_b, source=ReferralSource.SELF)
    _advice(world, world.team_b, world.rare, decided_after=18)  # late: 3 x 2500 a week for 10 weeks
    _advice(world, world.team_b, world.rare)  # still waiting, past its due date
    year = timezone.localdate().year
    Budget.objects.create(municipality=world.municipality, year=year, amount=Decimal("100000.00"))
    Budget.objects.create(municipality=world.municipality, year=year, provision=world.rare, amount=Decimal("20000.00"))
    return world


def more_of_team_a(world, n, *, kinds=()):
    for _ in range(n):
        _question(world, world.team_a, world.area_a, Channel.TELEFOON, Outcome.MELDING)
        _referral(world, world.team_a, world.gp)
        _advice(world, world.team_a, world.care, decided_after=5)
        _advice(world, world.team_a, world.support, decided_after=10)
    for kind in kinds:
        _referral(world, world.team_a, OrganisationFactory(municipality=world.municipality, kind=kind))


def _span():
    """At least 60 days either side of today, and the whole current year (whose budget is then
    shown whole)."""
    today = timezone.localdate()
    return min(today - timedelta(days=60), date(today.year, 1, 1)), max(
        today + timedelta(days=60), date(today.year, 12, 31)
    )


def _period():
    start, end = _span()
    return {"van": start.isoformat(), "tot": end.isoformat()}


def _is_small(cell: str) -> bool:
    return cell.strip().isdigit() and 0 < int(cell) < 10


def test_new_tables_on_the_page_show_no_small_count_for_a_policy_user(world):
    flows_world(world)
    response = login(world.policy).get(reverse("insights:management"), _period())
    assert response.status_code == 200
    tables = {t.title: t for t in response.context["tables"]}
    new_tables = {nl(title) for title in NEW_TITLES}
    assert set(tables) >= new_tables
    for title in new_tables:
        table = tables[title]
        cells = [row[column] for row in table.rows for column in table.counts]
        assert not [c for c in cells if _is_small(c)], (title, cells)
        assert any(c.isdigit() and int(c) >= 10 for c in cells), title  # team A's figures are shown
        # team B's single question, referral and late decisions are there, but hidden
        assert any(c in {"< 10", "x"} for c in cells), title
    inflow = tables[nl(NEW_TITLES[0])]
    phone = nl(Channel.TELEFOON.label)
    # twelve questions by phone in one month, all meldingen: one base cell, so both columns agree
    [(_, questions, meldingen)] = [r for r in inflow.rows if r[0] == phone]
    assert questions == meldingen and near(questions, 12)
    costs = tables[nl(NEW_TITLES[3])]
    rare = next(r for r in costs.rows if r[0] == "Woningaanpassing")
    # Two decisions' cost is as telling as their number; the budget itself is public.
    assert rare == ["Woningaanpassing", "< 10", "x", "20.000,00", "x"]
    # and with one provision hidden, another is hidden too: the total would give it away
    shown, *hidden = sorted(r[1] for r in costs.rows[:-1])
    assert near(shown, 12) and hidden == ["< 10", "x"]
    content = response.content.decode()
    assert "Woningaanpassing" in content and "20.000,00" in content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_new_tables_in_the_exports_show_no_small_count(world, fmt):
    flows_world(world)
    response = login(world.policy).get(reverse("insights:management_export", args=[fmt]), _period())
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        new_tables = {nl(title) for title in NEW_TITLES}
        assert {row[0] for row in rows} >= new_tables
        new = [row for row in rows if row[0] in new_tables]
    else:
        book = load_workbook(io.BytesIO(response.content))
        new = [
            [str(c) if c is not None else "" for c in row]
            for name in NEW_SHEETS
            for row in book[nl(name)].iter_rows(values_only=True)
        ]
    cells = [cell for row in new for cell in row]
    assert not [c for c in cells if _is_small(c)], cells
    assert any(c.isdigit() and near(c, 12) for c in cells) and "< 10" in cells
    # the cost of team B's one granted adaptation never leaves
    assert "75.000,00" not in cells and "-55.000,00" not in cells


def test_counts_with_threshold_one(world, settings, english):
    """Exact counts (a team leader's own team) are the counts, zeros and small ones too: the
    aggregates themselves are right."""
    settings.WIJKTEAM = {**settings.WIJKTEAM, "SUPPRESSION_THRESHOLD": 1}
    flows_world(world, big=2)
    filters = Filters(world.municipality, *_span(), exact=True)

    inflow = {r[0]: r[1:] for r in inflow_by_channel(filters).rows}
    assert inflow[str(Channel.TELEFOON.label)] == ["2", "2"]
    assert inflow[str(Channel.BALIE.label)] == ["1", "0"]
    assert inflow["All questions"] == ["3", "2"]
    assert inflow["Cases opened in the period (all routes)"][0] == "6"  # the advices' cases

    referrals = {r[0]: r[1:] for r in referrals_by_source(filters).rows}
    assert referrals[str(OrganisationKind.HUISARTS.label)] == ["2", "0"]
    assert referrals[str(OrganisationKind.POLITIE.label)] == ["1", "0"]
    assert referrals[str(ReferralSource.SELF.label)] == ["1", "0"]
    assert referrals["All referrals"] == ["4", "0"]

    decisions = {r[0]: r[1:] for r in decision_deadline(filters).rows}
    assert decisions[world.team_a.name] == ["4", "0", "0", "100%"]
    assert decisions[world.team_b.name] == ["0", "2", "0", "0%"]

    costs = {r[0]: r[1:] for r in customised_costs(filters).rows}
    assert costs["Woningaanpassing"] == ["1", "75,000.00", "20,000.00", "-55,000.00"]
    assert costs["All customised provisions"][0] == "5"
    assert costs["All customised provisions"][2] == "100,000.00"


def test_costs_by_team_have_no_budget(world, settings, english):
    settings.WIJKTEAM = {**settings.WIJKTEAM, "SUPPRESSION_THRESHOLD": 1}
    flows_world(world, big=2)
    filters = Filters(world.municipality, *_span(), team=world.team_b, exact=True)
    costs = {r[0]: r[1:] for r in customised_costs(filters).rows}
    assert costs["Hulp bij het huishouden"][:2] == ["0", "0.00"]
    assert costs["Woningaanpassing"][2:] == ["-", "-"]
    referrals = {r[0]: r[1] for r in referrals_by_source(filters).rows}
    assert referrals[str(OrganisationKind.HUISARTS.label)] == "0"


def test_district_filter_counts_questions_of_the_district(world, settings):
    settings.WIJKTEAM = {**settings.WIJKTEAM, "SUPPRESSION_THRESHOLD": 1}
    flows_world(world, big=2)
    response = login(world.policy).get(reverse("insights:management"), {**_period(), "wijk": world.area_b.pk})
    inflow = next(t for t in response.context["tables"] if t.title == nl(NEW_TITLES[0]))
    # the page shows the district's figures, protected ...
    with translation.override("nl"):
        protected = inflow_by_channel(Filters(world.municipality, *_span(), area=world.area_b))
    assert inflow.rows == protected.rows
    # ... of the one question asked in the district
    exact = inflow_by_channel(Filters(world.municipality, *_span(), area=world.area_b, exact=True))
    assert next(r for r in exact.rows if r[0] == str(Channel.BALIE.label))[1] == "1"


def test_budget_for_a_period_is_spread_over_the_days_of_each_year(world):
    provision = customised_provision(world.municipality, name="Begeleiding groep")
    for year, amount in ((2025, "365000.00"), (2026, "730000.00")):
        Budget.objects.create(municipality=world.municipality, year=year, provision=provision, amount=Decimal(amount))
    # 1 July 2025 - 30 June 2026: 184 days of 2025 at 1000 a day, 181 days of 2026 at 2000 a day
    filters = Filters(world.municipality, date(2025, 7, 1), date(2026, 6, 30))
    assert _budgets_for_period(filters) == {provision.pk: Decimal("546000.00")}
    whole_year = Filters(world.municipality, date(2026, 1, 1), date(2026, 12, 31))
    assert _budgets_for_period(whole_year) == {provision.pk: Decimal("730000.00")}


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("role", "name"),
    [("policy", "insights:management"), ("leader", "insights:management"), ("policy", "insights:management_export")],
)
def test_queries_do_not_grow_with_more_data(world, role, name):
    """The same bound as the page's query-count test (20), with the new tables' data growing."""
    flows_world(world, big=2)
    client = login(getattr(world, role))
    url = reverse(name, args=["xlsx"]) if name.endswith("export") else reverse(name)
    tallies.refresh()
    few = _queries(client, url, _period())
    more_of_team_a(world, 10, kinds=[OrganisationKind.SCHOOL, OrganisationKind.GGZ])
    tallies.refresh()  # the recount after changes is bounded in test_tallies.py
    many = _queries(client, url, _period())
    assert few == many
    assert many <= 20
