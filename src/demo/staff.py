"""Leeuwarden's teams, their professionals and the demo logins (all names fictional)."""

import random
import zlib
from dataclasses import dataclass
from functools import cache

from django.contrib.auth.hashers import make_password

from accounts import twofactor
from accounts.models import Expertise, Role, User
from areas.models import Area, Municipality
from teams.models import Team, TeamMembership

DEMO_PASSWORD = "wijkteam-demo"  # noqa: S105 - demo only, printed by `make demo`

EXPERTISES = [
    ("financien", "Financiën en schulden"),
    ("jeugd", "Jeugd en gezin"),
    ("ggz", "Psychische gezondheid"),
    ("ouderen", "Ouderen"),
    ("wonen", "Wonen"),
    ("werk", "Werk en inkomen"),
    ("verslaving", "Verslaving"),
]

# Teams as the Leeuwarden sources name them (Nijlân & Huizum, Heechterp & Schieringen, Zuidwest),
# the rest by part of town; each district is served by one team.
TEAMS = [
    ("Wijkteam Nijlân & Huizum", ["WK008040", "WK008041"], "058 233 1001"),
    ("Wijkteam Heechterp & Schieringen", ["WK008050", "WK008051"], "058 233 1002"),
    ("Wijkteam Zuidwest", ["WK008070", "WK008071", "WK008072", "WK008073", "WK008074"], "058 233 1003"),
    ("Wijkteam Centrum", ["WK008010", "WK008011", "WK008020"], "058 233 1004"),
    ("Wijkteam West", ["WK008030", "WK008031", "WK008032"], "058 233 1005"),
    ("Wijkteam Noord", ["WK008060", "WK008061", "WK008062"], "058 233 1006"),
    ("Wijkteam Dorpen", ["WK008063", "WK008080", "WK008081", "WK008082"], "058 233 1007"),
]

FIRST_NAMES = [
    "Tjitske",
    "Hylke",
    "Wytse",
    "Anneke",
    "Baukje",
    "Durk",
    "Femke",
    "Gerben",
    "Lieuwe",
    "Ymkje",
    "Aukje",
    "Pieter",
    "Sanne",
    "Mohammed",
    "Yusuf",
    "Esra",
    "Karin",
    "Ruben",
    "Lotte",
    "Noor",
    "Thijs",
    "Hiske",
    "Jetske",
    "Sjoerd",
    "Wiebe",
    "Froukje",
    "Klaas",
    "Minke",
    "Rixt",
    "Tamar",
    "Bouke",
    "Jildou",
    "Harmen",
    "Sietse",
    "Willemijn",
]
SURNAMES = [
    "de Boer",
    "van der Meer",
    "Jansma",
    "Terpstra",
    "Veenstra",
    "Hiemstra",
    "Bakker",
    "Yilmaz",
    "Sijbesma",
    "Haarsma",
    "Feenstra",
    "Mulder",
    "Kok",
    "de Jong",
    "Huisman",
    "Wijnja",
    "Brouwer",
    "Kramer",
    "Nauta",
    "Osinga",
    "Reitsma",
    "Schaap",
    "Tolsma",
    "de Vries",
    "Wiersma",
]
JOB_TITLES = ["sociaal werker", "consulent Wmo", "jeugd- en gezinswerker", "schuldhulpverlener", "gespreksvoerder"]


@dataclass(frozen=True)
class Login:
    username: str
    first_name: str
    last_name: str
    role: str
    team: str | None
    leader: bool
    expertise: tuple[str, ...]
    explains: str


# A demo login in the team with no caseload: the cases of her team are her colleagues' (issue 6).
STAND_IN = "teamlid"

