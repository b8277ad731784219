"""Address lines as the BRP composes them (``adressering.adresregel1-3`` and ``land``), per RvIG's
specification (``data/brp/features/bevragen/persoon/adressering/adres-regels``), run as tests in
``people/tests/test_address_lines.py``. Pure functions: no database."""

from dataclasses import dataclass

NEAR = {"by": "bij", "to": "t/o"}  # aanduiding bij huisnummer


@dataclass(frozen=True)
class Place:
    straatnaam: str = ""
    huisnummer: int | None = None
    huisletter: str = ""
    huisnummertoevoeging: str = ""
    aanduiding_bij_huisnummer: str = ""
    postcode: str = ""
    woonplaats: str = ""
    locatiebeschrijving: str = ""
    land: tuple[str, str] | None = None  # (code, omschrijving) of an address abroad
    regels: tuple[str, str, str] = ("", "", "")  # the lines of an address abroad
    gemeente: str = ""  # the name of the municipality of registration


def address_lines(place: Place) -> dict:
    """adresregel1-3 and land; {} where the BRP gives none (unknown street or number, abroad without
    lines or with the unknown country)."""
    if place.land is not None or any(place.regels):
        if place.land is None or place.land[0] == "0000" or not any(place.regels):
            return {}
        lines = {f"adresregel{n}": line for n, line in enumerate(place.regels, start=1) if line}
        return {**lines, "land": {"code": place.land[0], "omschrijving": place.land[1]}}
    if place.locatiebeschrijving:
        return {"adresregel1": place.locatiebeschrijving, "adresregel2": place.gemeente.upper()}
    if not place.straatnaam or place.straatnaam == "." or not place.huisnummer:
        return {}
    number = str(place.huisnummer)
    if place.huisletter:
        number = f"{number} {place.huisletter}{place.huisnummertoevoeging}"
    elif place.huisnummertoevoeging:
        addition = place.huisnummertoevoeging
        number = f"{number}-{addition}" if addition[:1].isdigit() else f"{number} {addition}"
    near = NEAR.get(place.aanduiding_bij_huisnummer, "")
    lines = {"adresregel1": " ".join(p for p in (place.straatnaam, near, number) if p)}
    postcode = place.postcode.replace(" ", "").upper()
    town = (place.woonplaats or place.gemeente).upper()
    if postcode or town:
        lines["adresregel2"] = f"{postcode[:4]} {postcode[4:]}  {town}".strip() if postcode else town
    return lines
