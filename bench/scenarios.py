"""The benchmarked endpoints: who asks, what they ask, and the hand-written SQL floor.

Each scenario picks realistic inputs from the generated city (a busy professional, a name that
occurs often, a real address) so the numbers mean what a user would feel.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from cases.models import Case
from people.models import Resident
from teams.models import TeamMembership


@dataclass
class Context:
    user: User | None  # None: a partner system with its API key, without a session
    url: str
    params: dict = field(default_factory=dict)
    body: str = ""
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)
    session: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    role: str = ""  # shown in the results; the user's role when empty

    @property
    def role_label(self) -> str:
        return self.role or (self.user.role if self.user else "")


@dataclass
class Scenario:
    name: str
    prepare: Callable[[], Context]
    floor: Callable[[object, Context], object] | None = None
    method: str = "GET"


def busy_professional() -> User:
    """The social worker with the most open cases as regisseur."""
    top = (
        Case.objects.open()
        .filter(regisseur__role=Role.SOCIAL_WORKER)
        .values("regisseur")
        .annotate(n=Count("pk"))
        .order_by("-n", "regisseur")
        .first()
    )
    return User.objects.get(pk=top["regisseur"])


def team_ids(user: User) -> list[int]:
    return list(TeamMembership.objects.filter(user=user).values_list("team_id", flat=True))


def a_resident_of(user: User) -> Resident:
    return Resident.objects.filter(cases__team_id__in=team_ids(user), cases__regisseur=user).order_by("pk").first()


# --- Mijn werk ---------------------------------------------------------------------------------


def my_work() -> Context:
    return Context(user=busy_professional(), url=reverse("cases:my_work"))


def my_work_floor(cursor, context: Context) -> None:
    """The number of open cases, the first page of them (25) with their last and next contact, the
    investigations due within two weeks, the planned visits."""
    from cases.deadlines import AT_RISK
    from casework.views import MY_CASES_PER_PAGE

    user = context.user.pk
    today = timezone.localdate()
    mine = """
        WITH mine AS (
            SELECT id FROM cases_case WHERE regisseur_id = %(user)s AND status <> 'afgesloten'
            UNION
            SELECT case_id FROM cases_caseinvolvement WHERE user_id = %(user)s AND ended_at IS NULL
        )
    """
    params = {"user": user, "per_page": MY_CASES_PER_PAGE, "horizon": today + AT_RISK}
    cursor.execute(
        mine + "SELECT count(*) FROM mine JOIN cases_case c ON c.id = mine.id WHERE c.status <> 'afgesloten'",  # noqa: S608
        params,
    )
    cursor.fetchall()
    cursor.execute(
        mine  # noqa: S608 - a fixed fragment
        + """
        SELECT c.id, c.reference, c.status, c.onderzoek_due, r.voornamen, r.voorvoegsel, r.geslachtsnaam, t.name,
               (SELECT min(planned_at) FROM contacts_contact WHERE case_id = c.id AND status = 'gepland'),
               (SELECT max(happened_at) FROM contacts_contact WHERE case_id = c.id AND status = 'gedaan')
        FROM mine JOIN cases_case c ON c.id = mine.id
        JOIN people_resident r ON r.id = c.resident_id
        JOIN teams_team t ON t.id = c.team_id
        WHERE c.status <> 'afgesloten'
        ORDER BY c.onderzoek_due NULLS LAST, c.opened_at DESC LIMIT %(per_page)s
        """,
        params,
    )
    cursor.fetchall()
    cursor.execute(
        mine  # noqa: S608 - a fixed fragment
        + """
        SELECT c.id, c.reference, c.onderzoek_due, r.voornamen, r.voorvoegsel, r.geslachtsnaam
        FROM mine JOIN cases_case c ON c.id = mine.id JOIN people_resident r ON r.id = c.resident_id
        WHERE c.status IN ('aangemeld', 'intake', 'onderzoek') AND c.onderzoek_due <= %(horizon)s
        ORDER BY c.onderzoek_due LIMIT 50
        """,
        params,
    )
    cursor.fetchall()
    cursor.execute(
        """
        SELECT k.id, k.planned_at, k.kind, r.voornamen, r.geslachtsnaam
        FROM contacts_contact k JOIN cases_case c ON c.id = k.case_id JOIN people_resident r ON r.id = c.resident_id
        WHERE k.professional_id = %s AND k.status = 'gepland' AND k.planned_at < %s
        ORDER BY k.planned_at LIMIT 50
        """,
        [user, today + timedelta(days=15)],
    )
    cursor.fetchall()


def team_leader_work() -> Context:
    """A team leader's Mijn werk: their own cases and the count of their team's unassigned cases
    (the closest the application has to a team work queue so far)."""
    top = (
        Case.objects.open()
        .filter(regisseur__role=Role.TEAM_LEADER)
        .values("regisseur")
        .annotate(n=Count("pk"))
        .order_by("-n", "regisseur")
        .first()
    )
    return Context(user=User.objects.get(pk=top["regisseur"]), url=reverse("cases:my_work"))


def team_leader_work_floor(cursor, context: Context) -> None:
    my_work_floor(cursor, context)
    cursor.execute(
        "SELECT count(*) FROM cases_case WHERE status <> 'afgesloten' AND regisseur_id IS NULL AND team_id IN "
        "(SELECT team_id FROM teams_teammembership WHERE user_id = %s AND is_leader)",
        [context.user.pk],
    )
    cursor.fetchall()


# --- resident search ----------------------------------------------------------------------------


def _search(kind: str) -> Callable[[], Context]:
    def prepare() -> Context:
        user = busy_professional()
        resident = a_resident_of(user)
        query = {
            "name": resident.geslachtsnaam[:5].lower(),
            "postcode": f"{resident.postcode} {resident.huisnummer}",
            "bsn": resident.bsn,
        }[kind]
        return Context(user=user, url=reverse("people:search"), params={"q": query}, values={"resident": resident})

    return prepare


def _search_floor(kind: str) -> Callable[[object, Context], None]:
    def floor(cursor, context: Context) -> None:
        from privacy.crypto import keyed_hash

        resident = context.values["resident"]
        condition, params = {
            "name": ("r.search_text LIKE %s", [f"%{resident.geslachtsnaam[:5].lower()}%"]),
            "postcode": ("r.postcode = %s AND r.huisnummer = %s", [resident.postcode, resident.huisnummer]),
            "bsn": ("r.bsn_hash = %s", [keyed_hash(resident.bsn)]),
        }[kind]
        teams = team_ids(context.user)
        cursor.execute(
            f"""
            WITH found AS MATERIALIZED (SELECT * FROM people_resident r WHERE {condition})
            SELECT f.id, f.voornamen, f.voorvoegsel, f.geslachtsnaam, f.birth_date, f.postcode, a.name, m.household_id
            FROM found f
            JOIN people_householdmember m ON m.resident_id = f.id
            JOIN people_household h ON h.id = m.household_id
            LEFT JOIN areas_area a ON a.id = f.area_id
            WHERE h.area_id IN (SELECT area_id FROM teams_team_areas WHERE team_id = ANY(%s))
               OR EXISTS (SELECT 1 FROM cases_case c WHERE c.household_id = h.id
                          AND (c.team_id = ANY(%s) OR c.regisseur_id = %s))
            ORDER BY f.geslachtsnaam, f.voornamen, f.birth_date LIMIT 20
            """,  # noqa: S608 - fixed fragments only
            [*params, teams, teams, context.user.pk],
        )
        cursor.fetchall()

    return floor


# --- household and case -------------------------------------------------------------------------


def household() -> Context:
    user = busy_professional()
    resident = a_resident_of(user)
    household_id = resident.memberships.values_list("household_id", flat=True).first()
    return Context(user=user, url=reverse("people:household", args=[household_id]), values={"household": household_id})


def household_floor(cursor, context: Context) -> None:
    household = context.values["household"]
    cursor.execute(
        "SELECT h.id, h.label, a.name FROM people_household h LEFT JOIN areas_area a ON a.id = h.area_id "
        "WHERE h.id = %s",
        [household],
    )
    cursor.fetchall()
    cursor.execute(
        "SELECT m.relation, r.* FROM people_householdmember m JOIN people_resident r ON r.id = m.resident_id "
        "WHERE m.household_id = %s",
        [household],
    )
    cursor.fetchall()
    cursor.execute(
        "SELECT c.id, c.reference, c.status, c.question, t.name, u.first_name, u.last_name FROM cases_case c "
        "JOIN teams_team t ON t.id = c.team_id LEFT JOIN accounts_user u ON u.id = c.regisseur_id "
        "WHERE c.household_id = %s ORDER BY c.opened_at DESC",
        [household],
    )
    cursor.fetchall()


def case_page() -> Context:
    user = busy_professional()
    case = Case.objects.open().filter(regisseur=user).order_by("-pk").first()
    return Context(user=user, url=reverse("cases:detail", args=[case.pk]), values={"case": case.pk})


def case_floor(cursor, context: Context) -> None:
    case = context.values["case"]
    cursor.execute(
        "SELECT c.*, r.voornamen, r.geslachtsnaam, t.name FROM cases_case c JOIN people_resident r "
        "ON r.id = c.resident_id JOIN teams_team t ON t.id = c.team_id WHERE c.id = %s",
        [case],
    )
    cursor.fetchall()
    cursor.execute(
        "SELECT e.*, u.first_name, u.last_name FROM cases_caseevent e LEFT JOIN accounts_user u "
        "ON u.id = e.by_id WHERE e.case_id = %s ORDER BY e.at DESC LIMIT 200",
        [case],
    )
    cursor.fetchall()
    cursor.execute(
        "SELECT * FROM contacts_contact WHERE case_id = %s AND status = 'gepland' ORDER BY planned_at", [case]
    )
    cursor.fetchall()


# --- plan ---------------------------------------------------------------------------------------


def plan_page() -> Context:
    """The plan of a household of the busy professional's open cases that has the most goals."""
    from plans.models import Plan

    user = busy_professional()
    households = Case.objects.open().filter(regisseur=user).values("household_id")
    plan = Plan.objects.filter(household__in=households).annotate(n=Count("goals")).order_by("-n", "pk").first()
    return Context(user=user, url=reverse("plans:plan", args=[plan.household_id]), values={"plan": plan.pk})


