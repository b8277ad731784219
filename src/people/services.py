"""Registering residents and households."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from areas.models import Area
from privacy.crypto import keyed_hash
from privacy.history import tracking
from teams.services import team_for_area

from .districts import districts_for
from .models import (
    PARENT_UNTIL_AGE,
    Household,
    HouseholdMember,
    NetworkMember,
    Relation,
    Representation,
    RepresentationKind,
    Resident,
)

RESIDENT_FIELDS = {
    "voornamen",
    "adellijke_titel",
    "voorvoegsel",
    "geslachtsnaam",
    "naamgebruik",
    "partner_voorvoegsel",
    "partner_geslachtsnaam",
    "geslacht",
    "birth_date",
    "straat",
    "huisnummer",
    "huisletter",
    "huisnummertoevoeging",
    "postcode",
    "woonplaats",
    "phone",
    "email",
    "partner_adellijke_titel",
    "partner_ended",
    "address_abroad",
    "country",
    "rni",
    "geheimhouding",
}


# A household's address: what a member who lives there without an address of their own gets.
ADDRESS_FIELDS = ("straat", "huisnummer", "huisletter", "huisnummertoevoeging", "postcode", "woonplaats")


def find_duplicates(
    *, bsn: str, geslachtsnaam: str, birth_date: date | None, exclude_pk: int | None = None
) -> tuple[list[Resident], list[Resident]]:
    """Residents with the same BSN, and residents with the same surname and date of birth.

    This check looks at every resident, not only those visible to the user: a resident must
    never be registered twice. Callers show details only of the matches the user may see.
    """
    base = Resident.objects.exclude(pk=exclude_pk) if exclude_pk else Resident.objects.all()
    by_bsn = list(base.filter(bsn_hash=keyed_hash(bsn))[:5]) if bsn else []
    by_name = []
    if geslachtsnaam and birth_date:
        by_name = list(base.filter(geslachtsnaam__iexact=geslachtsnaam.strip(), birth_date=birth_date)[:5])
    return by_bsn, by_name


def _district(resident: Resident, district: Area | None, *, keep: Area | None = None) -> Area | None:
    """The resident's district from the address (``people.districts``): decided by the data, or
    chosen from the candidates (``district``); never decided silently."""
    found = districts_for(resident.postcode, resident.huisnummer)
    if district is not None:
        if found.candidates and district not in found.candidates:
            raise ValidationError({"district": _("Choose one of the districts this address can lie in.")})
        return district
    if found.undecided:
        if keep is not None and keep in found.candidates:
            return keep
        raise ValidationError({"district": _("This postcode lies in several districts: choose the district.")})
    return found.decided


def _new_resident(bsn: str, details: dict[str, Any], district: Area | None = None) -> Resident:
    unknown = set(details) - RESIDENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown resident fields: {sorted(unknown)}")
    resident = Resident(**details)
    resident.set_bsn(bsn)
    resident.area = _district(resident, district)
    resident.refresh_search_text()
    by_bsn, _by_name = find_duplicates(bsn=bsn, geslachtsnaam="", birth_date=None)
    if by_bsn:  # before the model's own check, which can only say "bsn hash"
        raise ValidationError({"bsn": _("A resident with this BSN is already registered.")})
    resident.full_clean(exclude=["search_text"])
    resident.save()
    return resident


@transaction.atomic
def resident_register(
    *, bsn: str = "", by: User | None = None, district: Area | None = None, **details: Any
) -> Resident:
    """A new resident in a new household of their own (named after them). The household belongs to
    the municipality of its district, or of who registered it when no district holds it: then it
    waits in that municipality's intake queue (``cases.queue``), reachable by ``by``."""
    resident = _new_resident(bsn, details, district)
    municipality_id = resident.area.municipality_id if resident.area else getattr(by, "municipality_id", None)
    household = Household.objects.create(
        label=resident.surname_in_use, area=resident.area, municipality_id=municipality_id, registered_by=by
    )
    HouseholdMember.objects.create(household=household, resident=resident, relation=Relation.MAIN)
    return resident


@transaction.atomic
def resident_update(
    *,
    resident: Resident,
    by: User,
    reason: str = "",
    rectification: bool = False,
    bsn: str | None = None,
    district: Area | None = None,
    **details: Any,
) -> Resident:
    """Change a resident's personal data; every changed field goes into the history with the old
    and the new value (the BSN: only that it changed). A rectification at the resident's request
    (AVG art. 16) needs a reason. ``bsn=None`` leaves the BSN as it is."""
    unknown = set(details) - RESIDENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown resident fields: {sorted(unknown)}")
    current = Resident.objects.select_for_update().get(pk=resident.pk)
    moved = any(name in details and details[name] != getattr(current, name) for name in ("postcode", "huisnummer"))
    moves = moved or (district is not None and district.pk != current.area_id)
    fields = [*sorted(details), *(["bsn"] if bsn is not None else []), *(["area"] if moves else [])]
    with tracking(current, fields, by=by, resident=current, reason=reason, rectification=rectification) as changes:
        for name, value in details.items():
            setattr(current, name, value)
        if bsn is not None:
            if bsn and find_duplicates(bsn=bsn, geslachtsnaam="", birth_date=None, exclude_pk=current.pk)[0]:
                raise ValidationError({"bsn": _("A resident with this BSN is already registered.")})
            current.set_bsn(bsn)
        if moves:
            current.area = _district(current, district, keep=current.area)
        current.refresh_search_text()
        current.full_clean(exclude=["search_text"])
        current.save()
    if not changes:
        raise ValidationError(_("Nothing has changed."))
    # The household moves with its main person's address (to the team of the new district).
    for member in current.memberships.filter(relation=Relation.MAIN).select_related("household") if moves else []:
        if member.household.area_id != current.area_id:
            household_move_district(household=member.household, area=current.area, by=by, reason=reason)
    return current


