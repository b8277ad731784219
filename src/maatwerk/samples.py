"""iWmo/iJw 3.2 messages as a provider's software writes them, for the demo and the tests:
realistic content, written out by hand from the XSDs (not by the code that reads them), and
checked against the official XSD in every test that uses them."""

from datetime import date

from django.utils import timezone
from lxml import etree

from wijkteam.reference import data_path


def official_schema(kind: str) -> etree.XMLSchema:
    standard = "jw" if kind.startswith("JW") else "wmo"
    return etree.XMLSchema(etree.parse(str(data_path("istandaarden", standard, f"{kind}.xsd"))))


def is_valid(kind: str, content: bytes) -> bool:
    return official_schema(kind).validate(etree.ElementTree(etree.fromstring(content)))


CODES = {
    "WMO305": "418", "WMO307": "420", "WMO315": "444", "WMO317": "480", "WMO323": "484",
    "JW305": "438", "JW307": "440", "JW315": "446", "JW317": "486", "JW323": "490",
    "JW302": "437", "JW320": "489",
}  # fmt: skip


def _ns(kind: str) -> tuple[str, str, str]:
    """(message prefix, basis prefix, namespace declarations)."""
    prefix = kind.lower()
    if kind.startswith("JW"):
        basis, base = "ijw", "http://www.istandaarden.nl/ijw/3_2"
    else:
        basis, base = "iwmo", "http://www.istandaarden.nl/iwmo/3_2"
    return prefix, basis, f'xmlns:{basis}="{base}/basisschema/schema" xmlns:{prefix}="{base}/{prefix}/schema"'


def _header(kind: str, *, agb: str, municipality: str, message_id: str, dated: date | None) -> str:
    m, b, _ = _ns(kind)
    day = (dated or timezone.localdate()).isoformat()
    return f"""  <{m}:Header>
    <{m}:BerichtCode>{CODES[kind]}</{m}:BerichtCode>
    <{m}:BerichtVersie>3</{m}:BerichtVersie>
    <{m}:BerichtSubversie>2</{m}:BerichtSubversie>
    <{m}:Afzender>{agb}</{m}:Afzender>
    <{m}:Ontvanger>{municipality}</{m}:Ontvanger>
    <{m}:BerichtIdentificatie>
      <{b}:Identificatie>{message_id}</{b}:Identificatie>
      <{b}:Dagtekening>{day}</{b}:Dagtekening>
    </{m}:BerichtIdentificatie>
    <{m}:XsdVersie>
      <{b}:BasisschemaXsdVersie>1.0.0</{b}:BasisschemaXsdVersie>
      <{b}:BerichtXsdVersie>1.0.0</{b}:BerichtXsdVersie>
    </{m}:XsdVersie>
  </{m}:Header>"""


def _client(kind: str, *, bsn: str, birth: str, surname: str, initials: str) -> str:
    m, b, _ = _ns(kind)
    return f"""    <{m}:Bsn>{bsn}</{m}:Bsn>
    <{m}:Geboortedatum><{b}:Datum>{birth}</{b}:Datum></{m}:Geboortedatum>
    <{m}:Geslacht>2</{m}:Geslacht>
    <{m}:Naam>
      <{b}:Geslachtsnaam><{b}:Achternaam>{surname}</{b}:Achternaam></{b}:Geslachtsnaam>
      <{b}:Voorletters>{initials}</{b}:Voorletters>
    </{m}:Naam>"""


def _wrap(kind: str, body: str) -> bytes:
    m, _b, declarations = _ns(kind)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{m}:Bericht {declarations}>\n{body}\n</{m}:Bericht>\n'.encode()


def request_315(
    kind: str = "WMO315",
    *,
    agb: str,
    municipality: str,
    bsn: str,
    birth: str = "1950-03-04",
    surname: str = "Hoekstra",
    initials: str = "A",
    message_id: str = "315000000001",
    reference: str = "VOT-2026-0001",
    category: str = "01",
    starts_on: date | None = None,
    ends_on: date | None = None,
    volume: int = 3,
    unit: str = "04",
    frequency: str = "2",
    dated: date | None = None,
) -> bytes:
    m, b, _ = _ns(kind)
    start = (starts_on or timezone.localdate()).isoformat()
    end = f"\n        <{m}:ToewijzingEinddatum>{ends_on.isoformat()}</{m}:ToewijzingEinddatum>" if ends_on else ""
    body = f"""{_header(kind, agb=agb, municipality=municipality, message_id=message_id, dated=dated)}
  <{m}:Client>
{_client(kind, bsn=bsn, birth=birth, surname=surname, initials=initials)}
    <{m}:AangevraagdeProducten>
      <{m}:AangevraagdProduct>
        <{m}:ReferentieAanbieder>{reference}</{m}:ReferentieAanbieder>
        <{m}:Product><{b}:Categorie>{category}</{b}:Categorie></{m}:Product>
        <{m}:ToewijzingIngangsdatum>{start}</{m}:ToewijzingIngangsdatum>{end}
        <{m}:Omvang><{b}:Volume>{volume}</{b}:Volume><{b}:Eenheid>{unit}</{b}:Eenheid><{b}:Frequentie>{frequency}</{b}:Frequentie></{m}:Omvang>
        <{m}:Verwijzer><{b}:Type>02</{b}:Type><{b}:Naam>Huisartsenpraktijk Huizum</{b}:Naam></{m}:Verwijzer>
      </{m}:AangevraagdProduct>
    </{m}:AangevraagdeProducten>
  </{m}:Client>"""
    return _wrap(kind, body)


