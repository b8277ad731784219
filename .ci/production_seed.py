"""`make check-production`, before the server starts: what a functional administrator and a
colleague would have entered by then — a district, a team serving it, a social worker in the team
with a password (no second factor yet: the first sign-in enrols one), and a case with that worker
as its regisseur. Run as the application's database role, through the application's own services
where there are any. Prints CASE=<id>. Not part of docs/deployment.md: a real installation gets
these through its admin and its pages."""

import os
from datetime import date

from accounts.models import Role, User
from areas.models import Area, Municipality
from cases.models import LegalFramework
from cases.services import case_open
from people.services import resident_register
from teams.models import Team, TeamMembership

municipality = Municipality.objects.create(cbs_code="GM0080", name="Leeuwarden")
area = Area.objects.create(municipality=municipality, cbs_code="WK008040", name="Huizum-West")
team = Team.objects.create(municipality=municipality, name="Wijkteam Nijlân & Huizum")
team.areas.set([area])
worker = User.objects.create_user(
    username=os.environ["CHECK_USER"],
    password=os.environ["CHECK_PASSWORD"],
    role=Role.SOCIAL_WORKER,
    municipality=municipality,
    first_name="Sietske",
    last_name="Bosma",
)
TeamMembership.objects.create(team=team, user=worker)
resident = resident_register(
    voornamen="Jan",
    geslachtsnaam="de Vries",
    birth_date=date(1961, 4, 12),
    postcode="8921AB",
    huisnummer=4,
)
case = case_open(
    household=resident.households.get(),
    resident=resident,
    team=team,
    question="Kan de post en de rekeningen niet meer bijhouden.",
    frameworks=LegalFramework.objects.filter(code="wmo"),
    by=worker,
    regisseur=worker,
)
print(f"CASE={case.pk}")
