"""iWmo and iJw 3.2 messages: the allocation (WMO301/JW301) we send and the request for an
allocation (WMO315/JW315) a provider sends, checked against the official XSDs in
``data/istandaarden/`` (Zorginstituut Nederland).

- ``allocation_xml(...)`` builds a 301 message and refuses to return one that does not validate;
- ``schema_errors(kind, content)`` lists what is wrong with a message, in plain words;
- ``read_request(content)`` validates an uploaded 315 and reads what it asks for.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from django.utils.translation import gettext as _
from lxml import etree

from wijkteam.reference import data_path

BASIS_NS = {
    "wmo": "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema",
    "jw": "http://www.istandaarden.nl/ijw/3_2/basisschema/schema",
}


@dataclass(frozen=True)
class MessageType:
    kind: str  # WMO301, JW301, ...
    standard: str  # wmo or jw
    code: str  # BerichtCode (COD002 Vektis)

    @property
    def namespace(self) -> str:
        prefix = "iwmo" if self.standard == "wmo" else "ijw"
        return f"http://www.istandaarden.nl/{prefix}/3_2/{self.kind.lower()}/schema"

    @property
    def basis(self) -> str:
        return BASIS_NS[self.standard]


MESSAGE_TYPES = {
    "WMO301": MessageType("WMO301", "wmo", "414"),
    "JW301": MessageType("JW301", "jw", "436"),
    "WMO315": MessageType("WMO315", "wmo", "444"),
    "JW315": MessageType("JW315", "jw", "446"),
}
BY_NAMESPACE = {message.namespace: message for message in MESSAGE_TYPES.values()}
XSD_VERSION = "1.0.0"


@cache
def schema(kind: str) -> etree.XMLSchema:
    message = MESSAGE_TYPES[kind]
    return etree.XMLSchema(etree.parse(str(data_path("istandaarden", message.standard, f"{kind}.xsd"))))


class InvalidMessage(Exception):
    """The message does not validate; ``errors`` says why, in plain words."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


# --- what goes into a 301 ---------------------------------------------------------------------


@dataclass
class Client:
    bsn: str
    birth_date: date
    sex: str  # BRP: M, V, O
    surname: str
    prefix: str = ""
    partner_surname: str = ""
    partner_prefix: str = ""
    given_names: str = ""
    name_use: str = "E"  # BRP: E, P, V, N
    street: str = ""
    house_number: int | None = None
    house_letter: str = ""
    house_number_addition: str = ""
    postcode: str = ""
    town: str = ""


@dataclass
class AllocatedProduct:
    number: int
    category: str
    product_code: str
    allocated_at: datetime
    starts_on: date
    ends_on: date | None
    volume: int | None
    unit: str
    frequency: str
    reference: str = ""
    comment: str = ""


@dataclass
class Allocation301:
    kind: str  # WMO301 or JW301
    municipality_code: str  # four digits
    provider_agb: str
    message_id: str
    dated: date
    client: Client
    products: list[AllocatedProduct] = field(default_factory=list)


SEX = {"M": "1", "V": "2", "O": "0", "": "0"}
NAME_USE = {"E": "1", "P": "2", "V": "3", "N": "4"}


def _text(value: str, max_length: int) -> str:
    """Free text as the basisschema allows it: no surrounding whitespace, cut to its length."""
    return " ".join((value or "").split())[:max_length].strip()


def _initials(given_names: str) -> str:
    letters = "".join(name[0] for name in given_names.split() if name and name[0].isalpha())
    return letters[:6]


