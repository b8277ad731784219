"""Scenario 3: the PGB that the family took over. The demo holds the story up to now (demo/casework.py,
demo/maatwerk.py): a kitchen-table conversation with his parents and sister, a plan with their
commitments, and a PGB for support phased out in three steps (6, 3, then 1 hour a week). Here the
gespreksvoerder advises what comes after the last PGB step, one hour a week as a safety net in kind
(care first, then own control, only then the money); the beschikker decides, and the allocation
goes to the provider as a WMO301 message.

The man is always the same test person (demo.residents.PGB_BSN), so the journey finds him by name.
"""

import re
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree

from playwright.sync_api import expect

PGB_RESIDENT = "Deepak Sankrityayan"
PROVIDER = "Begeleiding Dichtbij"
WMO301 = "{http://www.istandaarden.nl/iwmo/3_2/wmo301/schema}"


def _last_day(period: str) -> date:
    """The end of a period as the plan shows it (from "22-9-2026" to "20-12-2026")."""
    day, month, year = re.findall(r"(\d{1,2})-(\d{1,2})-(\d{4})", period)[-1]
    return date(int(year), int(month), int(day))


def test_the_family_takes_over_and_the_beschikker_decides(journey, new_journey):
    journey.login("sociaalwerker")
    with journey.task("read the family's plan"):
        journey.follow(PGB_RESIDENT, step="case")  # from "Mijn werk": one of her open cases
        main = journey.page.get_by_role("main")
        expect(main).to_contain_text("Herindicatie")
        case_path = journey.page.url.removeprefix(journey.base_url)
        journey.follow("Plan", step="family-plan")
    main = journey.page.get_by_role("main")
    # The family's commitments are actions of the network, each with who does it.
    for commitment in (
        "Moeder: Elke zondag samen de weekplanning maken",
        "Vader: Vervoer naar de zorgboerderij op dinsdag en donderdag",
        "Zus Anke: Maandelijks de administratie samen doen",
    ):
        expect(main).to_contain_text(commitment)
    # The PGB phased out step by step, each step a period of its own.
    steps = journey.page.get_by_role("row").filter(has_text="Persoonsgebonden budget (pgb)")
    expect(steps).to_have_count(3)
    for hours, row in zip((6, 3, 1), steps.all(), strict=True):
        expect(row).to_contain_text(f"Pgb begeleiding, {hours} uur per week")
    safety_net_from = _last_day(steps.nth(2).inner_text()) + timedelta(days=1)

    with journey.task("indication advice: the safety net in kind"):
        journey.goto(case_path, step="case-again")
        journey.follow("Maatwerk", step="maatwerk")
        expect(journey.page.get_by_role("row").filter(has_text="Persoonsgebonden budget (pgb)")).to_have_count(3)
        journey.choose("Geadviseerde voorziening", "Begeleiding individueel")
        journey.fill("Omvang", "1")  # the frequency is a week to start with; the delivery in kind
        journey.fill("Van", safety_net_from.isoformat())
        journey.fill("Tot en met", (safety_net_from + timedelta(days=181)).isoformat())
        journey.choose("Aanbieder die de inwoner koos", PROVIDER)
        journey.fill(
            "Motivering",
            "Het pgb stopt: ouders en zus doen de weekplanning, het vervoer en de administratie. "
            "Eén uur per week begeleiding in natura blijft als vangnet; evaluatie na drie maanden.",
        )
        journey.submit("Advies naar de gemeente sturen", step="advice-sent")
    expect(journey.page.locator(".wt-messages")).to_contain_text("Het indicatieadvies is naar de gemeente gestuurd")
    expect(journey.page.get_by_role("row").filter(has_text="Wacht op besluit")).to_contain_text(PROVIDER)

    beschikker = new_journey("beschikker_decides")
    beschikker.login("beschikker")
    with beschikker.task("decide on the advice (beschikking)"):
        beschikker.follow("Besluiten", step="decisions-to-make")
        waiting = beschikker.page.get_by_role("row").filter(has_text=PGB_RESIDENT)
        expect(waiting).to_contain_text("Begeleiding individueel")
        beschikker.follow(PGB_RESIDENT, within=waiting, step="advice")
        expect(beschikker.page.get_by_role("main")).to_contain_text("Zorg in natura · " + PROVIDER)
        beschikker.check("Toegekend")  # volume, period, delivery and provider come from the advice
        beschikker.fill(
            "Motivering",
            "De familie neemt de begeleiding over; één uur per week in natura als vangnet is passend.",
        )
        beschikker.submit("Beschikking vastleggen", step="decided")
    expect(beschikker.page.locator(".wt-messages")).to_contain_text("De beschikking is vastgelegd")
    decision = beschikker.page.get_by_role("region", name=re.compile("^Beschikking"))
    expect(decision).to_contain_text(f"als WMO301 naar {PROVIDER} gestuurd")

    with beschikker.page.expect_download() as download:
        beschikker.page.get_by_role("link", name="Download het WMO301-bericht").click()
    assert download.value.suggested_filename.startswith("WMO301_")
    root = ElementTree.fromstring(Path(download.value.path()).read_bytes())  # noqa: S314 - our own server's message
    assert root.tag == f"{WMO301}Bericht", root.tag
    assert root.find(f"{WMO301}Header/{WMO301}BerichtCode").text == "414"  # WMO301 (iWmo 3.2)
