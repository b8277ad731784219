"""Break the glass (issue 6): a team member who is not on a colleague's case sees only its card,
opens the dossier by stating a reason, and the team leader reviews it.

The demo login ``teamlid`` works in the widow's team (Nijlân & Huizum) without cases of her own;
the widow's regisseur is Sietske Hoekstra (``sociaalwerker``)."""

import re

from playwright.sync_api import expect

SEARCH_BOX = "Naam, geboortedatum, BSN of postcode en huisnummer"
EXPLANATION = "Sietske is ziek; mevrouw belt over een brief van de woningcorporatie."


def test_open_a_colleagues_dossier_with_a_reason(journey, new_journey):
    journey.login("teamlid")
    journey.follow("Inwoner zoeken")
    journey.type(SEARCH_BOX, "meiden")
    expect(journey.page.locator("#search-results")).to_contain_text("1 inwoner gevonden")
    journey.follow("Ingrid van der Meiden", step="household-card")
    main = journey.page.get_by_role("main")
    expect(main).to_contain_text("Je werkt niet aan deze zaak")
    expect(main).to_contain_text("Alleen de professionals die aan de zaken van dit huishouden werken")
    case_path = main.get_by_role("link", name=re.compile(r"^\d{4}-\d{6}$")).first.get_attribute("href")

    journey.goto(case_path, expect_status=403, step="case-card")
    expect(journey.page.get_by_role("heading", level=1)).to_contain_text("Ingrid van der Meiden")
    expect(main).to_contain_text("Sietske Hoekstra")  # whom to ask first

    with journey.task("open a colleague's dossier with a reason"):
        journey.submit("Open het dossier", step="reason-missing", expect_status=400)
        expect(journey.page.get_by_role("alert").first).to_be_visible()
        journey.check("Ik vervang de regisseur (afwezigheid, verlof)")
        journey.fill("Toelichting", EXPLANATION)
        journey.submit("Open het dossier", step="dossier-opened", expect_status=200)
    expect(journey.page.get_by_role("status")).to_contain_text("Je hebt het dossier geopend")
    assert journey.page.url.removeprefix(journey.base_url) == case_path

    leader = new_journey("team_leader_reviews")
    leader.login("teamleider")
    expect(leader.page.get_by_role("main")).to_contain_text("met een reden geopend")
    with leader.task("review a dossier opened with a reason"):
        leader.follow(re.compile("met een reden geopend"), step="opened-with-reason")
        row = leader.page.get_by_role("row").filter(has_text=EXPLANATION)
        expect(row).to_contain_text("Anke de Jong")
        leader.submit("Markeer als beoordeeld", step="reviewed")
    expect(leader.page.get_by_role("status")).to_contain_text("Gemarkeerd als beoordeeld")
    expect(leader.page.get_by_role("row").filter(has_text=EXPLANATION)).to_contain_text("Beoordeeld door")
