"""Nobody is lost: the municipal intake queue.

A household that no team serves — no address, a briefadres, a postcode outside every district,
another municipality, a district no team covers — is not dropped: it waits in its municipality's
intake queue until a team leader assigns it to a team (``intake.queue.household_assign_team``).
The queue is seen by the municipality's casework professionals (the desk and the team leaders, with
a count on *Mijn werk*); whoever registered a household keeps reaching it until a team takes it up.
The gate (``cases.access.household_visibility``) grants both, and logs every reading. It lives in
``cases`` because it needs the cases (``people`` sits below ``cases`` in the layers).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from people.models import Household
from teams.models import Team
from teams.services import team_for_area

from .models import Case


def waiting(prefix: str = "") -> Q:
    """Households no team serves and no team has taken up: no team assigned, no district that a team
    serves, no case. ``prefix`` is the path to the household (``"household__"`` from a member)."""
    served = Team.areas.through.objects.filter(area_id=OuterRef(f"{prefix}area_id"))
    cases = Case.objects.filter(household_id=OuterRef(f"{prefix}pk" if not prefix else f"{prefix}id"))
    return Q(**{f"{prefix}team__isnull": True}) & ~Q(Exists(served)) & ~Q(Exists(cases))


def not_taken_up(prefix: str = "") -> Q:
    """Households no team has taken up yet: no team assigned and no case (a district's team may serve
    it, but has not opened anything for it)."""
    cases = Case.objects.filter(household_id=OuterRef(f"{prefix}pk" if not prefix else f"{prefix}id"))
    return Q(**{f"{prefix}team__isnull": True}) & ~Q(Exists(cases))


def reach(user, prefix: str = "") -> Q:
    """What the queue adds to what a casework professional may see (``cases.access``): the queue of
    their municipality, and what they registered themselves until a team takes it up."""
    registered = Q(**{f"{prefix}registered_by_id": user.pk}) & not_taken_up(prefix)
    if not user.municipality_id:
        return registered
    return registered | (Q(**{f"{prefix}municipality_id": user.municipality_id}) & waiting(prefix))


def queued_households(user) -> QuerySet:
    """The households waiting in the queue that the user sees (the gate's filter, plus ``waiting``)."""
    from .access import visible_households

    return visible_households(user).filter(waiting())


def queue_count(user) -> int | None:
    """The number of households waiting in the user's municipality's queue; None for who has none."""
    if not user.municipality_id:
        return None
    return queued_households(user).filter(municipality_id=user.municipality_id).count()


def why_waiting(household: Household, resident=None) -> str:
    """Why no team serves the household, in words for the queue."""
    if household.area_id is None:
        if resident is not None and not resident.postcode:
            return str(_("No address (homeless or a briefadres without a postcode)"))
        return str(_("The postcode lies outside every district of the municipality"))
    return str(_("No team serves the district %(district)s") % {"district": household.area})


def serving_team(household: Household):
    """The team that serves the household: the one that took it up from the queue, else the team of
    its district (``teams.services.team_for_area``); None while it waits in the queue."""
    if household.team_id:
        return household.team
    return team_for_area(household.area) if household.area_id else None


def where_it_went(household: Household) -> str:
    """For the professional who registered it: which team serves the household, or the queue."""
    team = serving_team(household)
    if team is None:
        return str(_("No team serves this address: it waits in the municipal intake queue."))
    return str(_("Served by %(team)s.") % {"team": team})
