"""A GP's referral to a closed case: the team takes it up (a new resident, with the names the GP
gave), triages it and assigns a regisseur, then the kitchen-table conversation (which moves the case
to the investigation), the ZRM on only the domains the question needs, one plan with a goal and an
action (started with one click from the case), the resident's PDF, the agreement with the resident
(the case to uitvoering in one click), a recurring visit, and closing the case with its outcome.
The GP sees "in behandeling", later "afgesloten", and nothing more (scenario 4). Every task is
counted for the registration burden (docs/usability.md).
"""

import re

from playwright.sync_api import expect


def test_referral_to_closure(journey, new_journey):
    gp = new_journey("gp_refers")
    gp.login("verwijzer")
    with gp.task("GP refers a resident"):
        gp.goto("/verwijzen/", step="refer-form")
        gp.fill("Naam van de inwoner", "Wietse Stofzuiger")
        gp.fill("Postcode", "8932 JT")
        gp.fill("Uw zorg", "Kan de trap niet meer op met de stofzuiger en raakt daardoor overstuur.")
        gp.check("De inwoner weet dat ik verwijs")
        gp.submit("Verwijzing versturen", step="referral-sent")
    expect(gp.page.get_by_role("main")).to_contain_text("ontvangen")
    gp.goto("/verwijzen/", step="referral-received")
    expect(_referral(gp)).to_contain_text("Ontvangen")

    journey.login("sociaalwerker")
    with journey.task("take up the referral: a new resident and a case"):
        journey.goto("/verwijzingen/", step="referral-inbox")
        journey.follow("Wietse Stofzuiger", step="referral")
        # The names the GP gave are filled in (and the new-resident part is open because of them).
        expect(journey.field("Voornamen")).to_have_value("Wietse")
        expect(journey.field("Achternaam")).to_have_value("Stofzuiger")
        journey.fill("Geboortedatum", "1948-06-02")
        journey.fill("Huisnummer", "121")
        journey.submit("Zaak openen", step="case-from-referral")
        if journey.page.get_by_role("radio", name="Huizum-West").count():  # 8932 lies in several districts
            journey.check("Huizum-West")
            journey.submit("Zaak openen", step="case-from-referral-district")
    case_path = re.sub(r"^(/zaken/\d+/).*$", r"\1", journey.page.url.removeprefix(journey.base_url))
    assert re.fullmatch(r"/zaken/\d+/", case_path), case_path
    gp.goto("/verwijzen/", step="referral-in-progress")
    expect(_referral(gp)).to_contain_text("In behandeling")

    with journey.task("triage and assign the regisseur"):
        journey.goto(case_path + "triage/", step="triage")
        journey.check(re.compile("^Ondersteuning op een of meer leefgebieden"))
        journey.fill("Reden", "Eén leefgebied, maar de vraag achter de vraag is nog onduidelijk.")
        journey.choose("Regisseur", "Sietske Hoekstra")
        journey.submit("Triage opslaan", step="triaged")
    journey.goto(case_path, step="case-triaged")

    with journey.task("keukentafelgesprek"):
        journey.follow("Gesprek", step="conversation-form")
        # The question as asked is pre-filled from the case; the date is today; the resident is ticked.
        journey.fill("De vraag achter de vraag", "De trap op lukt, alleen de stofzuiger naar boven dragen niet.")
        journey.fill("Conclusie", "Een tweede stofzuiger voor boven; geen scootmobiel of traplift nodig.")
        journey.submit("Gesprek opslaan", step="conversation-saved")
    expect(journey.page.get_by_role("main")).to_contain_text("tweede stofzuiger")
    # The conversation is the investigation: the case moved on by itself, and the message says so.
    expect(journey.page.get_by_role("status")).to_contain_text("Onderzoek")
    journey.page.go_back()

    with journey.task("ZRM on two life domains"):
        journey.goto(case_path + "zrm/", step="zrm-pick")
        # The case's life domains are ticked to start with; the worker keeps only what the question needs.
        wanted = {"Instrumentele ADL", "Lichamelijke gezondheid"}
        boxes = journey.page.get_by_role("checkbox")
        for index in range(boxes.count()):
            box = boxes.nth(index)
            name = box.evaluate("el => el.labels[0].textContent.trim()")
            if box.is_checked() != (name in wanted):
                box.set_checked(name in wanted)
                journey.current.inputs += 1
                journey.current.clicks += 1
        journey.submit("Volgende: scores", step="zrm-scores")
        for domain, score, reason in (
            ("Instrumentele ADL", "3 · Beperkt zelfredzaam", "Stofzuigen boven lukt niet meer."),
            ("Lichamelijke gezondheid", "4 · Voldoende zelfredzaam", "Loopt de trap op met de leuning."),
        ):
            region = journey.page.get_by_role("region", name=domain)
            region.get_by_label(score).check()
            journey.fill(f"Reden bij {domain}", reason)
            journey.current.inputs -= 1  # counted below, with the score
            journey.current.inputs += 2
        journey.submit("Scores opslaan", step="zrm-saved")
    expect(journey.page.get_by_role("img", name=re.compile("ZRM-scores"))).to_be_visible()
    expect(journey.page.get_by_role("table", name=re.compile("ZRM-scores"))).to_contain_text("Instrumentele ADL")

    with journey.task("plan with a goal and an action"):
        journey.goto(case_path, step="case-investigated")
        journey.submit("Plan starten", step="plan-started")  # one click on the case page
        journey.choose("Leefgebied", "Instrumentele ADL")
        journey.fill("Doel", "Zelf het hele huis schoonhouden, boven en beneden")
        journey.choose("ZRM-streefscore", "4 · Voldoende zelfredzaam")
        journey.submit("Doel toevoegen", step="goal-added")
        journey.page.locator("summary", has_text="Actie toevoegen").click()
        journey.fill("Actie", "Tweede stofzuiger kopen voor boven")  # the goal is the one just added
        journey.submit("Actie toevoegen", step="action-added")
    expect(journey.page.get_by_role("main")).to_contain_text("Tweede stofzuiger kopen")
    pdf = journey.page.request.get(journey.page.url + "plan.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"

    with journey.task("agree the plan with the resident; the case to uitvoering in one click"):
        journey.follow("Wijzigen", step="agreement-form")  # the agreement's "Change"
        # The date is today when left empty; the evaluation date defaults to three months ahead.
        journey.choose("Hoe de inwoner akkoord gaf", "Mondeling akkoord")
        journey.submit("Opslaan", step="plan-agreed")
        # Where the plan was agreed, the plan page offers the status that follows: one click.
        journey.submit(re.compile("^Naar .Uitvoering.$"), step="case-in-progress")
    expect(journey.page.get_by_role("status")).to_contain_text("Uitvoering")
    journey.follow(re.compile("^← Zaak "), step="back-to-the-case")  # the plan links back to its case
    expect(journey.page.get_by_role("heading", level=1)).to_contain_text("Uitvoering")

    with journey.task("recurring visit, every month"):
        journey.goto(case_path, step="case-with-plan")
        journey.follow("Terugkerend contact plannen", step="series-form")
        journey.submit("Bezoeken plannen", step="series-planned")  # defaults: an hour, every month
        if journey.page.get_by_role("button", name="Naar de eerstvolgende werkdag verplaatsen").count():
            # Some visits of the coming year fall on a Sunday or a public holiday: listed, and moved.
            expect(journey.page.get_by_role("alert")).to_contain_text("zondag")
            journey.submit("Naar de eerstvolgende werkdag verplaatsen", step="series-moved")
    expect(journey.page.get_by_role("region", name="Vervolg")).to_contain_text("elke maand")

    with journey.task("close the case with its outcome"):
        journey.follow("De zaak afsluiten", step="close-with-outcome")
        journey.fill("Afsluitende notitie", "Tweede stofzuiger gekocht; meneer redt het zelf.")
        journey.choose("Instrumentele ADL", "4 · Voldoende zelfredzaam")
        journey.fill("Reden bij Instrumentele ADL", "Stofzuigt boven weer zelf.")
        journey.choose(re.compile("^Instrumentele ADL: Zelf het hele huis"), "Behaald")
        journey.submit("Zaak afsluiten", step="closed-with-outcome")
    expect(journey.page.get_by_role("heading", level=1)).to_contain_text("Afgesloten")
    expect(journey.page.get_by_role("table", name=re.compile("ZRM-scores"))).to_contain_text("Eindmeting")

    with gp.task("GP sees the referral closed"):
        gp.follow("Verwijzingen", step="referral-closed")
    expect(_referral(gp)).to_contain_text("Afgesloten")
    main = gp.page.get_by_role("main")
    # Not the conclusion, the closing note, the goal, the regisseur or the ZRM; and not the case itself.
    for what in ("Tweede stofzuiger", "tweede stofzuiger", "Zelf het hele huis", "Sietske Hoekstra", "Eindmeting"):
        expect(main).not_to_contain_text(what)
    gp.goto(case_path, expect_status=403, step="gp-no-case")  # a GP's role opens no case, whichever number
    expect(gp.page.get_by_role("main")).not_to_contain_text("Stofzuiger")


def _referral(gp):
    """The GP's own referral in the list of "Uw verwijzingen"."""
    return gp.page.get_by_role("listitem").filter(has_text="Wietse Stofzuiger")
