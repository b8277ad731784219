"""The one gate to a dossier.

Who may see which case, household and resident is decided here and nowhere else:

- ``case_visibility(user)`` / ``household_visibility(user)`` / ``resident_visibility(user)`` are the
  filters behind ``Case.objects.visible_to(user)`` and its siblings;
- ``get_case_for`` / ``get_household_for`` / ``get_resident_for`` fetch one record, raise 404 when
  the user has no reason to see it (never 403: we do not confirm that it exists), and write the
  access-log row.

Views never fetch a case, household or resident any other way; ``privacy/tests/test_gate.py``
walks the source to enforce it.

Current rules: a casework professional (social worker, team leader) knows of the cases of the
teams they work in and of the cases they are regisseur of or involved in (``case_visibility``:
lists, search, the work queue). Opening the full dossier is for fewer (``may_open``): the regisseur,
the professionals involved, the leader of the case's team, the whole team while the case waits
in the work queue without a regisseur, and a team member who stated a reason ("break the glass",
``BreakGlass``; logged and reviewed by the team leader). Any other team member gets the minimal
card (``ReasonRequired``, shown by ``oversight.middleware.BreakGlassMiddleware``). A household is
visible when one of its cases is, or when it lives in an area one of the user's teams serves (so
the desk can start a new question); its plan and network are dossier, opened as a case is.
A beschikker sees the indication advices of their municipality (with the resident's data a decision
and an allocation need) and nothing else of the dossier. Other roles see no dossiers.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import CASEWORK_ROLES, Role
from people.models import Household, HouseholdMember, NetworkMember, Resident
from privacy import crypto
from privacy.models import Action, BreakGlass, Purpose, RectificationRequest
from privacy.services import log_access
from teams import services as teams
from teams.models import Team, TeamMembership

from .models import Case, CaseInvolvement, Consultation

NOTHING = Q(pk__in=[])


def is_active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def case_visibility(user) -> Q:
    if not is_active_user(user) or user.role not in CASEWORK_ROLES:
        return NOTHING
    # Literal id lists (not subqueries) let PostgreSQL combine three index scans (BitmapOr)
    # instead of scanning every case.
    return Q(team_id__in=team_ids_of(user)) | Q(regisseur=user) | Q(pk__in=involved_case_ids(user))


@dataclass(frozen=True)
class GateFacts:
    """What the gate needs to know of the user beyond the user row, for one request."""

    involved: list[int]  # cases the user works on beside the regisseur
    opened_with_reason: set[int]  # cases opened by breaking the glass, not yet expired
    served_areas: list[int]  # areas that the user's teams serve


def gate_facts(user) -> GateFacts:
    """The user's teams (and which they lead), the areas those teams serve, the cases they are
    involved in and the cases they opened with a reason: in one query (four otherwise, on every
    dossier page), cached on the user object for the request. Raw SQL because this runs on every
    request and each ORM query costs more to build than to run (docs/performance.md)."""
    cached = getattr(user, "_gate_facts", None)
    if cached is not None:
        return cached
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT 'team', m.team_id, m.is_leader FROM {TeamMembership._meta.db_table} m WHERE m.user_id = %s
            UNION ALL
            SELECT 'area', ta.area_id, m.is_leader FROM {TeamMembership._meta.db_table} m
                JOIN {Team.areas.through._meta.db_table} ta ON ta.team_id = m.team_id WHERE m.user_id = %s
            UNION ALL
            SELECT 'involved', i.case_id, FALSE FROM {CaseInvolvement._meta.db_table} i
                WHERE i.user_id = %s AND i.ended_at IS NULL
            UNION ALL
            SELECT 'glass', g.case_id, FALSE FROM {BreakGlass._meta.db_table} g
                WHERE g.user_id = %s AND g.expires_at > %s
            """,  # noqa: S608 - table names from the models, values as parameters
            [user.pk, user.pk, user.pk, user.pk, now],
        )
        rows = cursor.fetchall()
    by_kind: dict[str, list[tuple[int, bool]]] = {"team": [], "area": [], "involved": [], "glass": []}
    for kind, pk, leads in rows:
        by_kind[kind].append((pk, bool(leads)))
    teams.remember_memberships(user, by_kind["team"])
    user._gate_facts = GateFacts(
        involved=[pk for pk, _leads in by_kind["involved"]],
        opened_with_reason={pk for pk, _leads in by_kind["glass"]},
        served_areas=sorted({pk for pk, _leads in by_kind["area"]}),
    )
    return user._gate_facts


