"""A synthetic city for benchmarks: residents, households, cases with history, contacts and a
large access log, over the real districts of a municipality.

Deterministic (one seeded generator), and fast on PostgreSQL: rows are streamed with COPY, and
the access log is generated inside the database. On SQLite the same rows go in with batched
INSERTs (fine for the small scales used in tests).

Names come from the BRP test persons (data/brp), combined freely; addresses from the postcode
areas of the real districts. Everything is fictional.
"""

import json
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time

from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Expertise, Role, User
from areas.importers import import_municipality
from areas.models import Area, PostcodeArea
from cases import deadlines
from cases.models import Case, CaseEvent, CaseInvolvement, LegalFramework
from cases.workflow import Status
from contacts.models import Contact, ContactKind, ContactStatus
from insights import tallies
from insights.models import StaleDay, Tally
from intake.models import PartnerToken, Referral, ReferralSource, hash_token
from partners.models import Organisation, OrganisationKind
from people.models import Household, HouseholdMember, Relation, Resident
from plans.models import Action as PlanAction
from plans.models import ActionStatus, Actor, Goal, GoalStatus, Plan, PlanVersion
from privacy import crypto
from privacy.models import AccessLog
from teams.models import Team, TeamMembership
from wijkteam.i18n import msgid
from wijkteam.reference import load_json
from wijkteam.text import normalise_text
from zrm.models import Assessment, DomainScore, LifeDomain, Moment

from .casework import QUESTIONS
from .staff import _demo_password_hash


@dataclass(frozen=True)
class Scale:
    residents: int
    households: int
    cases: int
    contacts: int
    professionals: int
    teams: int
    access_log: int
    plans: int
    assessments: int
    years: int = 5


SCALES = {
    "city": Scale(150_000, 70_000, 250_000, 2_000_000, 500, 40, 10_000_000, 60_000, 100_000),
    "medium": Scale(15_000, 7_000, 25_000, 200_000, 120, 12, 1_000_000, 6_000, 10_000),
    "small": Scale(1_500, 700, 2_500, 20_000, 40, 6, 50_000, 600, 1_000),
    "tiny": Scale(150, 70, 250, 2_000, 16, 3, 2_000, 60, 100),
}


class TableWriter:
    """Streams rows of one model into its table: COPY on PostgreSQL, batched INSERT elsewhere.
    Values are prepared by the model fields themselves (dates, JSON, decimals per database)."""

    def __init__(self, model: type[models.Model], attnames: Sequence[str], batch: int = 5000) -> None:
        self.model = model
        self.fields = [model._meta.get_field(name) for name in attnames]
        self.columns = [f.column for f in self.fields]
        self.batch = batch
        self.rows: list[tuple] = []
        self.count = 0
        # COPY takes Python values as they are, except JSON (as text); other databases get
        # each value prepared by its field.
        self.copy = connection.vendor == "postgresql"
        self.json = [isinstance(f, models.JSONField) for f in self.fields]

    def add(self, *values) -> None:
        if self.copy:
            row = tuple(json.dumps(v) if is_json else v for v, is_json in zip(values, self.json, strict=True))
        else:
            row = tuple(f.get_db_prep_save(v, connection) for f, v in zip(self.fields, values, strict=True))
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model
                cursor.executemany(sql, self.rows)
        self.count += len(self.rows)
        self.rows = []


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def _reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"  # noqa: S608
            )


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


