"""A person of the Haal Centraal BRP API Personen (JSON) as Wijkteam keeps it: the resident's fields,
and the name parts that ``people.names`` composes the BRP's names from."""

from datetime import date
from typing import Any

from people.names import Name, Partner, title_code

NAME_USES = {"E", "P", "V", "N"}
SEXES = {"M", "V", "O"}


def _code(value: Any) -> str:
    return value.get("code", "") if isinstance(value, dict) else ""


def _date(value: Any) -> date | None:
    """A BRP date ("19611230", or an object with ``datum``), None when (partly) unknown."""
    text = value.get("datum", "") if isinstance(value, dict) else (value or "")
    if isinstance(text, dict):  # v2 date objects: {"type": "Datum", "datum": "1961-12-30"}
        text = text.get("datum", "")
    digits = str(text).replace("-", "")
    if len(digits) != 8 or not digits.isdigit():
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def partners_of(person: dict) -> tuple[Partner, ...]:
    found = []
    for partner in person.get("partners") or []:
        name = partner.get("naam") or {}
        if not name and not partner.get("aangaanHuwelijkPartnerschap"):
            continue
        found.append(
            Partner(
                voorvoegsel=name.get("voorvoegsel", ""),
                geslachtsnaam=name.get("geslachtsnaam", ""),
                adellijke_titel=_code(name.get("adellijkeTitelPredicaat")),
                geslacht=_code(partner.get("geslacht")),
                since=_date(partner.get("aangaanHuwelijkPartnerschap")),
                ended=_date(partner.get("ontbindingHuwelijkPartnerschap"))
                or (date(1, 1, 1) if partner.get("ontbindingHuwelijkPartnerschap") else None),
            )
        )
    return tuple(found)


def name_of(person: dict) -> Name:
    name = person.get("naam") or {}
    use = _code(name.get("aanduidingNaamgebruik"))
    return Name(
        voornamen=" ".join((name.get("voornamen") or "").split()),
        voorvoegsel=name.get("voorvoegsel", ""),
        geslachtsnaam=name.get("geslachtsnaam", ""),
        adellijke_titel=_code(name.get("adellijkeTitelPredicaat")),
        geslacht=_code(person.get("geslacht")) if _code(person.get("geslacht")) in SEXES else "",
        naamgebruik=use if use in NAME_USES else "E",
        partners=partners_of(person),
    )


def resident_fields(person: dict) -> dict[str, Any]:
    """The fields of ``people.models.Resident`` (``people.services.RESIDENT_FIELDS``) for a BRP person;
    the BSN apart (``bsn``). The partner kept is the one whose name the BRP uses."""
    name = name_of(person)
    partner = name.partner
    place = person.get("verblijfplaats") or {}
    fields: dict[str, Any] = {
        "voornamen": name.voornamen,
        "adellijke_titel": title_code(name.adellijke_titel),
        "voorvoegsel": name.voorvoegsel,
        "geslachtsnaam": name.geslachtsnaam,
        "geslacht": name.geslacht,
        "naamgebruik": name.naamgebruik,
        "partner_voorvoegsel": partner.voorvoegsel if partner else "",
        "partner_geslachtsnaam": partner.geslachtsnaam if partner else "",
        "partner_adellijke_titel": partner.adellijke_titel if partner else "",
        "partner_ended": bool(partner) and not name.has_current_partner,
        "birth_date": _date((person.get("geboorte") or {}).get("datum")),
        "date_of_death": _date((person.get("overlijden") or {}).get("datum")),
        "straat": place.get("straat", "") or place.get("korteStraatnaam", ""),
        "huisnummer": place.get("huisnummer"),
        "huisletter": place.get("huisletter", ""),
        "huisnummertoevoeging": place.get("huisnummertoevoeging", ""),
        "postcode": (place.get("postcode") or "").replace(" ", "").upper(),
        "woonplaats": place.get("woonplaats", ""),
        "address_abroad": "\n".join(place[k] for k in ("regel1", "regel2", "regel3") if place.get(k)),
        "country": (place.get("land") or {}).get("omschrijving", "") if "regel1" in place else "",
        "rni": _code(person.get("gemeenteVanInschrijving")) == "1999" or bool(person.get("rni")),
        "geheimhouding": str(person.get("geheimhoudingPersoonsgegevens", "0")) not in {"0", "", "False", "false"},
    }
    # v2 nests the address: verblijfplaats.verblijfadres
    inner = place.get("verblijfadres")
    if isinstance(inner, dict):
        fields.update(
            straat=inner.get("officieleStraatnaam", "") or inner.get("korteStraatnaam", ""),
            huisnummer=inner.get("huisnummer"),
            huisletter=inner.get("huisletter", ""),
            huisnummertoevoeging=inner.get("huisnummertoevoeging", ""),
            postcode=(inner.get("postcode") or "").replace(" ", "").upper(),
            woonplaats=inner.get("woonplaats", ""),
            address_abroad="\n".join(inner[k] for k in ("regel1", "regel2", "regel3") if inner.get(k)),
            country=(inner.get("land") or {}).get("omschrijving", ""),
        )
    return fields
