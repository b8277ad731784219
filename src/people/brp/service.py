"""A local BRP that answers per the Haal Centraal BRP API Personen (v2) from RvIG's test persons.

For the demo (``make demo`` starts it) and the tests: ``POST /haalcentraal/api/brp/personen`` with
``RaadpleegMetBurgerservicenummer``, ``ZoekMetGeslachtsnaamEnGeboortedatum``, or who lives at an
address (``ZoekMetPostcodeEnHuisnummer``, ``ZoekMetAdresseerbaarObjectIdentificatie``), and ``fields``. The
names and address lines of ``adressering`` are composed by ``people.names`` as the specification
prescribes; the tests validate every answer against the OpenAPI specification in ``data/brp/``.

A tiny WSGI application (no Django), run on 127.0.0.1::

    python src/people/brp/service.py --port 8010 [--api-key KEY]
"""

import json
import re
import sys
import threading
from datetime import date
from functools import cache
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

if __package__ in {None, ""}:  # run as a script: the apps' folder on the path, no Django needed
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from people import addresses, names
from people.brp.persons import _date, name_of

PATH = "/haalcentraal/api/brp/personen"
DATA = Path(__file__).resolve().parents[3] / "data" / "brp" / "brp_testpersonen.json"
BSN = re.compile(r"^[0-9]{9}$")
TYPES = {
    "RaadpleegMetBurgerservicenummer",
    "ZoekMetGeslachtsnaamEnGeboortedatum",
    "ZoekMetPostcodeEnHuisnummer",
    "ZoekMetAdresseerbaarObjectIdentificatie",
}
POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")
BAG_ID = re.compile(r"^(?!0{16})[0-9]{16}$")
# What ZoekMet... returns (PersoonBeperkt): fewer fields.
LIMITED = {
    "burgerservicenummer",
    "geboorte",
    "geheimhoudingPersoonsgegevens",
    "geslacht",
    "leeftijd",
    "naam",
    "adressering",
    "rni",
}


@cache
def persons() -> dict[str, dict]:
    return {p["burgerservicenummer"]: v2(p) for p in json.loads(DATA.read_text(encoding="utf-8"))}


def _datum(value) -> dict | None:
    day = _date(value)
    if day is None:
        return None
    return {"type": "Datum", "datum": day.isoformat(), "langFormaat": f"{day.day} {MONTHS[day.month - 1]} {day.year}"}


MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def _clean(value):
    """Leave out what is empty, as the API does."""
    if isinstance(value, dict):
        out = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [v for v in (_clean(item) for item in value) if v not in (None, "", [], {})]
    return value


def _name(raw: dict, *, person: bool) -> dict:
    name = {
        "voornamen": raw.get("voornamen"),
        "adellijkeTitelPredicaat": raw.get("adellijkeTitelPredicaat"),
        "voorvoegsel": raw.get("voorvoegsel"),
        "geslachtsnaam": raw.get("geslachtsnaam") if raw.get("geslachtsnaam") != "." else None,  # "." is unknown
        "voorletters": names.voorletters(raw.get("voornamen", "")),
    }
    if person:
        code = (raw.get("aanduidingNaamgebruik") or {}).get("code", "")
        name["aanduidingNaamgebruik"] = {"code": code, "omschrijving": NAME_USE[code]} if code in NAME_USE else None
    return name


