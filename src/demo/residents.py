"""Households of fictional residents from the official BRP test persons (data/brp).

Names, birth dates, BSNs and family relations are kept as RvIG publishes them; addresses are
moved into Leeuwarden's districts (weighted by inhabitants), keeping street and house number.
People at one address who are related (partner, parent, child) form a household; at the few
test addresses that hold dozens of unrelated people, only related people share a household.
"""

import csv
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from areas.models import Area, PostcodeArea
from areas.services import area_for_postcode
from people.brp.persons import resident_fields
from people.models import Household, HouseholdMember, Relation, Resident
from people.services import household_add_member, network_member_add, resident_register
from wijkteam.reference import data_path, load_json

# The widow of scenario 1: an official test person, 69 in November 2026, living alone.
WIDOW_BSN = "999993185"
WIDOW_DISTRICT = "WK008040"  # Huizum-West
# The man of scenario 3 whose family takes over his PGB: an official test person (born 1982), so the
# story always has the same name (the browser journeys look him up).
PGB_BSN = "999970872"
# The stories happen in Nijlân & Huizum: the demo places four times its share of households there.
STORY_DISTRICTS = {"WK008040": 4, "WK008041": 4}
LARGE_ADDRESS = 6  # more people than this at one address is a test artefact, not a household


@dataclass
class Plan:
    """A household to create: its members with their relation to the main person."""

    members: list[tuple[dict, str]] = field(default_factory=list)
    relatives: list[tuple[dict, str]] = field(default_factory=list)  # outside the household: network


def _birth(person: dict) -> date | None:
    raw = person.get("geboorte", {}).get("datum", "")
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
    except (ValueError, IndexError):
        return None


def _usable(person: dict) -> bool:
    """Real-looking persons only: the set also holds DigiD test accounts named like
    'Digid 1 100600116 geslachtsnaam', which make a poor demo."""
    place = person.get("verblijfplaats", {})
    name = person.get("naam", {})
    if any(ch.isdigit() for ch in name.get("voornamen", "") + name.get("geslachtsnaam", "")):
        return False
    return (
        "overlijden" not in person
        and "rni" not in person
        and _birth(person) is not None
        and _birth(person).year > 1900
        and bool(place.get("postcode"))
        and bool(person.get("naam", {}).get("geslachtsnaam"))
    )


def _address(person: dict) -> tuple:
    place = person["verblijfplaats"]
    return (
        place.get("postcode"),
        place.get("huisnummer"),
        place.get("huisletter", ""),
        place.get("huisnummertoevoeging", ""),
    )


def household_plans(persons: list[dict]) -> list[Plan]:
    usable = [p for p in persons if _usable(p)]
    by_bsn = {p["burgerservicenummer"]: p for p in usable}
    parent = {bsn: bsn for bsn in by_bsn}

    def find(bsn: str) -> str:
        while parent[bsn] != bsn:
            parent[bsn] = parent[parent[bsn]]
            bsn = parent[bsn]
        return bsn

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    at_address: dict[tuple, list[str]] = defaultdict(list)
    for person in usable:
        at_address[_address(person)].append(person["burgerservicenummer"])
    for bsns in at_address.values():
        if len(bsns) <= LARGE_ADDRESS:
            for bsn in bsns[1:]:
                union(bsns[0], bsn)
        else:
            here = set(bsns)
            for bsn in bsns:
                for kin in _kin(by_bsn[bsn]):
                    if kin.get("burgerservicenummer") in here:
                        union(bsn, kin["burgerservicenummer"])

    groups: dict[str, list[dict]] = defaultdict(list)
    for bsn in sorted(by_bsn):
        groups[find(bsn)].append(by_bsn[bsn])
    return [_plan(members) for _, members in sorted(groups.items())]


def _kin(person: dict) -> list[dict]:
    return person.get("partners", []) + person.get("kinderen", []) + person.get("ouders", [])


def _plan(members: list[dict]) -> Plan:
    adults = sorted(members, key=lambda p: _birth(p))  # oldest first
    main = next((p for p in adults if p.get("partners") or p.get("kinderen")), adults[0])
    bsns = {p["burgerservicenummer"] for p in members}
    partner_bsns = {k.get("burgerservicenummer") for k in main.get("partners", [])}
    child_bsns = {k.get("burgerservicenummer") for k in main.get("kinderen", [])}
    parent_bsns = {k.get("burgerservicenummer") for k in main.get("ouders", [])}
    plan = Plan(members=[(main, Relation.MAIN)])
    for person in members:
        if person is main:
            continue
        bsn = person["burgerservicenummer"]
        relation = (
            Relation.PARTNER
            if bsn in partner_bsns
            else Relation.CHILD
            if bsn in child_bsns
            else Relation.PARENT
            if bsn in parent_bsns
            else Relation.OTHER
        )
        plan.members.append((person, relation))
    for kin, relation in (
        *[(k, "child") for k in main.get("kinderen", [])],
        *[(k, "parent") for k in main.get("ouders", [])],
    ):
        if kin.get("burgerservicenummer") not in bsns and kin.get("naam", {}).get("geslachtsnaam"):
            plan.relatives.append((kin, relation))
    return plan


