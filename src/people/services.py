"""Registering residents and households."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from areas.services import area_for_postcode
from privacy.crypto import keyed_hash
from privacy.history import tracking

from .models import Household, HouseholdMember, NetworkMember, Relation, Resident

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


def _new_resident(bsn: str, details: dict[str, Any]) -> Resident:
    unknown = set(details) - RESIDENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown resident fields: {sorted(unknown)}")
    resident = Resident(**details)
    resident.set_bsn(bsn)
    resident.area = area_for_postcode(resident.postcode)
    resident.refresh_search_text()
    resident.full_clean(exclude=["search_text"])
    by_bsn, _by_name = find_duplicates(bsn=bsn, geslachtsnaam="", birth_date=None)
    if by_bsn:
        raise ValidationError({"bsn": _("A resident with this BSN is already registered.")})
    resident.save()
    return resident


@transaction.atomic
def resident_register(*, bsn: str = "", by: User | None = None, **details: Any) -> Resident:
    """A new resident in a new household of their own (named after them). The household belongs to
    the municipality of its district, or of who registered it when no district holds it: then it
    waits in that municipality's intake queue (``people.queue``), reachable by ``by``."""
    resident = _new_resident(bsn, details)
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
    **details: Any,
) -> Resident:
    """Change a resident's personal data; every changed field goes into the history with the old
    and the new value (the BSN: only that it changed). A rectification at the resident's request
    (AVG art. 16) needs a reason. ``bsn=None`` leaves the BSN as it is."""
    unknown = set(details) - RESIDENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown resident fields: {sorted(unknown)}")
    current = Resident.objects.select_for_update().get(pk=resident.pk)
    fields = [*sorted(details), *(["bsn"] if bsn is not None else [])]
    with tracking(current, fields, by=by, resident=current, reason=reason, rectification=rectification) as changes:
        for name, value in details.items():
            setattr(current, name, value)
        if bsn is not None:
            if bsn and find_duplicates(bsn=bsn, geslachtsnaam="", birth_date=None, exclude_pk=current.pk)[0]:
                raise ValidationError({"bsn": _("A resident with this BSN is already registered.")})
            current.set_bsn(bsn)
        if "postcode" in details:
            current.area = area_for_postcode(current.postcode)
        current.refresh_search_text()
        current.full_clean(exclude=["search_text"])
        current.save()
    if not changes:
        raise ValidationError(_("Nothing has changed."))
    return current


@transaction.atomic
def household_add_member(
    *, household: Household, relation: str, lives_here: bool = True, bsn: str = "", **details: Any
) -> HouseholdMember:
    """A new resident who joins an existing household."""
    if relation == Relation.MAIN:
        raise ValidationError(_("A household has one main person."))
    resident = _new_resident(bsn, details)
    return HouseholdMember.objects.create(
        household=household, resident=resident, relation=relation, lives_here=lives_here
    )


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


def main_person(household: Household) -> Resident | None:
    member = household.members.filter(relation=Relation.MAIN).select_related("resident").first()
    return member.resident if member else None