def _place(raw: dict) -> dict | None:
    if raw.get("locatiebeschrijving"):
        return {
            "type": "Locatie",
            "verblijfadres": {"locatiebeschrijving": raw["locatiebeschrijving"]},
            "functieAdres": raw.get("functieAdres"),
            "datumVan": _datum(raw.get("datumAanvangAdreshouding")),
        }
    if raw.get("regel1") or raw.get("land"):
        return {
            "type": "VerblijfplaatsBuitenland",
            "verblijfadres": {k: raw.get(k) for k in ("regel1", "regel2", "regel3", "land")},
            "datumVan": _datum(raw.get("datumAanvangAdresBuitenland")),
        }
    if raw.get("postcode") or raw.get("straat"):
        return {
            "type": "Adres",
            "verblijfadres": {
                "officieleStraatnaam": raw.get("naamOpenbareRuimte") or raw.get("straat"),
                "korteStraatnaam": raw.get("straat"),
                "huisnummer": int(raw["huisnummer"]) if str(raw.get("huisnummer", "")).isdigit() else None,
                "huisletter": raw.get("huisletter"),
                "huisnummertoevoeging": raw.get("huisnummertoevoeging"),
                "aanduidingBijHuisnummer": raw.get("aanduidingBijHuisnummer"),
                "postcode": raw.get("postcode"),
                "woonplaats": raw.get("woonplaats"),
            },
            "functieAdres": raw.get("functieAdres"),
            "adresseerbaarObjectIdentificatie": _bag_id(raw.get("adresseerbaarObjectIdentificatie")),
            "nummeraanduidingIdentificatie": _bag_id(raw.get("nummeraanduidingIdentificatie")),
            "datumVan": _datum(raw.get("datumAanvangAdreshouding")),
        }
    return None


def _bag_id(value) -> str | None:
    """A BAG identification (16 digits); the test set's shorter ones are left out."""
    return value if isinstance(value, str) and len(value) == 16 and value.isdigit() else None


# aanduiding naamgebruik as the v2 API describes it (table values without a slash).
NAME_USE = {
    "E": "eigen geslachtsnaam",
    "P": "geslachtsnaam echtgenoot of geregistreerd partner",
    "V": "geslachtsnaam echtgenoot of geregistreerd partner voor eigen geslachtsnaam",
    "N": "geslachtsnaam echtgenoot of geregistreerd partner na eigen geslachtsnaam",
}


def address_lines(place: dict | None, municipality: str = "") -> dict:
    """adresregel1-3 and land of ``adressering`` (``people.addresses``, the specification's rules)."""
    if not place:
        return {}
    address = place.get("verblijfadres") or {}
    land = address.get("land") or {}
    return addresses.address_lines(
        addresses.Place(
            straatnaam=address.get("korteStraatnaam") or address.get("officieleStraatnaam") or "",
            huisnummer=address.get("huisnummer"),
            huisletter=address.get("huisletter") or "",
            huisnummertoevoeging=address.get("huisnummertoevoeging") or "",
            aanduiding_bij_huisnummer=(address.get("aanduidingBijHuisnummer") or {}).get("code", ""),
            locatiebeschrijving=address.get("locatiebeschrijving") or "",
            postcode=address.get("postcode") or "",
            woonplaats=address.get("woonplaats") or "",
            land=(land.get("code", ""), land.get("omschrijving", "")) if land else None,
            regels=tuple(address.get(f"regel{n}") or "" for n in (1, 2, 3)),
            gemeente=municipality,
        )
    )


# Which address lines an investigation (aanduiding gegevens in onderzoek, category 08 verblijfplaats)
# puts in question: the specification's rule (adres-regels/in-onderzoek.feature); 089999 is "vastgesteld
# verblijft niet op adres": every line, and the indication itself.
LINES = ("adresregel1", "adresregel2", "adresregel3", "land")
LINES_IN_ONDERZOEK = {
    "080000": LINES,
    "080900": ("adresregel2",),
    "080910": ("adresregel2",),
    "081100": ("adresregel1", "adresregel2"),
    **dict.fromkeys(("081110", "081120", "081130", "081140", "081150", "081200", "081210"), ("adresregel1",)),
    "081160": ("adresregel2",),
    "081170": ("adresregel2",),
    "081300": LINES,
    "081310": ("land",),
    "081330": ("adresregel1",),
    "081340": ("adresregel2",),
    "081350": ("adresregel3",),
    "089999": LINES,
}
NOT_ON_ADDRESS = "089999"


