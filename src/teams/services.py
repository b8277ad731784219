from django.db.models import QuerySet

from areas.models import Area

from .models import Team


def team_for_area(area: Area | None) -> Team | None:
    """The team that serves a district (the first by name when several do)."""
    if area is None:
        return None
    return Team.objects.filter(areas=area).order_by("name").first()


def team_ids_of(user) -> set[int]:
    """The teams a professional works in, cached on the user object for the request."""
    cached = getattr(user, "_team_ids", None)
    if cached is None:
        cached = set(user.memberships.values_list("team_id", flat=True)) if user.is_authenticated else set()
        user._team_ids = cached
    return cached


def led_team_ids_of(user) -> set[int]:
    cached = getattr(user, "_led_team_ids", None)
    if cached is None:
        cached = (
            set(user.memberships.filter(is_leader=True).values_list("team_id", flat=True))
            if user.is_authenticated
            else set()
        )
        user._led_team_ids = cached
    return cached


def colleagues(team_ids: set[int]) -> QuerySet:
    from accounts.models import CASEWORK_ROLES, User

    return (
        User.objects.filter(memberships__team_id__in=team_ids, is_active=True, role__in=CASEWORK_ROLES)
        .distinct()
        .order_by("first_name", "last_name")
    )