def plan_floor(cursor, context: Context) -> None:
    plan = context.values["plan"]
    cursor.execute(
        "SELECT p.*, h.label, u.first_name, u.last_name FROM plans_plan p JOIN people_household h "
        "ON h.id = p.household_id JOIN accounts_user u ON u.id = p.regisseur_id WHERE p.id = %s",
        [plan],
    )
    cursor.fetchall()
    cursor.execute(
        "SELECT g.*, d.name, a.id, a.description, a.actor, a.due_on, a.status FROM plans_goal g "
        "JOIN zrm_lifedomain d ON d.id = g.domain_id LEFT JOIN plans_action a ON a.goal_id = g.id "
        "WHERE g.plan_id = %s ORDER BY d.order, g.id, a.id",
        [plan],
    )
    cursor.fetchall()
    cursor.execute("SELECT * FROM plans_arrangement WHERE plan_id = %s", [plan])
    cursor.fetchall()
    cursor.execute(
        "SELECT v.number, v.change, v.at, u.first_name, u.last_name FROM plans_planversion v "
        "JOIN accounts_user u ON u.id = v.by_id WHERE v.plan_id = %s ORDER BY v.number DESC LIMIT 10",
        [plan],
    )
    cursor.fetchall()


# --- API ----------------------------------------------------------------------------------------


