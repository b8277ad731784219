"""Signing in, the front pages, and what someone from another team gets."""

import re

from playwright.sync_api import expect


def test_sign_in_to_my_work(journey):
    journey.goto("/", step="front-door")
    expect(journey.page).to_have_url(re.compile(r"/account/login/"))
    with journey.task("sign in"):
        journey.login("sociaalwerker")
    expect(journey.page.get_by_role("heading", level=1)).to_have_text("Mijn werk")


def test_accessibility_statement_from_the_footer(journey):
    journey.goto("/account/login/", step="login")
    journey.follow("Toegankelijkheid", step="accessibility-statement")
    expect(journey.page.get_by_role("heading", level=1)).to_have_text("Toegankelijkheidsverklaring")
    for heading in ("Nalevingsstatus", "Hoe Wijkteam wordt getest", "Bekende beperkingen", "Handhavingsprocedure"):
        expect(journey.page.get_by_role("heading", level=2, name=heading)).to_be_visible()
