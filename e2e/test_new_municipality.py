"""Issue 22: a municipality that is not in the demo is set up without a shell. Its districts come
from the KWB file it downloads (import_areas, import_figures) and its first administrator from
create_beheerder; the rest happens in the browser: the administrator sets the positioning, makes a
team, a partner organisation with an API key and a social worker, who signs in, enrols the second
step and registers a question. Every page passes axe (journey.arrive)."""

import subprocess
from base64 import b32decode

from django_otp.oath import TOTP
from playwright.sync_api import expect

from .clock import env_at_our_moment
from .conftest import DEMO

PASSWORD = "Drachten aan de Drait 2024!"  # noqa: S105 - a throwaway account of the test database
KWB = (
    '"ID";"WijkenEnBuurten";"Gemeentenaam_1";"SoortRegio_2";"Codering_3";"AantalInwoners_5";"Mannen_6"\n'
    '1;"Smallingerland";"Smallingerland";"Gemeente";"GM0090";"56480";"28010"\n'
    '2;"Drachten-Centrum";"Smallingerland";"Wijk";"WK009000";"9150";"."\n'
    '3;"Drachten-Noord";"Smallingerland";"Wijk";"WK009001";"7420";""\n'
)


def manage(*args: str, env: dict | None = None) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py with our own arguments
        [*DEMO["manage"], *args], env=env_at_our_moment({**DEMO["env"], **(env or {})}), check=True
    )


def enrol(journey, username: str, password: str) -> None:
    """Sign in for the first time: the app asks to set up the second step; the code is computed from
    the key shown for typing, as an authenticator app does."""
    journey.goto("/account/login/", step="login")
    journey.fill("Gebruikersnaam", username)
    journey.fill("Wachtwoord", password)
    journey.submit("Inloggen", step=f"enrol-{username}")
    expect(journey.page.get_by_role("heading", level=1)).to_have_text("Tweede stap instellen")
    secret = journey.page.locator("main code").first.inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    journey.fill("Code", f"{TOTP(key).token():06d}")
    journey.submit("Aanzetten", step=f"recovery-codes-{username}")
    journey.follow("Doorgaan", step=f"signed-in-{username}")


def test_a_new_municipality_is_set_up_in_the_browser(new_journey, live_server_url, tmp_path):
    kwb = tmp_path / "kwb-2024-smallingerland.csv"
    kwb.write_text(KWB, encoding="utf-8")
    manage("import_areas", "GM0090", str(kwb))
    manage("import_figures", "GM0090", "--kwb", str(kwb))
    manage(
        "create_beheerder",
        "GM0090",
        "beheer-sm",
        "--first-name",
        "Wiebe",
        "--last-name",
        "Dijkstra",
        "--password-from-env",
        "E2E_PASSWORD",
        env={"E2E_PASSWORD": PASSWORD},
    )

    admin = new_journey("beheer-smallingerland")
    enrol(admin, "beheer-sm", PASSWORD)
    expect(admin.page.get_by_role("heading", level=1)).to_have_text("Beheer van Smallingerland")
    with admin.task("set up the municipality"):
        admin.page.get_by_label("Regie op complexe casussen").check()
        admin.submit("Opslaan", step="municipality-saved")
        admin.follow("Teams", step="teams")
        admin.follow("Nieuw team", step="team-new")
        admin.fill("Naam", "Wijkteam Drachten")
        admin.check("Drachten-Centrum")
        admin.submit("Opslaan", step="team-saved")
        expect(admin.page.get_by_role("main")).to_contain_text("Wijkteam Drachten")

        admin.goto("/beheer/organisaties/nieuw/", step="organisation-new")
        admin.fill("Naam", "Huisartsen De Drait")
        admin.choose("Soort", "Huisartsenpraktijk")
        admin.submit("Opslaan", step="organisation-saved")
        admin.goto("/beheer/", step="administration")
        admin.follow("API-sleutels van partners", step="partner-keys")
        admin.choose("Partnerorganisatie", "Huisartsen De Drait")
        admin.fill("Systeem", "HIS")
        admin.submit("Sleutel uitgeven", step="key-issued")
        expect(admin.page.get_by_role("status")).to_contain_text("Huisartsen De Drait")

        admin.goto("/beheer/gebruikers/nieuw/", step="user-new")
        admin.fill("Gebruikersnaam", "sanne-sm")
        admin.fill("Voornaam", "Sanne")
        admin.fill("Achternaam", "de Jong")
        admin.choose("Rol", "Sociaal werker")
        admin.choose("Team", "Wijkteam Drachten")
        admin.fill("Eerste wachtwoord", PASSWORD)
        admin.submit("Opslaan", step="user-saved")
        expect(admin.page.get_by_role("heading", name="Wijzigingshistorie")).to_be_visible()
        admin.follow("Gebruikers", step="users")
        admin.type("Zoek op naam of gebruikersnaam", "sanne")
        expect(admin.page.locator("#users-table")).to_contain_text("Sanne de Jong")
        admin.check_accessibility("users-searched")

    worker = new_journey("sociaal-werker-smallingerland")
    enrol(worker, "sanne-sm", PASSWORD)
    with worker.task("desk question in the new municipality"):
        worker.follow("Vraag registreren", step="desk")
        worker.fill("Vraag", "Vraagt waar in Drachten een taalcafé is.")
        worker.check("Sociaal netwerk")
        worker.fill("Gegeven antwoord of advies", "Bibliotheek, donderdagmiddag.")
        worker.submit("Registreren", step="desk-registered")
    expect(worker.page.locator(".wt-messages")).to_contain_text("Vraag geregistreerd")