def case_list_api() -> Context:
    return Context(user=busy_professional(), url=reverse("cases_api:case-list"))


def case_list_floor(cursor, context: Context) -> None:
    cursor.execute(
        """
        SELECT c.id, c.reference, c.status, r.voornamen, r.geslachtsnaam, t.name, u.first_name
        FROM cases_case c JOIN people_resident r ON r.id = c.resident_id JOIN teams_team t ON t.id = c.team_id
        LEFT JOIN accounts_user u ON u.id = c.regisseur_id
        WHERE c.team_id = ANY(%s) ORDER BY c.opened_at DESC, c.id DESC LIMIT 50
        """,
        [team_ids(context.user)],
    )
    cursor.fetchall()


def resident_api() -> Context:
    context = _search("name")()
    context.url = reverse("people_api:resident-search")
    return context


# --- team work queue (werkbak) ------------------------------------------------------------------


def busy_team_leader() -> User:
    """The leader of the team with the most open cases."""
    top = Case.objects.open().values("team").annotate(n=Count("pk")).order_by("-n", "team").first()
    return (
        User.objects.filter(role=Role.TEAM_LEADER, memberships__team=top["team"], memberships__is_leader=True)
        .order_by("pk")
        .first()
    )


def werkbak() -> Context:
    return Context(user=busy_team_leader(), url=reverse("cases:werkbak"))


