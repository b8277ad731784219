"""iWmo and iJw 3.2: every message a municipality sends or receives, read safely, checked against
the official XSDs in ``data/istandaarden/`` (Zorginstituut Nederland) and built to them.

Which messages there are comes from those XSDs: iWmo 3.2 has no retour messages (a request is
answered with a WMO319, and the WMO325 declaration answer is not among the published files we
ship); iJw 3.2 still has them (JW302, JW306, JW308, JW316, JW318, JW320, JW325).

- ``read(content)`` reads an uploaded or received file safely (UTF-8 only, no DOCTYPE, no
  entities, no network, size and depth limits), finds its message type and validates it; every
  refusal is a ``Refused`` with reasons in plain Dutch that name the message type, the line, the
  field and the value;
- ``allocation_xml``, ``answer_xml``, ``retour_xml`` and ``declaration_answer_xml`` build the
  messages the municipality sends and refuse to return one that does not validate;
- ``read_request``, ``read_change``, ``read_start``, ``read_stop``, ``read_declaration`` and
  ``read_retour`` take what the cycle needs out of a message that passed ``read``.
"""

import re
import unicodedata
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from wijkteam.numbers import number
from wijkteam.reference import codelist, data_path

BASIS_NS = {
    "wmo": "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema",
    "jw": "http://www.istandaarden.nl/ijw/3_2/basisschema/schema",
}
XSD_VERSION = "1.0.0"
GEMEENTE, AANBIEDER = "gemeente", "aanbieder"

# A message is read whole into memory: 5 MB holds a monthly declaration of thousands of services.
MAX_BYTES = 5 * 1024 * 1024
# The deepest element of any iWmo/iJw 3.2 message lies nine levels down; libxml2 itself stops at 256.
MAX_DEPTH = 16


@dataclass(frozen=True)
class MessageType:
    kind: str  # WMO301, JW302, ...
    standard: str  # wmo or jw
    code: str  # BerichtCode (COD002 Vektis)
    sender: str  # who sends it: GEMEENTE or AANBIEDER
    retour_of: str = ""  # iJw: the message this retour message answers
    header_from: str = ""  # whose code stands in the header's Afzender (retours copy the heenbericht's)

    @property
    def namespace(self) -> str:
        prefix = "iwmo" if self.standard == "wmo" else "ijw"
        return f"http://www.istandaarden.nl/{prefix}/3_2/{self.kind.lower()}/schema"

    @property
    def basis(self) -> str:
        return BASIS_NS[self.standard]

    @property
    def received(self) -> bool:
        """The municipality receives it (the provider sends it)."""
        return self.sender == AANBIEDER

    @property
    def label(self) -> str:
        return str(LABELS[self.kind[-3:]])

    @property
    def municipality_field(self) -> str:
        return "Afzender" if self.header_from == GEMEENTE else "Ontvanger"

    @property
    def provider_field(self) -> str:
        return "Ontvanger" if self.header_from == GEMEENTE else "Afzender"


def _type(kind: str, code: str, sender: str, retour_of: str = "", header_from: str = "") -> MessageType:
    standard = "wmo" if kind.startswith("WMO") else "jw"
    return MessageType(kind, standard, code, sender, retour_of, header_from or sender)


MESSAGE_TYPES = {
    message.kind: message
    for message in (
        _type("WMO301", "414", GEMEENTE),
        _type("WMO305", "418", AANBIEDER),
        _type("WMO307", "420", AANBIEDER),
        _type("WMO315", "444", AANBIEDER),
        _type("WMO317", "480", AANBIEDER),
        _type("WMO319", "482", GEMEENTE),
        _type("WMO323", "484", AANBIEDER),
        _type("JW301", "436", GEMEENTE),
        _type("JW302", "437", AANBIEDER, "JW301", GEMEENTE),
        _type("JW305", "438", AANBIEDER),
        _type("JW306", "439", GEMEENTE, "JW305", AANBIEDER),
        _type("JW307", "440", AANBIEDER),
        _type("JW308", "441", GEMEENTE, "JW307", AANBIEDER),
        _type("JW315", "446", AANBIEDER),
        _type("JW316", "447", GEMEENTE, "JW315", AANBIEDER),
        _type("JW317", "486", AANBIEDER),
        _type("JW318", "487", GEMEENTE, "JW317", AANBIEDER),
        _type("JW319", "488", GEMEENTE),
        _type("JW320", "489", AANBIEDER, "JW319", GEMEENTE),
        _type("JW323", "490", AANBIEDER),
        _type("JW325", "491", GEMEENTE, "JW323", GEMEENTE),
    )
}
BY_NAMESPACE = {message.namespace: message for message in MESSAGE_TYPES.values()}
# The retour message the municipality sends on a received iJw message.
RETOUR_FOR = {m.retour_of: m.kind for m in MESSAGE_TYPES.values() if m.retour_of and not m.received}