def change_317(
    kind: str = "WMO317",
    *,
    agb: str,
    municipality: str,
    bsn: str,
    number: int,
    starts_on: date,
    ends_on: date | None = None,
    volume: int | None = None,
    unit: str = "04",
    frequency: str = "2",
    unchanged: tuple[int, ...] = (),
    message_id: str = "317000000001",
    reference: str = "VOW-2026-0001",
) -> bytes:
    m, b, _ = _ns(kind)
    end = f"\n          <{m}:Einddatum>{ends_on.isoformat()}</{m}:Einddatum>" if ends_on else ""
    size = (
        f"\n          <{m}:Omvang><{b}:Volume>{volume}</{b}:Volume><{b}:Eenheid>{unit}</{b}:Eenheid>"
        f"<{b}:Frequentie>{frequency}</{b}:Frequentie></{m}:Omvang>"
        if volume is not None
        else ""
    )
    kept = ""
    if unchanged:
        rows = "".join(
            f"<{m}:OngewijzigdProduct><{m}:ToewijzingNummer>{n}</{m}:ToewijzingNummer></{m}:OngewijzigdProduct>"
            for n in unchanged
        )
        kept = f"\n      <{m}:OngewijzigdeProducten>{rows}</{m}:OngewijzigdeProducten>"
    body = f"""{_header(kind, agb=agb, municipality=municipality, message_id=message_id, dated=None)}
  <{m}:Client>
    <{m}:Bsn>{bsn}</{m}:Bsn>
    <{m}:Verzoek>
      <{m}:ReferentieAanbieder>{reference}</{m}:ReferentieAanbieder>
      <{m}:RedenVerzoek>1</{m}:RedenVerzoek>{kept}
      <{m}:TeWijzigenProducten>
        <{m}:TeWijzigenProduct>
          <{m}:ToewijzingNummer>{number}</{m}:ToewijzingNummer>
          <{m}:GewensteIngangsdatum>{starts_on.isoformat()}</{m}:GewensteIngangsdatum>{end}{size}
        </{m}:TeWijzigenProduct>
      </{m}:TeWijzigenProducten>
    </{m}:Verzoek>
  </{m}:Client>"""
    return _wrap(kind, body)


def delivery(
    kind: str,
    *,
    agb: str,
    municipality: str,
    bsn: str,
    number: int,
    category: str,
    allocation_starts_on: date,
    begins_on: date,
    ends_on: date | None = None,
    reason: str = "19",
    status: str = "1",
    birth: str = "1950-03-04",
    surname: str = "Hoekstra",
    message_id: str = "305000000001",
) -> bytes:
    """A start (305) or stop (307) of care."""
    m, b, _ = _ns(kind)
    name = "Start" if kind.endswith("305") else "Stop"
    stop = (
        f"\n        <{m}:RedenBeeindiging>{reason}</{m}:RedenBeeindiging>"
        f"\n        <{m}:Einddatum>{ends_on.isoformat()}</{m}:Einddatum>"
        if name == "Stop"
        else ""
    )
    body = f"""{_header(kind, agb=agb, municipality=municipality, message_id=message_id, dated=None)}
  <{m}:Client>
{_client(kind, bsn=bsn, birth=birth, surname=surname, initials="A")}
    <{m}:{name}Producten>
      <{m}:{name}Product>
        <{m}:ToewijzingNummer>{number}</{m}:ToewijzingNummer>
        <{m}:Product><{b}:Categorie>{category}</{b}:Categorie></{m}:Product>
        <{m}:ToewijzingIngangsdatum>{allocation_starts_on.isoformat()}</{m}:ToewijzingIngangsdatum>
        <{m}:Begindatum>{begins_on.isoformat()}</{m}:Begindatum>{stop}
        <{m}:StatusAanlevering>{status}</{m}:StatusAanlevering>
      </{m}:{name}Product>
    </{m}:{name}Producten>
  </{m}:Client>"""
    return _wrap(kind, body)