WERKBAK_QUEUE = """
    (c.opened_at >= %(new)s OR c.triage = '' OR c.regisseur_id IS NULL
     OR (c.onderzoek_due <= %(horizon)s AND c.status = ANY(%(investigating)s))
     OR (c.decision_due <= %(horizon)s AND c.status = ANY(%(deciding)s)))
"""


def werkbak_floor(cursor, context: Context) -> None:
    """The counts per filter, the first page (50) of the queue by nearest deadline and its total, the
    referrals waiting."""
    from cases.deadlines import AT_RISK
    from cases.workflow import DECIDING, INVESTIGATING
    from casework.views import NEW_FOR, QUEUE_PER_PAGE

    params = {
        "teams": team_ids(context.user),
        "new": timezone.now() - NEW_FOR,
        "horizon": timezone.localdate() + AT_RISK,
        "investigating": [str(s) for s in INVESTIGATING],
        "deciding": [str(s) for s in DECIDING],
        "per_page": QUEUE_PER_PAGE,
    }
    cursor.execute(
        """
        SELECT count(*) FILTER (WHERE c.opened_at >= %(new)s),
               count(*) FILTER (WHERE c.triage = ''),
               count(*) FILTER (WHERE c.regisseur_id IS NULL),
               count(*) FILTER (WHERE (c.onderzoek_due <= %(horizon)s AND c.status = ANY(%(investigating)s))
                                   OR (c.decision_due <= %(horizon)s AND c.status = ANY(%(deciding)s)))
        FROM cases_case c WHERE c.team_id = ANY(%(teams)s) AND c.status <> 'afgesloten'
        """,
        params,
    )
    cursor.fetchall()
    cursor.execute(
        f"""
        SELECT c.id, c.reference, c.status, c.triage, c.onderzoek_due, c.decision_due, c.opened_at,
               r.voornamen, r.voorvoegsel, r.geslachtsnaam, t.name, u.first_name, u.last_name
        FROM cases_case c JOIN people_resident r ON r.id = c.resident_id JOIN teams_team t ON t.id = c.team_id
        LEFT JOIN accounts_user u ON u.id = c.regisseur_id
        WHERE c.team_id = ANY(%(teams)s) AND c.status <> 'afgesloten' AND {WERKBAK_QUEUE}
        ORDER BY LEAST(CASE WHEN c.status = ANY(%(investigating)s) THEN c.onderzoek_due END,
                       CASE WHEN c.status = ANY(%(deciding)s) THEN c.decision_due END) NULLS LAST,
                 c.opened_at DESC LIMIT %(per_page)s
        """,  # noqa: S608 - a fixed fragment
        params,
    )
    cursor.fetchall()
    cursor.execute(
        f"SELECT count(*) FROM cases_case c "  # noqa: S608 - a fixed fragment
        f"WHERE c.team_id = ANY(%(teams)s) AND c.status <> 'afgesloten' AND {WERKBAK_QUEUE}",
        params,
    )
    cursor.fetchall()
    cursor.execute(
        """
        SELECT count(*) FROM intake_referral
        WHERE case_id IS NULL AND closed_at IS NULL
          AND (team_id = ANY(%(teams)s) OR (team_id IS NULL AND municipality_id IN
               (SELECT municipality_id FROM teams_team WHERE id = ANY(%(teams)s))))
        """,
        params,
    )
    cursor.fetchall()


# --- insights: district profile and management report --------------------------------------------


def policy_officer() -> User:
    return User.objects.filter(role=Role.POLICY_OFFICER, municipality__isnull=False).order_by("pk").first()


def district_profile() -> Context:
    """The profile of the district with the most inhabitants, over the default period (a year)."""
    from areas.models import Area

    user = policy_officer()
    area = (
        Area.objects.filter(municipality=user.municipality, kind="wijk", inhabitants__isnull=False)
        .order_by("-inhabitants", "pk")
        .first()
    )
    return Context(user=user, url=reverse("insights:district", args=[area.cbs_code]), values={"area": area})