LABELS = {
    "301": gettext_lazy("allocation"),
    "302": gettext_lazy("return message on an allocation"),
    "305": gettext_lazy("start of care"),
    "306": gettext_lazy("return message on a start of care"),
    "307": gettext_lazy("stop of care"),
    "308": gettext_lazy("return message on a stop of care"),
    "315": gettext_lazy("request for an allocation"),
    "316": gettext_lazy("return message on a request for an allocation"),
    "317": gettext_lazy("request for a change"),
    "318": gettext_lazy("return message on a request for a change"),
    "319": gettext_lazy("answer to a request"),
    "320": gettext_lazy("return message on an answer"),
    "323": gettext_lazy("declaration"),
    "325": gettext_lazy("answer to a declaration"),
}


def message_type(kind: str) -> MessageType:
    return MESSAGE_TYPES[kind]


@cache
def schema(kind: str) -> etree.XMLSchema:
    message = MESSAGE_TYPES[kind]
    return etree.XMLSchema(etree.parse(str(data_path("istandaarden", message.standard, f"{kind}.xsd"))))


# --- code lists -------------------------------------------------------------------------------


@cache
def _codes(standard: str, filename: str) -> dict[str, str]:
    return dict(codelist(standard, filename))


def category_name(category: str, *, standard: str = "") -> str:
    """The name of a product category (WMO020 for the Wmo, JZ020 for the Jeugdwet)."""
    if not category:
        return ""
    wmo = _codes("wmo", "WMO020_Productcategorie.md")
    jw = _codes("jw", "JZ020_Productcategorie")
    table = jw if standard == "jw" else wmo if standard == "wmo" else {**wmo, **jw}
    return table.get(category, category)