def forget_gate_facts(user) -> None:
    """After a change to what the user may see within this request (a dossier opened with a reason)."""
    user._gate_facts = None


def team_ids_of(user) -> set[int]:
    """``teams.services.team_ids_of``, loaded with the rest of the ``gate_facts``."""
    if user.is_authenticated:
        gate_facts(user)
    return teams.team_ids_of(user)


def led_team_ids_of(user) -> set[int]:
    if user.is_authenticated:
        gate_facts(user)
    return teams.led_team_ids_of(user)


def involved_case_ids(user) -> list[int]:
    """The cases the user works on beside the regisseur (``gate_facts``)."""
    return gate_facts(user).involved if user.is_authenticated else []


def opened_with_reason_case_ids(user) -> set[int]:
    """The cases the user opened with a stated reason and may still read (``gate_facts``)."""
    return gate_facts(user).opened_with_reason if user.is_authenticated else set()


def may_open(user, case: "Case") -> bool:
    """Whether the user may open the full dossier of a case they know of (see the module text).
    The cheap checks come first: most reads are by the regisseur."""
    return (
        case.regisseur_id == user.pk
        or case.team_id in led_team_ids_of(user)
        or (case.regisseur_id is None and case.team_id in team_ids_of(user))
        or case.pk in involved_case_ids(user)
        or case.pk in opened_with_reason_case_ids(user)
    )


def may_open_visibility(user) -> Q:
    """``may_open`` as a filter, for lists that show more than the minimal card (a list of cases by
    life domain, the team's cases with their legal terms): the cases the user may open in full.
    Use it on top of ``case_visibility``."""
    if not is_active_user(user) or user.role not in CASEWORK_ROLES:
        return NOTHING
    return (
        Q(regisseur=user)
        | Q(team_id__in=sorted(led_team_ids_of(user)))
        | Q(regisseur__isnull=True, team_id__in=sorted(team_ids_of(user)))
        | Q(pk__in=involved_case_ids(user))
        | Q(pk__in=sorted(opened_with_reason_case_ids(user)))
    )


class ReasonRequired(PermissionDenied):
    """The user knows of the case but is not on it: they see the minimal card and may open the
    dossier by stating a reason (break the glass)."""

    def __init__(self, case: "Case") -> None:
        super().__init__(_("You are not on this case: open the dossier in the application, stating your reason."))
        self.case = case


def _served_area_ids(user) -> list[int]:
    return gate_facts(user).served_areas if user.is_authenticated else []


def _has_visible_case(user, household: OuterRef) -> Exists:

    return Exists(Case.objects.filter(household_id=household).filter(case_visibility(user)))


def household_visibility(user) -> Q:
    """Visible when the household lives in an area the user's teams serve, or one of its cases is
    visible. The EXISTS is correlated, so the database checks it per candidate household instead
    of first computing every visible household."""
    if not is_active_user(user) or user.role not in CASEWORK_ROLES:
        return NOTHING
    return _household_reach(user, "") | Q(_has_visible_case(user, OuterRef("pk")))


def _household_reach(user, prefix: str) -> Q:
    """A household in an area the user's teams serve, or that a team of theirs took up from the
    municipal intake queue, or that waits in that queue or was registered by the user and no team
    took up yet (``cases.queue``: nobody is lost). ``prefix`` is the path to the household."""
    from . import queue

    return (
        Q(**{f"{prefix}area_id__in": _served_area_ids(user)})
        | Q(**{f"{prefix}team_id__in": sorted(team_ids_of(user))})
        | queue.reach(user, prefix)
    )


def resident_visibility(user) -> Q:
    """Visible when a household the resident belongs to is visible."""

    if not is_active_user(user) or user.role not in CASEWORK_ROLES:
        return NOTHING
    memberships = HouseholdMember.objects.filter(resident_id=OuterRef("pk")).filter(
        _household_reach(user, "household__") | Q(_has_visible_case(user, OuterRef("household_id")))
    )
    return Q(Exists(memberships))


def get_case_for(user, pk, *, purpose: str, action: str = Action.VIEW, queryset: QuerySet | None = None) -> "Case":
    """The full dossier of one case. A user who knows of the case but may not open it gets
    ``ReasonRequired`` (the minimal card; its reading is logged as such)."""
    case = get_case_card_for(user, pk, queryset=queryset, log=False)
    check_may_open(user, case, purpose=purpose)
    log_case_access(user, case, action=action, purpose=purpose)
    return case


