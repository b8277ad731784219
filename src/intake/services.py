"""Registering questions and referrals: keyword-only, transactional, nothing half-stored."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import Role, User
from areas.models import Area, Municipality, Positioning
from cases.models import Case, LegalFramework
from cases.queue import serving_team
from cases.services import case_open, record_event
from partners.models import Organisation
from people.districts import decided_area, district_of_team
from people.models import Household, HouseholdMember, Resident
from people.services import resident_register
from privacy.crypto import keyed_hash
from privacy.models import Action, Purpose
from privacy.services import log_access
from provisions.models import Provision, ProvisionKind
from teams.models import Team
from teams.services import team_for_area, team_ids_of
from zrm.models import LifeDomain

from .models import KnownQuery, Outcome, PartnerToken, Question, Referral, ReferralSource, Route
from .ratelimit import allow

logger = logging.getLogger(__name__)


def route_for(*, positioning: str, outcome: str, domain_count: int) -> Route:
    """Where a question goes, by the municipality's positioning (docs/glossary.md):

    - *loket* and *hybride*: every melding lands in the team;
    - *regie*: a single-domain melding goes to the municipal Wmo desk, only complex (multi-domain)
      questions become team cases;
    - *netwerk* (no team): the professional who registered it handles it, with the directory.
    Answered and referred questions are closed at registration, whatever the positioning.
    """
    if outcome != Outcome.MELDING:
        return Route.NONE
    if positioning == Positioning.NETWERK:
        return Route.PROFESSIONAL
    if positioning == Positioning.REGIE and domain_count <= 1:
        return Route.WMO_DESK
    return Route.TEAM


def household_of(resident: Resident) -> Household | None:
    """The household the resident lives in (the first one when the register has several)."""
    member = (
        HouseholdMember.objects.filter(resident=resident)
        .select_related("household")
        .order_by("-lives_here", "pk")
        .first()
    )
    return member.household if member else None


def _team_for(*, area: Area | None, by: User) -> Team | None:
    return team_for_area(area) or Team.objects.filter(pk__in=team_ids_of(by)).order_by("name").first()


@dataclass
class Registered:
    question: Question
    case: Case | None


@transaction.atomic
def question_register(
    *,
    by: User,
    municipality: Municipality,
    text: str,
    life_domains: Iterable[LifeDomain],
    channel: str,
    outcome: str,
    vindplaats: Organisation | None = None,
    resident: Resident | None = None,
    new_resident: dict[str, Any] | None = None,
    provision: Provision | None = None,
    answer: str = "",
    frameworks: Iterable[LegalFramework] = (),
    seconds_taken: int | None = None,
) -> Registered:
    """Register a question and its outcome. Every question is counted; only a melding that the
    positioning routes to the team opens a case (``cases.services.case_open``)."""
    life_domains = list(life_domains)
    errors: dict[str, Any] = {}
    if not text.strip():
        errors["text"] = _("Write down the question.")
    if not life_domains:
        errors["life_domains"] = _("Choose the life domain the question touches.")
    if channel == "vindplaats" and vindplaats is None:
        errors["vindplaats"] = _("Choose the vindplaats where the question was asked.")
    if outcome == Outcome.REFERRED and (
        provision is None or provision.kind != ProvisionKind.ALGEMEEN or provision.municipality_id != municipality.pk
    ):
        errors["provision"] = _("Choose the general provision you referred to.")
    route = route_for(positioning=municipality.positioning, outcome=outcome, domain_count=len(life_domains))
    if route == Route.TEAM and resident is None and not new_resident:
        errors["resident"] = _("A melding needs the resident: find them or add them.")
    if errors:
        raise ValidationError(errors)
    if resident is None and new_resident:
        # A postcode of several districts: the one the registering professional's team serves, if one.
        details = dict(new_resident)
        district = details.pop("district", None) or district_of_team(
            details.get("postcode", ""), details.get("huisnummer"), team_ids_of(by)
        )
        resident = resident_register(by=by, district=district, **details)
    area = resident.area if resident is not None else None
    household = household_of(resident) if resident is not None else None
    team = _team_for(area=area, by=by) if route == Route.NONE else None
    if route == Route.TEAM:
        if household is None:
            raise ValidationError(_("No team serves this resident's district."))
        # Nobody is lost: where no team serves the household, the melding waits in the queue.
        team = serving_team(household)
        route = Route.TEAM if team is not None else Route.QUEUE
    case = None
    if route == Route.TEAM:
        frameworks = list(frameworks) or list(LegalFramework.objects.filter(code="wmo"))
        case = case_open(
            household=household,
            resident=resident,
            team=team,
            question=text.strip(),
            frameworks=frameworks,
            life_domains=life_domains,
            by=by,
        )
    question = Question.objects.create(
        municipality=municipality,
        registered_by=by,
        seconds_taken=seconds_taken,
        team=team,
        area=area or (team.areas.order_by("pk").first() if team else None),
        resident=resident,
        text=text.strip(),
        channel=channel,
        vindplaats=vindplaats if channel == "vindplaats" else None,
        outcome=outcome,
        route=route,
        provision=provision if outcome == Outcome.REFERRED else None,
        answer=answer.strip(),
        case=case,
    )
    question.life_domains.set(life_domains)
    return Registered(question, case)


# --- referrals -------------------------------------------------------------------------------


@dataclass
class Submitted:
    referral: Referral
    created: bool


def referral_submit(
    *,
    municipality: Municipality,
    source: str,
    name: str,
    concern: str,
    organisation: Organisation | None = None,
    referred_by: User | None = None,
    client_reference: str = "",
    birth_date: date | None = None,
    postcode: str = "",
    huisnummer: int | None = None,
    phone: str = "",
    email: str = "",
    life_domains: Iterable[LifeDomain] = (),
    resident_informed: bool = False,
) -> Submitted:
    """A referral lands in the queue of the team serving the postcode (or every team of the
    municipality when the postcode is unknown). The same partner reference twice is recognised."""
    if source == ReferralSource.PARTNER and organisation is None:
        raise ValidationError(_("A partner referral needs the referring organisation."))
    client_reference = client_reference.strip()
    if organisation is not None and client_reference:
        existing = Referral.objects.filter(organisation=organisation, client_reference=client_reference).first()
        if existing is not None:
            return Submitted(existing, False)
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                municipality=municipality,
                source=source,
                organisation=organisation,
                referred_by=referred_by,
                client_reference=client_reference,
                name=name.strip(),
                birth_date=birth_date,
                postcode=postcode,
                huisnummer=huisnummer,
                phone=phone,
                email=email,
                concern=concern.strip(),
                resident_informed=resident_informed,
                # The team of the address's district; where the postcode cannot decide, every team's queue.
                team=team_for_area(decided_area(postcode, huisnummer)),
            )
            referral.life_domains.set(life_domains)
    except IntegrityError:
        # Submitted twice at the same moment: the other request stored it.
        existing = Referral.objects.get(organisation=organisation, client_reference=client_reference)
        return Submitted(existing, False)
    return Submitted(referral, True)


@transaction.atomic
def referral_take_up(
    *, referral: Referral, resident: Resident, by: User, frameworks: Iterable[LegalFramework] = ()
) -> Case:
    """The team takes the referral up: a case opens, its melding date the day the referral came in."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.case_id or referral.closed_at:
        raise ValidationError(_("This referral has already been handled."))
    household = household_of(resident)
    team = _team_for(area=resident.area, by=by)
    if household is None or team is None:
        raise ValidationError(_("No team serves this resident's district."))
    case = case_open(
        household=household,
        resident=resident,
        team=team,
        question=referral.concern,
        frameworks=list(frameworks) or list(LegalFramework.objects.filter(code="wmo")),
        life_domains=list(referral.life_domains.all()),
        melding_date=timezone.localtime(referral.received_at).date(),
        by=by,
    )
    record_event(
        case=case,
        by=by,
        kind="referral",
        summary=gettext_noop("Referred by %(source)s"),
        data={
            "source": referral.organisation.name
            if referral.organisation_id
            else gettext_noop("the resident themselves"),
            "referral_id": referral.pk,
        },
    )
    referral.case, referral.taken_up_by = case, by
    referral.save(update_fields=["case", "taken_up_by"])
    return case