@cache
def _retour_codes() -> dict[str, str]:
    """WJ001 has one table per group of codes: every row of every table."""
    rows = {}
    for line in data_path("istandaarden", "codelijsten", "jw", "WJ001_Retourcode.md").read_text("utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) > 1 and re.fullmatch(r"[0-9S]\d{3}", cells[0]):
            rows.setdefault(cells[0], cells[1])
    return rows


def retour_code_text(code: str) -> str:
    """The meaning of a retour code (WJ001)."""
    return _retour_codes().get(code, code)


def refusal_reason_text(code: str) -> str:
    """The meaning of a reason to refuse a request (WJ759)."""
    return _codes("wmo", "WJ759_Reden_afwijzing_verzoek.md").get(code, code)


def end_reason_text(code: str, *, standard: str = "wmo") -> str:
    """The meaning of a reason a delivery ended (WMO588 / JZ588)."""
    filename = "JZ588_Reden_beeindiging.md" if standard == "jw" else "WMO588_Reden_beeindiging.md"
    return _codes(standard, filename).get(code, code)


REFUSAL_REASONS = [(code, text) for code, text in codelist("wmo", "WJ759_Reden_afwijzing_verzoek.md")]
ANSWER_REFUSED, ANSWER_IN_PROGRESS = "1", "2"  # WJ760


# --- refusing a file --------------------------------------------------------------------------


class Refused(Exception):
    """The file is refused as a whole; ``errors`` says why, in plain Dutch."""

    def __init__(self, errors: list[str], *, kind: str = "") -> None:
        super().__init__("\n".join(errors))
        self.errors = errors
        self.kind = kind


InvalidMessage = Refused  # a message we build that does not validate


_NAMESPACE_RE = re.compile(rb"istandaarden\.nl/(iwmo|ijw)/(\d+)_(\d+)/(wmo|jw)(\d{3})/schema")


def sniff_kind(content: bytes) -> str:
    """The message type a file says it is (its namespace), before it is read; '' if none."""
    found = _NAMESPACE_RE.search(content[:65536])
    if not found:
        return ""
    standard, major, minor, prefix, number = (part.decode() for part in found.groups())
    kind = f"{prefix.upper()}{number}"
    return kind if (major, minor) == ("3", "2") and kind in MESSAGE_TYPES else f"{kind} ({standard} {major}.{minor})"


def _named(kind: str) -> str:
    """'WMO315 (verzoek om toewijzing)', or 'Het bestand' when no message type was found."""
    message = MESSAGE_TYPES.get(kind)
    if message is not None:
        return f"{kind} ({message.label})"
    return kind or _("The file")


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _decode(content: bytes, kind: str) -> str:
    """iWmo and iJw messages are UTF-8: other encodings are refused, not guessed."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or content[:4] in (b"\x00<\x00?", b"<\x00?\x00"):
        raise Refused(
            [
                _("%(what)s, line 1: the file is written in UTF-16; iWmo and iJw messages are UTF-8.")
                % {"what": _named(kind)}
            ],
            kind=kind,
        )
    head = content[:200].decode("ascii", errors="replace")
    declared = re.match(r"\s*<\?xml[^>]*encoding\s*=\s*[\"']([^\"']+)[\"']", head.lstrip("\ufeff"))
    if declared and declared.group(1).strip().lower().replace("_", "-") not in {"utf-8", "utf8"}:
        raise Refused(
            [
                _("%(what)s, line 1: the file says it is written in %(encoding)s; iWmo and iJw messages are UTF-8.")
                % {"what": _named(kind), "encoding": declared.group(1)}
            ],
            kind=kind,
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise Refused(
            [
                _("%(what)s, line %(line)s: byte %(byte)s is not UTF-8; iWmo and iJw messages are UTF-8.")
                % {"what": _named(kind), "line": line, "byte": f"0x{content[error.start]:02X}"}
            ],
            kind=kind,
        ) from None


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def _not_xml(error: etree.XMLSyntaxError, kind: str) -> str:
    if "Excessive depth" in (error.msg or ""):
        return _(
            "%(what)s, line %(line)s: the elements are nested too deeply; a message has at most %(max)s levels."
        ) % {
            "what": _named(kind),
            "line": error.lineno,
            "max": MAX_DEPTH,
        }
    return _("%(what)s, line %(line)s: the file is not readable XML (%(detail)s).") % {
        "what": _named(kind),
        "line": error.lineno,
        "detail": re.sub(r", line \d+, column \d+$", "", error.msg or ""),
    }


def _depth(root: etree._Element) -> tuple[int, int]:
    """The depth of the deepest element and its line."""
    deepest, line = 1, root.sourceline or 1
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > deepest:
            deepest, line = depth, element.sourceline or line
        if depth <= MAX_DEPTH:
            stack.extend((child, depth + 1) for child in element if isinstance(child.tag, str))
    return deepest, line


@dataclass
class Message:
    """A message that passed ``read``: its type and its parsed tree."""

    type: MessageType
    root: etree._Element

    @property
    def kind(self) -> str:
        return self.type.kind

    @property
    def ns(self) -> dict[str, str]:
        return {"m": self.type.namespace, "b": self.type.basis}

    def text(self, path: str, element: etree._Element | None = None) -> str:
        found = (self.root if element is None else element).find(path, self.ns)
        return _normalise(found.text) if found is not None and found.text else ""

    def findall(self, path: str, element: etree._Element | None = None) -> list[etree._Element]:
        return (self.root if element is None else element).findall(path, self.ns)

    @property
    def message_id(self) -> str:
        return self.text("m:Header/m:BerichtIdentificatie/b:Identificatie")

    @property
    def dated(self) -> date:
        return date.fromisoformat(self.text("m:Header/m:BerichtIdentificatie/b:Dagtekening"))

    @property
    def municipality_code(self) -> str:
        return self.text(f"m:Header/m:{self.type.municipality_field}")

    @property
    def provider_agb(self) -> str:
        return self.text(f"m:Header/m:{self.type.provider_field}")

    def bsns(self) -> list[tuple[str, int]]:
        """Every BSN in the message with its line."""
        return [
            (_normalise(element.text), element.sourceline or 0)
            for element in self.root.iter(f"{{{self.type.namespace}}}Bsn")
            if element.text
        ]


def too_large(size: int, head: bytes) -> Refused:
    """The refusal of a file larger than a message may be (``head``: its first bytes)."""
    kind = sniff_kind(head)
    return Refused(
        [
            _("%(what)s: the file is %(size)s MB; a message may be at most %(max)s MB.")
            % {"what": _named(kind), "size": number(size / 1048576, 1), "max": MAX_BYTES // 1048576}
        ],
        kind=kind,
    )


def read(content: bytes) -> Message:
    """Read an iWmo/iJw 3.2 message safely and validate it against its XSD; ``Refused`` when it
    is not one, is not safe to read, or does not validate. Nothing is ever fetched or resolved."""
    kind = sniff_kind(content)
    if len(content) > MAX_BYTES:
        raise too_large(len(content), content[:65536])
    if not content.strip():
        raise Refused([_("The file is empty.")])
    text = _decode(content, kind)
    for pattern, problem in (
        (r"<!DOCTYPE", _("the file contains a DOCTYPE declaration; iWmo and iJw messages never have one")),
        (r"<!ENTITY", _("the file declares an entity; iWmo and iJw messages never do")),
    ):
        found = re.search(pattern, text, re.IGNORECASE)
        if found:
            raise Refused(
                [
                    _("%(what)s, line %(line)s: %(problem)s.")
                    % {"what": _named(kind), "line": _line_of(text, found.start()), "problem": problem}
                ],
                kind=kind,
            )
    try:
        root = etree.fromstring(text.lstrip("\ufeff").encode("utf-8"), parser=_parser())
    except etree.XMLSyntaxError as error:
        raise Refused([_not_xml(error, kind)], kind=kind) from None
    if root.getroottree().docinfo.doctype:  # never reached after the check above; a second lock
        raise Refused([_("%(what)s: the file contains a DOCTYPE declaration.") % {"what": _named(kind)}], kind=kind)
    deepest, line = _depth(root)
    if deepest > MAX_DEPTH:
        raise Refused(
            [
                _("%(what)s, line %(line)s: the elements are nested too deeply; a message has at most %(max)s levels.")
                % {"what": _named(kind), "line": line, "max": MAX_DEPTH}
            ],
            kind=kind,
        )
    qname = etree.QName(root)
    message = BY_NAMESPACE.get(qname.namespace or "")
    if message is None or qname.localname != "Bericht":
        found = sniff_kind(content)
        detail = (
            _("it is a %(kind)s message; only iWmo and iJw release 3.2 are read") % {"kind": found}
            if found and found not in MESSAGE_TYPES
            else _("its first element is %(element)s") % {"element": qname.localname}
        )
        raise Refused(
            [
                _("Line %(line)s: this is not an iWmo or iJw 3.2 message (%(detail)s).")
                % {"line": root.sourceline, "detail": detail}
            ],
            kind=found,
        )
    errors = _schema_errors(message.kind, root)
    if errors:
        raise Refused(errors, kind=message.kind)
    return Message(type=message, root=root)


# --- validation in plain words ----------------------------------------------------------------


def _normalise(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def _expected(message: str) -> str:
    found = re.search(r"Expected is(?: one of)? \( ?([^)]*)\)", message)
    if not found:
        return ""
    return ", ".join(re.sub(r"\{[^}]*\}", "", part).strip() for part in found.group(1).split(","))


def _element_at(root: etree._Element, error) -> etree._Element | None:
    """The element an lxml schema error is about, found by its path (or its line)."""
    namespaces = {}
    for element in root.iter():
        for prefix, uri in (element.nsmap or {}).items():
            if prefix:
                namespaces.setdefault(prefix, uri)
    try:
        found = root.getroottree().xpath(error.path, namespaces=namespaces)
    except etree.XPathError:
        found = []
    if found and isinstance(found[0], etree._Element):
        return found[0]
    name = re.search(r"Element '(?:\{[^}]*\})?([^']+)'", error.message)
    for element in root.iter():
        if element.sourceline == error.line and name and etree.QName(element).localname == name.group(1):
            return element
    return None


def _location(element: etree._Element) -> str:
    """'Client / AangevraagdeProducten / AangevraagdProduct 2': where a field is, in words."""
    parts = []
    current = element.getparent()
    while current is not None and current.getparent() is not None:
        name = etree.QName(current).localname
        siblings = [s for s in current.getparent() if isinstance(s.tag, str) and etree.QName(s).localname == name]
        parts.append(f"{name} {siblings.index(current) + 1}" if len(siblings) > 1 else name)
        current = current.getparent()
    return " / ".join(reversed(parts))


def plain_error(error, *, kind: str = "", root: etree._Element | None = None) -> str:
    """One schema error from lxml in words a functional administrator understands: the message
    type, the line, the field (where it is) and the value as it stands in the file."""
    text = error.message
    element = _element_at(root, error) if root is not None else None
    found = re.search(r"Element '(?:\{[^}]*\})?([^']+)'", text)
    name = etree.QName(element).localname if element is not None else found.group(1) if found else "?"
    value = _normalise(element.text) if element is not None and element.text else ""
    if element is not None and len(element):
        value = ""
    where = _("%(what)s, line %(line)s, field %(field)s") % {"what": _named(kind), "line": error.line, "field": name}
    if element is not None and _location(element):
        where += f" ({_location(element)})"
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
    elif ("[facet 'minLength']" in text or "[facet 'pattern']" in text) and not value:
        problem = _("this field is empty")
    elif "[facet 'pattern']" in text or "[facet 'minLength']" in text:
        problem = _("'%(value)s' does not have the required form") % {"value": value}
    elif "[facet 'maxLength']" in text:
        problem = _("'%(value)s' is too long") % {"value": value}
    elif "[facet 'maxInclusive']" in text or "[facet 'minInclusive']" in text:
        problem = _("'%(value)s' is outside the allowed range") % {"value": value}
    elif "is not a valid value of the" in text:
        atomic = re.search(r"type '(?:\{[^}]*\})?(?:xs:)?([^']+)'", text)
        type_name = atomic.group(1) if atomic else ""
        if "Datum" in type_name or "date" in type_name:
            problem = _("'%(value)s' is not a valid date (YYYY-MM-DD)") % {"value": value}
        elif "Tijd" in type_name or "time" in type_name:
            problem = _("'%(value)s' is not a valid time (HH:MM:SS)") % {"value": value}
        elif type_name in {"integer", "LDT_Nummer", "LDT_Volume", "LDT_Bedrag", "LDT_Budget", "LDT_TotaalBedrag"}:
            problem = _("'%(value)s' is not a whole number") % {"value": value}
        else:
            problem = _("'%(value)s' is not a valid value") % {"value": value}
    elif "No matching global declaration" in text:
        problem = _("this is not the message the schema describes")
    else:
        problem = _("does not meet the schema (%(detail)s)") % {"detail": re.sub(r"\{[^}]*\}", "", text)}
    return f"{where}: {problem}."


def _schema_errors(kind: str, root: etree._Element) -> list[str]:
    validator = schema(kind)
    if validator.validate(root.getroottree()):
        return []
    return [plain_error(error, kind=kind, root=root) for error in validator.error_log]


def schema_errors(kind: str, content: bytes) -> list[str]:
    """Every way ``content`` breaks the XSD of ``kind``, in plain words; empty when it is valid."""
    try:
        root = etree.fromstring(content, parser=_parser())
    except etree.XMLSyntaxError as error:
        return [_not_xml(error, kind)]
    return _schema_errors(kind, root)


# --- building ---------------------------------------------------------------------------------


def _text(value: str, max_length: int) -> str:
    """Free text as the basisschema allows it: no surrounding whitespace, cut to its length."""
    return " ".join((value or "").split())[:max_length].strip()


def _initials(given_names: str) -> str:
    letters = "".join(name[0] for name in given_names.split() if name and name[0].isalpha())
    return letters[:6]


class _Builder:
    """Elements in a message's own namespace (``m``) and in its basisschema (``b``)."""

    def __init__(self, kind: str) -> None:
        self.type = MESSAGE_TYPES[kind]
        prefix = kind.lower()
        basis_prefix = "iwmo" if self.type.standard == "wmo" else "ijw"
        self.root = etree.Element(
            f"{{{self.type.namespace}}}Bericht", nsmap={prefix: self.type.namespace, basis_prefix: self.type.basis}
        )

    def m(self, parent, name: str, text: str | None = None):
        element = etree.SubElement(parent, f"{{{self.type.namespace}}}{name}")
        if text is not None:
            element.text = text
        return element

    def b(self, parent, name: str, text: str | None = None):
        element = etree.SubElement(parent, f"{{{self.type.basis}}}{name}")
        if text is not None:
            element.text = text
        return element

    def header(self, *, sender: str, receiver: str, message_id: str, dated: date):
        header = self.m(self.root, "Header")
        self.m(header, "BerichtCode", self.type.code)
        self.m(header, "BerichtVersie", "3")
        self.m(header, "BerichtSubversie", "2")
        self.m(header, "Afzender", sender)
        self.m(header, "Ontvanger", receiver)
        identification = self.m(header, "BerichtIdentificatie")
        self.b(identification, "Identificatie", message_id)
        self.b(identification, "Dagtekening", dated.isoformat())
        self.versions(header, "XsdVersie")
        return header

    def versions(self, parent, name: str) -> None:
        versions = self.m(parent, name)
        self.b(versions, "BasisschemaXsdVersie", XSD_VERSION)
        self.b(versions, "BerichtXsdVersie", XSD_VERSION)

    def done(self) -> bytes:
        return _valid(self.type.kind, self.root)


def _valid(kind: str, root: etree._Element) -> bytes:
    content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    errors = _schema_errors(kind, etree.fromstring(content, parser=_parser()))
    if errors:
        raise InvalidMessage(errors, kind=kind)
    return content


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
    change_reason: str = ""  # RedenWijziging (WMO002/JZ002) when an allocation changes


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


def allocation_xml(message: Allocation301) -> bytes:
    """The 301 message as UTF-8 bytes; raises ``InvalidMessage`` if it would not validate."""
    out = _Builder(message.kind)
    m, b = out.m, out.b
    out.header(
        sender=message.municipality_code,
        receiver=message.provider_agb,
        message_id=message.message_id,
        dated=message.dated,
    )
    person = message.client
    client = m(out.root, "Client")
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
        if product.change_reason:
            m(element, "RedenWijziging", product.change_reason)
        if product.volume is not None and product.unit and product.frequency:
            size = m(element, "Omvang")
            b(size, "Volume", str(product.volume))
            b(size, "Eenheid", product.unit)
            b(size, "Frequentie", product.frequency)
        if _text(product.comment, 4000):
            m(element, "Commentaar", _text(product.comment, 4000))
    return out.done()


@dataclass
class Answer319:
    kind: str  # WMO319 or JW319
    municipality_code: str
    provider_agb: str
    message_id: str
    dated: date
    reference: str  # ReferentieAanbieder of the request
    answer: str  # WJ760: 1 refused, 2 in progress
    reason: str = ""  # WJ759, when refused


def answer_xml(message: Answer319) -> bytes:
    """The WMO319/JW319 answer to a request for an allocation or for a change."""
    out = _Builder(message.kind)
    out.header(
        sender=message.municipality_code,
        receiver=message.provider_agb,
        message_id=message.message_id,
        dated=message.dated,
    )
    answer = out.m(out.root, "Antwoord")
    out.m(answer, "ReferentieAanbieder", _text(message.reference, 36))
    out.m(answer, "VerzoekAntwoord", message.answer)
    if message.answer == ANSWER_REFUSED and message.reason:
        out.m(answer, "RedenAfwijzingVerzoek", message.reason)
    return out.done()


@cache
def retour_classes(kind: str) -> frozenset[str]:
    """The classes (elements) of a retour message that carry retour codes, as its XSD declares
    them: every element whose type has a RetourCodes child, but the header."""
    xs = "{http://www.w3.org/2001/XMLSchema}"
    document = etree.parse(str(data_path("istandaarden", MESSAGE_TYPES[kind].standard, f"{kind}.xsd")))
    with_codes = {
        complex_type.get("name")
        for complex_type in document.getroot().iter(f"{xs}complexType")
        if any(element.get("name") == "RetourCodes" for element in complex_type.iter(f"{xs}element"))
    } - {"Header", "Root"}
    return frozenset(
        element.get("name")
        for element in document.getroot().iter(f"{xs}element")
        if (element.get("type") or "").split(":")[-1] in with_codes
    )


def retour_xml(received: Message, *, retour_id: str, dated: date, codes: dict[str, list[str]] | None = None) -> bytes:
    """The iJw retour message (JW306, JW308, JW316, JW318) on a received message: the message
    itself with the retour header and the retour codes of each class; ``codes`` maps a class's
    path in the received tree to its codes, the rest gets 0200 (no remark)."""
    kind = RETOUR_FOR[received.kind]
    retour = MESSAGE_TYPES[kind]
    source_ns, target_ns = received.type.namespace, retour.namespace
    tree = received.root.getroottree()
    basis_prefix = "iwmo" if retour.standard == "wmo" else "ijw"
    rebuilt = etree.Element(f"{{{target_ns}}}Bericht", nsmap={kind.lower(): target_ns, basis_prefix: retour.basis})
    classes = retour_classes(kind)

    def copy(source: etree._Element, target: etree._Element) -> None:
        for child in source:
            if not isinstance(child.tag, str):
                continue
            qname = etree.QName(child)
            namespace = target_ns if qname.namespace == source_ns else qname.namespace
            element = etree.SubElement(target, f"{{{namespace}}}{qname.localname}")
            if len(child) == 0:
                element.text = child.text
            copy(child, element)
            if qname.namespace == source_ns and qname.localname in classes:
                holder = etree.SubElement(element, f"{{{target_ns}}}RetourCodes")
                for code in (codes or {}).get(tree.getpath(child), ["0200"]):
                    etree.SubElement(holder, f"{{{target_ns}}}RetourCode").text = code

    copy(received.root, rebuilt)
    header = rebuilt.find(f"{{{target_ns}}}Header")
    header.find(f"{{{target_ns}}}BerichtCode").text = retour.code
    versions = header.find(f"{{{target_ns}}}XsdVersie")
    position = list(header).index(versions) + 1
    for offset, (name, value) in enumerate(
        (("IdentificatieRetour", retour_id), ("DagtekeningRetour", dated.isoformat()))
    ):
        element = etree.Element(f"{{{target_ns}}}{name}")
        element.text = value
        header.insert(position + offset, element)
    again = etree.Element(f"{{{target_ns}}}XsdVersieRetour")
    etree.SubElement(again, f"{{{retour.basis}}}BasisschemaXsdVersie").text = XSD_VERSION
    etree.SubElement(again, f"{{{retour.basis}}}BerichtXsdVersie").text = XSD_VERSION
    header.insert(position + 2, again)
    return _valid(kind, rebuilt)


def declaration_answer_xml(
    received: Message, *, message_id: str, dated: date, granted_cents: int, codes: dict[str, list[str]]
) -> bytes:
    """The JW325 answer to a JW323 declaration: every client and service (prestatie) of the
    declaration with its retour codes (``codes`` by path; 8001 where none are given)."""
    out = _Builder("JW325")
    m, b = out.m, out.b
    header = m(out.root, "Header")
    m(header, "BerichtCode", out.type.code)
    m(header, "BerichtVersie", "3")
    m(header, "BerichtSubversie", "2")
    m(header, "Afzender", received.municipality_code)
    m(header, "Ontvanger", received.provider_agb)
    identification = m(header, "BerichtIdentificatie")
    b(identification, "Identificatie", message_id)
    b(identification, "Dagtekening", dated.isoformat())
    out.versions(header, "XsdVersie")
    declaration = m(header, "DeclaratieIdentificatie")
    b(declaration, "Identificatie", received.message_id)
    b(declaration, "Dagtekening", received.dated.isoformat())
    out.versions(header, "XsdVersieDeclaratie")
    header_codes = m(header, "RetourCodes")
    m(header_codes, "RetourCode", "0200")

    tree = received.root.getroottree()
    source = received.root.find("m:Declaratie", received.ns)
    body = m(out.root, "DeclaratieAntwoord")
    m(body, "DeclaratieNummer", received.text("m:DeclaratieNummer", source))
    submitted = m(body, "TotaalIngediendBedrag")
    b(submitted, "TotaalBedrag", received.text("m:TotaalIngediendBedrag/b:TotaalBedrag", source))
    b(submitted, "DebetCredit", received.text("m:TotaalIngediendBedrag/b:DebetCredit", source))
    granted = m(body, "TotaalToegekendBedrag")
    b(granted, "TotaalBedrag", str(abs(granted_cents)))
    b(granted, "DebetCredit", "C" if granted_cents < 0 else "D")
    clients = m(body, "Clienten")
    for client in received.findall("m:Clienten/m:Client", source):
        answered = m(clients, "Client")
        m(answered, "Bsn", received.text("m:Bsn", client))
        services = m(answered, "Prestaties")
        for service in received.findall("m:Prestaties/m:Prestatie", client):
            line = m(services, "Prestatie")
            for child in service:
                if not isinstance(child.tag, str):
                    continue
                line.append(_renamed(child, received.type.namespace, out.type.namespace))
            holder = m(line, "RetourCodes")
            for code in codes.get(tree.getpath(service), ["8001"]):
                m(holder, "RetourCode", code)
        holder = m(answered, "RetourCodes")
        m(holder, "RetourCode", "0200")
    holder = m(body, "RetourCodes")
    m(holder, "RetourCode", "0200")
    return out.done()


def _renamed(element: etree._Element, source_ns: str, target_ns: str) -> etree._Element:
    copy = deepcopy(element)
    for node in copy.iter():
        if isinstance(node.tag, str) and etree.QName(node).namespace == source_ns:
            node.tag = f"{{{target_ns}}}{etree.QName(node).localname}"
    return copy


# --- reading what the cycle needs ---------------------------------------------------------------


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _int(value: str) -> int | None:
    return int(value) if value else None


@dataclass
class ClientData:
    bsn: str
    birth_date: date | None
    surname: str
    prefix: str
    initials: str

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.initials, self.prefix, self.surname) if part)