def allocation_xml(message: Allocation301) -> bytes:
    """The 301 message as UTF-8 bytes; raises ``InvalidMessage`` if it would not validate."""
    kind = MESSAGE_TYPES[message.kind]
    ns, basis = kind.namespace, kind.basis

    def m(parent, name: str, text: str | None = None):
        element = etree.SubElement(parent, f"{{{ns}}}{name}")
        if text is not None:
            element.text = text
        return element

    def b(parent, name: str, text: str | None = None):
        element = etree.SubElement(parent, f"{{{basis}}}{name}")
        if text is not None:
            element.text = text
        return element

    prefix = message.kind.lower()
    basis_prefix = "iwmo" if kind.standard == "wmo" else "ijw"
    root = etree.Element(f"{{{ns}}}Bericht", nsmap={prefix: ns, basis_prefix: basis})
    header = m(root, "Header")
    m(header, "BerichtCode", kind.code)
    m(header, "BerichtVersie", "3")
    m(header, "BerichtSubversie", "2")
    m(header, "Afzender", message.municipality_code)
    m(header, "Ontvanger", message.provider_agb)
    identification = m(header, "BerichtIdentificatie")
    b(identification, "Identificatie", message.message_id)
    b(identification, "Dagtekening", message.dated.isoformat())
    versions = m(header, "XsdVersie")
    b(versions, "BasisschemaXsdVersie", XSD_VERSION)
    b(versions, "BerichtXsdVersie", XSD_VERSION)

    person = message.client
    client = m(root, "Client")
    m(client, "Bsn", person.bsn)
    born = m(client, "Geboortedatum")
    b(born, "Datum", person.birth_date.isoformat())
    m(client, "Geslacht", SEX.get(person.sex, "0"))
    name = m(client, "Naam")
    surname = b(name, "Geslachtsnaam")
    b(surname, "Achternaam", _text(person.surname, 200))
    if _text(person.prefix, 10):
        b(surname, "Voorvoegsel", _text(person.prefix, 10))
    if _text(person.partner_surname, 200):
        partner = b(name, "Partnernaam")
        b(partner, "Achternaam", _text(person.partner_surname, 200))
        if _text(person.partner_prefix, 10):
            b(partner, "Voorvoegsel", _text(person.partner_prefix, 10))
    if _text(person.given_names, 200):
        b(name, "Voornamen", _text(person.given_names, 200))
    if _initials(person.given_names):
        b(name, "Voorletters", _initials(person.given_names))
    name_use = NAME_USE.get(person.name_use, "1") if person.partner_surname else "1"
    b(name, "NaamGebruik", name_use)

    contacts = m(client, "Contactgegevens")
    contact = m(contacts, "Contact")
    m(contact, "Soort", "01")  # COD757: BRP address
    if person.postcode or person.street or person.house_number is not None:
        address = m(contact, "Adres")
        if person.house_number is not None:
            house = b(address, "Huis")
            b(house, "Huisnummer", str(person.house_number))
            if _text(person.house_letter, 1):
                b(house, "Huisletter", _text(person.house_letter, 1))
            if _text(person.house_number_addition, 4):
                b(house, "HuisnummerToevoeging", _text(person.house_number_addition, 4))
        if _text(person.postcode, 8):
            b(address, "Postcode", _text(person.postcode, 8).replace(" ", ""))
        if _text(person.street, 24):
            # LDT_Straatnaam holds 24 characters (the NEN 5825 short street name).
            b(address, "Straatnaam", _text(person.street, 24))
        if _text(person.town, 80):
            b(address, "Plaatsnaam", _text(person.town, 80))
        b(address, "LandCode", "NL")

    products = m(client, "ToegewezenProducten")
    for product in message.products:
        element = m(products, "ToegewezenProduct")
        m(element, "ToewijzingNummer", str(product.number))
        if _text(product.reference, 36):
            m(element, "ReferentieAanbieder", _text(product.reference, 36))
        coded = m(element, "Product")
        b(coded, "Categorie", product.category)
        if _text(product.product_code, 5):
            b(coded, "Code", _text(product.product_code, 5))
        m(element, "Toewijzingsdatum", product.allocated_at.date().isoformat())
        m(element, "Toewijzingstijd", product.allocated_at.strftime("%H:%M:%S"))
        m(element, "Ingangsdatum", product.starts_on.isoformat())
        if product.ends_on:
            m(element, "Einddatum", product.ends_on.isoformat())
        if product.volume is not None and product.unit and product.frequency:
            size = m(element, "Omvang")
            b(size, "Volume", str(product.volume))
            b(size, "Eenheid", product.unit)
            b(size, "Frequentie", product.frequency)
        if _text(product.comment, 4000):
            m(element, "Commentaar", _text(product.comment, 4000))

    content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    errors = schema_errors(message.kind, content)
    if errors:
        raise InvalidMessage(errors)
    return content


# --- validation in plain words ----------------------------------------------------------------


def _parse(content: bytes) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.ElementTree(etree.fromstring(content, parser=parser))


def _field(message: str) -> str:
    """'Element '{ns}Bsn'' -> 'Bsn'."""
    found = re.search(r"Element '(?:\{[^}]*\})?([^']+)'", message)
    return found.group(1) if found else ""


def _value(message: str) -> str:
    found = re.search(r"[Tt]he value '([^']*)'", message) or re.search(r"value '([^']*)'", message)
    return found.group(1) if found else ""


def _expected(message: str) -> str:
    found = re.search(r"Expected is(?: one of)? \( ?([^)]*)\)", message)
    if not found:
        return ""
    return ", ".join(re.sub(r"\{[^}]*\}", "", part).strip() for part in found.group(1).split(","))


