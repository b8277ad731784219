"""Differencing attacks on the policy figures (issue 18, item 3): asking for two overlapping
aggregates and subtracting must never give away a count below the threshold.

The world: last year, every month, team T has 12 cases in district A and one case in district B
(on the month's last day), and team U 12 cases in district B. The one case of T in B is the count
an attacker wants. The attacks are the ones an outside test used: a period one day longer, a period
A+B minus A, and overlapping teams and districts. What they get is a perturbed base cell
(``wijkteam.suppression``): never the count itself with certainty, and the same cell whichever way
it is asked for, so asking more often reveals nothing more.
"""

import calendar
import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.factories import AreaFactory
from cases.models import Case
from conftest import login
from insights import tallies
from insights.management_info import NEW, Filters, _caseload
from people.factories import household_in
from teams.factories import TeamFactory
from wijkteam.suppression import MAX_NOISE, NOISE, NOISE_ONE, Cells, perturbed, threshold, whole_months

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
MONTHS = range(1, 13)


def last_day(month: int) -> date:
    return date(YEAR, month, calendar.monthrange(YEAR, month)[1])


@pytest.fixture
def target(world):
    """Team T serves districts A and B, team U only B (``world.area_b``)."""
    world.district_a = AreaFactory(municipality=world.municipality, name="Oud-Oost", cbs_code="WK008020")
    world.team_t = TeamFactory(municipality=world.municipality, name="Team T", areas=[world.district_a, world.area_b])
    world.team_u = TeamFactory(municipality=world.municipality, name="Team U", areas=[world.area_b])
    in_a, in_b = household_in(world.district_a), household_in(world.area_b)
    cases = []

    def case(team, household, day):
        resident = household.members.first().resident
        reference = f"{YEAR}-{len(cases) + 1:06d}"
        cases.append(Case(team=team, household=household, resident=resident, melding_date=day, reference=reference))

    for month in MONTHS:
        for day in range(1, 13):
            case(world.team_t, in_a, date(YEAR, month, day))
            case(world.team_u, in_b, date(YEAR, month, day))
        case(world.team_t, in_b, last_day(month))  # the one to find
    Case.objects.bulk_create(cases)  # the tallies' triggers see them as any insert
    tallies.refresh()
    return world


def opened(world, start: date, end: date, **filters) -> int:
    """What the management information shows as the cases opened in the period (as a policy
    officer gets it: protected), for a team and/or a district."""
    count = _caseload(Filters(world.municipality, start, end, **filters))[1].count(NEW)
    assert not count.suppressed, (start, end, filters)
    return count.value


def test_a_period_one_day_longer_gives_exactly_the_same_figures(target):
    """The one-day shift (36 -> 37 revealed the case of one day): every page, export, the map data
    and the API answer the same for a period that ends a day later, or starts a day earlier, in the
    same month: figures cover whole months."""
    client = login(target.policy)
    december = last_day(12)
    shorter = {"van": date(YEAR, 1, 2).isoformat(), "tot": date(YEAR, 12, 30).isoformat()}
    longer = {"van": date(YEAR, 1, 1).isoformat(), "tot": december.isoformat()}
    code = target.area_b.cbs_code
    urls = [
        reverse("insights:districts"),
        reverse("insights:district", args=[code]),
        reverse("insights:district_export", args=[code, "csv"]),
        reverse("insights:district_export", args=[code, "xlsx"]),
        reverse("insights:map"),
        reverse("insights:map_data"),
        reverse("insights:management"),
        reverse("insights:management_export", args=["csv"]),
        reverse("insights_api:district-profile", args=[code]),
    ]
    for url in urls:
        one, other = client.get(url, shorter), client.get(url, longer)
        assert one.status_code == other.status_code == 200, url
        if url.endswith("xlsx"):
            continue  # a workbook's bytes hold the moment it was made; its cells are the CSV's
        assert _figures(one) == _figures(other), url
    for params in (shorter, longer):  # the management information's tables for district B
        response = client.get(reverse("insights:management"), {**params, "wijk": target.area_b.pk})
        assert response.context["filters"].start == date(YEAR, 1, 1)
        assert response.context["filters"].end == december


def _figures(response):
    if response.get("Content-Type", "").startswith("text/csv"):
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    if response.get("Content-Type", "").startswith(("application/json", "application/problem")):
        return response.json()
    context = response.context
    if "profile" in context:
        return context["profile"].tables()
    if "tables" in context:
        return [(t.title, t.rows) for t in context["tables"]]
    if "lines" in context:
        return [(line.area.cbs_code, str(line.cases), str(line.rate)) for line in context["lines"]]
    return [(value.area.cbs_code, value.text) for value in context["values"]]


def test_period_a_and_b_minus_period_a_gives_a_perturbed_cell_not_the_count(target):
    """Team T's cases from January up to month m, minus those up to the month before, minus the
    same for T in district A: what is left is T's one case in district B that month."""
    derived = {}
    for month in MONTHS[1:]:
        up_to, before = (date(YEAR, 1, 1), last_day(month)), (date(YEAR, 1, 1), last_day(month - 1))
        team = opened(target, *up_to, team=target.team_t) - opened(target, *before, team=target.team_t)
        in_a = opened(target, *up_to, team=target.team_t, area=target.district_a) - opened(
            target, *before, team=target.team_t, area=target.district_a
        )
        derived[month] = team - in_a
    _nothing_exact(target, derived)


