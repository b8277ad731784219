"""Which district an address lies in: by postcode AND house number where CBS's address file was
imported (``areas.AddressPoint``, decided), else by the four-digit postcode (``areas.PostcodeArea``):
one district decides, several are candidates the person registering chooses from — never decided
silently."""

from dataclasses import dataclass

from areas.models import AddressPoint, Area, PostcodeArea


@dataclass(frozen=True)
class Districts:
    decided: Area | None
    candidates: tuple[Area, ...] = ()

    @property
    def undecided(self) -> bool:
        return self.decided is None and len(self.candidates) > 1


def districts_for(postcode: str, huisnummer: int | None) -> Districts:
    postcode = (postcode or "").replace(" ", "").upper()
    if len(postcode) == 6 and huisnummer:
        point = AddressPoint.objects.select_related("area").filter(postcode=postcode, huisnummer=huisnummer).first()
        if point is not None:
            return Districts(point.area, (point.area,))
    digits = postcode[:4]
    if len(digits) != 4 or not digits.isdigit():
        return Districts(None)
    areas = tuple(m.area for m in PostcodeArea.objects.select_related("area").filter(postcode4=digits))
    if len(areas) == 1:
        return Districts(areas[0], areas)
    return Districts(None, tuple(sorted(areas, key=lambda a: a.name)))


def decided_area(postcode: str, huisnummer: int | None) -> Area | None:
    """The district when the data decide it; None when unknown or when several are possible."""
    return districts_for(postcode, huisnummer).decided


def district_of_team(postcode: str, huisnummer: int | None, team_ids: set[int]) -> Area | None:
    """For a team that takes a resident up (a referral): of the address's candidate districts, the
    one the team serves, when exactly one; else None (the form then asks)."""
    found = districts_for(postcode, huisnummer)
    if not found.undecided:
        return None
    served = [a for a in found.candidates if a.teams.filter(pk__in=team_ids).exists()]
    return served[0] if len(served) == 1 else None
