"""The message cycle with a provider, in the browser: Thuiszorg Noord asks for household help for
the widow of scenario 1 (a WMO315); the beschikker turns the request into a decision and the
allocation goes out as a WMO301 that answers it; the provider reports the start (WMO305) and the
stop (WMO307) of the care, and the real delivery shows on the decision.

The messages are written here as the provider's software writes them (iWmo 3.2); the journey
imports nothing from the apps. The widow is always the same official test person.
"""

import re
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

from playwright.sync_api import expect

PROVIDER, AGB, MUNICIPALITY = "Thuiszorg Noord", "75750001", "0080"
WIDOW = {"bsn": "999993185", "birth": "1957-09-29", "surname": "Meiden", "prefix": "van der"}
WMO301 = "{http://www.istandaarden.nl/iwmo/3_2/wmo301/schema}"
NS = (
    'xmlns:iwmo="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema" '
    'xmlns:m="http://www.istandaarden.nl/iwmo/3_2/{kind}/schema"'
)


def _message(kind: str, code: str, message_id: str, body: str) -> bytes:
    today = date.today().isoformat()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<m:Bericht {NS.format(kind=kind.lower())}>
  <m:Header>
    <m:BerichtCode>{code}</m:BerichtCode><m:BerichtVersie>3</m:BerichtVersie><m:BerichtSubversie>2</m:BerichtSubversie>
    <m:Afzender>{AGB}</m:Afzender><m:Ontvanger>{MUNICIPALITY}</m:Ontvanger>
    <m:BerichtIdentificatie><iwmo:Identificatie>{message_id}</iwmo:Identificatie><iwmo:Dagtekening>{today}</iwmo:Dagtekening></m:BerichtIdentificatie>
    <m:XsdVersie><iwmo:BasisschemaXsdVersie>1.0.0</iwmo:BasisschemaXsdVersie><iwmo:BerichtXsdVersie>1.0.0</iwmo:BerichtXsdVersie></m:XsdVersie>
  </m:Header>
  <m:Client>
    <m:Bsn>{WIDOW["bsn"]}</m:Bsn>
    <m:Geboortedatum><iwmo:Datum>{WIDOW["birth"]}</iwmo:Datum></m:Geboortedatum>
    <m:Geslacht>2</m:Geslacht>
    <m:Naam><iwmo:Geslachtsnaam><iwmo:Achternaam>{WIDOW["surname"]}</iwmo:Achternaam><iwmo:Voorvoegsel>{WIDOW["prefix"]}</iwmo:Voorvoegsel></iwmo:Geslachtsnaam><iwmo:Voorletters>I</iwmo:Voorletters></m:Naam>
{body}
  </m:Client>
