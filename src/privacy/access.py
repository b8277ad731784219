"""The one gate to a dossier.

Who may see which case, household and resident is decided here and nowhere else:

- ``case_visibility(user)`` / ``household_visibility(user)`` / ``resident_visibility(user)`` are the
  filters behind ``Case.objects.visible_to(user)`` and its siblings;
- ``get_case_for`` / ``get_household_for`` / ``get_resident_for`` fetch one record, raise 404 when
  the user has no reason to see it (never 403: we do not confirm that it exists), and write the
  access-log row.

Views never fetch a case, household or resident any other way; ``privacy/tests/test_gate.py``
walks the source to enforce it.

Current rules: a casework professional (social worker, team leader) sees the cases of the teams
they work in and the cases they are regisseur of or involved in; a household is visible when
one of its cases is, or when it lives in an area one of the user's teams serves (so the desk can
start a new question). Other roles see no dossiers.
"""

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import CASEWORK_ROLES
from teams.services import team_ids_of

from .middleware import client_address
from .models import AccessLog, Action

if TYPE_CHECKING:
    from cases.models import Case
    from people.models import Household, Resident

NOTHING = Q(pk__in=[])


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def case_visibility(user) -> Q:
    from cases.models import CaseInvolvement

    if not _active(user) or user.role not in CASEWORK_ROLES:
        return NOTHING
    involved = CaseInvolvement.objects.filter(user=user, ended_at__isnull=True).values("case_id")
    return Q(team_id__in=team_ids_of(user)) | Q(regisseur=user) | Q(pk__in=involved)


def household_visibility(user) -> Q:
    from areas.models import Area
    from cases.models import Case

    if not _active(user) or user.role not in CASEWORK_ROLES:
        return NOTHING
    served = Area.objects.filter(teams__in=team_ids_of(user)).values("pk")
    with_visible_case = Case.objects.filter(case_visibility(user)).values("household_id")
    return Q(area__in=served) | Q(pk__in=with_visible_case)


def resident_visibility(user) -> Q:
    from people.models import Household, HouseholdMember

    if not _active(user) or user.role not in CASEWORK_ROLES:
        return NOTHING
    households = Household.objects.filter(household_visibility(user)).values("pk")
    return Q(pk__in=HouseholdMember.objects.filter(household__in=households).values("resident_id"))


def log_access(
    *,
    user,
    action: str,
    purpose: str,
    case_id: int | None = None,
    household_id: int | None = None,
    resident_id: int | None = None,
    detail: str = "",
) -> AccessLog:
    """Write one access-log row. ``detail`` must never hold personal data (no names, no BSN)."""
    return AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        role=getattr(user, "role", "") or "",
        action=action,
        purpose=purpose,
        case_id=case_id,
        household_id=household_id,
        resident_id=resident_id,
        client_address=client_address.get(),
        detail=detail[:200],
    )


def get_case_for(user, pk, *, purpose: str, action: str = Action.VIEW, queryset: QuerySet | None = None) -> "Case":
    from cases.models import Case

    base = queryset if queryset is not None else Case.objects.all()
    case = base.filter(case_visibility(user)).filter(pk=_int_or_404(pk)).first()
    if case is None:
        raise Http404
    log_access(
        user=user,
        action=action,
        purpose=purpose,
        case_id=case.pk,
        household_id=case.household_id,
        resident_id=case.resident_id,
    )
    return case


def get_household_for(
    user, pk, *, purpose: str, action: str = Action.VIEW, queryset: QuerySet | None = None
) -> "Household":
    from people.models import Household

    base = queryset if queryset is not None else Household.objects.all()
    household = base.filter(household_visibility(user)).filter(pk=_int_or_404(pk)).first()
    if household is None:
        raise Http404
    log_access(user=user, action=action, purpose=purpose, household_id=household.pk)
    return household


def get_resident_for(
    user, pk, *, purpose: str, action: str = Action.VIEW, queryset: QuerySet | None = None
) -> "Resident":
    from people.models import Resident

    base = queryset if queryset is not None else Resident.objects.all()
    resident = base.filter(resident_visibility(user)).filter(pk=_int_or_404(pk)).first()
    if resident is None:
        raise Http404
    log_access(user=user, action=action, purpose=purpose, resident_id=resident.pk)
    return resident


def _int_or_404(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
