"""One installation for several municipalities (a gemeenschappelijke regeling): each sees only its
own districts, teams, people, partners and figures, whatever the role."""

import pytest
from django.core.management import call_command

from accounts.factories import UserFactory
from accounts.models import Role
from areas.models import Area, Municipality
from conftest import login
from partners.factories import OrganisationFactory
from partners.models import PartnerContact
from teams.factories import TeamFactory

pytestmark = pytest.mark.django_db

KWB = (
    '"WijkenEnBuurten";"SoortRegio_2";"Codering_3";"AantalInwoners_5"\n'
    '"Smallingerland";"Gemeente";"GM0090";"56480"\n'
    '"Drachten-Centrum";"Wijk";"WK009000";"9150"\n'
)


@pytest.fixture
def two(world, tmp_path):
    path = tmp_path / "kwb-2024.csv"
    path.write_text(KWB, encoding="utf-8")
    call_command("import_areas", "GM0090", str(path))
    call_command("import_figures", "GM0090", "--kwb", str(path))
    other = Municipality.objects.get(cbs_code="GM0090")
    district = Area.objects.get(cbs_code="WK009000")
    team = TeamFactory(municipality=other, name="Wijkteam Drachten", areas=[district])
    practice = OrganisationFactory(municipality=other, name="Huisartsen De Drait")
    practice.areas.set([district])
    PartnerContact.objects.create(organisation=practice, name="Jikke Bosma", role="wijkagent")
    OrganisationFactory(municipality=world.municipality, name="Huisarts Huizum")
    people = {
        role: UserFactory(role=role, municipality=other, teams=[team] if role == Role.SOCIAL_WORKER else [])
        for role in (Role.SOCIAL_WORKER, Role.POLICY_OFFICER, Role.ADMINISTRATOR)
    }
    return other, people


PAGES = {
    Role.SOCIAL_WORKER: ["/wijken/", "/wijken/kaart/", "/smoelenboek/?q=a", "/mijn-werk/"],
    Role.POLICY_OFFICER: ["/wijken/", "/wijken/kaart/?cijfer=inwoners", "/managementinformatie/"],
    Role.ADMINISTRATOR: [
        "/beheer/",
        "/beheer/teams/",
        "/beheer/gebruikers/",
        "/beheer/organisaties/",
        "/beheer/smoelenboek/",
        "/beheer/partnersleutels/",
    ],
}
THEIRS = ("Drachten", "De Drait", "Jikke Bosma", "Smallingerland")
OURS = ("Huizum-West", "Goutum", "Wijkteam Nijlân", "Huisarts Huizum", "Leeuwarden")


@pytest.mark.parametrize("role", list(PAGES))
def test_each_municipality_sees_only_its_own(world, two, role):
    _other, people = two
    ours = login(UserFactory(role=role, municipality=world.municipality, teams=[world.team_a]))
    theirs = login(people[role])
    for url in PAGES[role]:
        page = ours.get(url)
        assert page.status_code == 200, url
        for name in THEIRS:
            assert name not in page.content.decode(), (url, name)
        page = theirs.get(url)
        assert page.status_code == 200, url
        for name in OURS:
            assert name not in page.content.decode(), (url, name)


def test_records_of_the_other_municipality_are_404(world, two):
    _other, people = two
    ours = login(world.policy)
    assert ours.get("/wijken/WK009000/").status_code == 404
    theirs = login(people[Role.POLICY_OFFICER])
    assert theirs.get("/wijken/WK008040/").status_code == 404
    assert theirs.get("/wijken/WK009000/").status_code == 200
    features = theirs.get("/wijken/kaart.geojson?cijfer=inwoners").json()["features"]
    assert all(f["properties"]["code"].startswith("WK0090") for f in features)
