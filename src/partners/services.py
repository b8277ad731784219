"""The smoelenboek: who knows this area? Professionals of the team that serves it, the contacts at
partner organisations and the vindplaatsen there, found in one search."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from areas.models import Area, Municipality
from teams.models import Team, TeamMembership
from wijkteam.text import normalise_text

from .models import Organisation, PartnerContact


@dataclass
class Directory:
    teams: list[Team] = field(default_factory=list)
    contacts: list[PartnerContact] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.teams or self.contacts or self.organisations)


def _words(text: str) -> list[str]:
    return normalise_text(text).split() if text else []


def directory_search(
    *, municipality: Municipality, text: str = "", area: Area | None = None, kind: str = "", limit: int = 100
) -> Directory:
    """Teams, partner contacts and organisations in ``area`` (or the whole municipality) that
    match every word of ``text`` in a name, role, expertise or organisation."""
    teams = Team.objects.filter(municipality=municipality)
    contacts = PartnerContact.objects.filter(organisation__municipality=municipality, active=True)
    organisations = Organisation.objects.filter(municipality=municipality, active=True)
    if area is not None:
        teams = teams.filter(areas=area)
        contacts = contacts.filter(
            Q(areas=area)
            | Q(areas__isnull=True, organisation__areas=area)
            | Q(areas__isnull=True, organisation__areas__isnull=True)
        )
        organisations = organisations.filter(Q(areas=area) | Q(areas__isnull=True))
    if kind:
        teams = teams.none()
        contacts = contacts.filter(organisation__kind=kind)
        organisations = organisations.filter(kind=kind)
    members = (
        TeamMembership.objects.filter(user__is_active=True)
        .select_related("user")
        .prefetch_related("user__expertises")
        .order_by("-is_leader", "user__first_name")
    )
    for word in _words(text):
        contacts = contacts.filter(
            Q(name__icontains=word)
            | Q(role__icontains=word)
            | Q(expertise__icontains=word)
            | Q(organisation__name__icontains=word)
        )
        organisations = organisations.filter(name__icontains=word)
        member_match = (
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__job_title__icontains=word)
            | Q(user__expertises__name__icontains=word)
        )
        teams = teams.filter(Q(name__icontains=word) | Q(memberships__in=TeamMembership.objects.filter(member_match)))
    return Directory(
        teams=list(
            teams.distinct()
            .prefetch_related(
                Prefetch("memberships", queryset=members, to_attr="shown_members"),
                "areas",
            )
            .order_by("name")[:limit]
        ),
        contacts=list(
            contacts.distinct().select_related("organisation").prefetch_related("areas").order_by("name")[:limit]
        ),
        organisations=list(organisations.distinct().prefetch_related("areas").order_by("kind", "name")[:limit]),
    )
