"""Every role lands on its own work after signing in (issue 23): through both sign-in steps over
HTTP, as a person does; and before the second step the page shows no menu and no name."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.factories import UserFactory
from accounts.models import Role
from conftest import login
from partners.factories import OrganisationFactory

from .conftest import PASSWORD

START_PAGES = {
    Role.SOCIAL_WORKER: "cases:my_work",
    Role.TEAM_LEADER: "insights:team_overview",
    Role.BESCHIKKER: "maatwerk:worklist",
    Role.POLICY_OFFICER: "insights:districts",
    Role.PRIVACY_OFFICER: "privacy:review",
    Role.ADMINISTRATOR: "administration:index",
    Role.REFERRER: "intake:refer",
}


def _person(world, role: str):
    teams = [world.team_a] if role in (Role.SOCIAL_WORKER, Role.TEAM_LEADER) else []
    organisation = OrganisationFactory(municipality=world.municipality) if role == Role.REFERRER else None
    user = UserFactory(
        role=role,
        municipality=world.municipality,
        teams=teams,
        leads=role == Role.TEAM_LEADER,
        organisation=organisation,
        is_staff=role == Role.ADMINISTRATOR,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def _after_password(user) -> tuple[Client, TOTPDevice]:
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client, device


@pytest.mark.parametrize("role", list(START_PAGES))
def test_every_role_lands_on_its_own_work_and_that_page_answers(world, role):
    user = _person(world, role)
    client, device = _after_password(user)
    # Signed in with the password, the front door leads to the second step, which returns there.
    front = client.get(reverse("home"))
    assert front.status_code == 302 and front["Location"] == reverse("accounts:twofactor") + "?next=%2F"
    second = client.get(front["Location"])
    assert second.context["next"] == "/"
    done = client.post(reverse("accounts:twofactor"), {"code": f"{totp(device.bin_key):06d}", "next": "/"})
    assert done["Location"] == "/"
    done = client.get("/")
    assert done.status_code == 302 and done["Location"] == reverse(START_PAGES[role])
    landed = client.get(done["Location"])
    assert landed.status_code == 200
    # The start page is reached from the menu and the name in the header, on every page.
    assert 'aria-label="Hoofdmenu"' in landed.content.decode()
    assert client.get(reverse("home"))["Location"] == reverse(START_PAGES[role])


def test_mijn_werk_sends_who_does_no_casework_to_their_own_work(world):
    """No dead end "Je rol werkt niet in dossiers": the old link (a bookmark) leads on."""
    for role in (Role.ADMINISTRATOR, Role.REFERRER):
        user = _person(world, role)
        client, device = _after_password(user)
        client.post(reverse("accounts:twofactor"), {"code": f"{totp(device.bin_key):06d}"})
        response = client.get(reverse("cases:my_work"))
        assert response.status_code == 302 and response["Location"] == reverse(START_PAGES[role])
        page = client.get(response["Location"]).content.decode()
        assert "Mijn werk" not in page and "werkt niet in dossiers" not in page


def test_the_second_step_shows_no_menu_and_no_name_until_it_is_passed(world):
    user = _person(world, Role.TEAM_LEADER)
    client, device = _after_password(user)
    page = client.get(reverse("accounts:twofactor"))
    html = page.content.decode()
    assert page.status_code == 200 and "Tweede stap" in html
    assert 'aria-label="Hoofdmenu"' not in html and "Mijn werk" not in html and "Teamoverzicht" not in html
    assert user.get_full_name() not in html and user.username not in html
    assert "Annuleren en uitloggen" in html  # the way out without the header
    # Other open pages (the accessibility statement) neither.
    assert user.get_full_name() not in client.get(reverse("accessibility")).content.decode()
    client.post(reverse("accounts:twofactor"), {"code": f"{totp(device.bin_key):06d}"})
    html = client.get(reverse("accessibility")).content.decode()
    assert 'aria-label="Hoofdmenu"' in html and user.get_full_name() in html


def test_a_team_leader_who_leads_no_team_yet_lands_on_mijn_werk(world):
    user = UserFactory(role=Role.TEAM_LEADER, municipality=world.municipality, teams=[world.team_a])
    response = login(user).get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:my_work") and response.status_code == 200