def test_overlapping_districts_and_teams_give_a_perturbed_cell_not_the_count(target):
    """District B's cases of one month minus team U's (which serves only B): team T's one case in B.
    The same cell as the attack on periods gets: asking in another way gives no new draw."""
    derived = {}
    for month in MONTHS:
        period = (date(YEAR, month, 1), last_day(month))
        derived[month] = opened(target, *period, area=target.area_b) - opened(target, *period, team=target.team_u)
    _nothing_exact(target, derived)
    by_periods = {}
    for month in MONTHS[1:]:
        whole, before = (date(YEAR, 1, 1), last_day(month)), (date(YEAR, 1, 1), last_day(month - 1))
        by_periods[month] = (
            opened(target, *whole, area=target.area_b)
            - opened(target, *before, area=target.area_b)
            - (opened(target, *whole, team=target.team_u) - opened(target, *before, team=target.team_u))
        )
    assert by_periods == {month: derived[month] for month in MONTHS[1:]}


def _nothing_exact(world, derived: dict[int, int]) -> None:
    """Each derived value is the perturbed cell of one case (team T, district B, that month), which
    at least three true counts could have given; and the attacker's guess "the difference is the
    count" is wrong for some of the twelve months (without protection it is right for all of them)."""
    for month, value in derived.items():
        cell = ("case", "triage", "", world.team_t.pk, world.area_b.pk, f"{YEAR}-{month:02d}")
        assert value == perturbed(cell, 1), month
        assert len(possible_counts(value)) >= 3, (month, value)
    assert set(derived.values()) != {1}, derived


def possible_counts(published: int) -> set[int]:
    """Every true count of one base cell that the perturbation table can publish as ``published``."""
    return {n for n in range(published + MAX_NOISE + 1) if published - n in steps(n)}


def steps(n: int) -> set[int]:
    if n == 0:
        return {0}
    return {step for step, _weight in (NOISE_ONE if n == 1 else NOISE)}


def test_the_perturbation_table():
    """Zero on average (sums stay unbiased), at most MAX_NOISE either way, never negative, an empty
    cell stays empty, and every published value of a small cell has at least three possible counts."""
    for table in (NOISE_ONE, NOISE):
        assert sum(weight for _step, weight in table) == 10
        assert sum(step * weight for step, weight in table) == 0
        assert max(abs(step) for step, _weight in table) <= MAX_NOISE
    assert min(step for step, _weight in NOISE_ONE) == -1  # a single case never becomes negative
    assert perturbed(("any",), 0) == 0
    for published in range(threshold() + MAX_NOISE):
        assert len(possible_counts(published)) >= 3, published


def test_a_cell_keeps_its_noise_and_a_changed_cell_gets_a_new_one():
    cell = ("case", "triage", "80", 1, 2, "2025-03")
    assert len({perturbed(cell, 7) for _ in range(5)}) == 1  # asking again gives nothing new
    draws = {perturbed(cell, n) - n for n in range(2, 200)}
    assert draws == {-2, -1, 0, 1, 2}  # every step of the table occurs
    counts = {step: sum(perturbed((month,), 5) - 5 == step for month in range(2000)) for step in draws}
    assert all(abs(counts[step] / 2000 - weight / 10) < 0.04 for step, weight in NOISE)


def test_exact_cells_add_up_without_noise_and_show_small_counts():
    cells = Cells(exact=True)
    cells.add(("a",), 3, ["x"], amount=Decimal("10.00"))
    cells.add(("b",), 4, ["x"], amount=Decimal("5.00"))
    assert (str(cells.count("x")), cells.amount("x")) == ("7", Decimal("15.00"))


def test_whole_months():
    assert whole_months(date(2025, 1, 2), date(2025, 3, 30)) == (date(2025, 1, 1), date(2025, 3, 31))
    assert whole_months(date(2024, 2, 29), date(2024, 2, 29)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert whole_months(date(2099, 12, 31), date(2099, 12, 31)) == (date(2099, 12, 1), date(2099, 12, 31))


def test_a_team_leader_gets_the_exact_counts_of_a_team_they_lead(target):
    """Where the professionals see the cases anyway, the counts are exact (and small ones shown)."""
    from accounts.factories import UserFactory
    from accounts.models import Role

    leader = UserFactory(role=Role.TEAM_LEADER, municipality=target.municipality, teams=[target.team_t], leads=True)
    period = {"van": date(YEAR, 12, 1).isoformat(), "tot": last_day(12).isoformat()}
    client = login(leader)
    own = client.get(reverse("insights:management"), {**period, "team": target.team_t.pk, "wijk": target.area_b.pk})
    caseload = own.context["tables"][0]
    assert own.context["filters"].exact
    assert caseload.rows == [[target.team_t.name, "12", "1"]]  # open now, and new in December
    other = client.get(reverse("insights:management"), {**period, "team": target.team_u.pk})
    assert not other.context["filters"].exact
