from django.db.models import QuerySet

from accounts.models import CASEWORK_ROLES, User
from areas.models import Area

from .models import Team


def team_for_area(area: Area | None) -> Team | None:
    """The team that serves a district (the first by name when several do)."""
    if area is None:
        return None
    return Team.objects.filter(areas=area).order_by("name").first()


def _memberships_of(user) -> tuple[set[int], set[int]]:
    """The teams a professional works in and those they lead, in one query, cached on the user
    object for the request (``cases.access.gate_facts`` fills the same cache with its one query)."""
    cached = getattr(user, "_memberships", None)
    if cached is None:
        rows = list(user.memberships.values_list("team_id", "is_leader")) if user.is_authenticated else []
        cached = remember_memberships(user, rows)
    return cached


def remember_memberships(user, rows: list[tuple[int, bool]]) -> tuple[set[int], set[int]]:
    """Cache (team, leads it) rows for the request."""
    user._memberships = ({team for team, _ in rows}, {team for team, leads in rows if leads})
    return user._memberships


def team_ids_of(user) -> set[int]:
    return _memberships_of(user)[0]


def led_team_ids_of(user) -> set[int]:
    return _memberships_of(user)[1]


def colleagues(team_ids: set[int]) -> QuerySet:
    return (
        User.objects.filter(memberships__team_id__in=team_ids, is_active=True, role__in=CASEWORK_ROLES)
        .distinct()
        .order_by("first_name", "last_name")
    )