# Which name fields an investigation of the person (category 01, or 61 name use) puts in question
# (naam/in-onderzoek.feature).
NAME_PARTS = (
    "voornamen",
    "adellijkeTitelPredicaat",
    "voorvoegsel",
    "geslachtsnaam",
    "aanduidingNaamgebruik",
    "voorletters",
    "volledigeNaam",
)
NAME_IN_ONDERZOEK = {
    "010000": NAME_PARTS,
    "010200": tuple(part for part in NAME_PARTS if part != "aanduidingNaamgebruik"),
    "010210": ("voornamen", "voorletters", "volledigeNaam"),
    "010220": ("adellijkeTitelPredicaat", "volledigeNaam"),
    "010230": ("voorvoegsel", "volledigeNaam"),
    "010240": ("geslachtsnaam", "volledigeNaam"),
    "010400": ("volledigeNaam",),
    "010410": ("volledigeNaam",),
    "016100": ("aanduidingNaamgebruik",),
    "016110": ("aanduidingNaamgebruik",),
}


def _in_onderzoek(onderzoek: dict, table: dict, since: str) -> dict:
    """The fields an investigation (``aanduidingGegevensInOnderzoek``) puts in question, and since when."""
    parts = table.get(onderzoek.get("aanduidingGegevensInOnderzoek", ""))
    if not parts:
        return {}
    return {**dict.fromkeys(parts, True), since: _datum(onderzoek.get("datumIngangOnderzoek"))}


# The names composed for the adressering (aanhef, aanschrijfwijze, gebruikInLopendeTekst) are in
# question when the person's name, sex or name use is, or the name of the partner whose name is used
# (adressering/in-onderzoek.feature).
COMPOSED = ("aanhef", "aanschrijfwijze", "gebruikInLopendeTekst")
PERSON_NAME_CODES = dict.fromkeys(
    ("010000", "010200", "010210", "010220", "010230", "010240", "010400", "010410", "016100", "016110"), COMPOSED
)
PARTNER_NAME_CODES = dict.fromkeys(("050000", "050200", "050220", "050230", "050240"), COMPOSED)


def _composed_in_onderzoek(raw: dict) -> dict:
    """``adressering.inOnderzoek`` of the names composed from the person's and the used partner's name."""
    found = _in_onderzoek(raw.get("inOnderzoek") or {}, PERSON_NAME_CODES, "datumIngangOnderzoekPersoon")
    name = name_of(raw)
    if name.partner is not None:
        partner = _named_partners(raw)[name.partners.index(name.partner)]
        found.update(
            _in_onderzoek(partner.get("inOnderzoek") or {}, PARTNER_NAME_CODES, "datumIngangOnderzoekPartner")
        )
    return found


def _named_partners(raw: dict) -> list[dict]:
    """The raw partners ``people.brp.persons.partners_of`` reads, in its order."""
    return [p for p in raw.get("partners") or [] if p.get("naam") or p.get("aangaanHuwelijkPartnerschap")]


def _lines_in_onderzoek(raw_place: dict) -> dict:
    """``adressering.inOnderzoek`` and ``indicatieVastgesteldVerblijftNietOpAdres`` of a verblijfplaats."""
    onderzoek = raw_place.get("inOnderzoek") or {}
    flags = _in_onderzoek(onderzoek, LINES_IN_ONDERZOEK, "datumIngangOnderzoekVerblijfplaats")
    if not flags:
        return {}
    found = {"inOnderzoek": flags}
    if onderzoek.get("aanduidingGegevensInOnderzoek") == NOT_ON_ADDRESS:
        found["indicatieVastgesteldVerblijftNietOpAdres"] = True
    return found