LOGINS = [
    Login(
        "sociaalwerker",
        "Sietske",
        "Hoekstra",
        Role.SOCIAL_WORKER,
        "Wijkteam Nijlân & Huizum",
        False,
        ("financien", "ouderen"),
        "social worker in Nijlân & Huizum, regisseur of the widow in Huizum",
    ),
    Login(
        "teamleider",
        "Geert",
        "Dijkstra",
        Role.TEAM_LEADER,
        "Wijkteam Nijlân & Huizum",
        True,
        (),
        "team leader of Nijlân & Huizum",
    ),
    Login(
        STAND_IN,
        "Anke",
        "de Jong",
        Role.SOCIAL_WORKER,
        "Wijkteam Nijlân & Huizum",
        False,
        ("ouderen",),
        "social worker in Nijlân & Huizum without cases of her own: sees a colleague's case as a card"
        " and opens it only by stating a reason (break the glass)",
    ),
    Login(
        "collega",
        "Jelle",
        "Postma",
        Role.SOCIAL_WORKER,
        "Wijkteam Zuidwest",
        False,
        ("jeugd",),
        "social worker in another team (Zuidwest): cannot see Nijlân & Huizum's dossiers",
    ),
    Login("beschikker", "Marije", "Visser", Role.BESCHIKKER, None, False, (), "decision maker of the municipality"),
    Login("beleid", "Rients", "Zijlstra", Role.POLICY_OFFICER, None, False, (), "policy officer: aggregates only"),
    Login("privacy", "Ilse", "Bosma", Role.PRIVACY_OFFICER, None, False, (), "privacy officer (FG)"),
    Login("beheer", "Bart", "Kuipers", Role.ADMINISTRATOR, None, False, (), "functional administrator"),
    Login("verwijzer", "Fatima", "El Amrani", Role.REFERRER, None, False, (), "GP who refers residents"),
]


def build_staff(municipality: Municipality, rng: random.Random) -> dict[str, Team]:
    expertise = {
        code: Expertise.objects.update_or_create(code=code, defaults={"name": name})[0] for code, name in EXPERTISES
    }
    teams: dict[str, Team] = {}
    for name, district_codes, phone in TEAMS:
        team = Team.objects.create(
            municipality=municipality,
            name=name,
            phone=phone,
            email=f"{_slug(name)}@wijkteam.example",
            address="Leeuwarden",
        )
        team.areas.set(Area.objects.filter(cbs_code__in=district_codes))
        teams[name] = team

    for login in LOGINS:
        user = _user(login.username, login.first_name, login.last_name, login.role, municipality)
        user.is_staff = login.role == Role.ADMINISTRATOR
        user.save(update_fields=["is_staff"])
        user.expertises.set([expertise[code] for code in login.expertise])
        if login.team:
            TeamMembership.objects.create(team=teams[login.team], user=user, is_leader=login.leader)

    names = [(first, last) for first in FIRST_NAMES for last in SURNAMES]
    rng.shuffle(names)
    codes = list(expertise)
    for team in teams.values():
        has_leader = team.memberships.filter(is_leader=True).exists()
        for index in range(5):
            first, last = names.pop()
            leader = not has_leader and index == 0
            user = _user(
                f"{first}.{last}".lower().replace(" ", ""),
                first,
                last,
                Role.TEAM_LEADER if leader else Role.SOCIAL_WORKER,
                municipality,
                job_title="teamleider" if leader else rng.choice(JOB_TITLES),
            )
            user.expertises.set([expertise[code] for code in rng.sample(codes, k=rng.choice([1, 1, 2]))])
            TeamMembership.objects.create(team=team, user=user, is_leader=leader)
    # Two-step sign-in is mandatory; demo accounts come pre-enrolled and the sign-in page shows the
    # current code in demo mode (accounts.twofactor.demo_code), under the demo banner.
    for user in User.objects.filter(municipality=municipality):
        twofactor.demo_enrol(user)
    return teams


def _user(username: str, first: str, last: str, role: str, municipality: Municipality, job_title: str = "") -> User:
    user = User(
        username=username,
        first_name=first,
        last_name=last,
        role=role,
        municipality=municipality,
        email=f"{username}@wijkteam.example",
        job_title=job_title,
        phone=f"06 {zlib.crc32(username.encode()) % 90000000 + 10000000}",
        password=_demo_password_hash(),
    )
    user.save()
    return user


@cache
def _demo_password_hash() -> str:
    """Hashing is slow on purpose; the demo users share one password, so hash it once."""
    return make_password(DEMO_PASSWORD)


def _slug(name: str) -> str:
    return name.lower().replace("wijkteam ", "").replace(" & ", "-").replace(" ", "-").replace("â", "a")