def plain_error(error) -> str:
    """One schema error from lxml in words a functional administrator understands."""
    name, value, text = _field(error.message), _value(error.message), error.message
    where = _("Line %(line)s, field %(field)s") % {"line": error.line, "field": name or "?"}
    if "This element is not expected" in text:
        expected = _expected(text)
        if expected:
            problem = _("this field is not allowed here; expected: %(expected)s") % {"expected": expected}
        else:
            problem = _("this field is not allowed here")
    elif "Missing child element" in text:
        problem = _("a required field is missing: %(expected)s") % {"expected": _expected(text)}
    elif "[facet 'enumeration']" in text:
        problem = _("'%(value)s' is not a code from the code list") % {"value": value}
    elif "[facet 'pattern']" in text:
        problem = _("'%(value)s' does not have the required form") % {"value": value}
    elif "[facet 'maxLength']" in text:
        problem = _("'%(value)s' is too long") % {"value": value}
    elif "[facet 'minLength']" in text:
        problem = _("this field is empty")
    elif "[facet 'maxInclusive']" in text or "[facet 'minInclusive']" in text:
        problem = _("'%(value)s' is outside the allowed range") % {"value": value}
    elif "is not a valid value of the atomic type" in text or "is not a valid value of the local atomic type" in text:
        kind = re.search(r"atomic type '(?:xs:)?([^']+)'", text)
        kind_name = kind.group(1) if kind else ""
        if "date" in kind_name:
            problem = _("'%(value)s' is not a date (YYYY-MM-DD)") % {"value": value}
        elif "integer" in kind_name:
            problem = _("'%(value)s' is not a whole number") % {"value": value}
        else:
            problem = _("'%(value)s' is not a valid value") % {"value": value}
    elif "No matching global declaration" in text:
        problem = _("this is not the message the schema describes")
    else:
        problem = _("does not meet the schema (%(detail)s)") % {"detail": text}
    return f"{where}: {problem}."


def _not_xml(error: etree.XMLSyntaxError) -> str:
    return _("The file is not readable XML (line %(line)s): %(detail)s.") % {"line": error.lineno, "detail": error.msg}


def schema_errors(kind: str, content: bytes) -> list[str]:
    """Every way ``content`` breaks the XSD of ``kind``, in plain words; empty when it is valid."""
    try:
        document = _parse(content)
    except etree.XMLSyntaxError as error:
        return [_not_xml(error)]
    validator = schema(kind)
    if validator.validate(document):
        return []
    return [plain_error(error) for error in validator.error_log]


# --- reading a 315 ----------------------------------------------------------------------------


@dataclass
class RequestedProduct:
    reference: str
    category: str
    product_code: str
    starts_on: str
    ends_on: str
    volume: str
    unit: str
    frequency: str
    referrer_type: str
    referrer_name: str


@dataclass
class Request315:
    kind: str
    sender_agb: str
    municipality_code: str
    message_id: str
    dated: str
    bsn: str
    birth_date: str
    client_name: str
    products: list[RequestedProduct]


def _normalise(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def read_request(content: bytes) -> Request315:
    """Validate an uploaded WMO315/JW315 and read it; raises ``InvalidMessage`` with the errors in
    plain words when it is not one or does not validate."""
    try:
        root = _parse(content).getroot()
    except etree.XMLSyntaxError as error:
        raise InvalidMessage([_not_xml(error)]) from None
    namespace = etree.QName(root).namespace or ""
    message = BY_NAMESPACE.get(namespace)
    if message is None or not message.kind.endswith("315"):
        raise InvalidMessage([_("This is not a WMO315 or JW315 message (request for an allocation).")])
    errors = schema_errors(message.kind, content)
    if errors:
        raise InvalidMessage(errors)
    ns = {"m": message.namespace, "b": message.basis}

    def text(element, path: str) -> str:
        found = element.find(path, ns)
        return _normalise(found.text) if found is not None and found.text else ""

    client = root.find("m:Client", ns)
    name = " ".join(
        part
        for part in (
            text(client, "m:Naam/b:Voornamen") or text(client, "m:Naam/b:Voorletters"),
            text(client, "m:Naam/b:Geslachtsnaam/b:Voorvoegsel"),
            text(client, "m:Naam/b:Geslachtsnaam/b:Achternaam"),
        )
        if part
    )
    products = [
        RequestedProduct(
            reference=text(product, "m:ReferentieAanbieder"),
            category=text(product, "m:Product/b:Categorie"),
            product_code=text(product, "m:Product/b:Code"),
            starts_on=text(product, "m:ToewijzingIngangsdatum"),
            ends_on=text(product, "m:ToewijzingEinddatum"),
            volume=text(product, "m:Omvang/b:Volume"),
            unit=text(product, "m:Omvang/b:Eenheid"),
            frequency=text(product, "m:Omvang/b:Frequentie"),
            referrer_type=text(product, "m:Verwijzer/b:Type"),
            referrer_name=text(product, "m:Verwijzer/b:Naam"),
        )
        for product in client.findall("m:AangevraagdeProducten/m:AangevraagdProduct", ns)
    ]
    return Request315(
        kind=message.kind,
        sender_agb=text(root, "m:Header/m:Afzender"),
        municipality_code=text(root, "m:Header/m:Ontvanger"),
        message_id=text(root, "m:Header/m:BerichtIdentificatie/b:Identificatie"),
        dated=text(root, "m:Header/m:BerichtIdentificatie/b:Dagtekening"),
        bsn=text(client, "m:Bsn"),
        birth_date=text(client, "m:Geboortedatum/b:Datum"),
        client_name=name,
        products=products,
    )