def v2(raw: dict) -> dict:
    """A test person (the Haal Centraal test set's form) as a v2 ``Persoon``."""
    place = _place(raw.get("verblijfplaats") or {})
    name = name_of(raw)
    naam = _name(raw.get("naam") or {}, person=True)
    naam["volledigeNaam"] = names.volledige_naam(name)
    naam["inOnderzoek"] = _in_onderzoek(raw.get("inOnderzoek") or {}, NAME_IN_ONDERZOEK, "datumIngangOnderzoek")
    lines = address_lines(place, ((raw.get("gemeenteVanInschrijving") or {}).get("omschrijving") or ""))
    written, form = names.aanschrijfwijze(name)
    person = {
        "burgerservicenummer": raw["burgerservicenummer"],
        "aNummer": raw.get("aNummer"),
        "geheimhoudingPersoonsgegevens": str(raw.get("geheimhoudingPersoonsgegevens", "0")) not in {"0", ""},
        "geslacht": raw.get("geslacht"),
        "naam": naam,
        "geboorte": {
            "datum": _datum((raw.get("geboorte") or {}).get("datum")),
            "land": (raw.get("geboorte") or {}).get("land"),
            "plaats": (raw.get("geboorte") or {}).get("plaats"),
        },
        "overlijden": {"datum": _datum((raw.get("overlijden") or {}).get("datum"))} if raw.get("overlijden") else None,
        "verblijfplaats": place,
        "gemeenteVanInschrijving": raw.get("gemeenteVanInschrijving"),
        "rni": raw.get("rni"),
        "partners": [
            {
                "burgerservicenummer": p.get("burgerservicenummer"),
                "geslacht": p.get("geslacht"),
                "soortVerbintenis": p.get("soortVerbintenis"),
                "naam": _name(p.get("naam") or {}, person=False),
                "geboorte": {"datum": _datum((p.get("geboorte") or {}).get("datum"))},
                "aangaanHuwelijkPartnerschap": {
                    "datum": _datum((p.get("aangaanHuwelijkPartnerschap") or {}).get("datum"))
                },
                "ontbindingHuwelijkPartnerschap": {
                    "datum": _datum((p.get("ontbindingHuwelijkPartnerschap") or {}).get("datum"))
                },
            }
            for p in raw.get("partners") or []
        ],
        "kinderen": [
            {
                "burgerservicenummer": k.get("burgerservicenummer"),
                "naam": _name(k.get("naam") or {}, person=False),
                "geboorte": {"datum": _datum((k.get("geboorte") or {}).get("datum"))},
            }
            for k in raw.get("kinderen") or []
        ],
        "ouders": [
            {
                "burgerservicenummer": o.get("burgerservicenummer"),
                "ouderAanduiding": o.get("ouderAanduiding"),
                "naam": _name(o.get("naam") or {}, person=False),
                "geboorte": {"datum": _datum((o.get("geboorte") or {}).get("datum"))},
            }
            for o in raw.get("ouders") or []
        ],
        "adressering": {
            "aanschrijfwijze": {"naam": written, "aanspreekvorm": form},
            "aanhef": names.aanhef(name),
            "gebruikInLopendeTekst": names.gebruik_in_lopende_tekst(name),
            **lines,
            **_lines_in_onderzoek(raw.get("verblijfplaats") or {}),
        },
    }
    composed = _composed_in_onderzoek(raw)
    if composed:
        person["adressering"]["inOnderzoek"] = {**person["adressering"].get("inOnderzoek", {}), **composed}
    return _clean(person)


