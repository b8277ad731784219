"""RvIG's address-line scenarios, read from the .feature files (``adressering/adres-regels``: every file,
96 scenarios), each run three ways:

1. against ``people.addresses.address_lines``, the composition itself;
2. against the local BRP service (``people.brp.service``) over HTTP: the scenario's person is put in the
   service in the test persons' own form, asked with the scenario's ``type``, ``burgerservicenummer``
   and ``fields``, and the whole answer is validated against the OpenAPI specification; ``alleen de
   volgende`` means exactly those values. This covers ``fields`` (only what is asked), the
   ``adresseringBinnenland`` alias and its bad requests, what is *in onderzoek* and
   ``indicatieVastgesteldVerblijftNietOpAdres``;
3. against a resident registered by hand (``Resident.adresregels``), for what a resident keeps.

What a resident registered by hand does not keep, and so is not compared for them (the scenario
still runs in 1 and 2):

- *in onderzoek* (``inOnderzoek.*``) and ``indicatieVastgesteldVerblijftNietOpAdres``: that the BRP
  investigates an address, or found the person no longer lives there, is the BRP's own record; a
  social worker registers the address as the resident gives it (in-onderzoek.feature, the flags of
  vastgesteld-verblijft-niet-op-adres.feature; their address lines are compared);
- *aanduiding bij huisnummer* ("bij", "t/o") and *locatiebeschrijving* (a houseboat, a caravan site):
  the resident form has a street, a number, a letter and an addition, not these;
- the country's code (``land.code``, table 34): a resident abroad keeps the country's name; and an
  address abroad in the unknown country (``0000``) cannot be told from one without a country;
- ``fields`` and the ``adresseringBinnenland`` alias: they are about what the API returns, not about
  the address (fields.feature, fields-alias*.feature: their lines are compared, the filtering is run
  against the local BRP).

The authorisation steps ("de afnemer ... is geautoriseerd voor ...") set the consumer's authorisation;
the local BRP has none (every consumer may ask everything), so the alias is what the consumer
chooses, as the scenarios' Rules describe.
"""

import csv
import json
import re
from dataclasses import dataclass, field

import pytest

from people.addresses import Place, address_lines
from people.brp import service
from people.models import Resident
from wijkteam.reference import data_path

from .brp_contract import validate
from .gherkin import Scenario, scenarios

ROOT = data_path("brp", "features")
FOLDER = "bevragen/persoon/adressering/adres-regels"
PERSON = re.compile(r"^de persoon met burgerservicenummer '(\d+)' heeft de volgende 'verblijfplaats' gegevens$")
ADDRESS = re.compile(r"^de 'verblijfplaats' heeft de volgende 'adres' gegevens$")
AUTHORISED = re.compile(r"^de afnemer met indicatie '\d+' is geautoriseerd voor '[^']+' gegevens$")
ASKED = re.compile(r"^personen wordt gezocht met de volgende parameters$")
EXPECT = re.compile(
    r"^heeft de response een persoon met (alleen )?de volgende '(adressering|verblijfplaats)' gegevens$"
)
NOTHING = re.compile(r"^heeft de response een persoon zonder 'adressering' gegevens$")
PROBLEM = re.compile(r"^heeft de response een object met de volgende gegevens$")
INVALID = re.compile(r"^heeft het object de volgende 'invalidParams' gegevens$")
ONE = "#/components/schemas/RaadpleegMetBurgerservicenummerResponse"


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


MUNICIPALITIES, COUNTRIES = _municipalities(), _countries()


def _key(label: str) -> str:
    return re.sub(r"\s*\(\d\d\.\d\d\)$", "", label).strip()


def _values(table: list[dict[str, str]]) -> dict[str, str]:
    """A step's table as name -> value: a ``naam | waarde`` table, or one row under its labels."""
    if table and set(table[0]) == {"naam", "waarde"}:
        return {_key(row["naam"]): row["waarde"] for row in table}
    return {_key(k): v for k, v in (table[0].items() if table else [])}