@transaction.atomic
def referral_close(*, referral: Referral, by: User, note: str) -> Referral:
    """Close a referral without a case (advice was enough, or the resident declined)."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the referral closes without a case.")})
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.case_id or referral.closed_at:
        raise ValidationError(_("This referral has already been handled."))
    referral.closed_at, referral.closing_note, referral.taken_up_by = timezone.now(), note.strip(), by
    referral.save(update_fields=["closed_at", "closing_note", "taken_up_by"])
    return referral


# --- bekendheidsvraag -----------------------------------------------------------------------


# --- partner API keys ------------------------------------------------------------------------------


def _administers(by: User, organisation: Organisation) -> None:
    if by.role != Role.ADMINISTRATOR or organisation.municipality_id != by.municipality_id:
        raise PermissionDenied


@transaction.atomic
def partner_key_issue(*, organisation: Organisation, name: str, by: User) -> tuple[PartnerToken, str]:
    """The functional administrator issues an API key to a partner organisation of the municipality.
    Only its hash is stored; the key itself is returned to be shown once. Who issued it and when stay
    with the key."""
    _administers(by, organisation)
    if not name.strip():
        raise ValidationError({"name": _("Say which system uses the key.")})
    if not organisation.active:
        raise ValidationError({"organisation": _("This organisation is no longer active.")})
    token, key = PartnerToken.issue(organisation=organisation, name=name.strip(), issued_by=by)
    logger.info("partner key %s issued to organisation %s by user %s", token.pk, organisation.pk, by.pk)
    return token, key


@transaction.atomic
def partner_key_revoke(*, token: PartnerToken, by: User) -> PartnerToken:
    """Revoke a key at once: the partner's system is refused from its next request. Who revoked it
    and when stay with the key."""
    token = PartnerToken.objects.select_for_update().select_related("organisation").get(pk=token.pk)
    _administers(by, token.organisation)
    if token.revoked_at is not None:
        raise ValidationError(_("This key has already been revoked."))
    token.revoked_at, token.revoked_by = timezone.now(), by
    token.save(update_fields=["revoked_at", "revoked_by"])
    logger.info("partner key %s revoked by user %s", token.pk, by.pk)
    return token


# --- the bekendheidsvraag limits --------------------------------------------------------------------

# The bekendheidsvraag answers yes or no about a household, so it must not become an oracle: at most
# this many questions per partner key (API) or per signed-in referrer (the page) per hour, counted in
# the shared cache (every process sees the same count). The privacy officer's review lists every
# organisation's questions beside its referrals (``oversight.review.known_query_review``).
KNOWN_QUERY_LIMIT = 20
KNOWN_QUERY_WINDOW = 3600


def known_query_allowed(who: str) -> bool:
    """Count one question of ``who`` (a partner key or a referrer); False once over the limit."""
    return allow(f"known-query:{who}", limit=KNOWN_QUERY_LIMIT, window=KNOWN_QUERY_WINDOW)


@transaction.atomic
def known_query_ask(
    *,
    organisation: Organisation,
    purpose: str,
    bsn: str,
    asked_by: User | None = None,
    via_api: bool = False,
) -> KnownQuery:
    """Is this household known to the team? Yes when one of its residents' households has an open
    case in a team of the organisation's municipality. Only yes or no goes back; the question is kept.
    Asked by BSN only: a surname with a date of birth matches people the partner does not mean."""
    if not purpose.strip():
        raise ValidationError({"purpose": _("Say why you ask.")})
    if not bsn:
        raise ValidationError({"bsn": _("Give the resident's BSN.")})
    residents = Resident.objects.filter(bsn_hash=keyed_hash(bsn))
    open_case = (
        Case.objects.open()
        .filter(household__members__resident__in=residents, team__municipality_id=organisation.municipality_id)
        .order_by("-opened_at")
        .values_list("household_id", flat=True)
        .first()
    )
    query = KnownQuery.objects.create(
        organisation=organisation,
        asked_by=asked_by,
        via_api=via_api,
        purpose=purpose.strip(),
        household_id=open_case,
        known=open_case is not None,
    )
    # The answer tells something about a household: logged, so the resident's access report shows it.
    log_access(
        user=asked_by,
        action=Action.API_READ if via_api else Action.SEARCH,
        purpose=Purpose.KNOWN_QUERY,
        household_id=open_case,
        detail=f"known query {query.pk} by organisation {organisation.pk}",
    )
    return query


def open_referral_count(user) -> int:
    """Referrals waiting in the queues of the user's teams."""
    return Referral.objects.visible_to(user).waiting().count()