def read_client(message: Message) -> ClientData:
    client = message.root.find("m:Client", message.ns)
    given = message.text("m:Naam/b:Voornamen", client)
    return ClientData(
        bsn=message.text("m:Bsn", client),
        birth_date=_date(message.text("m:Geboortedatum/b:Datum", client)),
        surname=message.text("m:Naam/b:Geslachtsnaam/b:Achternaam", client),
        prefix=message.text("m:Naam/b:Geslachtsnaam/b:Voorvoegsel", client),
        initials=given or message.text("m:Naam/b:Voorletters", client),
    )


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
    budget: str = ""
    comment: str = ""


def read_request(message: Message) -> list[RequestedProduct]:
    """The products a WMO315/JW315 asks for."""
    return [
        RequestedProduct(
            reference=message.text("m:ReferentieAanbieder", product),
            category=message.text("m:Product/b:Categorie", product),
            product_code=message.text("m:Product/b:Code", product),
            starts_on=message.text("m:ToewijzingIngangsdatum", product),
            ends_on=message.text("m:ToewijzingEinddatum", product),
            volume=message.text("m:Omvang/b:Volume", product),
            unit=message.text("m:Omvang/b:Eenheid", product),
            frequency=message.text("m:Omvang/b:Frequentie", product),
            referrer_type=message.text("m:Verwijzer/b:Type", product),
            referrer_name=message.text("m:Verwijzer/b:Naam", product),
            budget=message.text("m:Budget", product),
            comment=message.text("m:Commentaar", product),
        )
        for product in message.findall("m:Client/m:AangevraagdeProducten/m:AangevraagdProduct")
    ]