class CityGenerator:
    def __init__(self, scale: Scale, *, seed: int = 2015, today: date | None = None, log: Callable = print) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = today or timezone.localdate()
        self.log = log
        self.report = Report()

    def _step(self, name: str, work: Callable[[], int]) -> None:
        started = time.monotonic()
        count = work()
        self.report.counts[name] = count
        self.report.seconds[name] = round(time.monotonic() - started, 1)
        self.log(f"  {name}: {count:,} rows in {self.report.seconds[name]} s")

    def run(self, municipality_code: str = "GM0080") -> Report:
        if Resident.objects.exists():
            raise ValueError("generate_city fills an empty database: residents exist already.")
        self.municipality, _ = import_municipality(municipality_code)
        self.areas = [a for a in Area.objects.filter(municipality=self.municipality) if a.inhabitants]
        self.frameworks = {f.code: f.pk for f in LegalFramework.objects.all()}
        self.domains = {d.code: d.pk for d in LifeDomain.objects.all()}
        with transaction.atomic():
            with tallies.quiet_triggers():
                self._step("professionals and teams", self.staff)
                self._step("residents and households", self.people)
                self._step("cases, history and contacts", self.casework)
                self._step("plans with goals and actions", self.plans)
                self._step("ZRM assessments", self.assessments)
                self._step("policy officer, partners with API keys, referrals, figures", self.intake_and_policy)
                _reset_sequences(
                    [
                        User,
                        Team,
                        TeamMembership,
                        Resident,
                        Household,
                        HouseholdMember,
                        Case,
                        CaseEvent,
                        CaseInvolvement,
                        Contact,
                        Case.frameworks.through,
                        Case.life_domains.through,
                        Plan,
                        PlanVersion,
                        Goal,
                        PlanAction,
                        Assessment,
                        DomainScore,
                        Organisation,
                        PartnerToken,
                        Referral,
                    ]
                )
            self._step("pre-aggregated counts", self.tally_counts)
        with transaction.atomic():
            self._step("access log", self.access_log)
            _reset_sequences([AccessLog])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # VACUUM as autovacuum would do soon: index-only scans need the visibility map.
                # (Not inside a transaction, as in the tests: there ANALYZE only.)
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        return self.report

    # --- staff -------------------------------------------------------------------------------
    def staff(self) -> int:
        rng = self.rng
        expertise = list(Expertise.objects.all()) or [
            Expertise.objects.create(code=code, name=name)
            for code, name in [
                ("financien", "Financiën en schulden"),
                ("jeugd", "Jeugd en gezin"),
                ("ggz", "Psychische gezondheid"),
                ("ouderen", "Ouderen"),
            ]
        ]
        # One team per district; further teams go, one by one, to the district with the most
        # inhabitants per team. Professionals follow the workload: inhabitants served.
        team_count = {area.pk: 0 for area in self.areas}
        teams: list[Team] = []
        for index in range(max(self.scale.teams, len(self.areas))):
            if index < len(self.areas):
                area = self.areas[index]
            else:
                area = max(self.areas, key=lambda a: (a.inhabitants / (team_count[a.pk] + 1), -a.pk))
            team_count[area.pk] += 1
            team = Team.objects.create(municipality=self.municipality, name=f"Wijkteam {area.name} {index + 1}")
            team.areas.add(area)
            team.workload = 0.0
            teams.append(team)
        self.teams_by_area: dict[int, list[Team]] = {}
        for team in teams:
            area = team.areas.get()
            self.teams_by_area.setdefault(area.pk, []).append(team)
        for area in self.areas:
            for team in self.teams_by_area[area.pk]:
                team.workload += area.inhabitants / len(self.teams_by_area[area.pk])
        total = sum(team.workload for team in teams)
        workers = max(0, self.scale.professionals - len(teams))
        # Largest remainder: the quotas add up to exactly the professionals of the scale.
        shares = [workers * team.workload / total for team in teams]
        quota = [int(share) for share in shares]
        by_remainder = sorted(range(len(teams)), key=lambda i: (-(shares[i] - quota[i]), i))
        for i in by_remainder[: workers - sum(quota)]:
            quota[i] += 1
        quota = [max(1, q) for q in quota]
        password = _demo_password_hash()
        self.members: dict[int, list[int]] = {team.pk: [] for team in teams}
        users = []
        for team, extra in zip(teams, quota, strict=True):
            for position in range(extra + 1):
                index = len(users)
                leader = position == 0
                user = User(
                    username=f"prof{index:04d}",
                    first_name=f"Professional {index}",
                    last_name=team.name,
                    role=Role.TEAM_LEADER if leader else Role.SOCIAL_WORKER,
                    municipality=self.municipality,
                    password=password,
                )
                users.append((user, team, leader))
        User.objects.bulk_create([u for u, _, _ in users], batch_size=1000)
        TeamMembership.objects.bulk_create(
            [TeamMembership(team=team, user=user, is_leader=leader) for user, team, leader in users], batch_size=1000
        )
        through = User.expertises.through
        through.objects.bulk_create(
            [through(user_id=user.pk, expertise_id=rng.choice(expertise).pk) for user, _, _ in users], batch_size=1000
        )
        for user, team, _leader in users:
            self.members[team.pk].append(user.pk)
        self.users = {user.pk: user.role for user, _, _ in users}
        self.user_names = {user.pk: str(user) for user, _, _ in users}
        return len(users) + len(teams)

    # --- people ------------------------------------------------------------------------------
    def _names(self) -> tuple[list[str], list[str], list[tuple[str, str]]]:
        persons = load_json("brp", "brp_testpersonen.json")
        male, female, surnames = set(), set(), set()
        for person in persons:
            name = person.get("naam", {})
            given = (name.get("voornamen") or "").split(" ")[0]
            if not given or any(ch.isdigit() for ch in given + name.get("geslachtsnaam", "")):
                continue
            (male if person.get("geslacht", {}).get("code") == "M" else female).add(given)
            if len(name.get("geslachtsnaam", "")) < 40:
                surnames.add((name.get("voorvoegsel", ""), name["geslachtsnaam"]))
        return sorted(male), sorted(female), sorted(surnames)

    def people(self) -> int:
        rng = self.rng
        male, female, surnames = self._names()
        postcodes = {
            a.pk: list(PostcodeArea.objects.filter(area=a).values_list("postcode4", flat=True)) for a in self.areas
        }
        weights = [a.inhabitants for a in self.areas]
        residents = TableWriter(
            Resident,
            [
                "id",
                "bsn_hash",
                "bsn_encrypted",
                "voornamen",
                "voorvoegsel",
                "geslachtsnaam",
                "geslacht",
                "birth_date",
                "straat",
                "huisnummer",
                "postcode",
                "woonplaats",
                "area",
                "search_text",
                "created_at",
                "updated_at",
                "naamgebruik",
                "adellijke_titel",
                "partner_voorvoegsel",
                "partner_geslachtsnaam",
                "huisletter",
                "huisnummertoevoeging",
                "phone",
                "email",
                "partner_adellijke_titel",
                "partner_ended",
                "address_abroad",
                "country",
                "rni",
                "geheimhouding",
            ],
        )
        households = TableWriter(Household, ["id", "label", "area", "municipality", "created_at"])
        members = TableWriter(HouseholdMember, ["id", "household", "resident", "relation", "lives_here"])
        resident_id, household_id, member_id = _next_id(Resident), _next_id(Household), _next_id(HouseholdMember)
        self.households: list[tuple[int, int, int]] = []  # (household id, main resident id, area id)
        now = timezone.now()
        sizes = self._household_sizes()
        bsn_seed = 100_000_000
        for size in sizes:
            area = rng.choices(self.areas, weights=weights)[0]
            prefix, surname = rng.choice(surnames)
            digits = rng.choice(postcodes[area.pk] or ["8900"])
            postcode = digits + chr(65 + rng.randrange(26)) + chr(65 + rng.randrange(26))
            number = rng.randint(1, 250)
            head_age = rng.randint(19, 95)
            main_id = resident_id
            households.add(household_id, " ".join(filter(None, [prefix, surname])), area.pk, area.municipality_id, now)
            for position in range(size):
                relation, age = self._member(position, head_age)
                sex = rng.choice("MV")
                given = rng.choice(male if sex == "M" else female)
                birth = self.today - timedelta(days=age * 365 + rng.randrange(365))
                bsn_seed, bsn = _next_bsn(bsn_seed)
                residents.add(
                    resident_id,
                    crypto.keyed_hash(bsn),
                    crypto.encrypt(bsn),
                    given,
                    prefix,
                    surname,
                    sex,
                    birth,
                    "Dorpsstraat",
                    number,
                    postcode.replace("SS", "ST").replace("SA", "ST").replace("SD", "ST"),
                    "Leeuwarden",
                    area.pk,
                    normalise_text(f"{given} {prefix} {surname}"),
                    now,
                    now,
                    "E",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    False,
                    "",
                    "",
                    False,
                    False,
                )
                members.add(member_id, household_id, resident_id, relation, True)
                resident_id += 1
                member_id += 1
            self.households.append((household_id, main_id, area.pk))
            household_id += 1
        for writer in (households, residents, members):
            writer.flush()
        return residents.count

    def _household_sizes(self) -> list[int]:
        """Sizes that add up to the number of residents with the number of households asked."""
        rng = self.rng
        target, count = self.scale.residents, self.scale.households
        sizes = [1] * count
        for _ in range(target - count):
            sizes[rng.randrange(count)] += 1
        return [min(size, 9) for size in sizes]

    @staticmethod
    def _member(position: int, head_age: int) -> tuple[str, int]:
        if position == 0:
            return Relation.MAIN, head_age
        if position == 1 and head_age > 25:
            return Relation.PARTNER, max(19, head_age + random.Random(head_age).randint(-5, 5))
        return Relation.CHILD, max(0, min(head_age - 20, 17 - position))

    # --- casework ----------------------------------------------------------------------------
    def casework(self) -> int:
        rng = self.rng
        cases = TableWriter(
            Case,
            [
                "id",
                "reference",
                "household",
                "resident",
                "team",
                "regisseur",
                "status",
                "question",
                "triage",
                "triage_reason",
                "melding_date",
                "onderzoek_due",
                "opened_at",
                "status_changed_at",
                "closed_at",
                "end_reason",
                "end_note",
                "version",
                "updated_at",
            ],
        )
        frameworks = TableWriter(Case.frameworks.through, ["case_id", "legalframework_id"])
        domains = TableWriter(Case.life_domains.through, ["case_id", "lifedomain_id"])
        events = TableWriter(CaseEvent, ["case", "at", "by", "kind", "summary", "data", "note"], batch=20000)
        contacts = TableWriter(
            Contact,
            [
                "case",
                "professional",
                "kind",
                "status",
                "planned_at",
                "happened_at",
                "duration_minutes",
                "note",
                "created_at",
            ],
            batch=20000,
        )
        involvements = TableWriter(CaseInvolvement, ["case", "user", "added_at", "ended_at"])
        case_id = _next_id(Case)
        self.cases: list[tuple[int, int, int, int, int]] = []  # case, household, resident, team, regisseur
        self.case_work: list[tuple[date, date | None, tuple[str, ...]]] = []  # start, closed on, life domains
        span = self.scale.years * 365
        contacts_left = self.scale.contacts
        labels = {status: msgid(status.label) for status in Status}
        open_share = 0.12
        for _ in range(self.scale.cases):
            household, resident, area = self.households[rng.randrange(len(self.households))]
            team = rng.choice(self.teams_by_area[area])
            regisseur = rng.choice(self.members[team.pk])
            question = rng.choice(QUESTIONS)
            # Most cases are closed; the open ones started in the last year.
            is_open = rng.random() < open_share
            start = self.today - timedelta(days=rng.randrange(365 if is_open else span))
            opened = _at(start, 9)
            path = self._path(is_open, start)
            status, changed = path[-1]
            closed = _at(changed, 16) if status == Status.AFGESLOTEN else None
            due = deadlines.onderzoek_due(start) if "wmo" in question.frameworks else None
            cases.add(
                case_id,
                f"{start.year}-{case_id:07d}",
                household,
                resident,
                team.pk,
                regisseur,
                status,
                question.text,
                question.triage,
                "",
                start,
                due,
                opened,
                _at(changed, 11),
                closed,
                "19" if closed else "",
                "",
                1,
                _at(changed, 11),
            )
            for code in question.frameworks:
                frameworks.add(case_id, self.frameworks[code])
            for code in question.domains:
                domains.add(case_id, self.domains[code])
            events.add(case_id, opened, regisseur, "opened", "Case opened in team %(team)s", {"team": team.name}, "")
            previous = Status.AANGEMELD
            for step_status, day in path[1:]:
                events.add(
                    case_id,
                    _at(day, 11),
                    regisseur,
                    "closed" if step_status == Status.AFGESLOTEN else "status",
                    "Status changed from %(old)s to %(new)s",
                    {
                        "old": labels[previous],
                        "new": labels[step_status],
                        "old_code": previous,
                        "new_code": step_status,
                    },
                    "",
                )
                previous = step_status
            # Contacts: spread over the case's life, more for long open cases.
            share = max(1, int(rng.expovariate(1 / (self.scale.contacts / self.scale.cases))))
            share = min(share, contacts_left)
            end = changed if closed else self.today
            for _ in range(share):
                day = start + timedelta(days=rng.randrange(max(1, (end - start).days)))
                contacts.add(
                    case_id,
                    regisseur,
                    rng.choice([ContactKind.HUISBEZOEK, ContactKind.TELEFOON]),
                    ContactStatus.DONE,
                    None,
                    _at(day, 14),
                    rng.choice([15, 30, 60]),
                    "",
                    _at(day, 15),
                )
            contacts_left -= share
            if not closed and rng.random() < 0.6:
                day = self.today + timedelta(days=rng.randrange(1, 28))
                contacts.add(
                    case_id,
                    regisseur,
                    ContactKind.HUISBEZOEK,
                    ContactStatus.PLANNED,
                    _at(day, 10),
                    None,
                    None,
                    "",
                    _at(self.today, 8),
                )
            if rng.random() < 0.1:
                other = rng.choice(self.members[team.pk])
                if other != regisseur:
                    involvements.add(case_id, other, opened, None)
            self.cases.append((case_id, household, resident, team.pk, regisseur))
            self.case_work.append((start, changed if closed else None, question.domains))
            case_id += 1
        # Top up to the scale's number of contacts: one more done contact per case, newest first.
        index = len(self.cases) - 1
        while contacts.count + len(contacts.rows) < self.scale.contacts:
            case, _household, _resident, _team, regisseur = self.cases[index]
            start, closed_on, _domains = self.case_work[index]
            day = start + timedelta(days=rng.randrange(max(1, ((closed_on or self.today) - start).days)))
            kind = rng.choice([ContactKind.HUISBEZOEK, ContactKind.TELEFOON])
            contacts.add(case, regisseur, kind, ContactStatus.DONE, None, _at(day, 14), 30, "", _at(day, 15))
            index = (index - 1) % len(self.cases)
        for writer in (cases, frameworks, domains, events, contacts, involvements):
            writer.flush()
        self.report.counts["events"] = events.count
        self.report.counts["contacts"] = contacts.count
        return cases.count

    def _path(self, is_open: bool, start: date) -> list[tuple[str, date]]:
        """The statuses a case went through, with their dates, up to today."""
        rng = self.rng
        steps = [
            (Status.INTAKE, rng.randint(1, 5)),
            (Status.ONDERZOEK, rng.randint(2, 10)),
            (Status.PLAN, rng.randint(10, 45)),
            (Status.UITVOERING, rng.randint(3, 10)),
            (Status.EVALUATIE, rng.randint(60, 300)),
        ]
        path, day = [(Status.AANGEMELD, start)], start
        for status, gap in steps:
            if is_open and len(path) > 1 and rng.random() < 0.25:
                return path
            day += timedelta(days=gap)
            if day >= self.today:
                break
            path.append((status, day))
        if is_open:
            return path
        # Closed cases close from wherever they got to, by yesterday at the latest.
        last = path[-1][1]
        closing = min(last + timedelta(days=rng.randint(5, 60)), self.today - timedelta(days=1))
        path.append((Status.AFGESLOTEN, max(last, closing)))
        return path

    # --- plans and ZRM ------------------------------------------------------------------------
    def plans(self) -> int:
        """One plan per household (the household of a case, most recent cases first), with goals
        on the case's life domains and actions under each goal; version 1 keeps the snapshot."""
        rng = self.rng
        plans = TableWriter(
            Plan,
            [
                "id",
                "household",
                "regisseur",
                "summary",
                "agreed_on",
                "agreement",
                "evaluate_on",
                "version",
                "updated_at",
                "updated_by",
            ],
        )
        versions = TableWriter(PlanVersion, ["plan", "number", "snapshot", "change", "data", "by", "at"])
        goals = TableWriter(Goal, ["id", "plan", "domain", "description", "target_score", "due_on", "status"])
        actions = TableWriter(PlanAction, ["goal", "description", "actor", "actor_name", "due_on", "status"])
        plan_id, goal_id = _next_id(Plan), _next_id(Goal)
        planned: set[int] = set()
        names = dict(LifeDomain.objects.values_list("code", "name"))
        for index in range(len(self.cases) - 1, -1, -1):
            if len(planned) >= self.scale.plans:
                break
            _case, household, _resident, _team, regisseur = self.cases[index]
            if household in planned:
                continue
            planned.add(household)
            start, closed_on, domains = self.case_work[index]
            agreed = start + timedelta(days=rng.randint(14, 40))
            agreed = agreed if agreed < self.today else None
            done = closed_on is not None
            stamp = _at(agreed or start, 12)
            snapshot_goals = []
            for code in domains[: rng.randint(1, len(domains))]:
                due = start + timedelta(days=rng.randint(90, 270))
                status = rng.choice([GoalStatus.REACHED, GoalStatus.PARTLY]) if done else GoalStatus.OPEN
                text = f"Over een half jaar gaat het beter op het gebied {names[code].lower()}."
                target = rng.randint(3, 5)
                goals.add(goal_id, plan_id, self.domains[code], text, target, due, status)
                snapshot_actions = []
                for number in range(rng.randint(1, 3)):
                    actor = rng.choice([Actor.RESIDENT, Actor.NETWORK, Actor.PROFESSIONAL])
                    action_status = ActionStatus.DONE if done else rng.choice([ActionStatus.TODO, ActionStatus.DOING])
                    action_text = f"Stap {number + 1}: samen afspraken maken en die nakomen."
                    actions.add(goal_id, action_text, actor, "", due, action_status)
                    snapshot_actions.append(
                        {
                            "description": action_text,
                            "actor": actor,
                            "due_on": due.isoformat(),
                            "status": action_status,
                        }
                    )
                snapshot_goals.append(
                    {
                        "id": goal_id,
                        "domain": names[code],
                        "domain_code": code,
                        "description": text,
                        "target_score": target,
                        "due_on": due.isoformat(),
                        "status": status,
                        "actions": snapshot_actions,
                    }
                )
                goal_id += 1
            summary = "Weer grip krijgen op de eigen situatie, met hulp van het netwerk."
            evaluate = (agreed or start) + timedelta(days=180)
            plans.add(
                plan_id,
                household,
                regisseur,
                summary,
                agreed,
                "getekend" if agreed else "",
                evaluate,
                1,
                stamp,
                regisseur,
            )
            snapshot = {
                "regisseur": self.user_names[regisseur],
                "summary": summary,
                "agreed_on": agreed.isoformat() if agreed else None,
                "agreement": "getekend" if agreed else "",
                "evaluate_on": evaluate.isoformat(),
                "goals": snapshot_goals,
                "arrangements": [],
            }
            versions.add(plan_id, 1, snapshot, "Plan started", {}, regisseur, stamp)
            plan_id += 1
        for writer in (plans, goals, actions, versions):
            writer.flush()
        self.report.counts["goals"] = goals.count
        self.report.counts["actions"] = actions.count
        return plans.count

    def assessments(self) -> int:
        """ZRM assessments of the most recent cases: a start assessment on the case's domains,
        and a final one for closed cases."""
        rng = self.rng
        assessments = TableWriter(Assessment, ["id", "case", "assessed_on", "moment", "by", "note", "created_at"])
        scores = TableWriter(DomainScore, ["assessment", "domain", "score", "reason"], batch=20000)
        assessment_id = _next_id(Assessment)
        reasons = {
            1: "Acute zorgen.",
            2: "Lukt niet zonder hulp.",
            3: "Lukt deels.",
            4: "Lukt voldoende.",
            5: "Geen zorgen.",
        }
        index = len(self.cases) - 1
        while assessments.count + len(assessments.rows) < self.scale.assessments and index >= 0:
            case, _household, _resident, _team, regisseur = self.cases[index]
            start, closed_on, domains = self.case_work[index]
            moments = [(Moment.START, start + timedelta(days=rng.randint(3, 20)), 0)]
            if closed_on is not None:
                moments.append((Moment.FINAL, closed_on, 1))
            for moment, day, better in moments:
                if day >= self.today:
                    continue
                assessments.add(assessment_id, case, day, moment, regisseur, "", _at(day, 13))
                for code in domains:
                    score = min(5, rng.randint(1, 3) + better)
                    scores.add(assessment_id, self.domains[code], score, reasons[score])
                assessment_id += 1
            index -= 1
        for writer in (assessments, scores):
            writer.flush()
        self.report.counts["domain scores"] = scores.count
        return assessments.count

    # --- intake, policy --------------------------------------------------------------------
    def intake_and_policy(self) -> int:
        return add_intake_and_policy(self.municipality, self.scale, seed=self.seed, today=self.today, log=self.log)

    # --- access log --------------------------------------------------------------------------
    def tally_counts(self) -> int:
        """The pre-aggregated case counts (insights.tallies), counted once after the load."""
        StaleDay.objects.all().delete()  # what the triggers noted where they could not be switched off
        tallies.recount()
        return Tally.objects.count()

    def access_log(self) -> int:
        span_seconds = self.scale.years * 365 * 86400
        end = timezone.make_aware(datetime.combine(self.today, clock_time(18)))
        if connection.vendor == "postgresql":
            return self._access_log_in_database(span_seconds, end)
        writer = TableWriter(
            AccessLog,
            [
                "at",
                "user",
                "role",
                "action",
                "purpose",
                "resident_id",
                "household_id",
                "case_id",
                "client_address",
                "detail",
            ],
            batch=20000,
        )
        for _ in range(self.scale.access_log):
            case, household, resident, team, _regisseur = self.cases[self.rng.randrange(len(self.cases))]
            user = self.rng.choice(self.members[team])
            at = end - timedelta(seconds=self.rng.randrange(span_seconds))
            writer.add(at, user, self.users[user], "view", "casework", resident, household, case, "10.0.0.1", "")
        writer.flush()
        return writer.count

    def _access_log_in_database(self, span_seconds: int, end: datetime) -> int:
        """Ten million rows are made by PostgreSQL itself: random cases read by members of their
        team, spread over the years (setseed keeps it deterministic)."""
        first, last = self.cases[0][0], self.cases[-1][0]
        with connection.cursor() as cursor, _without_secondary_indexes(cursor, AccessLog._meta.db_table):
            cursor.execute("SELECT setseed(0.2015)")
            cursor.execute(
                "CREATE TEMP TABLE citygen_team_users ON COMMIT DROP AS "
                "SELECT team_id, array_agg(user_id ORDER BY user_id) AS users "
                "FROM teams_teammembership GROUP BY team_id"
            )
            cursor.execute(
                """
                INSERT INTO privacy_accesslog
                    (at, user_id, role, action, purpose, resident_id, household_id, case_id, client_address, detail)
                SELECT %(end)s - make_interval(secs => floor(random() * %(span)s)),
                       u.user_id, usr.role, 'view', 'casework', c.resident_id, c.household_id, c.id, '10.0.0.1', ''
                FROM (SELECT g, %(first)s + floor(random() * %(n)s)::bigint AS case_id
                      FROM generate_series(1, %(rows)s) AS g) AS pick
                JOIN cases_case c ON c.id = pick.case_id
                JOIN citygen_team_users tu ON tu.team_id = c.team_id
                CROSS JOIN LATERAL (
                    SELECT tu.users[1 + floor(random() * array_length(tu.users, 1))::int + (pick.g * 0)] AS user_id
                ) AS u
                JOIN accounts_user usr ON usr.id = u.user_id
                """,
                {
                    "end": end,
                    "span": span_seconds,
                    "first": first,
                    "n": last - first + 1,
                    "rows": self.scale.access_log,
                },
            )
            return cursor.rowcount