# The pre-aggregated case counts (insights.tallies) of a period: month rows for its whole months,
# day rows for the days at either end.
TALLIES = """
    FROM insights_tally t {join}
    WHERE t.measure = ANY(%(measures)s) AND (
        (t.month AND t.day >= %(first)s AND t.day < %(after)s)
        OR (NOT t.month AND ((t.day >= %(start)s AND t.day < %(first)s) OR (t.day >= %(after)s AND t.day <= %(end)s))))
"""


def tally_period(start, end) -> dict:
    """The parameters of TALLIES for the period (whole months from `first` to before `after`)."""
    from insights.tallies import next_month

    first = start if start.day == 1 else next_month(start)
    after = next_month(end) if next_month(end) - timedelta(days=1) == end else end.replace(day=1)
    return {"start": start, "end": end, "first": first, "after": after}


PROFILE_STATEMENTS = (
    "SELECT id, cbs_code, name, inhabitants FROM areas_area WHERE id = %(area)s",
    "SELECT * FROM insights_figure WHERE region_code = %(code)s",
    "SELECT * FROM insights_figure WHERE area_id = %(area)s ORDER BY file, indicator",
    "SELECT p.postcode4, p.share, p.area_id FROM areas_postcodearea p JOIN areas_area a ON a.id = p.area_id "
    "WHERE a.municipality_id = %(municipality)s",
    "SELECT f.region_code, f.indicator, f.value FROM insights_figure f WHERE f.region_kind = 'postcode' "
    "AND f.indicator IN ('inwoners', 'inwoners_65plus') AND f.region_code IN (SELECT postcode4 "
    "FROM areas_postcodearea p JOIN areas_area a ON a.id = p.area_id WHERE a.municipality_id = %(municipality)s)",
    "SELECT t.area_id = %(area)s, date_trunc('quarter', t.day), t.measure, t.key, sum(t.n) "
    + TALLIES.format(join="JOIN areas_area a ON a.id = t.area_id")
    + " AND a.municipality_id = %(municipality)s GROUP BY 1, 2, 3, 4",
    'SELECT id, code, name FROM zrm_lifedomain ORDER BY "order"',
    "SELECT h.area_id = %(area)s, v.name, count(*) FROM provisions_provisionreferral r "
    "JOIN cases_case c ON c.id = r.case_id JOIN people_household h ON h.id = c.household_id "
    "JOIN areas_area a ON a.id = h.area_id JOIN provisions_provision v ON v.id = r.provision_id "
    "WHERE a.municipality_id = %(municipality)s AND r.referred_at::date BETWEEN %(start)s AND %(end)s "
    "GROUP BY 1, 2",
    "SELECT i.id, v.name, count(p.id) FROM insights_initiative i JOIN provisions_provision v ON v.id = i.provision_id "
    "LEFT JOIN insights_initiativeparticipant p ON p.initiative_id = i.id WHERE i.area_id = %(area)s GROUP BY 1, 2",
)


def district_profile_floor(cursor, context: Context) -> None:
    """The same aggregates in SQL: the published figures of the district and the municipality
    (and the postcode areas' for the share of seniors), the period's cases by quarter, triage and
    life domain in the district and the whole town from the pre-aggregated counts, provisions used
    and initiatives."""
    user = context.user
    today = timezone.localdate()
    params = {
        "area": context.values["area"].pk,
        "municipality": user.municipality_id,
        "code": user.municipality.cbs_code,
        "measures": ["new", "triage", "domain"],
        **tally_period(today - timedelta(days=365), today),
    }
    for statement in PROFILE_STATEMENTS:
        cursor.execute(statement, params)
        cursor.fetchall()


def management(role: str) -> Callable[[], Context]:
    def prepare() -> Context:
        user = busy_team_leader() if role == Role.TEAM_LEADER else policy_officer()
        return Context(user=user, url=reverse("insights:management"))

    return prepare


MANAGEMENT_CASES = (
    "FROM cases_case c JOIN teams_team t ON t.id = c.team_id {join} WHERE t.municipality_id = %(municipality)s"
)
# The tally rows of the period, one part (one range of the tally index) at a time, as the page reads them.
MANAGEMENT_PARTS = (
    "t.month AND t.day >= %(first)s AND t.day < %(after)s",
    "NOT t.month AND t.day >= %(start)s AND t.day < %(first)s",
    "NOT t.month AND t.day >= %(after)s AND t.day <= %(end)s",
)