@dataclass
class ChangeRequest:
    bsn: str
    reference: str
    reason: str  # WJ758
    unchanged: list[int]
    to_change: list[dict]
    new: list[dict]


def read_change(message: Message) -> ChangeRequest:
    """What a WMO317/JW317 asks to change."""
    request = message.root.find("m:Client/m:Verzoek", message.ns)

    def size(element) -> dict:
        return {
            "starts_on": message.text("m:GewensteIngangsdatum", element),
            "ends_on": message.text("m:Einddatum", element),
            "volume": message.text("m:Omvang/b:Volume", element),
            "unit": message.text("m:Omvang/b:Eenheid", element),
            "frequency": message.text("m:Omvang/b:Frequentie", element),
            "budget": message.text("m:Budget", element),
        }

    return ChangeRequest(
        bsn=message.text("m:Client/m:Bsn"),
        reference=message.text("m:ReferentieAanbieder", request),
        reason=message.text("m:RedenVerzoek", request),
        unchanged=[
            int(message.text("m:ToewijzingNummer", p))
            for p in message.findall("m:OngewijzigdeProducten/m:OngewijzigdProduct", request)
        ],
        to_change=[
            {"number": int(message.text("m:ToewijzingNummer", p)), **size(p)}
            for p in message.findall("m:TeWijzigenProducten/m:TeWijzigenProduct", request)
        ],
        new=[
            {
                "category": message.text("m:Product/b:Categorie", p),
                "product_code": message.text("m:Product/b:Code", p),
                **size(p),
            }
            for p in message.findall("m:NieuweProducten/m:NieuwProduct", request)
        ],
    )


