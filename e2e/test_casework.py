"""A social worker's day: find a resident as you type, open a case, log a contact, close the case.

Each task is counted for the registration burden (docs/usability.md). The widow of scenario 1
(Ingrid van der Meiden, Huizum-West) is the resident: the demo always has her.
"""

import re

from playwright.sync_api import expect

SEARCH_BOX = "Naam, geboortedatum, BSN of postcode en huisnummer"


def test_find_open_contact_close(journey, new_journey):
    journey.login("sociaalwerker")

    with journey.task("find a resident (search as you type)"):
        journey.follow("Inwoner zoeken")
        journey.type(SEARCH_BOX, "meiden")
        results = journey.page.locator("#search-results")
        expect(results).to_contain_text("1 inwoner gevonden")
        journey.arrive("search-results")  # the partial update is checked and shot like a page
        journey.follow("Ingrid van der Meiden", step="household")
    expect(journey.page.get_by_role("heading", level=1)).to_contain_text("Huishouden")

    with journey.task("open a case"):
        journey.follow("Zaak openen", step="case-open-form")
        journey.fill("Vraag", "Wil hulp bij het ordenen van de post; de kat is overleden en ze komt weinig buiten.")
        journey.submit("Zaak openen", step="case-opened")
    expect(journey.page.get_by_role("status")).to_contain_text("is geopend")
    case_path = journey.page.url.removeprefix(journey.base_url)
    assert re.fullmatch(r"/zaken/\d+/", case_path)
    household_path = journey.page.get_by_role("link", name="Huishouden", exact=True).get_attribute("href")

    with journey.task("log a contact that took place"):
        journey.follow("Contact", step="contact-form")
        journey.fill("Korte notitie", "Samen de post doorgenomen: huurtoeslag en zorgverzekering.")
        journey.submit("Opslaan", step="contact-saved")
    expect(journey.page.get_by_role("status")).to_be_visible()
    expect(journey.page.get_by_role("main")).to_contain_text("Samen de post doorgenomen")

    with journey.task("close the case"):
        journey.follow("De zaak afsluiten", step="close-form")
        journey.fill("Afsluitende notitie", "De post is op orde; ze belt zelf als er iets komt.")
        journey.submit("Zaak afsluiten", step="case-closed")
    expect(journey.page.get_by_role("heading", level=1)).to_contain_text("Afgesloten")

    # Someone from another team asks for the same case: 404, never 403, and nothing about it.
    outsider = new_journey("outsider_404")
    outsider.login("collega")
    outsider.goto(case_path, expect_status=404, step="other-teams-case")
    expect(outsider.page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    expect(outsider.page.get_by_role("main")).not_to_contain_text("Meiden")
    outsider.goto(household_path, expect_status=404, step="other-teams-household")
    expect(outsider.page.get_by_role("main")).not_to_contain_text("Meiden")
