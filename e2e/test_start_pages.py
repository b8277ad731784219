"""Start pages per role (issue 23): the team leader's morning overview, and every role on its own
work after signing in; the menu on one line at 1280 px; no menu before the second step.

The demo's team leader (``teamleider``) leads Nijlân & Huizum, where cases wait without a regisseur
and Sietske Hoekstra (``sociaalwerker``) holds most of the caseload."""

import re

from playwright.sync_api import expect


def _menu_is_one_line(journey) -> None:
    """The main menu at the journey's width (1280 px) is as high as one of its links: one line."""
    menu = journey.page.get_by_role("navigation", name="Hoofdmenu")
    height = menu.bounding_box()["height"]
    line = menu.get_by_role("listitem").first.bounding_box()["height"]
    assert height < 1.5 * line, f"the menu takes {height:.0f} px for lines of {line:.0f} px: it wraps"


def test_the_team_leaders_morning_overview(journey):
    journey.goto("/account/login/", step="login")
    journey.fill("Gebruikersnaam", "teamleider")
    journey.fill("Wachtwoord", "wijkteam-demo")
    journey.submit("Inloggen", step="second-step")
    # Halfway through signing in: neither the menu nor the name.
    expect(journey.page.get_by_role("navigation", name="Hoofdmenu")).to_have_count(0)
    expect(journey.page.locator("body")).not_to_contain_text("Geert Dijkstra")
    journey.second_step(step="team-overview")

    assert journey.page.url.removeprefix(journey.base_url) == "/team/"
    expect(journey.page.get_by_role("heading", level=1)).to_contain_text("Teamoverzicht")
    _menu_is_one_line(journey)
    main = journey.page.get_by_role("main")
    expect(main.get_by_role("region", name="Wettelijke termijnen in gevaar")).to_contain_text(
        "onderzoek (Wmo, 6 weken)"
    )
    by_status = main.get_by_role("table", name="Per status")
    expect(by_status.get_by_role("row").filter(has_text="Sietske Hoekstra")).to_be_visible()

    with journey.task("from a count to its list"):
        journey.follow(re.compile(r"^\d+ open zaken? (heeft|hebben) nog geen regisseur$"), step="unassigned")
    expect(journey.page.get_by_role("heading", level=1)).to_have_text("Open zaken van het team")
    expect(journey.page.get_by_role("main")).to_contain_text("nog geen regisseur")
    journey.page.go_back()
    with journey.task("from a member's caseload to the cases"):
        row = (
            journey.page.get_by_role("table", name="Per status").get_by_role("row").filter(has_text="Sietske Hoekstra")
        )
        journey.follow(re.compile(r"^\d+$"), within=row, step="member-cases")
    cases = journey.page.get_by_role("main").get_by_role("table")
    expect(cases).to_contain_text("Sietske Hoekstra")
    expect(journey.page.get_by_role("main")).to_contain_text("aangemeld bovenaan, evaluatie onderaan")


def test_every_role_lands_on_its_own_work(new_journey):
    for username, path, what in [
        ("sociaalwerker", "/mijn-werk/", "Mijn open zaken"),
        ("teamlid", "/mijn-werk/", "Je teamleider wijst zaken toe"),
        ("beheer", "/beheer/", "Beheer van"),
        ("verwijzer", "/verwijzen/", "Uw verwijzingen"),
    ]:
        journey = new_journey(f"start_page_{username}")
        journey.login(username)
        assert journey.page.url.removeprefix(journey.base_url) == path, f"{username} landed on {journey.page.url}"
        expect(journey.page.get_by_role("main")).to_contain_text(what)
        expect(journey.page.get_by_role("main")).not_to_contain_text("werkt niet in dossiers")
        _menu_is_one_line(journey)


def test_the_overview_reflows_at_320_pixels(new_journey):
    """WCAG 1.4.10, as for the other pages (test_accessibility.py): the tables scroll in their wrapper."""
    journey = new_journey("narrow_team_overview", viewport={"width": 320, "height": 720})
    journey.login("teamleider")
    for path in ("/team/", "/team/zaken/"):
        journey.goto(path, step=f"narrow-{path}")
        width = journey.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{path} is {width[0]} px wide at 320"
