"""The functional administrator runs their own municipality through the application: municipality,
teams, users, partner organisations, budgets and smoelenboek, every change in the history. Other
roles get 403; another municipality's records are 404."""

import pytest
from django.contrib.auth import authenticate
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.factories import UserFactory
from accounts.models import Role, User
from areas.factories import AreaFactory, MunicipalityFactory
from conftest import login
from maatwerk.models import Budget
from partners.factories import OrganisationFactory
from partners.models import PartnerContact
from privacy.models import FieldChange
from teams.factories import TeamFactory
from teams.models import Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    return UserFactory(role=Role.ADMINISTRATOR, municipality=world.municipality, first_name="Bart")


@pytest.fixture
def as_admin(admin):
    return login(admin)


def test_the_municipality_and_its_positioning(world, as_admin):
    response = as_admin.post("/beheer/", {"name": "Leeuwarden", "positioning": "regie", "procurement_model": "keuze"})
    assert response.status_code == 302
    world.municipality.refresh_from_db()
    assert world.municipality.positioning == "regie"
    change = FieldChange.objects.get(record="areas.municipality", field="positioning")
    assert (change.new, change.by.first_name) == ("regie", "Bart")
    page = as_admin.get("/beheer/").content.decode()
    assert "Regie" in page or "regie" in page
    assert as_admin.post("/beheer/", {"name": "", "positioning": "x"}).status_code == 400


def test_a_team_with_the_districts_it_serves(world, as_admin):
    response = as_admin.post(
        "/beheer/teams/nieuw/", {"name": "Wijkteam Oost", "areas": [world.area_a.pk, world.area_b.pk]}
    )
    assert response.status_code == 302
    team = Team.objects.get(name="Wijkteam Oost")
    assert set(team.areas.all()) == {world.area_a, world.area_b}
    assert team.municipality == world.municipality
    as_admin.post(f"/beheer/teams/{team.pk}/", {"name": "Wijkteam Oost", "areas": [world.area_a.pk]})
    assert list(team.areas.all()) == [world.area_a]
    history = as_admin.get(f"/beheer/teams/{team.pk}/").content.decode()
    assert "Goutum" in history  # the old value of the districts served
    other = AreaFactory(municipality=MunicipalityFactory(cbs_code="GM0074", name="Heerenveen"))
    refused = as_admin.post("/beheer/teams/nieuw/", {"name": "Elders", "areas": [other.pk]})
    assert refused.status_code == 400 and not Team.objects.filter(name="Elders").exists()