@dataclass
class Case:
    scenario: Scenario
    bsn: str = ""
    data: dict = field(default_factory=dict)  # the verblijfplaats and its address, as the scenario gives them
    query: dict = field(default_factory=dict)
    target: str = "adressering"  # which part of the person is expected
    only: bool = False  # "alleen de volgende": exactly these values
    expected: dict | None = None  # flattened; {} when the person has no adressering
    problem: dict | None = None  # a bad request: the problem and its invalidParams

    @property
    def id(self) -> str:
        return f"{self.scenario.file}:{self.scenario.line} {self.scenario.title}"[:150]

    @property
    def land(self) -> str:
        return self.data.get("land adres buitenland", self.data.get("land", ""))

    @property
    def municipality(self) -> str:
        return MUNICIPALITIES.get(self.data.get("gemeente van inschrijving", self.data.get("gemeentecode", "")), "")

    def place(self) -> Place:
        data = self.data
        return Place(
            straatnaam=data.get("straatnaam", ""),
            huisnummer=int(data["huisnummer"]) if data.get("huisnummer", "").isdigit() else None,
            huisletter=data.get("huisletter", ""),
            huisnummertoevoeging=data.get("huisnummertoevoeging", ""),
            aanduiding_bij_huisnummer=data.get("aanduiding bij huisnummer", ""),
            postcode=data.get("postcode", ""),
            woonplaats=data.get("woonplaats", ""),
            locatiebeschrijving=data.get("locatiebeschrijving", ""),
            land=(self.land, COUNTRIES.get(self.land, "")) if self.land else None,
            regels=tuple(data.get(f"regel {n} adres buitenland", "") for n in (1, 2, 3)),
            gemeente=self.municipality,
        )

    def test_person(self) -> dict:
        """The scenario's person as RvIG's test persons are written (``data/brp/brp_testpersonen.json``)."""
        data, place = self.data, {}
        simple = {
            "straatnaam": "straat",
            "huisnummer": "huisnummer",
            "huisletter": "huisletter",
            "huisnummertoevoeging": "huisnummertoevoeging",
            "postcode": "postcode",
            "woonplaats": "woonplaats",
            "locatiebeschrijving": "locatiebeschrijving",
            "regel 1 adres buitenland": "regel1",
            "regel 2 adres buitenland": "regel2",
            "regel 3 adres buitenland": "regel3",
        }
        place.update({ours: data[theirs] for theirs, ours in simple.items() if data.get(theirs)})
        if data.get("aanduiding bij huisnummer"):
            place["aanduidingBijHuisnummer"] = {"code": data["aanduiding bij huisnummer"]}
        if self.land:
            place["land"] = {"code": self.land, "omschrijving": COUNTRIES.get(self.land, "Onbekend")}
        if data.get("functie adres"):
            place["functieAdres"] = {"code": data["functie adres"]}
        if data.get("aanduiding in onderzoek"):
            place["inOnderzoek"] = {
                "aanduidingGegevensInOnderzoek": data["aanduiding in onderzoek"],
                "datumIngangOnderzoek": data.get("datum ingang onderzoek", ""),
            }
        code = data.get("gemeente van inschrijving", data.get("gemeentecode", ""))
        person = {"burgerservicenummer": self.bsn, "verblijfplaats": place}
        if code:
            person["gemeenteVanInschrijving"] = {"code": code, "omschrijving": self.municipality}
        return person

    def resident(self) -> Resident:
        """The same address registered by hand: what the resident form has."""
        data = self.data
        return Resident(
            straat=data.get("straatnaam", ""),
            huisnummer=int(data["huisnummer"]) if data.get("huisnummer", "").isdigit() else None,
            huisletter=data.get("huisletter", ""),
            huisnummertoevoeging=data.get("huisnummertoevoeging", ""),
            postcode=data.get("postcode", ""),
            woonplaats=data.get("woonplaats", "") or self.municipality,
            address_abroad="\n".join(data.get(f"regel {n} adres buitenland", "") for n in (1, 2, 3)).strip("\n"),
            country=COUNTRIES.get(self.land, "") if self.land else "",
        )

    def not_kept_by_a_resident(self) -> str:
        """Why the scenario's address cannot be registered by hand (the module's docstring), or ""."""
        data = self.data
        if data.get("aanduiding bij huisnummer"):
            return "aanduiding bij huisnummer"
        if data.get("locatiebeschrijving"):
            return "locatiebeschrijving"
        if self.land == "0000":
            return "the unknown country"
        return ""


def understood(scenario: Scenario) -> Case:
    case = Case(scenario)
    for step in scenario.steps:
        values = _values(step.table)
        if match := PERSON.match(step.text):
            case.bsn = match.group(1)
            case.data.update(values)
        elif ADDRESS.match(step.text):
            case.data.update(values)
        elif AUTHORISED.match(step.text):
            continue
        elif ASKED.match(step.text):
            case.query = {
                "type": values["type"],
                "burgerservicenummer": [values["burgerservicenummer"]],
                "fields": [f.strip() for f in values["fields"].split(",")],
            }
            case.bsn = case.bsn or values["burgerservicenummer"]
        elif match := EXPECT.match(step.text):
            case.only, case.target = bool(match.group(1)), match.group(2)
            case.expected = {k: v for k, v in values.items() if v != ""}  # an empty example cell: absent
        elif NOTHING.match(step.text):
            case.expected = {}
        elif PROBLEM.match(step.text):
            case.problem = {**values}
        elif INVALID.match(step.text) and case.problem is not None:
            case.problem["invalidParams"] = step.table
        else:
            raise AssertionError(f"a step this reader does not know: {step.text!r} ({case.id})")
    return case


