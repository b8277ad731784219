"""RvIG's scenarios of asking name fields (``bevragen/persoon/naam/fields.feature``), read from the
.feature file, run against the local BRP service over HTTP (the scenario's person put in the
service in the test persons' own form, the answer validated against the OpenAPI specification) and
against a resident registered by hand (the name parts a resident keeps: given names, prefix, surname,
title or predicate as its code, name use). A value from a BRP table (title, name use) comes whole
whichever of its parts is asked; the unknown surname "." is not given."""

import re

import pytest

from people.brp import service
from people.models import Resident
from people.names import TITLES
from wijkteam.reference import data_path

from .brp_contract import validate
from .gherkin import scenarios
from .test_address_lines import ask, flat

ROOT = data_path("brp", "features")
PERSON = re.compile(r"^de persoon met burgerservicenummer '(\d+)' heeft de volgende gegevens$")
ASKED = re.compile(r"^personen wordt gezocht met de volgende parameters$")
EXPECT = re.compile(r"^heeft de response een persoon met de volgende 'naam' gegevens$")
NOTHING = re.compile(r"^heeft de response een persoon zonder 'naam' gegevens$")
LABELS = {
    "voornamen": "voornamen",
    "voorvoegsel": "voorvoegsel",
    "geslachtsnaam": "geslachtsnaam",
    "adellijke titel of predicaat": "adellijkeTitelPredicaat",
    "aanduiding naamgebruik": "aanduidingNaamgebruik",
}


def _key(label: str) -> str:
    return re.sub(r"\s*\(\d\d\.\d\d\)$", "", label).strip()


def understood(scenario):
    bsn, data, query, expected = "", {}, {}, None
    for step in scenario.steps:
        values = {_key(r["naam"]): r["waarde"] for r in step.table}
        if match := PERSON.match(step.text):
            bsn, data = match.group(1), values
        elif ASKED.match(step.text):
            query = {
                "type": values["type"],
                "burgerservicenummer": [values["burgerservicenummer"]],
                "fields": values["fields"].split(","),
            }
        elif EXPECT.match(step.text):
            expected = values
        elif NOTHING.match(step.text):
            expected = {}
        else:
            raise AssertionError(f"a step this reader does not know: {step.text!r}")
    return bsn, data, query, expected


ALL = scenarios(ROOT, ["bevragen/persoon/naam"])
CASES = [
    pytest.param(*understood(s), id=f"{s.file}:{s.line} {s.title}"[:150])
    for s in ALL
    if s.file.endswith("fields.feature")
]


def test_every_name_fields_scenario_is_read():
    assert len(CASES) == 11


def test_person(bsn: str, data: dict) -> dict:
    naam = {}
    for label, value in data.items():
        field = LABELS[label]
        if field == "adellijkeTitelPredicaat":
            description, kind, *_rest = TITLES[value]
            naam[field] = {"code": value, "omschrijving": description.lower(), "soort": kind}
        elif field == "aanduidingNaamgebruik":
            naam[field] = {"code": value}
        else:
            naam[field] = value
    return {"burgerservicenummer": bsn, "naam": naam}


test_person.__test__ = False  # a helper, not a test


@pytest.mark.parametrize(("bsn", "data", "query", "expected"), CASES)
def test_the_local_brp_answers_the_name_fields_asked(bsn, data, query, expected, monkeypatch, local_brp):
    monkeypatch.setattr(service, "persons", lambda: {bsn: service.v2(test_person(bsn, data))})
    status, body = ask(local_brp, query)
    assert status == 200 and validate(body, "#/components/schemas/RaadpleegMetBurgerservicenummerResponse") == []
    (person,) = body["personen"]
    assert flat(person.get("naam", {})) == expected


@pytest.mark.parametrize(("bsn", "data", "query", "expected"), CASES)
def test_a_resident_registered_by_hand_keeps_the_name_fields(bsn, data, query, expected):
    resident = Resident(
        voornamen=data.get("voornamen (02.10)", data.get("voornamen", "")),
        voorvoegsel=data.get("voorvoegsel", ""),
        geslachtsnaam=data.get("geslachtsnaam", "").replace(".", "")
        if data.get("geslachtsnaam") == "."
        else data.get("geslachtsnaam", ""),
        adellijke_titel=data.get("adellijke titel of predicaat", ""),
        naamgebruik=data.get("aanduiding naamgebruik", "E"),
    )
    kept = {
        "voornamen": resident.voornamen,
        "voorvoegsel": resident.voorvoegsel,
        "geslachtsnaam": resident.geslachtsnaam,
        "adellijkeTitelPredicaat.code": resident.adellijke_titel,
        "aanduidingNaamgebruik.code": resident.naamgebruik,
    }
    assert {k: v for k, v in kept.items() if k in expected} == {k: v for k, v in expected.items() if k in kept}
    if expected == {}:
        assert resident.geslachtsnaam == "", "the unknown surname is kept as no surname"