def only(person: dict, fields: list[str], allowed: set[str] | None = None) -> dict:
    """The person with only the asked ``fields`` (paths such as ``naam.voornamen``, ``adressering``)."""

    def pick(value: dict, paths: list[list[str]]) -> dict:
        out = {}
        for key, sub in value.items():
            wanted = [p[1:] for p in paths if p and p[0] == key]
            if not wanted:
                continue
            # A value from a table (code, omschrijving) comes whole, whichever of its parts is asked.
            if any(not rest for rest in wanted) or not isinstance(sub, dict) or "code" in sub:
                out[key] = sub
            else:
                picked = pick(sub, wanted)
                if picked:  # a polymorphic object keeps its type (a verblijfplaats)
                    out[key] = {"type": sub["type"], **picked} if "type" in sub else picked
        return out

    if allowed is not None:
        person = {k: v for k, v in person.items() if k in allowed}
    fields = _aliases(fields, person)
    out = pick(person, [f.split(".") for f in fields])
    _asked_in_onderzoek(out, person, fields, "adressering", LINES, ("datumIngangOnderzoekVerblijfplaats",))
    _asked_in_onderzoek(
        out, person, fields, "adressering", COMPOSED, ("datumIngangOnderzoekPersoon", "datumIngangOnderzoekPartner")
    )
    _asked_in_onderzoek(out, person, fields, "naam", NAME_PARTS, ("datumIngangOnderzoek",))
    if any(f.split(".")[:2] in (["adressering", c] for c in COMPOSED) for f in fields):
        out.setdefault("adressering", {})  # a name asked that cannot be composed: an empty object
    return out


def _asked_in_onderzoek(out: dict, person: dict, fields: list[str], group: str, parts, since) -> None:
    """The fields of ``group`` asked one by one bring what of them is under investigation, and since
    when (the whole group brings it whole)."""
    value = person.get(group) or {}
    flags = value.get("inOnderzoek") or {}
    asked = {f.split(".")[1] for f in fields if f.startswith(f"{group}.") and f.split(".")[1] in parts}
    if group in fields or not asked:
        return
    kept = {part: True for part in sorted(asked) if flags.get(part)}
    if kept:
        dates = {key: flags[key] for key in since if key in flags}
        out.setdefault(group, {}).setdefault("inOnderzoek", {}).update({**kept, **dates})
    if parts is LINES and value.get("indicatieVastgesteldVerblijftNietOpAdres"):
        out.setdefault(group, {})["indicatieVastgesteldVerblijftNietOpAdres"] = True


# The fields alias for a consumer not authorised for addresses abroad: the address lines of a
# verblijfplaats in the Netherlands (an address or a location) only.
DOMESTIC = "adresseringBinnenland"
DOMESTIC_LINES = ("adresregel1", "adresregel2")


def _aliases(fields: list[str], person: dict) -> list[str]:
    out = []
    for field in fields:
        if field != DOMESTIC and not field.startswith(f"{DOMESTIC}."):
            out.append(field)
            continue
        if (person.get("verblijfplaats") or {}).get("type") not in {"Adres", "Locatie"}:
            continue
        rest = field.removeprefix(DOMESTIC).lstrip(".")
        out.extend([f"adressering.{rest}"] if rest else [f"adressering.{line}" for line in DOMESTIC_LINES])
    return out


def check_fields(fields: list[str]) -> None:
    """A field path the alias does not have is a bad request (fields-alias-fout-cases.feature)."""
    wrong = [
        f"fields[{n}]"
        for n, field in enumerate(fields)
        if field.startswith(f"{DOMESTIC}.") and field.removeprefix(f"{DOMESTIC}.") not in DOMESTIC_LINES
    ]
    if wrong:
        raise BadRequest(
            "Een of meerdere parameters zijn niet correct.",
            wrong[0],
            "fields",
            "Parameter bevat een niet bestaande veldnaam.",
            detail=f"De foutieve parameter(s) zijn: {', '.join(wrong)}.",
        )


def limited(person: dict) -> dict:
    """What a search answers of a person (``PersoonBeperkt``): no name use, no salutation, the birth
    date alone."""
    person = dict(person)
    if "naam" in person:
        person["naam"] = {k: v for k, v in person["naam"].items() if k != "aanduidingNaamgebruik"}
    if "adressering" in person:
        person["adressering"] = {
            k: v
            for k, v in person["adressering"].items()
            if k in {"adresregel1", "adresregel2", "adresregel3", "land"}
        }
    if "geboorte" in person:
        person["geboorte"] = {k: v for k, v in person["geboorte"].items() if k == "datum"}
    return person