ALL = scenarios(ROOT, [FOLDER])
CASES = [understood(s) for s in ALL]
# Table 34 (countries) is not shipped: its descriptions come from the test persons, and from the
# scenarios where they name one (6014, "Verenigde Staten van Amerika"), as the BRP would give it.
for _case in CASES:
    for _prefix in ("", "verblijfadres."):
        if (_case.expected or {}).get(f"{_prefix}land.code"):
            COUNTRIES.setdefault(_case.expected[f"{_prefix}land.code"], _case.expected[f"{_prefix}land.omschrijving"])


def asked_lines(case: Case) -> set[str]:
    """The address lines the scenario asks for (flattened names)."""
    every = {"adresregel1", "adresregel2", "adresregel3", "land.code", "land.omschrijving"}
    asked: set[str] = set()
    for name in case.query["fields"]:
        if name == "adressering":
            asked |= every
        elif name == "adresseringBinnenland":
            asked |= {"adresregel1", "adresregel2"}
        elif name.split(".", 1)[0] in {"adressering", "adresseringBinnenland"}:
            line = name.split(".", 1)[1]
            asked |= {"land.code", "land.omschrijving"} if line == "land" else {line}
    return asked


def flat(value, prefix: str = "") -> dict[str, str]:
    """Nested JSON as the scenarios' dotted names with text values ("true" for true)."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            out.update(flat(item, f"{prefix}{key}."))
        return out
    return {prefix[:-1]: "true" if value is True else "false" if value is False else str(value)}


def test_every_address_line_scenario_is_read():
    assert len(ALL) == 96
    assert all(c.query and (c.expected is not None or c.problem) for c in CASES)


LINES = {"adresregel1", "adresregel2", "adresregel3", "land.code", "land.omschrijving"}


def _lines(expected: dict) -> dict:
    return {k: v for k, v in expected.items() if k in LINES}


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.target == "adressering" and c.expected is not None], ids=lambda c: c.id
)
def test_the_composition_makes_the_lines_of_the_scenario(case):
    """The lines composed from the scenario's address, of those asked, are the scenario's."""
    if any(f.startswith("adresseringBinnenland") for f in case.query["fields"]) and case.land:
        pytest.skip("the alias gives no lines of an address abroad: run against the local BRP")
    _compare(flat(address_lines(case.place())), case)


def _compare(composed: dict, case: Case, keys=LINES) -> None:
    asked = asked_lines(case) & keys
    want = {k: v for k, v in _lines(case.expected).items() if k in keys}
    got = {k: v for k, v in composed.items() if k in asked}
    if case.only or not case.expected:
        assert got == want
    else:
        assert {k: got.get(k) for k in want} == want


@pytest.fixture
def scenario_brp(monkeypatch, local_brp):
    """The local BRP, answering from the scenario's persons instead of RvIG's test set."""
    held: dict[str, dict] = {}
    monkeypatch.setattr(service, "persons", lambda: held)
    return held


def ask(url: str, query: dict) -> tuple[int, dict]:
    from .test_brp import post

    status, _kind, body = post(url, {**query, "inclusiefOverledenPersonen": True})
    return status, body


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_the_local_brp_answers_as_the_scenario_says(case, scenario_brp, local_brp):
    if case.bsn and case.data:
        scenario_brp[case.bsn] = service.v2(case.test_person())
    status, body = ask(local_brp, case.query)
    if case.problem is not None:
        assert status == 400
        expected = {k: v for k, v in case.problem.items() if k != "invalidParams"}
        assert {k: flat(body).get(k) for k in expected} == expected, body
        wrong = [{k: p[k] for k in ("code", "name", "reason")} for p in body["invalidParams"]]
        assert wrong == case.problem["invalidParams"]
        # RvIG's own detail ("... zijn: fields[0].") and parameter name ("fields[0]") have characters
        # its specification's patterns for them do not allow: the scenario is followed, the rest of
        # the problem is validated.
        problems = validate(body, "#/components/schemas/BadRequestFoutbericht")
        assert [p for p in problems if not p.startswith(("detail:", "invalidParams/0/name:"))] == []
        return
    assert status == 200 and validate(body, ONE) == [], body
    (person,) = body["personen"]
    if case.expected == {}:
        assert "adressering" not in person, person
        return
    got = flat(person.get(case.target, {}))
    if case.only:
        assert got == case.expected
    else:
        assert {k: got.get(k) for k in case.expected} == case.expected


@pytest.mark.parametrize("case", [c for c in CASES if c.expected is not None], ids=lambda c: c.id)
def test_a_resident_registered_by_hand_has_the_lines_of_the_scenario(case):
    why = case.not_kept_by_a_resident()
    if why:
        pytest.skip(f"not kept for a resident registered by hand: {why} (see the module's docstring)")
    if case.target != "adressering":
        pytest.skip("the verblijfplaats itself is expected, not address lines: run against the local BRP")
    composed = flat(case.resident().adresregels)
    if any(f.startswith("adresseringBinnenland") for f in case.query["fields"]) and case.land:
        composed = {}  # the alias gives no lines of an address abroad
    _compare(composed, case, LINES - {"land.code"})
