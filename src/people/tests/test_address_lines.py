"""RvIG's address-line scenarios (``adres-regels``), read from the .feature files, run against
``people.addresses.address_lines``."""

import csv
import json
import re

import pytest

from people.addresses import Place, address_lines
from wijkteam.reference import data_path

from .gherkin import scenarios

ROOT = data_path("brp", "features")
FILES = ("overzicht.feature", "onbekendwaardes.feature")
PERSON = re.compile(r"^de persoon met burgerservicenummer '\d+' heeft de volgende 'verblijfplaats' gegevens$")
ADDRESS = re.compile(r"^de 'verblijfplaats' heeft de volgende 'adres' gegevens$")
ASKED = re.compile(r"^personen wordt gezocht met de volgende parameters$")
EXPECT = re.compile(r"^heeft de response een persoon met (alleen )?de volgende 'adressering' gegevens$")
NOTHING = re.compile(r"^heeft de response een persoon zonder 'adressering' gegevens$")


def _municipalities() -> dict[str, str]:
    with data_path("cbs", "gemeenten_alfabetisch_2023.csv").open(encoding="utf-8-sig") as handle:
        return {row["Gemeentecode"]: row["Gemeentenaam"] for row in csv.DictReader(handle)}


def _countries() -> dict[str, str]:
    """Country names as the BRP's test persons carry them (table 34)."""
    found: dict[str, str] = {}

    def walk(value):
        if isinstance(value, dict):
            land = value.get("land")
            if isinstance(land, dict) and land.get("code") and land.get("omschrijving"):
                found[land["code"]] = land["omschrijving"]
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(data_path("brp", "brp_testpersonen.json").read_text(encoding="utf-8")))
    return found


def _key(label: str) -> str:
    return re.sub(r"\s*\(\d\d\.\d\d\)$", "", label).strip()


def cases():
    municipalities, countries = _municipalities(), _countries()
    found = []
    for scenario in scenarios(ROOT, ["bevragen/persoon/adressering/adres-regels"]):
        if not scenario.file.endswith(FILES):
            continue
        data: dict[str, str] = {}
        expected: dict | None = None
        for step in scenario.steps:
            row = {_key(k): v for k, v in (step.table[0].items() if step.table else [])}
            if PERSON.match(step.text) or ADDRESS.match(step.text):
                data.update(row)
            elif ASKED.match(step.text):
                continue
            elif EXPECT.match(step.text):
                expected = {r["naam"]: r["waarde"] for r in step.table}
            elif NOTHING.match(step.text):
                expected = {}
            else:
                expected = None
                break
        if expected is None:
            continue
        land = data.get("land")
        place = Place(
            straatnaam=data.get("straatnaam", ""),
            huisnummer=int(data["huisnummer"]) if data.get("huisnummer", "").isdigit() else None,
            huisletter=data.get("huisletter", ""),
            huisnummertoevoeging=data.get("huisnummertoevoeging", ""),
            aanduiding_bij_huisnummer=data.get("aanduiding bij huisnummer", ""),
            postcode=data.get("postcode", ""),
            woonplaats=data.get("woonplaats", ""),
            locatiebeschrijving=data.get("locatiebeschrijving", ""),
            land=(land, countries.get(land, "")) if land else None,
            regels=tuple(data.get(f"regel {n} adres buitenland", "") for n in (1, 2, 3)),
            gemeente=municipalities.get(data.get("gemeente van inschrijving", data.get("gemeentecode", "")), ""),
        )
        found.append(pytest.param(place, expected, id=f"{scenario.file}:{scenario.line} {scenario.title}"[:150]))
    return found


CASES = cases()


def test_the_address_line_scenarios_are_read():
    assert len(CASES) >= 25


@pytest.mark.parametrize(("place", "expected"), CASES)
def test_address_lines_as_the_brp_specification_prescribes(place, expected):
    lines = address_lines(place)
    flat = {k: v for k, v in lines.items() if k != "land"}
    if "land" in lines:
        flat.update({"land.code": lines["land"]["code"], "land.omschrijving": lines["land"]["omschrijving"]})
    assert {k: v for k, v in flat.items() if k in expected or not expected} == expected
