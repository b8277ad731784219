"""RvIG's own specification of BRP names, run against the names Wijkteam composes.

Every name scenario of ``data/brp/features/`` (aanschrijfwijze, aanhef, gebruikInLopendeTekst,
voorletters, volledigeNaam) is read from the .feature files (``gherkin.py``), not copied: the person
of the scenario is turned into ``people.names.Name`` and into a resident registered by hand, and
both must give what the scenario's response holds (403 scenarios with their examples, the overview
of ``adressering/aanhef`` with its named persons included). The local BRP composes its answers with
the same ``people.names`` (``people.brp.service.v2``), and its answers for every RvIG test person are
validated against the specification (``test_brp.py``).

Run elsewhere, against the local BRP over HTTP (the scenario's person put in the service, each answer
validated against the OpenAPI specification) and, for what a resident keeps, a resident registered
by hand (``test_name_fields.py``):

- ``naam/fields.feature`` (11): which name fields an answer holds;
- ``naam/in-onderzoek.feature`` (42) and ``adressering/in-onderzoek.feature`` (71): which name fields,
  and which of the salutation, address name and running-text name composed from them, are *in
  onderzoek*, and since when (the person's or the used partner's investigation). A resident
  registered by hand keeps no *in onderzoek* (that the BRP investigates a name is the BRP's record,
  not Wijkteam's; a lookup fills the names, not the investigation), so for them only the name parts
  are compared, and for ``adressering/in-onderzoek.feature`` nothing: its expectations are only the
  investigation flags.
"""

import re
from datetime import date

import pytest

from people.models import Resident
from people.names import Name, Partner, aanhef, aanschrijfwijze, gebruik_in_lopende_tekst, voorletters
from people.names import volledige_naam as full_name
from wijkteam.reference import data_path

from .gherkin import Scenario, scenarios

ROOT = data_path("brp", "features")
NAME_FOLDERS = [
    "adressering/aanhef",  # the overview, written with named persons ("de persoon 'Jo'")
    "bevragen/persoon/adressering/aanschrijfwijze",
    "bevragen/persoon/adressering/aanhef",
    "bevragen/persoon/adressering/gebruikinlopendetekst",
    "bevragen/persoon/naam",
]
# Files about the API's mechanics (which fields, values under investigation), not about names.
NOT_NAMES = ("in-onderzoek", "fields")

PERSON = re.compile(r"^de persoon met burgerservicenummer '\d+' heeft de volgende gegevens$")
PARTNER = re.compile(r"^de persoon heeft een '(partner|ex-partner)' met de volgende gegevens$")
CHANGED = re.compile(r"^de '(partner)' is gewijzigd naar de volgende gegevens$")
NO_PARTNER = re.compile(r"^de persoon heeft (nooit een actueel of ontbonden|geen actuele partner|geen \(ex\)partner)")
ASKED = re.compile(r"^personen wordt gezocht met de volgende parameters$")
EXPECT = re.compile(r"^heeft de response een persoon met (alleen )?de volgende '(adressering|naam)' gegevens$")
EMPTY = re.compile(r"^heeft (de response een persoon met een|de persoon een) leeg '(adressering|naam)' object$")
PLAIN = re.compile(r"^heeft de response een persoon met de volgende gegevens$")  # the BSN alone
# The overview's style: named persons, a partnership between them, a field asked of one of them.
NAMED = re.compile(r"^de persoon '([^']+)'( met burgerservicenummer '\d+')?$")
HAS = re.compile(r"^heeft de volgende gegevens$")
JOINED = re.compile(r"^'([^']+)' en '([^']+)' zijn met elkaar (gehuwd|een geregistreerd partnerschap aangegaan)$")
ASKED_OF = re.compile(r"^'([^']+)' wordt gevraagd van '([^']+)'$")
EXPECT_OF = re.compile(r"^heeft '([^']+)' de volgende '(adressering|naam)' gegevens$")


def _key(label: str) -> str:
    return re.sub(r"\s*\(\d\d\.\d\d\)$", "", label).strip()


def _date(value: str) -> date | None:
    if not value or not value.isdigit() or len(value) != 8 or value == "00000000":
        return None
    year, month, day = int(value[:4]), int(value[4:6]) or 1, int(value[6:]) or 1
    return date(year, month, day)


def _partner(data: dict[str, str]) -> Partner:
    return Partner(
        voorvoegsel=data.get("voorvoegsel", ""),
        geslachtsnaam=data.get("geslachtsnaam", ""),
        adellijke_titel=data.get("adellijke titel of predicaat", ""),
        geslacht=data.get("geslachtsaanduiding", ""),
        since=_date(data.get("datum huwelijkssluiting/aangaan geregistreerd partnerschap", "")),
        ended=_date(data.get("datum ontbinding huwelijk/geregistreerd partnerschap", ""))
        or (date(1, 1, 1) if data.get("ex") else None),
    )


class Unsupported(Exception):
    pass