</m:Bericht>
""".encode()


def request_315() -> bytes:
    today = date.today().isoformat()
    return _message(
        "WMO315",
        "444",
        "E2E000000315",
        f"""    <m:AangevraagdeProducten><m:AangevraagdProduct>
      <m:ReferentieAanbieder>TN-E2E-0001</m:ReferentieAanbieder>
      <m:Product><iwmo:Categorie>01</iwmo:Categorie></m:Product>
      <m:ToewijzingIngangsdatum>{today}</m:ToewijzingIngangsdatum>
      <m:Omvang><iwmo:Volume>2</iwmo:Volume><iwmo:Eenheid>04</iwmo:Eenheid><iwmo:Frequentie>2</iwmo:Frequentie></m:Omvang>
      <m:Verwijzer><iwmo:Type>02</iwmo:Type><iwmo:Naam>Huisartsenpraktijk Huizum</iwmo:Naam></m:Verwijzer>
    </m:AangevraagdProduct></m:AangevraagdeProducten>""",
    )


def start_or_stop(kind: str, number: str, starts: str) -> bytes:
    today = date.today().isoformat()
    name, code = ("Start", "418") if kind == "WMO305" else ("Stop", "420")
    stop = f"<m:RedenBeeindiging>19</m:RedenBeeindiging><m:Einddatum>{today}</m:Einddatum>" if name == "Stop" else ""
    return _message(
        kind,
        code,
        f"E2E000000{kind[-3:]}",
        f"""    <m:{name}Producten><m:{name}Product>
      <m:ToewijzingNummer>{number}</m:ToewijzingNummer>
      <m:Product><iwmo:Categorie>01</iwmo:Categorie></m:Product>
      <m:ToewijzingIngangsdatum>{starts}</m:ToewijzingIngangsdatum>
      <m:Begindatum>{today}</m:Begindatum>{stop}
      <m:StatusAanlevering>1</m:StatusAanlevering>
    </m:{name}Product></m:{name}Producten>""",
    )


def upload(journey, name: str, content: bytes, *, step: str) -> None:
    journey.goto("/maatwerk/berichten/", step=f"messages-{step}")
    journey.field("iWmo- of iJw-bericht").set_input_files(
        {"name": name, "mimeType": "application/xml", "buffer": content}
    )
    journey.submit("Uploaden", step=step)


def test_a_315_becomes_a_301_and_the_provider_reports_start_and_stop(journey):
    journey.login("beschikker")
    with journey.task("receive a request for an allocation (WMO315)"):
        upload(journey, "WMO315.xml", request_315(), step="request-received")
    main = journey.page.get_by_role("main")
    expect(journey.page.get_by_role("heading", level=1)).to_contain_text("Verzoek om toewijzing")
    expect(main).to_contain_text("01 Hulp bij het huishouden")  # the category's name from the code list
    expect(main).to_contain_text("Huisartsenpraktijk Huizum")

    with journey.task("decide on the request; the WMO301 answers it"):
        journey.submit("Hierover besluiten", step="advice-from-request")
        expect(journey.page.locator(".wt-messages")).to_contain_text("Het verzoek is een advies geworden")
        advice_path = journey.page.url.removeprefix(journey.base_url)
        journey.check("Toegekend")
        journey.fill("Motivering", "Loopt slecht; huishouden lukt niet meer. Twee uur per week hulp is passend.")
        journey.submit("Beschikking vastleggen", step="decided")
    decision = journey.page.get_by_role("region", name=re.compile("^Beschikking"))
    expect(decision).to_contain_text(f"als WMO301 naar {PROVIDER} gestuurd")
    expect(decision).to_contain_text("nog geen start zorg gemeld")
    with journey.page.expect_download() as download:
        journey.page.get_by_role("link", name="Download het WMO301-bericht").click()
    root = ElementTree.fromstring(Path(download.value.path()).read_bytes())  # noqa: S314 - our own server's message
    product = root.find(f"{WMO301}Client/{WMO301}ToegewezenProducten/{WMO301}ToegewezenProduct")
    assert product.find(f"{WMO301}ReferentieAanbieder").text == "TN-E2E-0001"  # it answers the request
    number = product.find(f"{WMO301}ToewijzingNummer").text
    starts = product.find(f"{WMO301}Ingangsdatum").text

    with journey.task("receive the start and the stop of care (WMO305, WMO307)"):
        upload(journey, "WMO305.xml", start_or_stop("WMO305", number, starts), step="start-received")
        expect(journey.page.get_by_role("heading", level=1)).to_contain_text("WMO305")
        upload(journey, "WMO307.xml", start_or_stop("WMO307", number, starts), step="stop-received")
        expect(journey.page.get_by_role("heading", level=1)).to_contain_text("WMO307")
    journey.goto(advice_path, step="delivery-on-the-decision")
    decision = journey.page.get_by_role("region", name=re.compile("^Beschikking"))
    expect(decision).to_contain_text("zorg gestart op")
    expect(decision).to_contain_text("gestopt op")
    expect(decision).to_contain_text("Levering volgens plan beëindigd")

    journey.goto("/maatwerk/berichten/", step="inbox")
    journey.follow(PROVIDER, step="inbox-thuiszorg")
    rows = journey.page.get_by_role("main")
    for kind in ("WMO315", "WMO301", "WMO305", "WMO307"):
        expect(rows).to_contain_text(kind)