# Partner organisations of the whole city, beside one GP practice per district.
CITY_PARTNERS = (
    ("Politie Fryslân, basisteam {city}", OrganisationKind.POLITIE),
    ("Woningcorporatie {city}", OrganisationKind.WONINGCORPORATIE),
    ("Kredietbank {city}", OrganisationKind.KREDIETBANK),
    ("Veilig Thuis Fryslân", OrganisationKind.VEILIG_THUIS),
    ("GGZ {city}", OrganisationKind.GGZ),
)
CONCERNS = (
    "Schulden lopen op, post blijft ongeopend.",
    "Huurachterstand van drie maanden; bewoner reageert niet op brieven.",
    "Zorgen over eenzaamheid en verwaarlozing van de woning.",
    "Kind verzuimt vaak school, ouder lijkt overbelast.",
    "Psychische klachten, dreigt werk te verliezen.",
)


def add_intake_and_policy(municipality, scale: Scale, *, seed: int, today: date, log: Callable = print) -> int:
    """What the policy and intake pages read: a policy officer, partner organisations (a GP
    practice per district and five city-wide partners), each with an API key (only its hash is
    kept, as always), their referrals (one in ten cases came in by a partner's referral, and a
    few per team are still waiting in the queue) and the published CBS figures of the
    municipality (data/). Reads the city from the database, so it can be added to a city
    generated before it existed. Its own seeded generator: the rest of the city is unchanged."""
    from insights.importers import import_figures
    from insights.models import Figure

    rng = random.Random(seed + 8)
    User.objects.create(
        username="beleid0001",
        first_name="Beleidsmedewerker",
        last_name=municipality.name,
        role=Role.POLICY_OFFICER,
        municipality=municipality,
        password=_demo_password_hash(),
    )
    districts = Area.objects.filter(municipality=municipality, kind="wijk").order_by("cbs_code")
    organisations = [
        Organisation(municipality=municipality, name=f"Huisartsenpraktijk {area.name}", kind=OrganisationKind.HUISARTS)
        for area in districts
    ]
    organisations += [
        Organisation(municipality=municipality, name=name.format(city=municipality.name), kind=kind)
        for name, kind in CITY_PARTNERS
    ]
    Organisation.objects.bulk_create(organisations)
    organisations = list(Organisation.objects.filter(municipality=municipality).order_by("pk"))
    for organisation in organisations:
        key = f"city-{rng.getrandbits(128):032x}"  # never shown: the benchmark issues its own key
        PartnerToken.objects.create(
            organisation=organisation, name="Koppeling", key_hash=hash_token(key), prefix=key[:8]
        )
    cases = list(
        Case.objects.filter(team__municipality=municipality)
        .order_by("pk")
        .values_list(
            "pk",
            "team_id",
            "regisseur_id",
            "melding_date",
            "resident__voornamen",
            "resident__geslachtsnaam",
            "resident__birth_date",
            "resident__postcode",
            "resident__huisnummer",
        )
    )
    writer = TableWriter(
        Referral,
        [
            "municipality",
            "source",
            "organisation",
            "client_reference",
            "name",
            "birth_date",
            "postcode",
            "huisnummer",
            "phone",
            "email",
            "concern",
            "closing_note",
            "resident_informed",
            "team",
            "received_at",
            "case",
            "taken_up_by",
        ],
    )
    number = 0

    def refer(case, *, taken_up: bool, received: datetime) -> None:
        nonlocal number
        number += 1
        _pk, team, regisseur, _melding, first_names, surname, born, postcode, huisnummer = case
        writer.add(
            municipality.pk,
            ReferralSource.PARTNER,
            rng.choice(organisations).pk,
            f"REF-{number:07d}",
            f"{first_names} {surname}",
            born,
            postcode,
            huisnummer,
            "",
            "",
            rng.choice(CONCERNS),
            "",
            rng.random() < 0.8,
            team,
            received,
            case[0] if taken_up else None,
            (regisseur if taken_up else None),
        )

    for case in sorted(rng.sample(cases, min(len(cases), scale.cases // 10))):
        refer(case, taken_up=True, received=_at(case[3] - timedelta(days=1), 9))
    by_team: dict[int, list[tuple]] = {}
    for case in cases:
        by_team.setdefault(case[1], []).append(case)
    teams = sorted(by_team)
    for index in range(max(2 * len(teams), scale.cases // 1000) if teams else 0):
        # Someone already known to the team, referred again: the queue's latest arrivals.
        case = rng.choice(by_team[teams[index % len(teams)]])
        refer(case, taken_up=False, received=_at(today - timedelta(days=rng.randrange(14)), 10))
    writer.flush()
    figures = 0
    if not Figure.objects.filter(region_code=municipality.cbs_code).exists():
        figures = sum(report.imported for report in import_figures(municipalities=[municipality.cbs_code]))
    log(f"    {len(organisations)} partner organisations, {writer.count:,} referrals, {figures:,} figures")
    return 1 + len(organisations) + writer.count


@contextmanager
def _without_secondary_indexes(cursor, table: str) -> Iterator[None]:
    """Bulk loading: drop the table's secondary indexes and build them again afterwards, which is
    several times faster than maintaining them row by row."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE %s", [table, "%_pkey"]
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the deferred foreign-key checks first
    for _name, definition in indexes:
        cursor.execute(definition)


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock_time(hour)))


def _next_bsn(seed: int) -> tuple[int, str]:
    """The next number after ``seed`` that passes the eleven-test (fictional BSNs)."""
    while True:
        seed += 1
        digits = f"{seed:09d}"
        total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
        if total % 11 == 0:
            return seed, digits