def understood(scenario: Scenario) -> tuple[Name, list[str], dict[str, str]]:
    """The scenario's person, the fields asked and the expected values; Unsupported otherwise."""
    person: dict[str, str] = {}
    partners: list[dict[str, str]] = []
    fields: list[str] = []
    expected: dict[str, str] = {}
    named: dict[str, dict[str, str]] = {}
    current = ""
    for step in scenario.steps:
        table = {_key(row.get("naam", "")): row.get("waarde", "") for row in step.table}
        if match := NAMED.match(step.text):
            current = match.group(1)
            named[current] = {}
        elif HAS.match(step.text) and current:
            named[current].update(table)
        elif match := JOINED.match(step.text):
            partner = match.group(2) if match.group(1) == next(iter(named)) else match.group(1)
            partners.append(named[partner])
        elif match := ASKED_OF.match(step.text):
            fields = [match.group(1)]
            person.update(named[match.group(2)])
        elif match := EXPECT_OF.match(step.text):
            expected.update({f"{match.group(2)}.{k}": v for k, v in (step.table[0] if step.table else {}).items()})
        elif PERSON.match(step.text):
            person.update(table)
        elif match := PARTNER.match(step.text):
            partners.append({**table, **({"ex": "1"} if match.group(1) == "ex-partner" else {})})
        elif CHANGED.match(step.text) and partners:
            partners[-1].update(table)
        elif NO_PARTNER.match(step.text):
            continue
        elif ASKED.match(step.text):
            if table.get("type") != "RaadpleegMetBurgerservicenummer":
                raise Unsupported(step.text)
            fields = [f.strip() for f in table.get("fields", "").split(",")]
        elif match := EXPECT.match(step.text):
            expected.update({f"{match.group(2)}.{k}": v for k, v in table.items()})
        elif EMPTY.match(step.text) or PLAIN.match(step.text):
            continue
        else:
            raise Unsupported(step.text)
    if not person or not fields:
        raise Unsupported("no person or no fields")
    name = Name(
        voornamen=person.get("voornamen", ""),
        voorvoegsel=person.get("voorvoegsel", ""),
        geslachtsnaam=person.get("geslachtsnaam", ""),
        adellijke_titel=person.get("adellijke titel of predicaat", ""),
        geslacht=person.get("geslachtsaanduiding", ""),
        naamgebruik=person.get("aanduiding naamgebruik", "E"),
        partners=tuple(_partner(p) for p in partners),
    )
    return name, fields, expected


COMPOSED = {
    "adressering.aanschrijfwijze.naam": lambda n: aanschrijfwijze(n)[0],
    "adressering.aanschrijfwijze.aanspreekvorm": lambda n: aanschrijfwijze(n)[1],
    "adressering.aanhef": aanhef,
    "adressering.gebruikInLopendeTekst": gebruik_in_lopende_tekst,
    "naam.voorletters": lambda n: voorletters(n.voornamen),
    "naam.volledigeNaam": full_name,
}


def asked(fields: list[str]) -> list[str]:
    """The composed values a request with these fields returns."""
    keys = []
    for f in fields:
        f = f if f.startswith(("adressering", "naam")) else f"naam.{f}"
        keys.extend(k for k in COMPOSED if k == f or k.startswith(f"{f}."))
    return keys


ALL = [s for s in scenarios(ROOT, NAME_FOLDERS) if not any(part in s.file for part in NOT_NAMES)]
CASES = []
for s in ALL:
    try:
        parsed = understood(s)
    except Unsupported:
        continue
    if asked(parsed[1]):
        CASES.append(pytest.param(s, *parsed, id=f"{s.file}:{s.line} {s.title}"[:150]))


def test_the_specification_is_read_and_every_name_scenario_runs():
    assert len(ALL) > 100
    assert len(CASES) == len(ALL), [s.id for s in ALL if s not in [c.values[0] for c in CASES]]


def resident_of(name: Name) -> Resident:
    """The same person registered by hand: one partner, the one whose name is used."""
    partner = name.partner
    return Resident(
        voornamen=name.voornamen,
        voorvoegsel=name.voorvoegsel,
        geslachtsnaam=name.geslachtsnaam,
        adellijke_titel=name.adellijke_titel,
        geslacht=name.geslacht,
        naamgebruik=name.naamgebruik or "E",
        partner_voorvoegsel=partner.voorvoegsel if partner else "",
        partner_geslachtsnaam=partner.geslachtsnaam if partner else "",
        partner_adellijke_titel=partner.adellijke_titel if partner else "",
        partner_ended=bool(partner) and not name.has_current_partner,
    )


@pytest.mark.parametrize(("scenario", "name", "fields", "expected"), CASES)
def test_names_as_the_brp_specification_prescribes(scenario, name, fields, expected):
    resident = resident_of(name)
    for key in asked(fields):
        want = expected.get(key, "")
        assert COMPOSED[key](name) == want, f"{key} of {name}"
        assert COMPOSED[key](resident.brp_name) == want, f"{key} of the resident registered by hand"
