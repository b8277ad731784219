"""The team leader's overview (issue 23): their start page, with the caseload per member, the legal
terms at risk, what waits to be taken up, dossiers opened with a reason, signals; every count leads
to its list. Only the teams they lead; other roles 403; a constant number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Role
from cases.factories import CaseFactory
from cases.models import Triage
from cases.workflow import OPEN_STATUSES, Status
from conftest import login
from insights.services import signal_raise
from intake.models import Referral, ReferralSource
from oversight.services import break_glass_open
from privacy.models import BreakGlassReason


@pytest.fixture
def team_work(world):
    """Team A: the worker has three open cases (one overdue, one not triaged), the colleague one,
    one case waits without a regisseur, one is closed; team B has a case of its own."""
    today = timezone.localdate()
    overdue = CaseFactory(team=world.team_a, regisseur=world.worker, melding_date=today - timedelta(days=50))
    CaseFactory(team=world.team_a, regisseur=world.worker, triage=Triage.SUPPORT, status=Status.UITVOERING)
    CaseFactory(team=world.team_a, regisseur=world.worker, triage=Triage.SUPPORT, status=Status.PLAN)
    CaseFactory(team=world.team_a, regisseur=world.colleague, triage=Triage.SPECIALIST, status=Status.EVALUATIE)
    waiting = CaseFactory(team=world.team_a, regisseur=None, melding_date=today - timedelta(days=35))
    CaseFactory(team=world.team_a, regisseur=world.worker, status=Status.AFGESLOTEN)
    CaseFactory(team=world.team_b, regisseur=world.outsider)
    return {"overdue": overdue, "waiting": waiting}


def test_the_team_leader_lands_on_the_overview_of_their_team(world, team_work):
    assert world.leader.home_url() == reverse("insights:team_overview")
    page = login(world.leader).get(reverse("insights:team_overview"))
    assert page.status_code == 200 and page.context["team"] == world.team_a
    rows = {row["name"]: row for row in page.context["rows"]}
    worker, colleague = rows[str(world.worker)], rows[str(world.colleague)]
    assert (worker["total"], worker["untriaged"], worker["overdue"]) == (3, 1, 1)
    assert dict(worker["by_status"])[Status.UITVOERING] == 1 and dict(worker["by_triage"])[Triage.SUPPORT] == 2
    assert (colleague["total"], dict(colleague["by_triage"])[Triage.SPECIALIST]) == (1, 1)
    assert rows[str(world.leader)]["total"] == 0  # every member has a row, also without cases
    assert page.context["unassigned"] == 1 and page.context["totals"]["total"] == 5  # not the closed one
    # The legal terms at risk: the overdue investigation first, with its resident.
    assert [c.pk for c in page.context["deadlines"]] == [team_work["overdue"].pk, team_work["waiting"].pk]
    html = page.content.decode()
    assert "Teamoverzicht" in html and "1 open zaak heeft nog geen regisseur" in html
    assert team_work["overdue"].resident.display_name in html
    # Team B's case is not counted; its regisseur has no row.
    assert str(world.outsider) not in html


def test_every_count_leads_to_the_list_it_counts(world, team_work):
    client = login(world.leader)
    page = client.get(reverse("insights:team_overview"))
    worker = next(row for row in page.context["rows"] if row["name"] == str(world.worker))
    labels = ["open", *OPEN_STATUSES, *Triage, "none"]
    urls = {label: url for (_count, url), label in zip(worker["cells"], labels, strict=True)}
    listed = client.get(urls["open"])
    assert sum(len(cases) for _resident, cases in listed.context["rows"]) == 3
    uitvoering = client.get(urls[Status.UITVOERING])
    assert [c.status for _r, cases in uitvoering.context["rows"] for c in cases] == [Status.UITVOERING]
    not_triaged = client.get(urls["none"])
    assert [c.pk for _r, cases in not_triaged.context["rows"] for c in cases] == [team_work["overdue"].pk]
    unassigned = client.get(reverse("cases:team_cases") + f"?team={world.team_a.pk}&regisseur=geen")
    assert [c.pk for _r, cases in unassigned.context["rows"] for c in cases] == [team_work["waiting"].pk]
    html = page.content.decode()
    for url in (urls["open"], reverse("cases:werkbak") + "?toon=deadlines"):
        assert f'href="{url.replace("&", "&amp;")}"' in html


def test_what_waits_break_the_glass_and_signals_are_counted(world, team_work):
    mate = UserFactory(role=Role.SOCIAL_WORKER, municipality=world.municipality, teams=[world.team_a])
    break_glass_open(user=mate, case=team_work["overdue"], reason=BreakGlassReason.STAND_IN, explanation="Ziek")
    Referral.objects.create(
        municipality=world.municipality, source=ReferralSource.SELF, team=world.team_a, name="J. de Vries", concern="?"
    )
    signal_raise(by=world.worker, team=world.team_a, title="Lange wachtlijst", description="...")
    page = login(world.leader).get(reverse("insights:team_overview"))
    assert page.context["opened_with_reason"] == 1 and page.context["referrals"] == 1
    html = page.content.decode()
    assert f'href="{reverse("privacy:break_glass_list")}"' in html and "met een reden geopend" in html
    assert f'href="{reverse("intake:referrals")}"' in html
    assert "1 signaal wacht op het teamleidersoverleg" in html


def test_the_query_count_does_not_grow_with_cases_or_members(world, django_assert_max_num_queries):
    client = login(world.leader)
    client.get(reverse("insights:team_overview"))  # the session's first request may add some

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("insights:team_overview")).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(6):
        member = UserFactory(role=Role.SOCIAL_WORKER, municipality=world.municipality, teams=[world.team_a])
        for triage in ("", Triage.SUPPORT):
            CaseFactory(team=world.team_a, regisseur=member, triage=triage)
    assert queries() == few
    with django_assert_max_num_queries(16):
        client.get(reverse("insights:team_overview"))


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.POLICY_OFFICER, Role.PRIVACY_OFFICER, Role.BESCHIKKER])
def test_other_roles_get_403(world, role):
    user = UserFactory(
        role=role, municipality=world.municipality, teams=[world.team_a] if role == "sociaal_werker" else []
    )
    assert login(user).get(reverse("insights:team_overview")).status_code == 403
    assert login(user).get(reverse("insights:team_overview_of", args=[world.team_a.pk])).status_code == 403


def test_another_team_is_404_and_a_leader_of_two_teams_chooses(world, team_work):
    client = login(world.leader)
    assert client.get(reverse("insights:team_overview_of", args=[world.team_b.pk])).status_code == 404
    # A member of team B who does not lead it: still 404.
    world.leader.memberships.create(team=world.team_b, is_leader=False)
    assert client.get(reverse("insights:team_overview_of", args=[world.team_b.pk])).status_code == 404
    world.leader.memberships.filter(team=world.team_b).update(is_leader=True)
    page = client.get(reverse("insights:team_overview_of", args=[world.team_b.pk]))
    assert page.status_code == 200 and page.context["team"] == world.team_b
    assert page.context["totals"]["total"] == 1 and str(world.outsider) in page.content.decode()
    assert f'href="{reverse("insights:team_overview_of", args=[world.team_a.pk])}"' in page.content.decode()