def check_may_open(user, case: "Case", *, purpose: str) -> None:
    """For a record that belongs to a case the user knows of (an advice, an allocation, a referral):
    a casework professional who may not open the case gets its minimal card, logged as such.
    Other roles reach such records only through their own visibility rules."""
    if user.role in CASEWORK_ROLES and not may_open(user, case):
        raise _minimal_card(user, case, purpose=purpose)


def _minimal_card(user, case: "Case", *, purpose: str) -> ReasonRequired:
    """Log that the user got the case's minimal card; the exception that shows it."""
    log_case_access(user, case, action=Action.VIEW, purpose=purpose, detail="minimal card")
    return ReasonRequired(case)


def get_case_card_for(user, pk, *, queryset: QuerySet | None = None, log: bool = True) -> "Case":
    """A case the user knows of, for its minimal card (who the resident is, which team, who the
    regisseur is) and for stating a reason to open it; 404 for anyone else."""

    base = queryset if queryset is not None else Case.objects.select_related("resident", "team", "regisseur")
    case = base.filter(case_visibility(user)).filter(pk=int_or_404(pk)).first()
    if case is None:
        raise Http404
    if log:
        log_case_access(user, case, action=Action.VIEW, purpose=Purpose.CASEWORK, detail="minimal card")
    return case


def log_case_access(user, case: "Case", *, action: str, purpose: str, detail: str = "") -> None:
    """One access-log row for a reading of a case: the case, its household and its resident."""
    log_access(
        user=user,
        action=action,
        purpose=purpose,
        case_id=case.pk,
        household_id=case.household_id,
        resident_id=case.resident_id,
        detail=detail,
    )


def get_household_for(
    user, pk, *, purpose: str, action: str = Action.VIEW, queryset: QuerySet | None = None, dossier: bool = False
) -> "Household":
    """One household: who lives there and which cases it has. With ``dossier=True`` (its plan,
    its network) only for who may open one of its cases or is the plan's regisseur; a user who
    knows of a case but is not on it gets ``ReasonRequired`` for the most recent such case."""

    base = queryset if queryset is not None else Household.objects.all()
    household = base.filter(household_visibility(user)).filter(pk=int_or_404(pk)).first()
    if household is None:
        raise Http404
    if dossier and not may_open_household(user, household):
        case = _household_cases(user, household).order_by("closed_at", "-opened_at").first()
        if case is None:
            raise Http404
        raise _minimal_card(user, case, purpose=purpose)
    log_access(user=user, action=action, purpose=purpose, household_id=household.pk)
    return household


def _household_cases(user, household: "Household") -> QuerySet:

    return Case.objects.filter(household_id=household.pk).filter(case_visibility(user))


def may_open_household(user, household: "Household", cases: "list[Case] | None" = None) -> bool:
    """Whether the user may read the household's dossier (plan, network): the household has no
    case yet (it is visible, so the user's team serves its area), the user may open one of its
    cases (``cases``: those the user knows of, when already at hand), or they are the regisseur
    of its plan."""

    if cases is None:
        cases = list(_household_cases(user, household).only("pk", "team_id", "regisseur_id"))
    if not cases and not Case.objects.filter(household_id=household.pk).exists():
        return True  # registered at the desk, no case yet: the team that serves the area
    return any(may_open(user, case) for case in cases) or (
        Household.objects.filter(pk=household.pk, plan__regisseur_id=user.pk).exists()
    )


def get_network_member_for(user, pk) -> NetworkMember:
    """Someone in a resident's network, for who may see that resident (the caller opens the
    household's dossier through ``get_household_for``); 404 otherwise."""
    visible = resident_visibility(user)
    member = NetworkMember.objects.filter(resident__in=Resident.objects.filter(visible).values("pk"))
    member = member.filter(pk=int_or_404(pk)).first()
    if member is None:
        raise Http404
    return member


def visible_households(user) -> QuerySet:
    """The households the user may know of: ``household_visibility``."""
    return Household.objects.filter(household_visibility(user))


def visible_residents(user) -> QuerySet:
    """The residents the user may know of (search, choosing a resident): ``resident_visibility``."""
    return Resident.objects.filter(resident_visibility(user))


def get_resident_for(
    user, pk, *, purpose: str, action: str = Action.VIEW, queryset: QuerySet | None = None
) -> "Resident":

    base = queryset if queryset is not None else Resident.objects.all()
    resident = base.filter(resident_visibility(user)).filter(pk=int_or_404(pk)).first()
    if resident is None:
        raise Http404
    log_access(user=user, action=action, purpose=purpose, resident_id=resident.pk)
    return resident


