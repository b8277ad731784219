"""Mijn Wijkteam (issue 25, first part): the widow of scenario 1 signs in with DigiD through the
broker (the tests' OpenID provider, its login page asks for the BSN and the level), reads her plan,
asks for a change, comments on the kitchen-table report, reports a mistake, withdraws a consent,
gives one, downloads her own file, asks to move a visit and writes to her regisseur; the regisseur
reads it on Mijn werk, moves the visit and answers; she signs in again and reads the answer. Every
page under axe."""

import re

from playwright.sync_api import expect

WIDOW_BSN = "999993185"  # the official BRP test person the demo uses for scenario 1


def test_resident_portal(journey):
    page = journey.page
    with journey.task("resident: sign in with DigiD"):
        journey.goto("/mijn/", step="sign-in")  # not signed in: to the sign-in page
        journey.follow("Inloggen met DigiD", step="broker")
        journey.fill("BSN of gebruiker", WIDOW_BSN)
        journey.submit("Inloggen", step="start-page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Ingrid van der Meiden")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Uw wijkteam")

    with journey.task("resident: read the plan and ask for a change"):
        journey.follow("Lees uw plan", step="plan")
        expect(main).to_contain_text("U bent op")  # agreed at the kitchen table, verbally
        journey.fill("Wat wilt u anders?", "Ik wil de post liever op woensdag doornemen.")
        journey.submit("Stuur naar mijn contactpersoon", step="change-asked")
    expect(main).to_contain_text("Ik wil de post liever op woensdag doornemen.")

    with journey.task("resident: comment on the kitchen-table report"):
        journey.follow("Overzicht", step="start-page-again")
        journey.follow(re.compile("Verslag van ons gesprek van"), step="report")
        expect(main).to_contain_text("Wat u zelf kunt")
        journey.fill("Uw reactie op dit verslag", "Mijn buurvrouw helpt alleen op dinsdag.")
        journey.submit("Reactie toevoegen aan het verslag", step="report-commented")
    expect(main).to_contain_text("Mijn buurvrouw helpt alleen op dinsdag.")

    with journey.task("resident: report a mistake"):
        journey.follow("Een fout melden", step="rectification")
        journey.fill("Wat klopt er niet?", "Mijn telefoonnummer is veranderd.")
        journey.submit("Melding versturen", step="rectification-sent")
    expect(main).to_contain_text("Antwoord uiterlijk")
    expect(main).to_contain_text("Mijn telefoonnummer is veranderd.")

    with journey.task("resident: withdraw a consent"):
        journey.follow("Uw toestemmingen", step="consents")
        journey.submit("Trek deze toestemming in", step="consent-withdrawn")
    expect(main).to_contain_text("ingetrokken op")

    with journey.task("resident: give a consent"):
        journey.follow("Toestemming geven aan een organisatie", step="consent-give")
        journey.choose("Welke organisatie mag het krijgen?", "Vrijwilligerscentrale Leeuwarden")
        journey.check("Het plan: doelen, acties en afspraken")
        journey.fill("Waarvoor?", "Zodat de vrijwilliger weet wat we hebben afgesproken.")
        journey.submit("Toestemming geven", step="consent-given")
    expect(main).to_contain_text("Vrijwilligerscentrale Leeuwarden")

    with journey.task("resident: download the own file"):
        journey.follow("Wat er over mij bekend is", step="own-file")
        pdf = page.get_by_role("link", name=re.compile("Download als pdf"))
        response = page.request.get(journey.base_url + pdf.get_attribute("href"))
        assert response.ok and response.headers["content-type"] == "application/pdf"
        data = page.request.get(
            journey.base_url + page.get_by_role("link", name=re.compile("Download als JSON")).get_attribute("href")
        ).json()
    assert data["resident"]["bsn"] == WIDOW_BSN
    assert any(row["role"] == "resident" for row in data["access_log"])

    with journey.task("resident: ask to move a visit and write to the regisseur"):
        journey.follow("Overzicht", step="start-page-again")
        journey.follow(re.compile("Vraag om de afspraak van"), step="move-visit")
        journey.fill("Wanneer past het u?", "Donderdagochtend")
        journey.fill("Waarom wilt u de afspraak verzetten?", "Dan ga ik naar de fysiotherapeut.")
        journey.submit("Mijn vraag versturen", step="move-asked")
        expect(main).to_contain_text("Uw voorkeur: Donderdagochtend")
        journey.fill("Uw bericht", "Kan mijn buurvrouw erbij zijn bij het volgende bezoek?")
        journey.submit("Versturen", step="message-sent")
    expect(main).to_contain_text("Kan mijn buurvrouw erbij zijn")

    journey.submit("Uitloggen", step="signed-out")
    journey.goto("/mijn/", step="signed-out-again")  # signed out: the sign-in page again

    with journey.task("regisseur: read the messages, move the visit and answer"):
        journey.login("sociaalwerker")
        journey.follow(re.compile("van inwoners zijn ongelezen"), step="unread-messages")
        journey.follow(re.compile("van der Meiden"), step="thread")
        expect(main).to_contain_text("Kan mijn buurvrouw erbij zijn")
        expect(main).to_contain_text("Donderdagochtend")
        journey.fill("Nieuwe tijd", "09:30")
        journey.submit("Bezoek verzetten", step="visit-moved")
        journey.fill("Uw antwoord aan de inwoner", "Ja, dat is goed. Het bezoek is nu om half tien.")
        journey.submit("Versturen", step="answered")
    expect(main).to_contain_text("Ja, dat is goed.")
    journey.submit("Uitloggen", step="staff-signed-out")

    with journey.task("resident: read the answer"):
        journey.goto("/mijn/", step="sign-in-again")
        # The broker still has her session: DigiD asks nothing again (single sign-on).
        journey.follow("Inloggen met DigiD", step="start-page-with-answer")
        journey.follow(re.compile("nieuw bericht"), step="answer")
    expect(main).to_contain_text("Ja, dat is goed. Het bezoek is nu om half tien.")
