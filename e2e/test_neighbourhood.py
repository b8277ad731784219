"""Scenario 5: many divorces in one neighbourhood. The team leader of Nijlân & Huizum sees in the
profile of Nijlân & De Zwette that conflict divorces recur (anonymous counts, small numbers shown as
"< 10"), finds the group programme for children of divorced parents with its EUR 30,000 budget
(demo/policy.py), links a household that joins, and sees the reach grow.

The household that joins is one of the divorce cases of the demo that is not in the programme yet.
"""

import re

from playwright.sync_api import expect

DISTRICT = "Nijlân & De Zwette"
INITIATIVE = "Kinderen in scheiding: groepsprogramma Nijlân"
JOINING = "Stephanie Bruinhard"  # a divorce case in Nijlân & De Zwette (demo.policy.build_divorces)


def _reach(page) -> int:
    return int(
        page.locator("dt", has_text="Bereikte huishoudens").locator("xpath=following-sibling::dd[1]").inner_text()
    )


def test_a_group_programme_for_children_of_divorce(journey):
    journey.login("teamleider")
    with journey.task("read the neighbourhood profile"):
        journey.follow("Wijken", step="districts")
        journey.follow(DISTRICT, step="district-profile")
    main = journey.page.get_by_role("main")
    # Conflict divorces stand out as a theme to tackle together; small counts are suppressed.
    expect(main.get_by_role("heading", name="Huiselijke relaties")).to_be_visible()
    domains = journey.page.get_by_role("table").filter(has_text="Betrokken leefgebieden")
    expect(domains.get_by_role("row").filter(has_text="Huiselijke relaties")).not_to_contain_text("< 10")
    expect(domains.get_by_role("row").filter(has_text="Justitie").first).to_contain_text("< 10")
    expect(main).not_to_contain_text(JOINING)  # aggregates only, never a resident
    reached = journey.page.get_by_role("table").filter(has_text="Huishoudens bereikt met wijkinitiatieven")
    expect(reached.get_by_role("row").filter(has_text=INITIATIVE)).to_contain_text("< 10")

    with journey.task("open the initiative and its budget"):
        journey.follow("Wijkinitiatieven", step="initiatives")
        journey.follow(INITIATIVE, step="initiative")
    money = journey.page.get_by_role("region", name="Budget en bereik")
    expect(money).to_contain_text("€ 30.000")
    expect(money).to_contain_text(DISTRICT)
    expect(money).not_to_contain_text("Beginmeting")  # the start date, not a ZRM moment
    initiative_path = journey.page.url.removeprefix(journey.base_url)
    before = _reach(journey.page)

    # Which case number? The team leader looks the household up in the team's work queue.
    journey.follow("Werkbak", step="werkbak")
    row = journey.page.get_by_role("row").filter(has_text=JOINING)
    reference = re.search(r"\d{4}-\d{6}", row.inner_text()).group(0)

    with journey.task("link a household that joins"):
        journey.goto(initiative_path, step="initiative-again")
        journey.fill("Naam of zaaknummer", reference)  # found as you type
        results = journey.page.locator("#household-results")
        expect(results).to_contain_text(JOINING)
        journey.submit(re.compile(r"^Toevoegen\b"), step="household-joined")
    expect(journey.page.locator(".wt-messages")).to_contain_text("Het huishouden doet mee")
    assert _reach(journey.page) == before + 1  # the team sees the exact number
    expect(journey.page.get_by_role("main")).not_to_contain_text(JOINING)

    journey.follow("Alle wijkinitiatieven", step="initiatives-reach")
    row = journey.page.get_by_role("row").filter(has_text=INITIATIVE)
    expect(row).to_contain_text("30.000")
    expect(row.get_by_role("cell").last).to_have_text(str(before + 1))