def test_a_user_is_made_changed_deactivated_reset_and_moved(world, as_admin, admin):
    # The list narrows as you type (an HTMX partial; the whole page without script).
    page = as_admin.get("/beheer/gebruikers/", {"q": world.leader.username}).content.decode()
    assert world.leader.username in page and world.outsider.username not in page
    partial = as_admin.get("/beheer/gebruikers/", {"q": world.leader.username}, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "<html" not in html and world.leader.username in html and world.worker.username not in html

    response = as_admin.post(
        "/beheer/gebruikers/nieuw/",
        {
            "username": "sanne",
            "first_name": "Sanne",
            "last_name": "de Vries",
            "email": "sanne@example.org",
            "role": Role.SOCIAL_WORKER,
            "team": world.team_a.pk,
            "password": "een lang genoeg wachtwoord 42",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    sanne = User.objects.get(username="sanne")
    assert (sanne.municipality, sanne.is_active) == (world.municipality, True)
    assert authenticate(username="sanne", password="een lang genoeg wachtwoord 42") == sanne
    assert world.team_a.members.filter(pk=sanne.pk).exists()
    assert FieldChange.objects.filter(record="accounts.user", record_id=sanne.pk, field="role").exists()
    assert FieldChange.objects.filter(record="teams.team", record_id=world.team_a.pk, field="members").exists()

    as_admin.post(
        f"/beheer/gebruikers/{sanne.pk}/",
        {
            "username": "sanne",
            "first_name": "Sanne",
            "last_name": "de Vries",
            "role": Role.TEAM_LEADER,
            "team": world.team_b.pk,
            "leads": "on",
        },
    )
    sanne.refresh_from_db()
    assert sanne.role == Role.TEAM_LEADER
    assert [(m.team, m.is_leader) for m in sanne.memberships.all()] == [(world.team_b, True)]

    TOTPDevice.objects.create(user=sanne, name="app", confirmed=True)
    as_admin.post(f"/beheer/gebruikers/{sanne.pk}/tweede-stap/")
    assert not TOTPDevice.objects.filter(user=sanne).exists()
    as_admin.post(f"/beheer/gebruikers/{sanne.pk}/deactiveren/")
    sanne.refresh_from_db()
    assert not sanne.is_active
    page = as_admin.get(f"/beheer/gebruikers/{sanne.pk}/").content.decode()
    assert "Tweede stap" in page and "Actief" in page

    elsewhere = MunicipalityFactory(name="Heerenveen", cbs_code="GM0074")
    as_admin.post(f"/beheer/gebruikers/{sanne.pk}/verhuizen/", {"municipality": elsewhere.pk})
    sanne.refresh_from_db()
    assert sanne.municipality == elsewhere and not sanne.memberships.exists()
    assert as_admin.get(f"/beheer/gebruikers/{sanne.pk}/").status_code == 404, "now the other's to manage"


def test_a_weak_password_or_a_missing_name_is_answered_beside_the_field(world, as_admin):
    response = as_admin.post(
        "/beheer/gebruikers/nieuw/", {"username": "x", "role": Role.SOCIAL_WORKER, "password": "123"}
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="x").exists()
    assert 'aria-invalid="true"' in response.content.decode()


def test_partner_organisations_budgets_and_the_smoelenboek(world, as_admin):
    created = as_admin.post(
        "/beheer/organisaties/nieuw/", {"name": "Politie Leeuwarden", "kind": "politie", "active": "on"}
    )
    assert created.status_code == 302
    assert "Politie Leeuwarden" in as_admin.get("/beheer/organisaties/").content.decode()
    organisation = OrganisationFactory(municipality=world.municipality, name="Huisartsenpraktijk Huizum")
    response = as_admin.post(
        "/beheer/smoelenboek/nieuw/",
        {"organisation": organisation.pk, "name": "Joke Visser", "role": "praktijkondersteuner", "active": "on"},
    )
    assert response.status_code == 302
    contact = PartnerContact.objects.get(name="Joke Visser")
    assert "Joke Visser" in as_admin.get("/beheer/smoelenboek/").content.decode()
    as_admin.post(
        f"/beheer/smoelenboek/{contact.pk}/",
        {"organisation": organisation.pk, "name": "Joke Visser", "role": "POH-GGZ", "active": ""},
    )
    contact.refresh_from_db()
    assert (contact.role, contact.active) == ("POH-GGZ", False)

    assert as_admin.post("/beheer/budgetten/nieuw/", {"year": 2027, "amount": "250000"}).status_code == 302
    assert Budget.objects.get(municipality=world.municipality, year=2027).amount == 250000
    twice = as_admin.post("/beheer/budgetten/nieuw/", {"year": 2027, "amount": "1"})
    assert twice.status_code == 400
    assert FieldChange.objects.filter(record="maatwerk.budget", field="amount", new="250000").exists()


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMINISTRATOR])
def test_other_roles_get_403(world, role):
    client = login(UserFactory(role=role, municipality=world.municipality))
    for url in ("/beheer/", "/beheer/gebruikers/", "/beheer/teams/", f"/beheer/teams/{world.team_a.pk}/"):
        assert client.get(url).status_code == 403, url


def test_an_administrator_of_another_municipality_sees_none_of_this_one(world):
    other = MunicipalityFactory(name="Heerenveen", cbs_code="GM0074")
    theirs = login(UserFactory(role=Role.ADMINISTRATOR, municipality=other))
    TeamFactory(municipality=other, name="Team Heerenveen")
    organisation = OrganisationFactory(municipality=world.municipality)
    budget = Budget.objects.create(municipality=world.municipality, year=2027, amount=5)
    for url in (
        f"/beheer/teams/{world.team_a.pk}/",
        f"/beheer/gebruikers/{world.worker.pk}/",
        f"/beheer/organisaties/{organisation.pk}/",
        f"/beheer/budgetten/{budget.pk}/",
    ):
        assert theirs.get(url).status_code == 404, url
    assert theirs.post(f"/beheer/gebruikers/{world.worker.pk}/deactiveren/").status_code == 404
    listed = theirs.get("/beheer/teams/").content.decode()
    assert "Team Heerenveen" in listed and world.team_a.name not in listed
    assert world.worker.username not in theirs.get("/beheer/gebruikers/").content.decode()
    world.worker.refresh_from_db()
    assert world.worker.is_active


def test_the_first_administrator_of_a_new_municipality_from_the_command(monkeypatch, capsys):
    from django.core.management import call_command

    municipality = MunicipalityFactory(cbs_code="GM0090", name="Smallingerland")
    monkeypatch.setenv("FIRST_PASSWORD", "een lang genoeg wachtwoord 42")
    call_command("create_beheerder", "GM0090", "beheer-sm", "--password-from-env", "FIRST_PASSWORD")
    user = User.objects.get(username="beheer-sm")
    assert (user.role, user.municipality) == (Role.ADMINISTRATOR, municipality)
    assert login(user).get("/beheer/").status_code == 200