@dataclass
class DeliveryProduct:
    """A StartProduct (305) or StopProduct (307)."""

    element: etree._Element
    number: int | None
    category: str
    product_code: str
    allocation_starts_on: date | None
    begins_on: date
    status: str  # COD467
    ends_on: date | None = None
    end_reason: str = ""


def read_delivery(message: Message) -> list[DeliveryProduct]:
    """The products of a start (305) or stop (307) message."""
    name = "StartProducten/m:StartProduct" if message.kind.endswith("305") else "StopProducten/m:StopProduct"
    return [
        DeliveryProduct(
            element=product,
            number=_int(message.text("m:ToewijzingNummer", product)),
            category=message.text("m:Product/b:Categorie", product),
            product_code=message.text("m:Product/b:Code", product),
            allocation_starts_on=_date(message.text("m:ToewijzingIngangsdatum", product)),
            begins_on=date.fromisoformat(message.text("m:Begindatum", product)),
            status=message.text("m:StatusAanlevering", product),
            ends_on=_date(message.text("m:Einddatum", product)),
            end_reason=message.text("m:RedenBeeindiging", product),
        )
        for product in message.findall(f"m:Client/m:{name}")
    ]


@dataclass
class Service:
    """A prestatie of a declaration; amounts in euro cents, credit negative."""

    path: str
    bsn: str
    reference: str
    previous_reference: str
    number: int
    category: str
    product_code: str
    starts_on: date
    ends_on: date
    volume: int
    unit: str
    tariff_cents: int | None
    amount_cents: int


