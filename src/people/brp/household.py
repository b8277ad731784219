"""Who lives at a household's address according to the BRP, to add to the household in one step.

The BRP is asked who lives at the main person's address (``ZoekMetPostcodeEnHuisnummer``), then the
persons found and the main person by BSN (``RaadpleegMetBurgerservicenummer``): their full data, and the
main person's partners, children and parents to suggest each housemate's relation. Both lookups are in
the access log with their purpose (``client``). Adding asks the BRP again for the chosen BSNs and adds
only who the BRP says lives at the household's address: a BSN typed into the request adds nobody else.

A housemate with secrecy (*geheimhouding*) is added with it: their address is then on no list and on
nothing sent to third parties (docs/privacy.md), as for any resident with secrecy.
"""

from dataclasses import dataclass

from privacy.crypto import keyed_hash
from privacy.models import Purpose

from ..models import Relation, Resident
from . import client
from .fill import FORM_FIELDS
from .persons import _date


@dataclass(frozen=True)
class Housemate:
    bsn: str
    fields: dict  # the resident's fields (``people.brp.persons.resident_fields``)
    name: str  # as the BRP addresses them
    relation: str  # suggested from the main person's partners, children and parents
    secret: bool
    registered: bool  # already a resident of Wijkteam (same BSN): cannot be added again
    member: bool  # already a member of this household


def main_person(household) -> Resident | None:
    member = household.members.filter(relation=Relation.MAIN).select_related("resident").first()
    return member.resident if member else None


def _same_address(fields: dict, main: Resident) -> bool:
    return (
        fields.get("postcode") == main.postcode
        and fields.get("huisnummer") == main.huisnummer
        and (fields.get("huisletter") or "").lower() == (main.huisletter or "").lower()
        and (fields.get("huisnummertoevoeging") or "").lower() == (main.huisnummertoevoeging or "").lower()
    )


def _relations(person: dict | None) -> dict[str, str]:
    """The main person's relatives by BSN: partner (ex-partner when ended), child, parent."""
    if person is None:
        return {}
    found = {}
    for partner in person.get("partners") or []:
        ended = _date(partner.get("ontbindingHuwelijkPartnerschap")) or partner.get("ontbindingHuwelijkPartnerschap")
        found[partner.get("burgerservicenummer", "")] = Relation.EX_PARTNER if ended else Relation.PARTNER
    found.update({k.get("burgerservicenummer", ""): Relation.CHILD for k in person.get("kinderen") or []})
    found.update({o.get("burgerservicenummer", ""): Relation.PARENT for o in person.get("ouders") or []})
    found.pop("", None)
    return found


def housemates(*, household, user, purpose: str = Purpose.REGISTRATION) -> list[Housemate]:
    """Who else the BRP knows at the address of the household's main person (``client.BrpUnavailable``
    when the BRP does not answer); empty when the main person has no postcode and house number."""
    main = main_person(household)
    if main is None or not main.postcode or not main.huisnummer:
        return []
    found = client.search_address(
        postcode=main.postcode,
        huisnummer=main.huisnummer,
        huisletter=main.huisletter,
        huisnummertoevoeging=main.huisnummertoevoeging,
        user=user,
        purpose=purpose,
    )
    others = [f.bsn for f in found if f.bsn and f.bsn != main.bsn]
    if not others:
        return []
    asked = ([main.bsn] if main.bsn else []) + others
    full = client.lookup_bsns(bsns=asked[:20], user=user, purpose=purpose, fields=[*client.FIELDS, *client.RELATIVES])
    relation_of = _relations(next((f.person for f in full if main.bsn and f.bsn == main.bsn), None))
    hashes = {f.bsn: keyed_hash(f.bsn) for f in full}
    registered = set(Resident.objects.filter(bsn_hash__in=hashes.values()).values_list("bsn_hash", flat=True))
    members = set(household.members.values_list("resident__bsn_hash", flat=True))
    return [
        Housemate(
            bsn=f.bsn,
            fields=f.fields,
            name=(f.person.get("adressering") or {}).get("aanschrijfwijze", {}).get("naam")
            or " ".join(p for p in (f.fields["voornamen"], f.fields["voorvoegsel"], f.fields["geslachtsnaam"]) if p),
            relation=relation_of.get(f.bsn, Relation.OTHER),
            secret=bool(f.fields.get("geheimhouding")),
            registered=hashes[f.bsn] in registered,
            member=hashes[f.bsn] in members,
        )
        for f in full
        if f.bsn in others and _same_address(f.fields, main)
    ]


def to_add(*, household, chosen: dict[str, str], user, purpose: str = Purpose.REGISTRATION) -> list[dict]:
    """The keyword arguments of ``people.services.household_add_members`` for the chosen housemates
    (BSN -> relation): asked of the BRP again, only who lives at the household's address."""
    main = main_person(household)
    if main is None or not chosen:
        return []
    found = client.lookup_bsns(bsns=list(chosen)[:20], user=user, purpose=purpose)
    return [
        {
            "relation": chosen[f.bsn],
            "bsn": f.bsn,
            **{k: f.fields[k] for k in FORM_FIELDS if f.fields.get(k) is not None},
        }
        for f in found
        if f.bsn in chosen and _same_address(f.fields, main)
    ]