def consultation_visibility(user) -> Q:
    """A request for advice is visible to who asked it, to the colleague it is addressed to and to
    the members of the expertise group it is addressed to. Seeing it gives no access to the case."""
    if not is_active_user(user) or user.role not in CASEWORK_ROLES:
        return NOTHING
    # An expertise group is municipality-wide: its members in the asker's municipality only.
    return (
        Q(asked_by=user)
        | Q(colleague=user)
        | Q(expertise__in=user.expertises.all(), case__team__municipality_id=user.municipality_id)
    )


def get_consultation_for(user, pk, *, queryset: QuerySet | None = None) -> "Consultation":
    """One request for advice; reading it is logged against its case, with the purpose
    'consultation', so the resident's access report shows who read the question."""

    base = queryset if queryset is not None else Consultation.objects.all()
    consultation = base.filter(consultation_visibility(user)).filter(pk=int_or_404(pk)).first()
    if consultation is None:
        raise Http404
    log_access(user=user, action=Action.VIEW, purpose=Purpose.CONSULTATION, case_id=consultation.case_id)
    return consultation


def int_or_404(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


# ---------------------------------------------------------------------------------------------
# The privacy officer (FG): requests of residents and the review of the log


def _privacy_officer(user) -> bool:

    return is_active_user(user) and user.role == Role.PRIVACY_OFFICER and user.municipality_id is not None


def _residents_of_municipality(municipality_id: int) -> Q:
    """Residents living in one of the municipality's districts, or without a district but with a
    case in one of its teams."""

    cases = Case.objects.filter(team__municipality_id=municipality_id, resident_id=OuterRef("pk"))
    return Q(area__municipality_id=municipality_id) | Q(Q(area__isnull=True) & Q(Exists(cases)))


def residents_for_request(user, *, bsn: str = "", name: str = "") -> list["Resident"]:
    """Find the resident who asks what is known about them: by BSN (exact), or by surname and
    birth date as the officer reads them from an identity document. Logged as a search."""

    if not _privacy_officer(user):
        raise Http404
    base = Resident.objects.filter(_residents_of_municipality(user.municipality_id))
    if bsn:
        found = list(base.filter(bsn_hash=crypto.keyed_hash(bsn))[:5])
    elif len(name.strip()) >= 2:
        found = list(base.filter(geslachtsnaam__icontains=name.strip()).order_by("geslachtsnaam", "birth_date")[:25])
    else:
        found = []
    log_access(user=user, action=Action.SEARCH, purpose=Purpose.PRIVACY_REQUEST, detail=f"{len(found)} found")
    return found


def rectification_requests_for(user) -> QuerySet:
    """The residents' reports of a mistake (rectification requests from Mijn Wijkteam) for the
    privacy officer of the municipality; nothing for anyone else."""
    if not _privacy_officer(user):
        return RectificationRequest.objects.none()
    residents = Resident.objects.filter(_residents_of_municipality(user.municipality_id)).values("pk")
    return RectificationRequest.objects.filter(resident__in=residents).select_related("resident", "handled_by")


def get_resident_for_request(user, pk, *, action: str = Action.VIEW) -> "Resident":
    """One resident for a right-of-access request; only the privacy officer of the municipality."""

    if not _privacy_officer(user):
        raise Http404
    resident = (
        Resident.objects.filter(_residents_of_municipality(user.municipality_id)).filter(pk=int_or_404(pk)).first()
    )
    if resident is None:
        raise Http404
    log_access(user=user, action=action, purpose=Purpose.PRIVACY_REQUEST, resident_id=resident.pk)
    return resident


def referral_visibility(user) -> Q:
    """A referral to a provision: who made it, and who can see its case."""
    if not is_active_user(user) or user.role not in CASEWORK_ROLES:
        return NOTHING

    return Q(by=user) | Q(case__in=Case.objects.filter(case_visibility(user)).values("pk"))


def break_glass_visibility(user) -> Q:
    """Who reviews dossiers opened with a reason: the leaders of the case's team, and the privacy
    officer of the municipality."""

    if not is_active_user(user):
        return NOTHING
    if user.role == Role.PRIVACY_OFFICER and user.municipality_id:
        return Q(case__team__municipality_id=user.municipality_id)
    if user.role in CASEWORK_ROLES:
        led = led_team_ids_of(user)
        return Q(case__team_id__in=led) if led else NOTHING
    return NOTHING