class BadRequest(Exception):
    """A 400: ``title`` as the specification words it, the parameter wrong, and a detail when given."""

    def __init__(self, title: str, name: str = "", code: str = "", reason: str = "", detail: str = "") -> None:
        super().__init__(title)
        self.params = [{"name": name, "code": code, "reason": reason}] if name else []
        self.detail = detail


def answer(query: dict) -> dict:
    """The response to one query, or ``BadRequest``."""
    kind = query.get("type")
    if kind not in TYPES:
        raise BadRequest(
            "Minimale combinatie van parameters moet worden opgegeven.",
            "type",
            "value",
            "Waarde is geen geldig zoek type.",
        )
    fields = query.get("fields")
    if not isinstance(fields, list) or not fields or not all(isinstance(f, str) and f for f in fields):
        raise BadRequest(
            "Minimale combinatie van parameters moet worden opgegeven.",
            "fields",
            "required",
            "Parameter is verplicht.",
        )
    check_fields(fields)
    if kind == "RaadpleegMetBurgerservicenummer":
        numbers = query.get("burgerservicenummer")
        if not isinstance(numbers, list) or not 1 <= len(numbers) <= 20 or not all(BSN.match(str(n)) for n in numbers):
            raise BadRequest(
                "Een of meerdere parameters zijn niet correct.",
                "burgerservicenummer",
                "pattern",
                "Waarde voldoet niet aan patroon.",
            )
        found = [only(persons()[n], fields) for n in numbers if n in persons() and not _dead(persons()[n], query)]
    elif kind in {"ZoekMetPostcodeEnHuisnummer", "ZoekMetAdresseerbaarObjectIdentificatie"}:
        at = _address_query(query)
        found = [
            only(limited(p), fields, LIMITED)
            for p in persons().values()
            if at(p) and _filters(p, query) and not _dead(p, query)
        ]
    else:
        surname, born = query.get("geslachtsnaam"), query.get("geboortedatum")
        if not surname or not born:
            raise BadRequest(
                "Minimale combinatie van parameters moet worden opgegeven.",
                "geslachtsnaam",
                "required",
                "Parameter is verplicht.",
            )
        try:
            day = date.fromisoformat(born)
        except (TypeError, ValueError):
            raise BadRequest(
                "Een of meerdere parameters zijn niet correct.",
                "geboortedatum",
                "date",
                "Waarde is geen geldige datum.",
            ) from None
        pattern = surname.lower()
        found = [
            only(limited(p), fields, LIMITED)
            for p in persons().values()
            if _matches(p["naam"].get("geslachtsnaam", ""), pattern)
            and (p.get("geboorte", {}).get("datum") or {}).get("datum") == day.isoformat()
            and not _dead(p, query)
        ]
    return {"type": kind, "personen": found}


def _address_query(query: dict):
    """Who lives at the address asked: by postcode and house number (a house letter and an addition
    narrow it when given), or by the BAG's addressable object."""
    if query["type"] == "ZoekMetAdresseerbaarObjectIdentificatie":
        wanted = query.get("adresseerbaarObjectIdentificatie")
        if not isinstance(wanted, str) or not BAG_ID.match(wanted):
            raise BadRequest(
                "Een of meerdere parameters zijn niet correct.",
                "adresseerbaarObjectIdentificatie",
                "pattern" if wanted else "required",
                "Waarde voldoet niet aan patroon." if wanted else "Parameter is verplicht.",
            )
        return lambda p: (p.get("verblijfplaats") or {}).get("adresseerbaarObjectIdentificatie") == wanted
    postcode, number = query.get("postcode"), query.get("huisnummer")
    if not postcode or number is None:
        raise BadRequest(
            "Minimale combinatie van parameters moet worden opgegeven.",
            "postcode" if not postcode else "huisnummer",
            "required",
            "Parameter is verplicht.",
        )
    if not isinstance(postcode, str) or not POSTCODE.match(postcode):
        raise BadRequest(
            "Een of meerdere parameters zijn niet correct.", "postcode", "pattern", "Waarde voldoet niet aan patroon."
        )
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 99999:
        raise BadRequest(
            "Een of meerdere parameters zijn niet correct.", "huisnummer", "integer", "Waarde is geen geldige integer."
        )
    postcode = postcode.replace(" ", "").upper()
    letter = str(query.get("huisletter") or "").lower()
    addition = str(query.get("huisnummertoevoeging") or "").lower()

    def at(person: dict) -> bool:
        address = (person.get("verblijfplaats") or {}).get("verblijfadres") or {}
        return (
            (address.get("postcode") or "").replace(" ", "").upper() == postcode
            and address.get("huisnummer") == number
            and (not letter or (address.get("huisletter") or "").lower() == letter)
            and (not addition or (address.get("huisnummertoevoeging") or "").lower() == addition)
        )

    return at