def _management_tallies(select: str, measure: str, group: str) -> str:
    return " UNION ALL ".join(
        f"(SELECT {select} FROM insights_tally t JOIN teams_team tm ON tm.id = t.team_id "  # noqa: S608 - fixed fragments
        f"WHERE tm.municipality_id = %(municipality)s AND t.measure = '{measure}' AND {part} GROUP BY {group})"
        for part in MANAGEMENT_PARTS
    )


MANAGEMENT_TOTALS = (
    "FROM insights_tallytotal t JOIN teams_team tm ON tm.id = t.team_id WHERE tm.municipality_id = %(municipality)s"
)
MANAGEMENT_STATEMENTS = (
    # caseload: open now (the totals over all months) and new in the period, per team
    "(SELECT tm.name, false, sum(t.n) FILTER (WHERE t.measure = 'open'), sum(t.n) FILTER (WHERE t.measure = 'new') "
    + MANAGEMENT_TOTALS
    + " AND t.measure IN ('new', 'open') GROUP BY 1) UNION ALL "
    + _management_tallies("tm.name, true, 0, sum(t.n)", "new", "tm.name")
    + " ORDER BY 1",
    # questions by channel, referrals by source (a range on the moment of receipt)
    "SELECT channel, count(*), count(*) FILTER (WHERE outcome = 'melding') FROM intake_question "
    "WHERE municipality_id = %(municipality)s AND registered_at >= %(from)s AND registered_at < %(until)s GROUP BY 1",
    "SELECT r.source, o.kind, count(*), count(r.case_id) FROM intake_referral r "
    "LEFT JOIN partners_organisation o ON o.id = r.organisation_id WHERE r.municipality_id = %(municipality)s "
    "AND r.received_at >= %(from)s AND r.received_at < %(until)s GROUP BY 1, 2",
    _management_tallies("t.key, sum(t.n)", "triage", "t.key"),
    # throughput: cases closed in the period per team and number of days (the median from those)
    "SELECT t.name, (c.closed_at AT TIME ZONE 'Europe/Amsterdam')::date - c.melding_date, count(*) "
    + MANAGEMENT_CASES.format(join="")
    + " AND c.closed_at >= %(from)s AND c.closed_at < %(until)s GROUP BY 1, 2",
    _management_tallies("tm.name, t.key, t.day >= %(end)s, sum(t.n)", "onderzoek", "1, 2, 3"),
    # decision term: the indication advices due in the period, with their decision
    "SELECT t.name, a.decision_due, d.decided_on FROM maatwerk_indicationadvice a "
    "JOIN cases_case c ON c.id = a.case_id JOIN teams_team t ON t.id = c.team_id "
    "LEFT JOIN maatwerk_decision d ON d.advice_id = a.id WHERE t.municipality_id = %(municipality)s "
    "AND a.decision_due BETWEEN %(start)s AND %(end)s AND a.status <> 'ingetrokken'",
    # ZRM: every case so far (the totals) less those reported after the period
    "(SELECT 1, t.key, sum(t.n) "  # noqa: S608 - fixed fragments
    + MANAGEMENT_TOTALS
    + " AND t.measure = 'zrm' GROUP BY 2) UNION ALL "
    "(SELECT -1, t.key, sum(t.n) FROM insights_tally t JOIN teams_team tm ON tm.id = t.team_id "
    "WHERE tm.municipality_id = %(municipality)s AND t.measure = 'zrm' AND NOT t.month AND t.day > %(end)s "
    "AND t.day < %(next_month)s GROUP BY 2) UNION ALL "
    "(SELECT -1, t.key, sum(t.n) FROM insights_tally t JOIN teams_team tm ON tm.id = t.team_id "
    "WHERE tm.municipality_id = %(municipality)s AND t.measure = 'zrm' AND t.month AND t.day >= %(next_month)s "
    "GROUP BY 2)",
    'SELECT id, code, name FROM zrm_lifedomain ORDER BY "order"',
    # customised costs: granted decisions starting in the period per provision, and the budgets
    "SELECT v.id, v.name, count(d.id), sum(d.expected_cost) FROM provisions_provision v "
    "LEFT JOIN (maatwerk_decision d JOIN maatwerk_indicationadvice a ON a.id = d.advice_id "
    "JOIN cases_case c ON c.id = a.case_id JOIN teams_team t ON t.id = c.team_id "
    "AND t.municipality_id = %(municipality)s) ON d.provision_id = v.id AND d.outcome = 'toegekend' "
    "AND d.starts_on BETWEEN %(start)s AND %(end)s "
    "WHERE v.municipality_id = %(municipality)s AND v.kind = 'maatwerk' GROUP BY 1, 2 ORDER BY 2",
    "SELECT provision_id, year, amount FROM maatwerk_budget WHERE municipality_id = %(municipality)s "
    "AND year BETWEEN extract(year FROM %(start)s::date) AND extract(year FROM %(end)s::date)",
    "SELECT i.id, v.name, i.budget, a.name, coalesce(sum(e.amount), 0) FROM insights_initiative i "
    "JOIN teams_team t ON t.id = i.team_id JOIN areas_area a ON a.id = i.area_id "
    "JOIN provisions_provision v ON v.id = i.provision_id "
    "LEFT JOIN insights_initiativeexpense e ON e.initiative_id = i.id AND e.spent_on <= %(end)s "
    "WHERE t.municipality_id = %(municipality)s GROUP BY 1, 2, 3, 4",
)
PER_REGISSEUR = "".join(  # fixed fragments only
    [
        "SELECT u.first_name, u.last_name, count(*) ",
        MANAGEMENT_CASES.format(join="LEFT JOIN accounts_user u ON u.id = c.regisseur_id"),
        " AND (c.status < 'afgesloten' OR c.status > 'afgesloten') AND c.team_id IN (SELECT team_id "
        "FROM teams_teammembership WHERE user_id = %(user)s AND is_leader) GROUP BY 1, 2",
    ]
)