def declaration_323(
    kind: str = "WMO323",
    *,
    agb: str,
    municipality: str,
    number: str = "D2026001",
    period: tuple[date, date],
    services: list[dict],
    message_id: str = "323000000001",
) -> bytes:
    """``services``: dicts with bsn, reference, number, category, code, starts_on, ends_on, volume,
    unit, tariff (cents), amount (cents)."""
    m, b, _ = _ns(kind)
    clients = []
    for bsn in dict.fromkeys(s["bsn"] for s in services):
        rows = []
        for s in (s for s in services if s["bsn"] == bsn):
            tariff = (
                f"\n          <{m}:ProductTarief>{s['tariff']}</{m}:ProductTarief>"
                if s.get("tariff") is not None
                else ""
            )
            rows.append(
                f"""        <{m}:Prestatie>
          <{m}:ProductReferentie><{b}:ReferentieNummer>{s["reference"]}</{b}:ReferentieNummer></{m}:ProductReferentie>
          <{m}:ToewijzingNummer>{s["number"]}</{m}:ToewijzingNummer>
          <{m}:ProductCategorie>{s["category"]}</{m}:ProductCategorie>
          <{m}:ProductCode>{s["code"]}</{m}:ProductCode>
          <{m}:ProductPeriode><{b}:Begindatum>{s["starts_on"].isoformat()}</{b}:Begindatum><{b}:Einddatum>{s["ends_on"].isoformat()}</{b}:Einddatum></{m}:ProductPeriode>
          <{m}:GeleverdVolume>{s["volume"]}</{m}:GeleverdVolume>
          <{m}:Eenheid>{s["unit"]}</{m}:Eenheid>{tariff}
          <{m}:IngediendBedrag><{b}:Bedrag>{s["amount"]}</{b}:Bedrag><{b}:DebetCredit>D</{b}:DebetCredit></{m}:IngediendBedrag>
        </{m}:Prestatie>"""
            )
        clients.append(
            f"    <{m}:Client>\n      <{m}:Bsn>{bsn}</{m}:Bsn>\n      <{m}:Prestaties>\n"
            + "\n".join(rows)
            + f"\n      </{m}:Prestaties>\n    </{m}:Client>"
        )
    total = sum(s["amount"] for s in services)
    body = f"""{_header(kind, agb=agb, municipality=municipality, message_id=message_id, dated=None)}
  <{m}:Declaratie>
    <{m}:DeclaratieNummer>{number}</{m}:DeclaratieNummer>
    <{m}:DeclaratiePeriode><{b}:Begindatum>{period[0].isoformat()}</{b}:Begindatum><{b}:Einddatum>{period[1].isoformat()}</{b}:Einddatum></{m}:DeclaratiePeriode>
    <{m}:DeclaratieDagtekening>{timezone.localdate().isoformat()}</{m}:DeclaratieDagtekening>
    <{m}:TotaalIngediendBedrag><{b}:TotaalBedrag>{total}</{b}:TotaalBedrag><{b}:DebetCredit>D</{b}:DebetCredit></{m}:TotaalIngediendBedrag>
    <{m}:Clienten>
{chr(10).join(clients)}
    </{m}:Clienten>
  </{m}:Declaratie>"""
    return _wrap(kind, body)


def retour(kind: str, sent: bytes, *, retour_id: str = "R00000000009", codes: tuple[str, ...] = ("0200",)) -> bytes:
    """The provider's JW302 (on a JW301) or JW320 (on a JW319): the message it received, with the
    retour header and ``codes`` on every class, as its XSD has them."""
    source = "jw301" if kind == "JW302" else "jw319"
    classes = {
        "JW302": {"Client", "Relatie", "Contact", "ToegewezenProduct"},
        "JW320": {"Antwoord", "Woonplaatsbeginsel"},
    }[kind]
    ns_source = f"http://www.istandaarden.nl/ijw/3_2/{source}/schema"
    ns_target = f"http://www.istandaarden.nl/ijw/3_2/{kind.lower()}/schema"
    original = etree.fromstring(sent)
    root = etree.Element(
        f"{{{ns_target}}}Bericht",
        nsmap={kind.lower(): ns_target, "ijw": "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"},
    )

    def copy(src, dst):
        for child in src:
            q = etree.QName(child)
            element = etree.SubElement(
                dst, f"{{{ns_target if q.namespace == ns_source else q.namespace}}}{q.localname}"
            )
            if len(child) == 0:
                element.text = child.text
            copy(child, element)
            if q.namespace == ns_source and q.localname in classes:
                holder = etree.SubElement(element, f"{{{ns_target}}}RetourCodes")
                for code in codes:
                    etree.SubElement(holder, f"{{{ns_target}}}RetourCode").text = code

    copy(original, root)
    header = root.find(f"{{{ns_target}}}Header")
    header.find(f"{{{ns_target}}}BerichtCode").text = CODES[kind]
    at = list(header).index(header.find(f"{{{ns_target}}}XsdVersie")) + 1
    for offset, (name, value) in enumerate(
        (("IdentificatieRetour", retour_id), ("DagtekeningRetour", timezone.localdate().isoformat()))
    ):
        element = etree.Element(f"{{{ns_target}}}{name}")
        element.text = value
        header.insert(at + offset, element)
    versions = etree.Element(f"{{{ns_target}}}XsdVersieRetour")
    for name in ("BasisschemaXsdVersie", "BerichtXsdVersie"):
        etree.SubElement(versions, f"{{http://www.istandaarden.nl/ijw/3_2/basisschema/schema}}{name}").text = "1.0.0"
    header.insert(at + 2, versions)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