@transaction.atomic
def household_move_district(*, household: Household, area: Area | None, by: User, reason: str = "") -> Household:
    """Correct the household's district (and so the team that serves it); kept in its history. Its open
    cases follow in ``cases.services.household_cases_follow`` (``casework.services.resident_change``)."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if area is not None and household.municipality_id and area.municipality_id != household.municipality_id:
        raise ValidationError({"area": _("Choose a district of the household's municipality.")})
    # A team that took the household up from the intake queue serves it until a district's team can.
    leaves_team = household.team_id is not None and team_for_area(area) is not None
    with tracking(
        household, ["area", *(["team"] if leaves_team else [])], by=by, household=household, reason=reason
    ) as changes:
        household.area = area
        if area is not None:
            household.municipality_id = area.municipality_id
        if leaves_team:
            household.team = None
        household.save(update_fields=["area", "municipality", "team"])
    if not changes:
        raise ValidationError(_("Nothing has changed."))
    return household


@transaction.atomic
def household_add_member(
    *,
    household: Household,
    relation: str,
    lives_here: bool = True,
    bsn: str = "",
    district: Area | None = None,
    **details: Any,
) -> HouseholdMember:
    """A new resident who joins an existing household. Who lives in it and is registered without an
    address of their own (a child, typically) gets the household's: the main person's address and
    district, and its secrecy (*geheimhouding*) with it, so a secret address stays off every list."""
    if relation == Relation.MAIN:
        raise ValidationError(_("A household has one main person."))
    if lives_here and not any(details.get(name) for name in ("postcode", "straat", "address_abroad", "country")):
        main = household.members.filter(relation=Relation.MAIN).select_related("resident").first()
        if main is not None:
            details.update({name: getattr(main.resident, name) for name in ADDRESS_FIELDS})
            details["geheimhouding"] = details.get("geheimhouding") or main.resident.geheimhouding
            district = district or household.area
    resident = _new_resident(bsn, details, district)
    return HouseholdMember.objects.create(
        household=household, resident=resident, relation=relation, lives_here=lives_here
    )


@transaction.atomic
def household_add_members(*, household: Household, members: list[dict[str, Any]]) -> list[HouseholdMember]:
    """Several residents join the household in one step (the housemates the BRP knows at its address,
    ``people.brp.household``), each as ``household_add_member``; all or nothing."""
    return [household_add_member(household=household, district=household.area, **member) for member in members]


@transaction.atomic
def network_member_add(
    *, resident: Resident, name: str, relation: str, phone: str = "", support: str = ""
) -> NetworkMember:
    member = NetworkMember(resident=resident, name=name, relation=relation, phone=phone, support=support)
    member.full_clean()
    member.save()
    return member


NETWORK_FIELDS = ("name", "relation", "phone", "support")


@transaction.atomic
def network_member_update(
    *, member: NetworkMember, by: User, reason: str = "", rectification: bool = False, **details: Any
) -> NetworkMember:
    """Change what is recorded of someone in a resident's network; every changed field goes into the
    history of the resident (and so of their cases) with the old and the new value."""
    unknown = set(details) - set(NETWORK_FIELDS)
    if unknown:
        raise TypeError(f"Unknown network fields: {sorted(unknown)}")
    current = NetworkMember.objects.select_for_update().select_related("resident").get(pk=member.pk)
    with tracking(
        current, sorted(details), by=by, resident=current.resident, reason=reason, rectification=rectification
    ):
        for name, value in details.items():
            setattr(current, name, value)
        current.full_clean()
        current.save()
    return current


@transaction.atomic
def representation_register(*, resident: Resident, representative_bsn: str, kind: str, by: User) -> Representation:
    """Register a representative of ``resident`` (found by their BSN among the registered residents),
    who can then act for the resident in Mijn Wijkteam. A parent represents a child under 16 only.
    Kept in the resident's history of changes."""
    errors: dict[str, list] = {}
    bsn = (representative_bsn or "").strip()
    representative = (
        Resident.objects.filter(bsn_hash=keyed_hash(bsn), date_of_death__isnull=True).first() if bsn else None
    )
    if representative is None:
        errors["representative_bsn"] = [
            _("No living resident with this BSN is registered. Register the representative as a resident first.")
        ]
    elif representative.pk == resident.pk:
        errors["representative_bsn"] = [_("A resident cannot be their own representative.")]
    if kind not in RepresentationKind.values:
        errors["kind"] = [_("Choose how they represent the resident.")]
    elif kind == RepresentationKind.PARENT and resident.age >= PARENT_UNTIL_AGE:
        errors["kind"] = [_("A child of 16 or older is not represented by a parent; they decide themselves.")]
    if errors:
        raise ValidationError(errors)
    current = Representation.objects.filter(
        resident=resident, representative=representative, kind=kind, ended_on__isnull=True
    ).first()
    if current is not None:
        return current
    representation = Representation(resident=resident, representative=representative, registered_by=by)
    with tracking(representation, ["kind"], by=by, resident=resident, label=str(_("representation"))):
        representation.kind = kind
        representation.save()
    return representation


@transaction.atomic
def representation_end(*, representation: Representation, by: User) -> Representation:
    """End a representation today; from now the representative no longer acts for the resident."""
    current = Representation.objects.select_for_update().get(pk=representation.pk)
    if current.ended_on is not None:
        raise ValidationError(_("This representation has already ended."))
    with tracking(current, ["ended_on"], by=by, resident=current.resident, label=str(_("representation"))):
        current.ended_on = timezone.localdate()
        current.ended_by = by
        current.save(update_fields=["ended_on", "ended_by"])
    return current
