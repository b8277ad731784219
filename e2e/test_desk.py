"""Scenario 6: a question at the desk (or at the school gate) answered on the spot. No case, no
resident needed, counted in the figures. Target of issue 9: three required fields, one page."""

from playwright.sync_api import expect


def test_a_question_answered_on_the_spot(journey):
    journey.login("sociaalwerker")
    with journey.task("desk question answered on the spot"):
        journey.follow("Vraag registreren", step="desk")
        journey.fill("Vraag", "Ouder vraagt bij het schoolhek wat te doen als het kind niet wil gaan slapen.")
        journey.check("Huiselijke relaties")
        journey.fill("Gegeven antwoord of advies", "Vast ritme, geen schermen het laatste uur; folder meegegeven.")
        journey.submit("Registreren", step="desk-registered")
    expect(journey.page.locator(".wt-messages")).to_contain_text("Vraag geregistreerd")
    burden = journey.report.burdens[-1]
    assert burden.required_fields <= 3, burden  # the target: at most three required fields
    assert burden.forms == ["Registreren"]  # on one page, one form


def test_a_policy_officer_reads_a_district_profile(journey):
    """Scenario 5's start: the policy officer sees real CBS figures beside anonymous case counts."""
    journey.login("beleid")
    journey.follow("Nijlân & De Zwette", step="district-profile")
    main = journey.page.get_by_role("main")
    expect(main).to_contain_text("4.050")  # inhabitants, CBS kerncijfers 2024
    expect(main).to_contain_text("CBS")
    expect(main).not_to_contain_text("Meiden")  # aggregates only, no resident


def test_a_desk_question_with_the_keyboard_alone(journey):
    """The desk question without a mouse: Tab to each field, type, Space to tick, Enter to send;
    focus is visible at every stop (journey.tab_to asserts it)."""
    journey.login("sociaalwerker")
    journey.goto("/vragen/nieuw/", step="keyboard-desk")
    with journey.task("desk question, keyboard only"):
        journey.tab_to(journey.field("Vraag"))
        journey.page.keyboard.type("Vraagt waar de dichtstbijzijnde ontmoetingsplek voor ouderen is.")
        journey.tab_to(journey.page.get_by_label("Sociaal netwerk"))
        journey.press(" ")
        journey.tab_to(journey.field("Gegeven antwoord of advies"))
        journey.page.keyboard.type("Buurthuis De Zwette, koffieochtend op dinsdag.")
        journey.current.inputs += 3
        register = journey.page.get_by_role("button", name="Registreren")
        journey.tab_to(register, max_stops=80)
        journey.count_form(register, "Registreren")
        with journey.page.expect_navigation():
            journey.press("Enter")
        journey.arrive("keyboard-desk-registered")
    expect(journey.page.locator(".wt-messages")).to_contain_text("Vraag geregistreerd")