NAME_FIELDS = (
    "voornamen",
    "adellijke_titel",
    "voorvoegsel",
    "geslachtsnaam",
    "geslacht",
    "naamgebruik",
    "partner_voorvoegsel",
    "partner_geslachtsnaam",
    "partner_adellijke_titel",
    "partner_ended",
    "geheimhouding",
)


def _name_fields(person: dict) -> dict:
    """The names as the BRP keeps them (``people.brp.persons``); the demo gives its own address."""
    fields = resident_fields(person)
    # The demo's story keeps the first partner the test set lists (its households were built so).
    first = ((person.get("partners") or [{}])[0]).get("naam") or {}
    fields["partner_voorvoegsel"] = first.get("voorvoegsel", "")
    fields["partner_geslachtsnaam"] = first.get("geslachtsnaam", "")
    if not fields["partner_geslachtsnaam"]:
        fields["naamgebruik"] = "E"  # a partner's name to use is not in the test set
    return {**{name: fields[name] for name in NAME_FIELDS}, "birth_date": _birth(person)}


def _towns() -> dict[str, str]:
    with data_path("cbs", "pc4_inwoners_2021.csv").open(encoding="utf-8") as handle:
        return {row["postcode"]: row["plaats"] for row in csv.DictReader(handle) if len(row["postcode"]) == 4}


class Placer:
    """Chooses a district (weighted by inhabitants) and a postcode in it for each household."""

    def __init__(self, rng: random.Random, areas: list[Area]) -> None:
        self.rng = rng
        self.areas = [a for a in areas if a.inhabitants and a.postcodes.exists()]
        self.weights = [a.inhabitants * STORY_DISTRICTS.get(a.cbs_code, 1) for a in self.areas]
        self.postcodes = {
            a.pk: list(PostcodeArea.objects.filter(area=a).values_list("postcode4", "share")) for a in self.areas
        }
        self.towns = _towns()

    def place(self, person: dict, area: Area | None = None) -> dict:
        area = area or self.rng.choices(self.areas, weights=self.weights)[0]
        options = self.postcodes[area.pk]
        postcode4 = self.rng.choices([p for p, _ in options], weights=[s for _, s in options])[0]
        letters = (person["verblijfplaats"].get("postcode") or "AA")[4:6].upper()
        if letters in {"SA", "SD", "SS"} or len(letters) != 2:
            letters = "AB"
        place = person["verblijfplaats"]
        number = int("".join(c for c in place.get("huisnummer", "1") if c.isdigit()) or 1)
        return {
            "postcode": f"{postcode4}{letters}",
            "huisnummer": number,
            "huisletter": (place.get("huisletter") or "")[:1],
            "huisnummertoevoeging": (place.get("huisnummertoevoeging") or "")[:4],
            "straat": place.get("straat") or place.get("naamOpenbareRuimte") or "",
            "woonplaats": self.towns.get(postcode4, "Leeuwarden"),
            "_area": area,
        }


def build_households(rng: random.Random, municipality) -> list[Household]:
    persons = load_json("brp", "brp_testpersonen.json")
    plans = household_plans(persons)
    areas = list(Area.objects.filter(municipality=municipality).order_by("cbs_code"))
    placer = Placer(rng, areas)
    widow_area = next(a for a in areas if a.cbs_code == WIDOW_DISTRICT)
    households = []
    for plan in plans:
        main, _ = plan.members[0]
        address = placer.place(main, widow_area if main["burgerservicenummer"] == WIDOW_BSN else None)
        area = address.pop("_area")
        resident = resident_register(bsn=main["burgerservicenummer"], district=area, **_name_fields(main), **address)
        _set_area(resident, area)
        household = resident.memberships.get().household
        for person, relation in plan.members[1:]:
            member = household_add_member(
                household=household,
                relation=relation,
                bsn=person["burgerservicenummer"],
                district=area,
                **_name_fields(person),
                **address,
            )
            _set_area(member.resident, area)
        Household.objects.filter(pk=household.pk).update(area=area)
        # The demo's caseload was drawn with each household's largest-share district of its postcode
        # (what registration chose before issue 20); kept so the demo's stories stay as they are.
        household.area = area_for_postcode(address["postcode"])
        relatives = [] if main["burgerservicenummer"] == WIDOW_BSN else plan.relatives[:2]  # "few social contacts"
        for kin, relation in relatives:
            name = kin["naam"]
            network_member_add(
                resident=resident,
                name=" ".join(
                    filter(
                        None, [name.get("voornamen", "").split(" ")[0], name.get("voorvoegsel"), name["geslachtsnaam"]]
                    )
                )[:200],
                relation=relation,
            )
        households.append(household)
    return households


def _set_area(resident: Resident, area: Area) -> None:
    """The postcode maps to the district covering most of it; the demo places exactly."""
    if resident.area_id != area.pk:
        Resident.objects.filter(pk=resident.pk).update(area=area)


def main_member(household: Household) -> HouseholdMember:
    return household.members.select_related("resident").get(relation=Relation.MAIN)
