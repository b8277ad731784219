"""The plan without a mouse (issue 9): a goal with its life domain and target score, and an action
under it, added with Tab, typing, Enter and Space alone; focus is visible at every stop
(``journey.tab_to`` asserts it). The widow of scenario 1 has a plan in the demo."""

from playwright.sync_api import expect

SEARCH_BOX = "Naam, geboortedatum, BSN of postcode en huisnummer"
GOAL = "Eens per week naar de koffieochtend in het buurthuis"
ACTION = "Buurvrouw Geeske loopt de eerste drie keer mee"


def test_a_goal_and_an_action_with_the_keyboard_alone(journey):
    journey.login("sociaalwerker")
    journey.follow("Inwoner zoeken")
    journey.type(SEARCH_BOX, "meiden")
    household = journey.page.get_by_role("link", name="Ingrid van der Meiden").first.get_attribute("href")
    journey.goto(household + "plan/", step="keyboard-plan")
    page = journey.page

    with journey.task("plan: a goal and an action, keyboard only"):
        journey.tab_to(page.locator("summary", has_text="Doel toevoegen").first, max_stops=120)
        journey.press("Enter")  # opens the details with the goal form
        domain = journey.field("Leefgebied")
        journey.tab_to(domain)
        page.keyboard.type("Sociaal netwerk")  # a closed select follows what is typed
        assert domain.evaluate("el => el.options[el.selectedIndex].text") == "Sociaal netwerk"
        journey.tab_to(journey.field("Doel"))
        page.keyboard.type(GOAL)
        target = journey.field("ZRM-streefscore")
        journey.tab_to(target)
        page.keyboard.type("4")
        assert target.evaluate("el => el.options[el.selectedIndex].text").startswith("4")
        journey.current.inputs += 3
        add_goal = page.get_by_role("button", name="Doel toevoegen")
        journey.tab_to(add_goal)
        journey.count_form(add_goal, "Doel toevoegen")
        with page.expect_navigation():
            journey.press("Enter")
        journey.arrive("keyboard-goal-added")
        expect(page.get_by_role("main")).to_contain_text(GOAL)

        summary = page.locator("summary", has_text="Actie toevoegen").first
        journey.tab_to(summary, max_stops=120)
        journey.press("Enter")  # opens the details
        journey.tab_to(journey.field("Actie"))
        page.keyboard.type(ACTION)
        journey.current.inputs += 1
        form = page.locator("form[action$='/plan/actie/']")
        goal = form.locator("select[name$='goal']")
        assert GOAL in goal.evaluate("el => el.options[el.selectedIndex].text")  # the goal just added
        add_action = form.get_by_role("button", name="Actie toevoegen")
        journey.tab_to(add_action)
        journey.count_form(add_action, "Actie toevoegen")
        with page.expect_navigation():
            journey.press("Enter")
        journey.arrive("keyboard-action-added")
    expect(page.get_by_role("main")).to_contain_text(ACTION)