def _filters(person: dict, query: dict) -> bool:
    """The optional filters of a search at an address: surname (a wildcard at the end) and birth date."""
    surname, born = query.get("geslachtsnaam"), query.get("geboortedatum")
    if surname and not _matches(person["naam"].get("geslachtsnaam", ""), surname.lower()):
        return False
    return not born or (person.get("geboorte", {}).get("datum") or {}).get("datum") == born


def _matches(surname: str, pattern: str) -> bool:
    surname = surname.lower()
    return surname.startswith(pattern[:-1]) if pattern.endswith("*") else surname == pattern


def _dead(person: dict, query: dict) -> bool:
    return "overlijden" in person and not query.get("inclusiefOverledenPersonen")


def _problem(start_response, status: str, title: str, detail: str = "", params=None) -> list[bytes]:
    body = {
        "type": "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1",
        "title": title,
        "status": int(status[:3]),
        "instance": PATH,
    }
    if detail:
        body["detail"] = detail
    if params:
        body["code"] = "paramsValidation"
        body["invalidParams"] = params
    payload = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/problem+json"), ("Content-Length", str(len(payload)))])
    return [payload]


def application(api_key: str = ""):
    """The WSGI application; with ``api_key`` every request must carry it (``X-API-KEY``)."""

    def app(environ, start_response):
        if environ.get("PATH_INFO") != PATH:
            return _problem(start_response, "404 Not Found", "Opgevraagde resource bestaat niet.")
        if environ.get("REQUEST_METHOD") != "POST":
            return _problem(start_response, "405 Method Not Allowed", "Gebruikte methode is niet toegestaan.")
        if api_key and environ.get("HTTP_X_API_KEY") != api_key:
            return _problem(start_response, "401 Unauthorized", "Niet correct geauthenticeerd.")
        if not (environ.get("CONTENT_TYPE") or "").startswith("application/json"):
            return _problem(start_response, "415 Unsupported Media Type", "Media Type wordt niet ondersteund.")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            query = json.loads(environ["wsgi.input"].read(min(length, 65536)) or b"{}")
            body = json.dumps(answer(query), ensure_ascii=False).encode()
        except (ValueError, AttributeError):
            return _problem(start_response, "400 Bad Request", "Ten minste één parameter moet worden opgegeven.")
        except BadRequest as error:
            return _problem(start_response, "400 Bad Request", str(error), error.detail, params=error.params)
        start_response(
            "200 OK", [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body)))]
        )
        return [body]

    return app


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:  # no request lines (with BSNs in bodies) on the console
        pass


def start(port: int = 0, api_key: str = "") -> tuple[WSGIServer, str]:
    """Serve in a thread on 127.0.0.1 (``port`` 0: a free one); the server and its base URL."""
    server = make_server("127.0.0.1", port, application(api_key), handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}{PATH}"


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8010)
    parser.add_argument("--api-key", default="")
    args = parser.parse_args()
    server = make_server("127.0.0.1", args.port, application(args.api_key), handler_class=_Quiet)
    print(f"Local BRP (Haal Centraal BRP API Personen) on http://127.0.0.1:{server.server_port}{PATH}", flush=True)
    server.serve_forever()
