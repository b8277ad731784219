"""The team leader's overview: the page a team leader opens every morning, and their start page.

For one team they lead: the caseload per member (open cases by status and by triage), the legal
terms at risk (``cases.deadlines`` sets them on the case; ``cases.selectors.next_due`` picks the
running one), what waits for someone to take it up (cases without a regisseur, cases not yet
triaged, referrals, the municipal intake queue), dossiers opened with a reason that await review,
and the practice signals (``insights.templatetags.insights.signals_for_dashboard``). Every count links
to the list it counts. It lives in ``insights`` because it needs the signals; what it shows of a
dossier (names on the deadline list) comes through the gate (``Case.objects.visible_to``).
"""

from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.models import Role
from cases import selectors
from cases.access import break_glass_visibility
from cases.deadlines import AT_RISK
from cases.models import Case, Triage
from cases.queue import queue_count
from cases.workflow import OPEN_STATUSES, Status
from intake.models import Referral
from privacy.models import BreakGlass
from teams.models import Team, TeamMembership
from teams.services import led_team_ids_of

DEADLINES_SHOWN = 10
# Column heads of the caseload table (the choices' labels explain the model; too long for a head).
TRIAGE_SHORT = {
    Triage.SELF_RELIANT: gettext_lazy("Self-reliant"),
    Triage.SUPPORT: gettext_lazy("Support"),
    Triage.SPECIALIST: gettext_lazy("Specialist"),
}


@role_required(Role.TEAM_LEADER)
@require_GET
def team_overview(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    led = led_team_ids_of(user)
    if not led:
        # A team leader who leads no team (yet): their own work is all there is.
        return redirect("cases:my_work")
    teams = list(Team.objects.filter(pk__in=led).only("pk", "name").order_by("name"))
    if pk is None:
        team = teams[0]
    else:
        team = next((t for t in teams if t.pk == pk), None)
        if team is None:
            raise Http404
    today = timezone.localdate()
    cases = Case.objects.visible_to(user).open().filter(team=team)
    caseload = selectors.team_caseload(cases, today=today, horizon=AT_RISK)
    members = list(
        TeamMembership.objects.filter(team=team, user__is_active=True)
        .select_related("user")
        .only("is_leader", "user__first_name", "user__last_name", "user__username")
        .order_by("-is_leader", "user__first_name", "user__last_name")
    )
    rows = _per_member(members, caseload)
    for row in rows:
        row["cells"] = _cells(team, row)
        row["status_cells"], row["triage_cells"] = (
            row["cells"][: len(OPEN_STATUSES) + 1],
            row["cells"][len(OPEN_STATUSES) + 1 :],
        )
    unassigned = next((row for row in caseload if row["regisseur_id"] is None), None)
    return render(
        request,
        "insights/team_overview.html",
        {
            "team": team,
            "teams": teams,
            "rows": rows,
            "status_columns": [Status(status).label for status in OPEN_STATUSES],
            "triage_columns": [*TRIAGE_SHORT.values(), _("Not triaged")],
            "totals": _totals(caseload),
            "unassigned": unassigned["total"] if unassigned else 0,
            "deadlines": selectors.deadlines_at_risk(cases, until=today + AT_RISK, limit=DEADLINES_SHOWN),
            "today": today,
            "soon": today + timedelta(days=7),
            "referrals": Referral.objects.visible_to(user).waiting().filter(team=team).count(),
            "intake_queue": queue_count(user),
            "opened_with_reason": BreakGlass.objects.filter(break_glass_visibility(user), case__team=team)
            .unreviewed()
            .count(),
        },
    )


def _per_member(members: list[TeamMembership], caseload: list[dict]) -> list[dict]:
    """One row per member (none of their cases: zeros), then regisseurs of the team's cases who are
    no longer members; the cases without a regisseur are counted apart."""
    by_regisseur = {row["regisseur_id"]: row for row in caseload if row["regisseur_id"] is not None}
    rows = []
    for membership in members:
        row = by_regisseur.pop(membership.user_id, None) or _empty(membership.user_id)
        rows.append({**row, "name": str(membership.user), "leader": membership.is_leader})
    for row in by_regisseur.values():
        name = f"{row['regisseur__first_name']} {row['regisseur__last_name']}".strip() or row["regisseur__username"]
        rows.append({**row, "name": name, "leader": False, "former": True})
    return rows


def _cells(team: Team, row: dict) -> list[tuple[int, str]]:
    """The member's counts (open, per status, per triage, not triaged), each with the URL of the
    team's case list that shows those cases."""
    base = {"team": team.pk, "regisseur": row["regisseur_id"]}
    wanted = [({}, row["total"])]
    wanted += [({"status": status}, count) for status, count in row["by_status"]]
    wanted += [({"triage": triage}, count) for triage, count in row["by_triage"]]
    wanted += [({"triage": selectors.NONE_YET}, row["untriaged"])]
    team_cases = reverse("cases:team_cases")
    return [(count, f"{team_cases}?{urlencode({**base, **extra})}") for extra, count in wanted]


def _empty(user_id: int) -> dict:
    return {
        "regisseur_id": user_id,
        "total": 0,
        "at_risk": 0,
        "overdue": 0,
        "untriaged": 0,
        "by_status": [(status, 0) for status in OPEN_STATUSES],
        "by_triage": [(triage, 0) for triage in Triage],
    }


def _totals(caseload: list[dict]) -> dict:
    """The team's open cases in all, per status and per triage, at risk and overdue."""
    return {
        "total": sum(row["total"] for row in caseload),
        "at_risk": sum(row["at_risk"] for row in caseload),
        "overdue": sum(row["overdue"] for row in caseload),
        "untriaged": sum(row["untriaged"] for row in caseload),
        "by_status": [(status, sum(row[f"status_{status}"] for row in caseload)) for status in OPEN_STATUSES],
        "by_triage": [(triage, sum(row[f"triage_{triage}"] for row in caseload)) for triage in Triage],
    }
