"""Issue 20: a social worker registers a resident by BSN without typing a name (the demo's BRP fills
the form), the desk registers a melding for a new resident by BSN the same way, and a homeless
resident is found again and waits in the municipal intake queue, where the team leader sees them.
Every page under axe (journey.arrive), and every partial update too (check_accessibility)."""

import json
import re

from playwright.sync_api import expect

from .journey import ROOT


def people_the_demo_does_not_hold() -> list[dict]:
    """RvIG test persons living abroad (the demo loads only residents with a Dutch postcode)."""
    persons = json.loads((ROOT / "data" / "brp" / "brp_testpersonen.json").read_text(encoding="utf-8"))
    return [
        p
        for p in persons
        if "regel1" in p.get("verblijfplaats", {})
        and "overlijden" not in p
        and p.get("naam", {}).get("geslachtsnaam", "").isalpha()
    ]


def a_person_the_demo_does_not_hold() -> dict:
    return people_the_demo_does_not_hold()[0]


def test_a_resident_registered_by_bsn_without_typing_a_name(journey):
    person = a_person_the_demo_does_not_hold()
    journey.login("sociaalwerker")
    journey.goto("/inwoners/nieuw/", step="register")
    with journey.task("register a resident by BSN from the BRP"):
        journey.fill("BSN", person["burgerservicenummer"])
        journey.page.get_by_role("button", name="Opzoeken in het BRP").click()  # HTMX swaps the fields
        expect(journey.page.locator("#brp-message")).to_contain_text("Ingevuld uit het BRP")
        journey.check_accessibility("register-filled-from-the-brp")
        expect(journey.field("Achternaam")).to_have_value(person["naam"]["geslachtsnaam"])
        journey.submit("Opslaan", step="registered-by-bsn")
    messages = journey.page.locator(".wt-messages")
    expect(messages).to_contain_text("is geregistreerd")
    expect(messages).to_contain_text("intakewachtrij")  # living abroad: no team's district
    expect(journey.page.get_by_role("main")).to_contain_text(person["naam"]["geslachtsnaam"])


def test_the_desk_registers_a_new_resident_by_bsn(journey):
    """The desk's inline new resident: a BSN instead of ten fields, by the resident form's own lookup."""
    person = people_the_demo_does_not_hold()[1]
    journey.login("sociaalwerker")
    journey.goto("/vragen/nieuw/", step="desk-by-bsn")
    with journey.task("desk melding for a new resident by BSN from the BRP"):
        journey.page.get_by_text("Niet gevonden? Voeg een nieuwe inwoner toe").click()
        journey.fill("Vraag", "Loopt vast met de post van de gemeente en de Belastingdienst.")
        journey.check("Financiën")
        journey.fill("BSN", person["burgerservicenummer"])
        journey.page.get_by_role("button", name="Opzoeken in het BRP").click()  # HTMX swaps the new resident
        expect(journey.page.locator("#brp-message")).to_contain_text("Ingevuld uit het BRP")
        journey.check_accessibility("desk-filled-from-the-brp")
        expect(journey.field("Achternaam")).to_have_value(person["naam"]["geslachtsnaam"])
        expect(journey.field("Vraag")).to_have_value(re.compile("Loopt vast"))  # the question typed stays
        journey.check("Melding: de vraag vraagt meer")
        journey.submit("Registreren", step="desk-registered-by-bsn")
    expect(journey.page.locator(".wt-messages")).to_contain_text("intakewachtrij")  # abroad: no district
    expect(journey.page.get_by_role("main")).to_contain_text(person["naam"]["geslachtsnaam"])
    journey.follow("Wie woont hier (BRP)", step="who-lives-here")
    expect(journey.page.get_by_role("main")).to_contain_text("geen postcode en huisnummer")


def test_a_homeless_resident_is_found_again_and_waits_for_a_team(new_journey):
    worker = new_journey("homeless-resident")
    worker.login("sociaalwerker")
    worker.goto("/inwoners/nieuw/", step="register-homeless")
    with worker.task("register a resident without an address"):
        worker.fill("Voornamen", "Jelle")
        worker.fill("Achternaam", "Zwerfkamp")
        worker.fill("Geboortedatum", "1968-03-14")
        worker.submit("Opslaan", step="registered-homeless")
    expect(worker.page.locator(".wt-messages")).to_contain_text("intakewachtrij")
    household = worker.page.url
    assert re.search(r"/huishoudens/\d+/$", household)
    worker.goto(household.removeprefix(worker.base_url), step="found-again")
    expect(worker.page.locator("#where-it-went")).to_contain_text("intakewachtrij")

    leader = new_journey("team-leader-sees-the-queue")
    leader.login("teamleider")
    expect(leader.page.get_by_role("main")).to_contain_text("gemeentelijke intakewachtrij")
    leader.follow(re.compile("wacht(en)? in de gemeentelijke intakewachtrij"), step="intake-queue")
    row = leader.page.get_by_role("row", name=re.compile("Zwerfkamp"))
    expect(row).to_contain_text("Geen adres")
    row.get_by_label("Team").select_option(index=1)
    with leader.page.expect_navigation():
        row.get_by_role("button", name="Toewijzen").click()
    leader.arrive("assigned-to-a-team")
    expect(leader.page.locator(".wt-messages")).to_contain_text("is toegewezen aan")
