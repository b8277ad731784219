"""The benchmarked endpoints: who asks, what they ask, and the hand-written SQL floor.

Each scenario picks realistic inputs from the generated city (a busy professional, a name that
occurs often, a real address) so the numbers mean what a user would feel.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from cases.models import Case
from people.models import Resident
from teams.models import TeamMembership


@dataclass
class Context:
    user: User
    url: str
    params: dict = field(default_factory=dict)
    body: str = ""
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)
    session: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)


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
    user = context.user.pk
    today = timezone.localdate()
    cursor.execute(
        """
        WITH mine AS (
            SELECT id FROM cases_case WHERE regisseur_id = %s AND status <> 'afgesloten'
            UNION
            SELECT case_id FROM cases_caseinvolvement WHERE user_id = %s AND ended_at IS NULL
        )
        SELECT c.id, c.reference, c.status, c.onderzoek_due, r.voornamen, r.voorvoegsel, r.geslachtsnaam, t.name,
               (SELECT min(planned_at) FROM contacts_contact WHERE case_id = c.id AND status = 'gepland'),
               (SELECT max(happened_at) FROM contacts_contact WHERE case_id = c.id AND status = 'gedaan')
        FROM mine JOIN cases_case c ON c.id = mine.id
        JOIN people_resident r ON r.id = c.resident_id
        JOIN teams_team t ON t.id = c.team_id
        WHERE c.status <> 'afgesloten'
        ORDER BY c.onderzoek_due NULLS LAST, c.opened_at DESC LIMIT 200
        """,
        [user, user],
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
]
