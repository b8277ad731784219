"""Management information: every cell a policy user can reach is suppressed below the threshold."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from areas.factories import AreaFactory
from cases.factories import CaseFactory
from cases.models import Triage
from cases.services import case_change_status
from conftest import login
from insights import tallies
from insights.management_info import Filters, investigation_deadline, report
from insights.tests.noise import near
from teams.factories import TeamFactory
from zrm.models import LifeDomain
from zrm.services import Rating, assessment_record

pytestmark = pytest.mark.django_db


def small_world(world):
    """Team B: one of everything (must never show); team A: sixteen cases (shown); team C: eleven,
    below the threshold by its noise in some months, else the smallest shown part that is hidden
    to protect B's. Either way A (at least 14 published) stays shown, whatever the noise."""
    today = timezone.localdate()
    for _ in range(16):
        CaseFactory(team=world.team_a, regisseur=world.worker, triage=Triage.SUPPORT)
    team_c = TeamFactory(municipality=world.municipality, areas=[AreaFactory(municipality=world.municipality)])
    for _ in range(11):
        CaseFactory(team=team_c)
    finance = LifeDomain.objects.get(code="financien")
    case = CaseFactory(
        team=world.team_b, regisseur=world.outsider, triage=Triage.SPECIALIST, melding_date=today - timedelta(days=50)
    )
    for day, score in ((40, 2), (5, 4)):
        assessment_record(
            case=case,
            by=world.outsider,
            ratings=[Rating(domain=finance, score=score, reason="Post ligt ongeopend op tafel")],
            assessed_on=today - timedelta(days=day),
            note="",
        )
    return world


def _all_count_cells(tables):
    for table in tables:
        for row in table.rows:
            for column in table.counts:
                yield table.title, row[column]


def test_every_count_on_the_page_is_suppressed_or_at_least_the_threshold(world):
    small_world(world)
    response = login(world.policy).get(reverse("insights:management"))
    assert response.status_code == 200
    cells = list(_all_count_cells(response.context["tables"]))
    assert cells
    for title, cell in cells:
        assert cell in {"", "-", "< 10", "x"} or int(cell) >= 10, (title, cell)
    # team A's sixteen open cases are shown, protected: sixteen give or take the noise of one cell
    caseload = next(t for t in response.context["tables"] if t.title == "Caseload per team")
    assert near(next(row for row in caseload.rows if row[0] == world.team_a.name)[1], 16)
    assert "per regisseur" not in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_number_in_the_exports_is_suppressed(world, fmt):
    small_world(world)
    response = login(world.policy).get(reverse("insights:management_export", args=[fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    else:
        book = load_workbook(io.BytesIO(response.content))
        rows = [
            [str(c) if c is not None else "" for c in row]
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        ]
    numbers = [cell for row in rows for cell in row if cell.strip().isdigit()]
    assert any(near(n, 16) for n in numbers)
    assert all(int(n) >= 10 for n in numbers), numbers
    assert any(cell == "< 10" for row in rows for cell in row)


def test_team_leader_sees_caseload_per_regisseur_of_own_team(world):
    small_world(world)
    tables = login(world.leader).get(reverse("insights:management")).context["tables"]
    per_regisseur = next(t for t in tables if "regisseur" in t.title)
    assert per_regisseur.rows == [[str(world.worker), "16"]]


def test_filter_by_team(world):
    small_world(world)
    response = login(world.policy).get(reverse("insights:management"), {"team": world.team_b.pk})
    caseload = response.context["tables"][0]
    assert [row[0] for row in caseload.rows] == [world.team_b.name]


def test_investigation_deadline_in_time_and_late(world, settings):
    settings.WIJKTEAM = {**settings.WIJKTEAM, "SUPPRESSION_THRESHOLD": 1}
    today = timezone.localdate()
    on_time = CaseFactory(team=world.team_a, regisseur=world.worker, melding_date=today - timedelta(days=10))
    case_change_status(case=on_time, to="onderzoek", by=world.worker)
    case_change_status(case=on_time, to="plan", by=world.worker)
    CaseFactory(team=world.team_a, regisseur=world.worker, melding_date=today - timedelta(days=50))  # due 8 days ago
    CaseFactory(team=world.team_a, regisseur=world.worker, melding_date=today)  # still running
    period = (today - timedelta(days=30), today + timedelta(days=60))
    table = investigation_deadline(Filters(world.municipality, *period, exact=True))
    assert table.rows == [[world.team_a.name, "1", "1", "1", "50%"]]


def test_zrm_outcome_per_domain(world, settings):
    settings.WIJKTEAM = {**settings.WIJKTEAM, "SUPPRESSION_THRESHOLD": 1}
    small_world(world)
    today = timezone.localdate()
    tables = report(Filters(world.municipality, today - timedelta(days=365), today, exact=True))
    zrm = next(t for t in tables if t.title.startswith("ZRM"))
    assert next(r for r in zrm.rows if r[0] == "Financiën")[1:] == ["1", "0", "0"]


def test_management_queries_are_bounded(world, django_assert_max_num_queries):
    small_world(world)
    client = login(world.policy)
    tallies.refresh()  # the recount after changes is bounded in test_tallies.py
    with django_assert_max_num_queries(20):
        assert client.get(reverse("insights:management")).status_code == 200


def test_social_worker_gets_403(world):
    assert login(world.worker).get(reverse("insights:management")).status_code == 403
    assert login(world.worker).get(reverse("insights:management_export", args=["csv"])).status_code == 403