@dataclass
class Declaration:
    number: str
    starts_on: date
    ends_on: date
    total_cents: int
    services: list[Service]


def _signed(message: Message, element, path: str, amount: str = "Bedrag") -> int:
    value = int(message.text(f"{path}/b:{amount}", element) or 0)
    return -value if message.text(f"{path}/b:DebetCredit", element) == "C" else value


def read_declaration(message: Message) -> Declaration:
    """A WMO323/JW323 declaration with its services (prestaties)."""
    source = message.root.find("m:Declaratie", message.ns)
    tree = message.root.getroottree()
    services = []
    for client in message.findall("m:Clienten/m:Client", source):
        bsn = message.text("m:Bsn", client)
        for service in message.findall("m:Prestaties/m:Prestatie", client):
            services.append(
                Service(
                    path=tree.getpath(service),
                    bsn=bsn,
                    reference=message.text("m:ProductReferentie/b:ReferentieNummer", service),
                    previous_reference=message.text("m:ProductReferentie/b:VorigReferentieNummer", service),
                    number=int(message.text("m:ToewijzingNummer", service)),
                    category=message.text("m:ProductCategorie", service),
                    product_code=message.text("m:ProductCode", service),
                    starts_on=date.fromisoformat(message.text("m:ProductPeriode/b:Begindatum", service)),
                    ends_on=date.fromisoformat(message.text("m:ProductPeriode/b:Einddatum", service)),
                    volume=int(message.text("m:GeleverdVolume", service)),
                    unit=message.text("m:Eenheid", service),
                    tariff_cents=_int(message.text("m:ProductTarief", service)),
                    amount_cents=_signed(message, service, "m:IngediendBedrag"),
                )
            )
    return Declaration(
        number=message.text("m:DeclaratieNummer", source),
        starts_on=date.fromisoformat(message.text("m:DeclaratiePeriode/b:Begindatum", source)),
        ends_on=date.fromisoformat(message.text("m:DeclaratiePeriode/b:Einddatum", source)),
        total_cents=_signed(message, source, "m:TotaalIngediendBedrag", "TotaalBedrag"),
        services=services,
    )


@dataclass
class Retour:
    """A provider's retour message (JW302, JW320) on a message the municipality sent."""

    answers_id: str  # the Identificatie of our message, copied in the retour's header
    retour_id: str
    codes: list[tuple[str, str]]  # (where, code)

    @property
    def rejected(self) -> list[tuple[str, str]]:
        return [(where, code) for where, code in self.codes if code != "0200"]


def read_retour(message: Message) -> Retour:
    codes = []
    for holder in message.root.iter(f"{{{message.type.namespace}}}RetourCodes"):
        parent = holder.getparent()
        where = etree.QName(parent).localname
        for code in holder.findall("m:RetourCode", message.ns):
            codes.append((where, _normalise(code.text)))
    return Retour(
        answers_id=message.message_id,
        retour_id=message.text("m:Header/m:IdentificatieRetour"),
        codes=codes,
    )