def management_floor(cursor, context: Context) -> None:
    """The report's tables, each as one aggregate query, as the page reads them: caseload per team
    (and per regisseur for a team leader) from the totals and the period's tallies, questions by
    channel and referrals by source, 80-20-5 and the investigation term from the tallies,
    throughput as counts per team and number of days, the decision term, ZRM outcomes from the
    totals, customised costs against budget, initiative budgets."""
    from insights.tallies import next_month

    user = context.user
    today = timezone.localdate()
    start = today - timedelta(days=365)
    params = {
        "municipality": user.municipality_id,
        "user": user.pk,
        "from": timezone.make_aware(datetime.combine(start, time.min)),
        "until": timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min)),
        "next_month": next_month(today),
        **tally_period(start, today),
    }
    statements = [*MANAGEMENT_STATEMENTS, *([PER_REGISSEUR] if user.role == Role.TEAM_LEADER else [])]
    for statement in statements:
        cursor.execute(statement, params)
        cursor.fetchall()


# --- referral API (partner systems with their key) -----------------------------------------------


def _partner_key():
    """A fresh key for the busiest partner, issued the ordinary way (only its hash is stored)."""
    from intake.models import PartnerToken, Referral
    from partners.models import Organisation

    top = Referral.objects.values("organisation").annotate(n=Count("pk")).order_by("-n", "organisation").first()
    return PartnerToken.issue(organisation=Organisation.objects.get(pk=top["organisation"]), name="benchmark")


REFERRAL = {
    "name": "J. de Vries",
    "birth_date": "1961-04-12",
    "huisnummer": 12,
    "concern": "Huurachterstand van drie maanden; bewoner reageert niet op brieven.",
    "life_domains": ["financien", "huisvesting"],
    "resident_informed": True,
}


def referral_create() -> Context:
    """A partner system refers a resident: a new referral per request (no client reference)."""
    import json

    from people.models import Resident

    token, key = _partner_key()
    postcode = Resident.objects.order_by("pk").values_list("postcode", flat=True).first()
    return Context(
        user=None,
        role="partner API key",
        url=reverse("intake_api:referral-list"),
        body=json.dumps({**REFERRAL, "postcode": postcode}),
        headers={"HTTP_AUTHORIZATION": f"Token {key}"},
        values={"token": token, "postcode": postcode},
    )


