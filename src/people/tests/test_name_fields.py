"""RvIG's scenarios of asking name fields and of names *in onderzoek* (``bevragen/persoon/naam/``
``fields.feature`` and ``in-onderzoek.feature``; and ``bevragen/persoon/adressering/in-onderzoek.feature``,
the composed names in question, at the end), read from the .feature files, run against the local
BRP service over HTTP (the scenario's person put in the service in the test persons' own form, the
answer validated against the OpenAPI specification) and against a resident registered by hand (the
name parts a resident keeps: given names, prefix, surname, title or predicate as its code, name use;
a resident keeps no *in onderzoek*: that the BRP investigates a name is the BRP's record). A value
from a BRP table (title, name use) comes whole whichever of its parts is asked; the unknown surname
"." is not given.

One wording differs: RvIG's scenario writes the description of name use V with a slash
("echtgenoot/geregistreerd partner"), which the specification's pattern for a table's description
does not allow; the local BRP gives the specification's wording ("echtgenoot of geregistreerd
partner"), and the test reads the slash as "of"."""

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
ONDERZOEK = {"aanduiding in onderzoek", "datum ingang onderzoek"}
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
            expected = {
                k: v.replace("echtgenoot/geregistreerd", "echtgenoot of geregistreerd") for k, v in values.items() if v
            }
        elif NOTHING.match(step.text):
            expected = {}
        else:
            raise AssertionError(f"a step this reader does not know: {step.text!r}")
    return bsn, data, query, expected


ALL = scenarios(ROOT, ["bevragen/persoon/naam"])
CASES = [
    pytest.param(*understood(s), id=f"{s.file}:{s.line} {s.title}"[:150])
    for s in ALL
    if s.file.endswith(("fields.feature", "in-onderzoek.feature"))
]


def test_every_name_fields_scenario_is_read():
    assert len(CASES) == 11 + 42


def test_person(bsn: str, data: dict) -> dict:
    naam = {}
    for label, value in data.items():
        if label in ONDERZOEK:
            continue
        field = LABELS[label]
        if field == "adellijkeTitelPredicaat":
            description, kind, *_rest = TITLES[value]
            naam[field] = {"code": value, "omschrijving": description.lower(), "soort": kind}
        elif field == "aanduidingNaamgebruik":
            naam[field] = {"code": value}
        else:
            naam[field] = value
    person = {"burgerservicenummer": bsn, "naam": naam}
    if data.get("aanduiding in onderzoek"):
        person["inOnderzoek"] = {
            "aanduidingGegevensInOnderzoek": data["aanduiding in onderzoek"],
            "datumIngangOnderzoek": data.get("datum ingang onderzoek", ""),
        }
    return person


test_person.__test__ = False  # a helper, not a test


@pytest.mark.parametrize(("bsn", "data", "query", "expected"), CASES)
def test_the_local_brp_answers_the_name_fields_asked(bsn, data, query, expected, monkeypatch, local_brp):
    monkeypatch.setattr(service, "persons", lambda: {bsn: service.v2(test_person(bsn, data))})
    status, body = ask(local_brp, query)
    assert status == 200 and validate(body, "#/components/schemas/RaadpleegMetBurgerservicenummerResponse") == []
    (person,) = body["personen"]
    got = flat(person.get("naam", {}))
    if "naam" in query["fields"]:  # the whole name: the scenario lists what is in onderzoek
        got = {k: got.get(k) for k in expected}
    assert got == expected


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


# --- adressering/in-onderzoek.feature: the composed names in question --------------------------------

PARTNER = re.compile(
    r"^de persoon (met burgerservicenummer '\d+' )?heeft (een|nog een) 'partner' met de volgende gegevens$"
)
CHANGED = re.compile(r"^de 'partner' is gewijzigd naar de volgende gegevens$")
EXPECT_ADDRESSING = re.compile(r"^heeft de response een persoon met de volgende 'adressering' gegevens$")
EMPTY = re.compile(r"^heeft de response een persoon met een leeg 'adressering' object$")


def _values(table: list[dict]) -> dict:
    if table and set(table[0]) == {"naam", "waarde"}:
        return {_key(r["naam"]): r["waarde"] for r in table}
    return {_key(k): v for k, v in table[0].items()} if table else {}


def _onderzoek(data: dict) -> dict:
    if not data.get("aanduiding in onderzoek"):
        return {}
    return {
        "inOnderzoek": {
            "aanduidingGegevensInOnderzoek": data["aanduiding in onderzoek"],
            "datumIngangOnderzoek": data.get("datum ingang onderzoek", ""),
        }
    }


def addressing_case(scenario):
    person: dict = {}
    partners: list[dict] = []
    query, expected = {}, None
    for step in scenario.steps:
        values = _values(step.table)
        if PERSON.match(step.text):
            person.update(values)
        elif PARTNER.match(step.text):
            partners.append(values)
        elif CHANGED.match(step.text):
            partners[-1].update(values)
        elif ASKED.match(step.text):
            query = {
                "type": values["type"],
                "burgerservicenummer": [values["burgerservicenummer"]],
                "fields": values["fields"].split(","),
            }
        elif EXPECT_ADDRESSING.match(step.text):
            expected = {k: v for k, v in values.items() if v}
        elif EMPTY.match(step.text):
            expected = {}
        else:
            raise AssertionError(f"a step this reader does not know: {step.text!r}")
    raw = {
        "burgerservicenummer": query["burgerservicenummer"][0],
        "naam": {LABELS[k]: v for k, v in person.items() if k in LABELS},
        **_onderzoek(person),
        "partners": [
            {
                "naam": {LABELS[k]: v for k, v in p.items() if k in LABELS},
                "aangaanHuwelijkPartnerschap": {
                    "datum": p.get("datum huwelijkssluiting/aangaan geregistreerd partnerschap", "")
                },
                "ontbindingHuwelijkPartnerschap": {
                    "datum": p.get("datum ontbinding huwelijk/geregistreerd partnerschap", "")
                },
                **_onderzoek(p),
            }
            for p in partners
        ],
    }
    return raw, query, expected


ADDRESSING = [
    pytest.param(*addressing_case(s), id=f"{s.file}:{s.line} {s.title}"[:150])
    for s in scenarios(ROOT, ["bevragen/persoon/adressering"])
    if s.file == "bevragen/persoon/adressering/in-onderzoek.feature"
]


def test_every_composed_name_in_onderzoek_scenario_is_read():
    assert len(ADDRESSING) == 71


@pytest.mark.parametrize(("raw", "query", "expected"), ADDRESSING)
def test_the_local_brp_says_which_composed_names_are_in_onderzoek(raw, query, expected, monkeypatch, local_brp):
    monkeypatch.setattr(service, "persons", lambda: {raw["burgerservicenummer"]: service.v2(raw)})
    status, body = ask(local_brp, query)
    assert status == 200 and validate(body, "#/components/schemas/RaadpleegMetBurgerservicenummerResponse") == []
    (person,) = body["personen"]
    if expected == {}:
        assert person.get("adressering") == {}, person
    else:
        got = flat(person.get("adressering", {}))
        assert {k: v for k, v in got.items() if k.startswith("inOnderzoek.")} == expected
