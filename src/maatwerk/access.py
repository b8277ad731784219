"""The gate's rules for the indication advice, the decision and allocation that follow it, the
providers' requests and the iWmo/iJw messages (built on ``cases.access``, the gate to a dossier)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import CASEWORK_ROLES, Role
from cases.access import NOTHING, case_visibility, check_may_open, int_or_404, is_active_user
from cases.models import Case
from privacy.models import Action
from privacy.services import log_access

from .models import IndicationAdvice


def advice_visibility(user, *, via: str = "") -> Q:
    """An indication advice (and the decision and allocation that follow it) is visible to who can
    see its case, and to the beschikkers of the case's municipality: they decide on it and need the
    resident's data for the allocation. Beschikkers see nothing else of the dossier.

    ``via`` is the path from the queried model to the advice, e.g. ``"decision__advice__"``."""

    if not is_active_user(user):
        return NOTHING
    if user.role == Role.BESCHIKKER:
        if not user.municipality_id:
            return NOTHING
        return Q(**{f"{via}case__team__municipality_id": user.municipality_id})
    if user.role not in CASEWORK_ROLES:
        return NOTHING

    return Q(**{f"{via}case__in": Case.objects.filter(case_visibility(user)).values("pk")})


def allocation_request_visibility(user) -> Q:
    """A provider's request for an allocation: only the beschikkers of the municipality it was sent to."""

    if not is_active_user(user) or user.role != Role.BESCHIKKER or not user.municipality_id:
        return NOTHING
    return Q(municipality_id=user.municipality_id)


def message_visibility(user) -> Q:
    """The iWmo/iJw messages exchanged with providers: the beschikkers of the municipality, and its
    functional administrator, who manages providers and contracts (the contract manager's view,
    without personal data: maatwerk.views); a provider's software with its organisation's key (no
    account: ``intake.api.PartnerClient``) only the messages exchanged with that organisation."""

    if getattr(user, "pk", 0) is None and getattr(user, "organisation_id", None):
        organisation = user.organisation
        return Q(provider_id=organisation.pk, municipality_id=organisation.municipality_id)
    if not is_active_user(user) or user.role not in {Role.BESCHIKKER, Role.ADMINISTRATOR} or not user.municipality_id:
        return NOTHING
    return Q(municipality_id=user.municipality_id)


def get_advice_for(user, pk, *, purpose: str, action: str = Action.VIEW, queryset: QuerySet | None = None):
    """One indication advice with its decision; reading it is logged against its case and resident."""

    base = queryset if queryset is not None else IndicationAdvice.objects.all()
    advice = base.filter(advice_visibility(user)).filter(pk=int_or_404(pk)).first()
    if advice is None:
        raise Http404
    check_may_open(user, advice.case, purpose=purpose)
    log_access(
        user=user,
        action=action,
        purpose=purpose,
        case_id=advice.case_id,
        resident_id=advice.resident_id,
    )
    return advice