def _token_floor(cursor, context: Context) -> None:
    from intake.models import hash_token

    cursor.execute(
        "SELECT t.*, o.*, m.* FROM intake_partnertoken t JOIN partners_organisation o ON o.id = t.organisation_id "
        "JOIN areas_municipality m ON m.id = o.municipality_id "
        "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND o.active",
        [hash_token(context.headers["HTTP_AUTHORIZATION"].split()[1])],
    )
    cursor.fetchall()


def referral_create_floor(cursor, context: Context) -> None:
    """The key, the life domains, the team for the postcode, the row and its life domains."""
    organisation = context.values["token"].organisation_id
    _token_floor(cursor, context)
    cursor.execute("SELECT id FROM zrm_lifedomain WHERE code = ANY(%s)", [REFERRAL["life_domains"]])
    domains = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT t.id FROM areas_postcodearea p JOIN teams_team_areas ta ON ta.area_id = p.area_id "
        "JOIN teams_team t ON t.id = ta.team_id WHERE p.postcode4 = %s ORDER BY p.share DESC, t.name LIMIT 1",
        [context.values["postcode"][:4]],
    )
    team = cursor.fetchone()
    cursor.execute(
        "INSERT INTO intake_referral (municipality_id, source, organisation_id, client_reference, name, birth_date, "
        "postcode, huisnummer, phone, email, concern, resident_informed, team_id, received_at, closing_note) "
        "SELECT municipality_id, 'partner', id, '', %s, %s, %s, %s, '', '', %s, true, %s, now(), '' "
        "FROM partners_organisation WHERE id = %s RETURNING id, received_at",
        [
            REFERRAL["name"],
            REFERRAL["birth_date"],
            context.values["postcode"],
            REFERRAL["huisnummer"],
            REFERRAL["concern"],
            team[0] if team else None,
            organisation,
        ],
    )
    referral = cursor.fetchone()[0]
    cursor.executemany(
        "INSERT INTO intake_referral_life_domains (referral_id, lifedomain_id) VALUES (%s, %s)",
        [(referral, domain) for domain in domains],
    )


def referral_status() -> Context:
    """A partner system asks the status of one of its referrals that the team has taken up."""
    from intake.models import Referral

    token, key = _partner_key()
    referral = Referral.objects.of_organisation(token.organisation).filter(case__isnull=False).order_by("-pk").first()
    return Context(
        user=None,
        role="partner API key",
        url=reverse("intake_api:referral-detail", args=[referral.pk]),
        headers={"HTTP_AUTHORIZATION": f"Token {key}"},
        values={"token": token, "referral": referral.pk},
    )


def referral_status_floor(cursor, context: Context) -> None:
    _token_floor(cursor, context)
    cursor.execute(
        "SELECT r.id, r.client_reference, r.received_at, r.closed_at, c.status FROM intake_referral r "
        "LEFT JOIN cases_case c ON c.id = r.case_id "
        "WHERE r.id = %s AND r.organisation_id = %s AND r.source = 'partner'",
        [context.values["referral"], context.values["token"].organisation_id],
    )
    cursor.fetchall()


SCENARIOS = [
    Scenario("Mijn werk", my_work, my_work_floor),
    Scenario("Mijn werk (team leader)", team_leader_work, team_leader_work_floor),
    Scenario("Resident search: name fragment", _search("name"), _search_floor("name")),
    Scenario("Resident search: postcode + number", _search("postcode"), _search_floor("postcode")),
    Scenario("Resident search: BSN", _search("bsn"), _search_floor("bsn")),
    Scenario("Household dossier", household, household_floor),
    Scenario("Case page", case_page, case_floor),
    Scenario("Plan", plan_page, plan_floor),
    Scenario("API: case list", case_list_api, case_list_floor),
    Scenario("API: resident search (name)", resident_api, _search_floor("name")),
    Scenario("Team work queue (werkbak)", werkbak, werkbak_floor),
    Scenario("District profile", district_profile, district_profile_floor),
    Scenario("Management report (team leader)", management(Role.TEAM_LEADER), management_floor),
    Scenario("Management report (policy officer)", management(Role.POLICY_OFFICER), management_floor),
    Scenario("Referral API: create", referral_create, referral_create_floor, method="POST"),
    Scenario("Referral API: status", referral_status, referral_status_floor),
]
