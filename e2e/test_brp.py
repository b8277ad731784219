"""Issue 20: a social worker registers a resident by BSN without typing a name (the demo's BRP fills
the form), and a homeless resident is found again and waits in the municipal intake queue, where
the team leader sees them. Every page under axe (journey.arrive)."""

import json
import re

from playwright.sync_api import expect

from .journey import ROOT


def a_person_the_demo_does_not_hold() -> dict:
    """An RvIG test person living abroad (the demo loads only residents with a Dutch postcode)."""
    persons = json.loads((ROOT / "data" / "brp" / "brp_testpersonen.json").read_text(encoding="utf-8"))
    return next(
        p
        for p in persons
        if "regel1" in p.get("verblijfplaats", {})
        and "overlijden" not in p
        and p.get("naam", {}).get("geslachtsnaam", "").isalpha()
    )


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
