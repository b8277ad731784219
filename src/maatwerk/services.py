"""Writes for maatwerk: the team's indication advice, the beschikker's decision with the allocation
message it produces, and the message cycle with providers: receiving every iWmo/iJw message a
municipality receives (``message_receive``), answering requests (refuse, in progress, into an
advice, grant a change). Each owns its transaction."""

import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from lxml import etree

from accounts.models import CASEWORK_ROLES, Role, User
from areas.models import Municipality, ProcurementModel
from cases import deadlines
from cases.models import Case
from cases.services import record_event
from partners.models import Organisation
from people.models import Resident
from people.validators import is_valid_bsn
from privacy import crypto
from provisions.models import Contract, Provision, ProvisionKind
from wijkteam.limits import MAX_DECISION_COST, euros

from . import istandaarden
from .models import (
    OPEN_REQUEST,
    AdviceStatus,
    Allocation,
    AllocationRequest,
    Decision,
    DecisionOutcome,
    DeclaredService,
    DeliveryForm,
    Direction,
    Frequency,
    IndicationAdvice,
    Message,
    MessageKind,
    MessageStatus,
    RequestStatus,
    ResidentCheck,
    expected_cost,
)


def contracted_providers(*, provision: Provision, on: date) -> QuerySet[Organisation]:
    """The providers with a contract for the provision that runs on ``on``."""
    return (
        Organisation.objects.filter(
            contracts__provision=provision,
            contracts__valid_from__lte=on,
        )
        .filter(Q(contracts__valid_until__isnull=True) | Q(contracts__valid_until__gte=on))
        .distinct()
        .order_by("name")
    )


def decision_due(*, provision: Provision, aanvraag_date: date) -> date:
    """Two weeks under the Wmo 2015 (art. 2.3.5), eight under the Jeugdwet (Awb 4:13)."""
    if provision.framework and provision.framework.code == "jeugdwet":
        return deadlines.jeugdwet_decision_due(aanvraag_date)
    return deadlines.wmo_decision_due(aanvraag_date)


def _check_customised(provision: Provision, municipality: Municipality) -> None:
    if provision.kind != ProvisionKind.MAATWERK or not provision.active:
        raise ValidationError(_("Only an active customised provision needs an indication advice."))
    if provision.municipality_id != municipality.pk:
        raise ValidationError(_("This provision belongs to another municipality."))


def _check_period(starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date lies before the start date.")})


def _check_cost(*, volume: int, frequency: str, provision: Provision, starts_on: date, ends_on: date | None) -> None:
    """A volume over a period whose expected cost no decision can have (a typo, or a fuzzer): refused
    with the amount, before it reaches the cost figures (``wijkteam.limits.MAX_DECISION_COST``)."""
    cost = expected_cost(
        volume=volume, frequency=frequency, unit_price=provision.unit_price, starts_on=starts_on, ends_on=ends_on
    )
    if cost > MAX_DECISION_COST:
        raise ValidationError(
            {
                "volume": _("This volume over this period would cost %(cost)s, more than %(limit)s: check the volume.")
                % {"cost": euros(cost), "limit": euros(MAX_DECISION_COST)}
            }
        )


def _check_provider(provider: Organisation | None, provision: Provision, on: date) -> None:
    if provider is not None and not contracted_providers(provision=provision, on=on).filter(pk=provider.pk).exists():
        raise ValidationError({"provider": _("This provider has no contract for this provision on the start date.")})


@transaction.atomic
def advice_submit(
    *,
    case: Case,
    by: User,
    provision: Provision,
    volume: int,
    frequency: str,
    starts_on: date,
    grounds: str,
    aanvraag_date: date,
    ends_on: date | None = None,
    delivery_form: str = DeliveryForm.IN_KIND,
    preferred_provider: Organisation | None = None,
    requested_provision: Provision | None = None,
    resident: Resident | None = None,
) -> IndicationAdvice:
    """The team advises the municipality on a customised provision after the resident's
    application; the decision term starts on the application date."""
    if by.role not in CASEWORK_ROLES:
        raise ValidationError(_("Only the team writes an indication advice."))
    if case.is_closed:
        raise ValidationError(_("The case is closed."))
    _check_customised(provision, case.team.municipality)
    _check_period(starts_on, ends_on)
    _check_cost(volume=volume, frequency=frequency, provision=provision, starts_on=starts_on, ends_on=ends_on)
    if delivery_form == DeliveryForm.IN_KIND:
        _check_provider(preferred_provider, provision, starts_on)
    if not grounds.strip():
        raise ValidationError({"grounds": _("Give the grounds for the advice.")})
    resident = resident or case.resident
    if not case.household.members.filter(resident=resident).exists():
        raise ValidationError(_("The resident does not belong to the case's household."))
    advice = IndicationAdvice.objects.create(
        case=case,
        resident=resident,
        provision=provision,
        requested_provision=requested_provision,
        volume=volume,
        unit=provision.unit,
        frequency=frequency,
        starts_on=starts_on,
        ends_on=ends_on,
        delivery_form=delivery_form,
        preferred_provider=preferred_provider if delivery_form == DeliveryForm.IN_KIND else None,
        grounds=grounds.strip(),
        aanvraag_date=aanvraag_date,
        decision_due=decision_due(provision=provision, aanvraag_date=aanvraag_date),
        written_by=by,
    )
    record_event(
        case=case,
        by=by,
        kind="indication_advice",
        summary=gettext_noop("Indication advice for %(provision)s; decision due %(due)s"),
        data={"provision": provision.name, "due": f"{advice.decision_due:%d-%m-%Y}", "advice_id": advice.pk},
    )
    return advice


@dataclass
class Grant:
    """What the beschikker grants; by default what the team advised."""

    volume: int
    frequency: str
    starts_on: date
    ends_on: date | None
    delivery_form: str
    provider: Organisation | None


def _provider_for(grant: Grant, provision: Provision, municipality: Municipality) -> Organisation | None:
    """Under the consortium model the one contracted provider; under the keuzemodel the
    resident's choice among the contracted ones."""
    if grant.delivery_form != DeliveryForm.IN_KIND:
        return None
    contracted = list(contracted_providers(provision=provision, on=grant.starts_on))
    if not contracted:
        raise ValidationError(_("No provider has a contract for this provision on the start date."))
    if municipality.procurement_model == ProcurementModel.CONSORTIUM and grant.provider is None:
        return contracted[0]
    if grant.provider is None:
        raise ValidationError({"provider": _("Choose the provider the resident chose.")})
    _check_provider(grant.provider, provision, grant.starts_on)
    return grant.provider


@transaction.atomic
def decision_make(
    *,
    advice: IndicationAdvice,
    by: User,
    outcome: str,
    grounds: str,
    grant: Grant | None = None,
    decided_on: date | None = None,
) -> Decision:
    """The beschikker decides on an advice: grant (with the allocation message to the provider
    when it is in kind) or refuse, always with grounds. Nothing is saved if the message would
    not validate against the XSD."""
    advice = IndicationAdvice.objects.select_for_update().select_related("case__team__municipality").get(pk=advice.pk)
    municipality = advice.case.team.municipality
    if by.role != Role.BESCHIKKER or by.municipality_id != municipality.pk:
        raise ValidationError(_("Only a beschikker of the municipality decides."))
    if advice.status != AdviceStatus.SUBMITTED:
        raise ValidationError(_("This advice has already been decided on."))
    if not grounds.strip():
        raise ValidationError({"grounds": _("A decision needs its grounds.")})
    if outcome not in DecisionOutcome.values:
        raise ValidationError(_("Unknown decision."))
    decided_on = decided_on or timezone.localdate()
    provision = advice.provision
    decision = Decision(
        advice=advice,
        outcome=outcome,
        provision=provision,
        grounds=grounds.strip(),
        decided_by=by,
        decided_on=decided_on,
    )
    if outcome == DecisionOutcome.GRANTED:
        grant = grant or Grant(
            volume=advice.volume,
            frequency=advice.frequency,
            starts_on=advice.starts_on,
            ends_on=advice.ends_on,
            delivery_form=advice.delivery_form,
            provider=advice.preferred_provider,
        )
        _check_period(grant.starts_on, grant.ends_on)
        _check_cost(
            volume=grant.volume,
            frequency=grant.frequency,
            provision=provision,
            starts_on=grant.starts_on,
            ends_on=grant.ends_on,
        )
        decision.provider = _provider_for(grant, provision, municipality)
        decision.volume = grant.volume
        decision.unit = provision.unit
        decision.frequency = grant.frequency
        decision.starts_on = grant.starts_on
        decision.ends_on = grant.ends_on
        decision.delivery_form = grant.delivery_form
        decision.unit_price = provision.unit_price
        decision.expected_cost = expected_cost(
            volume=grant.volume,
            frequency=grant.frequency,
            unit_price=provision.unit_price,
            starts_on=grant.starts_on,
            ends_on=grant.ends_on,
        )
    decision.save()
    advice.status = AdviceStatus.GRANTED if decision.granted else AdviceStatus.REFUSED
    advice.save(update_fields=["status"])
    if decision.granted and decision.delivery_form == DeliveryForm.IN_KIND:
        allocation_create(decision=decision)
    if advice.from_request_id:
        _request_decided(advice.from_request, by)
    record_event(
        case=advice.case,
        by=by,
        kind="decision",
        summary=(
            gettext_noop("Decision: %(provision)s granted")
            if decision.granted
            else gettext_noop("Decision: %(provision)s refused")
        ),
        data={"provision": provision.name, "decision_id": decision.pk, "advice_id": advice.pk},
    )
    return decision


def _message_kind(provision: Provision) -> str:
    return MessageKind.JW301 if provision.framework and provision.framework.code == "jeugdwet" else MessageKind.WMO301


@transaction.atomic
def allocation_create(*, decision: Decision) -> Allocation:
    """The toewijzing of a granted in-kind decision as a WMO301/JW301 message to the provider; when
    the advice came from a provider's request, the 301 answers it (with its reference)."""
    provider = decision.provider
    resident = decision.advice.resident
    provision = decision.provision
    if provider is None or not provider.agb_code:
        raise ValidationError(_("The provider has no AGB code: the allocation message needs one."))
    if not resident.bsn:
        raise ValidationError(_("The resident has no BSN: the allocation message needs one."))
    if not provision.product_category:
        raise ValidationError(_("The provision has no iWmo/iJw product category."))
    allocation = Allocation.objects.create(
        decision=decision,
        provider=provider,
        kind=_message_kind(provision),
        reference=decision.advice.reference,
        ends_on=decision.ends_on,
    )
    allocation.message_id = f"{allocation.pk:012d}"
    request = decision.advice.from_request
    message = _allocation_message(allocation, answers=request.incoming if request else None)
    allocation.xml = message.xml
    allocation.save(update_fields=["message_id", "xml"])
    return allocation


def _request_decided(request: AllocationRequest, by: User) -> None:
    """A provider's request all of whose advices are decided is answered: by the 301 when one was
    granted, else by a 319 that refuses it on its content (WJ759 code 7)."""
    request = (
        AllocationRequest.objects.select_for_update(of=("self",))
        .select_related("incoming", "provider", "municipality")
        .get(pk=request.pk)
    )
    if request.advices.filter(status=AdviceStatus.SUBMITTED).exists():
        return
    if request.advices.filter(status=AdviceStatus.GRANTED).exists():
        request.status = RequestStatus.GRANTED
    else:
        _answer_319(request, answer=istandaarden.ANSWER_REFUSED, reason=REFUSED_ON_CONTENT, by=by)
        request.status = RequestStatus.REFUSED
        request.refusal_reason = REFUSED_ON_CONTENT
    request.save(update_fields=["status", "refusal_reason"])
    _mark_answered(request)


def _allocation_message(
    allocation: Allocation, *, change_reason: str = "", answers: "Message | None" = None
) -> "Message":
    """Build and record a 301 for an allocation: when it is made, and again when it changes."""
    decision = allocation.decision
    resident = decision.advice.resident
    municipality = decision.advice.case.team.municipality
    now = timezone.localtime()

    def build(message_id: str) -> bytes:
        message = _allocation_301(allocation, message_id=message_id, now=now, change_reason=change_reason)
        try:
            return istandaarden.allocation_xml(message)
        except istandaarden.InvalidMessage as error:
            raise ValidationError(
                [_("The allocation message does not validate against the XSD:"), *error.errors]
            ) from error

    return _send(
        kind=allocation.kind,
        municipality=municipality,
        provider=allocation.provider,
        message_id="" if change_reason else allocation.message_id,
        prefix="T",
        build=build,
        answers=answers,
        resident=resident,
        allocation=allocation,
        summary={"change_reason": change_reason} if change_reason else {},
    )


def _allocation_301(allocation: Allocation, *, message_id: str, now, change_reason: str) -> istandaarden.Allocation301:
    """What goes into a 301 for an allocation."""
    decision = allocation.decision
    resident = decision.advice.resident
    provision = decision.provision
    provider = allocation.provider
    contract = Contract.objects.filter(provision=provision, provider=provider).first()
    municipality = decision.advice.case.team.municipality
    return istandaarden.Allocation301(
        kind=allocation.kind,
        municipality_code=municipality.code,
        provider_agb=provider.agb_code,
        message_id=message_id,
        dated=now.date(),
        client=istandaarden.Client(
            bsn=resident.bsn,
            birth_date=resident.birth_date,
            sex=resident.geslacht,
            surname=resident.geslachtsnaam,
            prefix=resident.voorvoegsel,
            partner_surname=resident.partner_geslachtsnaam,
            partner_prefix=resident.partner_voorvoegsel,
            given_names=resident.voornamen,
            name_use=resident.naamgebruik,
            # Secrecy (geheimhouding, docs/privacy.md): the provider gets no address.
            **(
                {}
                if resident.geheimhouding
                else {
                    "street": resident.straat,
                    "house_number": resident.huisnummer,
                    "house_letter": resident.huisletter,
                    "house_number_addition": resident.huisnummertoevoeging,
                    "postcode": resident.postcode,
                    "town": resident.woonplaats,
                }
            ),
        ),
        products=[
            istandaarden.AllocatedProduct(
                number=allocation.pk,
                category=provision.product_category,
                product_code=contract.product_code if contract else "",
                allocated_at=now,
                starts_on=decision.starts_on,
                ends_on=allocation.ends_on,
                volume=decision.volume,
                unit=decision.unit,
                frequency=decision.frequency,
                reference=allocation.reference,
                change_reason=change_reason,
            )
        ],
    )


# --- the message cycle with providers -----------------------------------------------------------
#
# Terms of the iStandaarden: the municipality sends an iJw retour message within three working days
# of receiving a message (ours are made at once); a request for an allocation or for a change is
# answered (with an allocation or a 319) within ANSWER_WORKING_DAYS; the provider reports the real
# start and stop of care within five working days.

RETOUR_WORKING_DAYS = 3
ANSWER_WORKING_DAYS = 10
START_WORKING_DAYS = 5
CHANGED_BY_PROVIDER = "12"  # WMO002/JZ002: "Geïnitieerd door de aanbieder"
REFUSED_ON_CONTENT = "7"  # WJ759: "Zorginhoudelijke afkeur"


def late_starts(*, municipality: Municipality) -> QuerySet[Allocation]:
    """Allocations whose care should have started (the provider reports it within five working
    days of the start) and of which no start of care (305) came in."""
    today = timezone.localdate()
    latest = today
    for _day in range(START_WORKING_DAYS):  # the start date five working days before today
        latest -= timedelta(days=1)
        while not deadlines.is_working_day(latest):
            latest -= timedelta(days=1)
    return Allocation.objects.filter(
        decision__advice__case__team__municipality=municipality,
        started_on__isnull=True,
        decision__starts_on__lt=latest,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def add_working_days(day: date, days: int) -> date:
    """``days`` working days after ``day`` (no weekends, no public holidays)."""
    while days > 0:
        day += timedelta(days=1)
        if deadlines.is_working_day(day):
            days -= 1
    return day


def _refusal(parsed: istandaarden.Message, element, problem: str, code: str = "") -> istandaarden.Refused:
    """A refusal that names the message type, the line, the field and its value."""
    if isinstance(element, str):
        element = parsed.root.find(element, parsed.ns)
    what = f"{parsed.kind} ({parsed.type.label})"
    if element is not None:
        name = etree.QName(element).localname
        value = (element.text or "").strip() if len(element) == 0 else ""
        text = _("%(what)s, line %(line)s, field %(field)s: '%(value)s': %(problem)s") % {
            "what": what,
            "line": element.sourceline,
            "field": name,
            "value": value,
            "problem": problem,
        }
    else:
        text = f"{what}: {problem}"
    if code:
        text += " " + _("(retour code %(code)s: %(meaning)s)") % {
            "code": code,
            "meaning": istandaarden.retour_code_text(code),
        }
    return istandaarden.Refused([text.rstrip(".") + "."], kind=parsed.kind)


def _send(
    *,
    kind: str,
    municipality: Municipality,
    provider: Organisation,
    build: Callable[[str], bytes],
    message_id: str = "",
    prefix: str = "",
    answers: "Message | None" = None,
    resident: Resident | None = None,
    allocation: Allocation | None = None,
    summary: dict | None = None,
    by: User | None = None,
) -> "Message":
    """Record a message the municipality sends; the provider fetches it through the API.
    ``build(message_id)`` makes the message once its identification is known: ``message_id``, or
    ``prefix`` and the row's own number (12 characters, LDT_IdentificatieBericht), so two messages
    made at once never share one. Callers own the transaction: a message that does not validate
    leaves nothing behind."""
    awaits_retour = kind in {"JW301", "JW319"}
    today = timezone.localdate()
    message = Message.objects.create(
        municipality=municipality,
        provider=provider,
        direction=Direction.OUT,
        kind=kind,
        message_id=message_id or f"~{uuid.uuid4().hex[:11]}",
        dated=today,
        status=MessageStatus.AWAITING_RETOUR if awaits_retour else MessageStatus.SENT,
        due_on=add_working_days(today, RETOUR_WORKING_DAYS) if awaits_retour else None,
        answers=answers,
        resident=resident,
        allocation=allocation,
        summary=summary or {},
        xml="",
        received_by=by,
    )
    message.message_id = message_id or f"{prefix}{message.pk:011d}"
    message.xml = build(message.message_id).decode("utf-8")
    message.save(update_fields=["message_id", "xml"])
    return message


@dataclass
class Received:
    """What happened to a received message: the message as stored, the request it became (315,
    317), our retour (iJw), and warnings the beschikker must look at."""

    message: "Message"
    request: AllocationRequest | None = None
    retour: "Message | None" = None
    warnings: list[str] = field(default_factory=list)


def message_receive(
    *, municipality: Municipality, content: bytes, by: User | None = None, provider: Organisation | None = None
) -> Received:
    """Read, check and process a message from a provider: uploaded by a beschikker (``by``) or
    sent by the provider's software with its key (``provider``). A message that is not safe to
    read, does not validate, is not one the municipality receives, is not addressed to it, comes
    from an unknown provider, is dated in the future, holds a BSN that fails the eleven-test, was
    received before, or refers to an allocation that does not exist is refused as a whole
    (``istandaarden.Refused``) and nothing is stored."""
    if by is not None and (by.role != Role.BESCHIKKER or by.municipality_id != municipality.pk):
        raise ValidationError(_("Only a beschikker of the municipality handles messages from providers."))
    parsed = istandaarden.read(content)
    kind = parsed.type
    if not kind.received:
        raise istandaarden.Refused(
            [
                _(
                    "%(kind)s (%(label)s), line %(line)s: this message is sent by the municipality, never received "
                    "from a provider."
                )
                % {"kind": kind.kind, "label": kind.label, "line": parsed.root.sourceline}
            ],
            kind=kind.kind,
        )
    header = f"m:Header/m:{kind.municipality_field}"
    if parsed.municipality_code != municipality.code:
        raise _refusal(
            parsed,
            header,
            _("this is not the code of %(name)s (%(code)s)") % {"name": municipality.name, "code": municipality.code},
            "S300" if kind.standard == "jw" else "",
        )
    sender_field = f"m:Header/m:{kind.provider_field}"
    if provider is not None and provider.agb_code != parsed.provider_agb:
        raise _refusal(
            parsed, sender_field, _("your key belongs to AGB code %(agb)s") % {"agb": provider.agb_code or "?"}
        )
    sender = provider or (
        Organisation.objects.filter(municipality=municipality, agb_code=parsed.provider_agb, active=True)
        .order_by("pk")
        .first()
    )
    if sender is None:
        raise _refusal(parsed, sender_field, _("no provider of the municipality has this AGB code"))
    if parsed.dated > timezone.localdate():
        raise _refusal(
            parsed, "m:Header/m:BerichtIdentificatie/b:Dagtekening", _("the message is dated in the future"), "8848"
        )
    for bsn, line in parsed.bsns():
        if not is_valid_bsn(bsn):
            raise istandaarden.Refused(
                [
                    _("%(kind)s (%(label)s), line %(line)s, field Bsn: '%(value)s' fails the eleven-test.")
                    % {"kind": kind.kind, "label": kind.label, "line": line, "value": bsn}
                ],
                kind=kind.kind,
            )
    own_id = parsed.text("m:Header/m:IdentificatieRetour") if kind.retour_of else parsed.message_id
    if Message.objects.filter(
        municipality=municipality, provider=sender, direction=Direction.IN, message_id=own_id
    ).exists():
        path = (
            "m:Header/m:IdentificatieRetour" if kind.retour_of else "m:Header/m:BerichtIdentificatie/b:Identificatie"
        )
        raise _refusal(parsed, path, _("this message was received before"), "9056")
    handler = {
        "305": _receive_delivery,
        "307": _receive_delivery,
        "315": _receive_request,
        "317": _receive_change,
        "323": _receive_declaration,
        "302": _receive_retour,
        "320": _receive_retour,
    }[kind.kind[-3:]]
    with transaction.atomic():
        received = handler(parsed=parsed, municipality=municipality, provider=sender, content=content, by=by)
        if kind.kind in istandaarden.RETOUR_FOR and kind.kind != "JW323":
            received.retour = _send(
                kind=istandaarden.RETOUR_FOR[kind.kind],
                municipality=municipality,
                provider=sender,
                prefix="R",
                build=lambda retour_id: istandaarden.retour_xml(
                    parsed, retour_id=retour_id, dated=timezone.localdate()
                ),
                answers=received.message,
                resident=received.message.resident,
                allocation=received.message.allocation,
                by=by,
            )
    return received


def _store(
    *,
    parsed: istandaarden.Message,
    municipality: Municipality,
    provider: Organisation,
    content: bytes,
    by: User | None,
    status: str = "",
    due_on: date | None = None,
    resident: Resident | None = None,
    allocation: Allocation | None = None,
    answers: "Message | None" = None,
    summary: dict | None = None,
) -> "Message":
    kind = parsed.type
    return Message.objects.create(
        municipality=municipality,
        provider=provider,
        direction=Direction.IN,
        kind=kind.kind,
        message_id=parsed.text("m:Header/m:IdentificatieRetour") if kind.retour_of else parsed.message_id,
        dated=parsed.dated,
        status=status or MessageStatus.RECEIVED,
        due_on=due_on,
        answers=answers,
        resident=resident,
        allocation=allocation,
        summary=summary or {},
        xml=content.decode("utf-8-sig"),
        received_by=by,
        via_api=by is None,
    )


def _resident_for(bsn: str) -> Resident | None:
    return Resident.objects.filter(bsn_hash=crypto.keyed_hash(bsn)).first() if bsn else None


def _resident_check(resident: Resident | None, client: istandaarden.ClientData) -> str:
    """Whether the name and date of birth in the message are those of the resident with its BSN."""
    if resident is None:
        return ResidentCheck.UNKNOWN

    def plain(text: str) -> str:
        return unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower().strip()

    same_name = plain(client.surname) == plain(resident.geslachtsnaam) or plain(client.surname) == plain(
        resident.partner_geslachtsnaam
    )
    same_birth = client.birth_date is None or client.birth_date == resident.birth_date
    return ResidentCheck.MATCH if same_name and same_birth else ResidentCheck.MISMATCH


def _mismatch_warning(resident_check: str) -> list[str]:
    if resident_check == ResidentCheck.MISMATCH:
        return [
            _(
                "The name or date of birth in the message differ from those of the resident with this BSN: "
                "check who it is before you answer."
            )
        ]
    return []


REQUESTED_PRODUCT = "m:Client/m:AangevraagdeProducten/m:AangevraagdProduct"


def _refuse_reused_or_open(parsed, provider, resident: Resident | None, references: list[tuple[str, str]]) -> None:
    """A 315 or 317 is refused when the provider used one of its ``references`` (path, reference)
    before (9347), or has a request for this client still open (9374)."""
    for path, reference in references:
        if AllocationRequest.objects.filter(provider=provider, reference=reference).exists():
            raise _refusal(parsed, path, _("you used this reference before"), "9347")
    if (
        resident is not None
        and AllocationRequest.objects.filter(provider=provider, resident=resident, status__in=OPEN_REQUEST).exists()
    ):
        raise _refusal(parsed, "m:Client/m:Bsn", _("a request of yours for this client is still open"), "9374")


def _receive_request(*, parsed, municipality, provider, content, by) -> Received:
    client = istandaarden.read_client(parsed)
    products = istandaarden.read_request(parsed)
    resident = _resident_for(client.bsn)
    _refuse_reused_or_open(
        parsed,
        provider,
        resident,
        [
            (f"{REQUESTED_PRODUCT}[{index}]/m:ReferentieAanbieder", product.reference)
            for index, product in enumerate(products, start=1)
        ],
    )
    check = _resident_check(resident, client)
    received = _pending_request(
        parsed=parsed,
        municipality=municipality,
        provider=provider,
        content=content,
        by=by,
        resident=resident,
        summary={"products": len(products)},
        client_name=client.name[:250],
        birth_date=client.birth_date,
        resident_check=check,
        products=[product.__dict__ for product in products],
        reference=products[0].reference,
    )
    received.warnings = _mismatch_warning(check)
    return received


def _pending_request(
    *, parsed, municipality, provider, content, by, resident: Resident | None, summary: dict, **fields
) -> Received:
    """A received 315 or 317 and the request that awaits its answer (due in ten working days)."""
    answer_due = add_working_days(timezone.localdate(), ANSWER_WORKING_DAYS)
    message = _store(
        parsed=parsed,
        municipality=municipality,
        provider=provider,
        content=content,
        by=by,
        status=MessageStatus.AWAITING_ANSWER,
        due_on=answer_due,
        resident=resident,
        summary=summary,
    )
    request = AllocationRequest.objects.create(
        municipality=municipality,
        provider=provider,
        provider_agb=provider.agb_code,
        kind=parsed.kind,
        message_id=parsed.message_id,
        resident=resident,
        answer_due=answer_due,
        incoming=message,
        xml=message.xml,
        uploaded_by=by,
        **fields,
    )
    return Received(message=message, request=request)


def _current_allocations(provider: Organisation, resident: Resident) -> QuerySet[Allocation]:
    today = timezone.localdate()
    return (
        Allocation.objects.filter(provider=provider, decision__advice__resident=resident, stopped_on__isnull=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("decision__provision")
    )


def _receive_change(*, parsed, municipality, provider, content, by) -> Received:
    change = istandaarden.read_change(parsed)
    resident = _resident_for(change.bsn)
    if resident is None:
        raise _refusal(parsed, "m:Client/m:Bsn", _("no allocation to you for a client with this BSN"), "9351")
    current = {allocation.pk: allocation for allocation in _current_allocations(provider, resident)}
    verzoek = "m:Client/m:Verzoek"
    for index, number in enumerate(change.unchanged, start=1):
        if number not in current:
            path = f"{verzoek}/m:OngewijzigdeProducten/m:OngewijzigdProduct[{index}]/m:ToewijzingNummer"
            raise _refusal(parsed, path, _("this is not a current allocation to you for this client"), "9350")
    for index, item in enumerate(change.to_change, start=1):
        if item["number"] not in current:
            path = f"{verzoek}/m:TeWijzigenProducten/m:TeWijzigenProduct[{index}]/m:ToewijzingNummer"
            raise _refusal(parsed, path, _("this is not a current allocation to you for this client"), "9351")
    named = set(change.unchanged) | {item["number"] for item in change.to_change}
    if set(current) - named:
        missing = ", ".join(str(number) for number in sorted(set(current) - named))
        raise _refusal(
            parsed, verzoek, _("allocation %(numbers)s of this client is missing") % {"numbers": missing}, "9349"
        )
    _refuse_reused_or_open(parsed, provider, resident, [(f"{verzoek}/m:ReferentieAanbieder", change.reference)])
    items = []
    for item in change.to_change:
        allocation = current[item["number"]]
        decision = allocation.decision
        items.append(
            {
                **item,
                "type": "change",
                "category": decision.provision.product_category,
                "provision": decision.provision.name,
                "current_starts_on": decision.starts_on.isoformat() if decision.starts_on else "",
                "current_ends_on": allocation.ends_on.isoformat() if allocation.ends_on else "",
                "current_volume": str(decision.volume or ""),
                "current_unit": decision.unit,
                "current_frequency": decision.frequency,
            }
        )
    items += [{**item, "type": "new"} for item in change.new]
    items += [
        {"type": "unchanged", "number": number, "provision": current[number].decision.provision.name}
        for number in change.unchanged
    ]
    return _pending_request(
        parsed=parsed,
        municipality=municipality,
        provider=provider,
        content=content,
        by=by,
        resident=resident,
        summary={"reason": change.reason},
        client_name=resident.display_name[:250],
        birth_date=resident.birth_date,
        resident_check=ResidentCheck.MATCH,
        products=items,
        reference=change.reference,
    )


def _allocation_for(parsed, provider: Organisation, bsn: str, product: istandaarden.DeliveryProduct) -> Allocation:
    """The allocation a start or stop message is about: by its number, or (an allocation sent
    without one) by product category and start date; refused when there is none."""
    allocations = Allocation.objects.filter(provider=provider, kind=parsed.kind[:-3] + "301").select_related(
        "decision__advice__resident", "decision__advice__case", "decision__provision"
    )
    if product.number is not None:
        allocation = allocations.filter(pk=product.number).first()
    else:
        allocation = allocations.filter(
            decision__provision__product_category=product.category, decision__starts_on=product.allocation_starts_on
        ).first()
    element = product.element
    field_name = "m:ToewijzingNummer" if product.number is not None else "m:Product/b:Categorie"
    if allocation is None or allocation.decision.advice.resident.bsn != bsn:
        raise _refusal(
            parsed,
            element.find(field_name, parsed.ns),
            _("no allocation to you matches this for this client"),
            "9019",
        )
    return allocation


def _receive_delivery(*, parsed, municipality, provider, content, by) -> Received:
    """WMO305/JW305 start and WMO307/JW307 stop of care: the allocation's real start and end."""
    client = istandaarden.read_client(parsed)
    is_start = parsed.kind.endswith("305")
    changed: list[tuple[Allocation, istandaarden.DeliveryProduct]] = []
    for product in istandaarden.read_delivery(parsed):
        allocation = _allocation_for(parsed, provider, client.bsn, product)
        element = product.element
        status = product.status
        if is_start:
            if status == "1" and allocation.started_on is not None:
                raise _refusal(
                    parsed, element.find("m:StatusAanlevering", parsed.ns), _("the start was reported before"), "9074"
                )
            if status in {"2", "3"} and allocation.started_on is None:
                raise _refusal(
                    parsed, element.find("m:StatusAanlevering", parsed.ns), _("no start was reported before"), "9063"
                )
            if status == "3" and allocation.stopped_on is not None:
                raise _refusal(
                    parsed, element.find("m:StatusAanlevering", parsed.ns), _("the care has already stopped"), "9071"
                )
            starts = allocation.decision.starts_on
            if status in {"1", "2"} and starts and product.begins_on < starts:
                raise _refusal(
                    parsed,
                    element.find("m:Begindatum", parsed.ns),
                    _("the care cannot start before the allocation does (%(date)s)") % {"date": f"{starts:%d-%m-%Y}"},
                )
            allocation.started_on = None if status == "3" else product.begins_on
        else:
            if allocation.started_on is None:
                raise _refusal(
                    parsed,
                    element.find("m:StatusAanlevering", parsed.ns),
                    _("no start of this care was reported"),
                    "9069",
                )
            if status == "1" and allocation.stopped_on is not None:
                raise _refusal(
                    parsed, element.find("m:StatusAanlevering", parsed.ns), _("the stop was reported before"), "9415"
                )
            if status in {"2", "3"} and allocation.stopped_on is None:
                raise _refusal(
                    parsed, element.find("m:StatusAanlevering", parsed.ns), _("no stop was reported before"), "9063"
                )
            if product.ends_on and product.ends_on < allocation.started_on:
                raise _refusal(
                    parsed,
                    element.find("m:Einddatum", parsed.ns),
                    _("the care cannot stop before it started (%(date)s)")
                    % {"date": f"{allocation.started_on:%d-%m-%Y}"},
                )
            allocation.stopped_on = None if status == "3" else product.ends_on
            allocation.end_reason = "" if status == "3" else product.end_reason
        changed.append((allocation, product))
    first = changed[0][0]
    message = _store(
        parsed=parsed,
        municipality=municipality,
        provider=provider,
        content=content,
        by=by,
        resident=first.decision.advice.resident,
        allocation=first,
        summary={"allocations": [allocation.pk for allocation, _product in changed]},
    )
    for allocation, product in changed:
        allocation.save(update_fields=["started_on", "stopped_on", "end_reason"])
        advice = allocation.decision.advice
        if is_start:
            summary = (
                gettext_noop("Start of care reported by %(provider)s: %(provision)s from %(date)s")
                if product.status != "3"
                else gettext_noop("Start of care of %(provision)s withdrawn by %(provider)s")
            )
            day = product.begins_on
        else:
            summary = (
                gettext_noop("Stop of care reported by %(provider)s: %(provision)s until %(date)s")
                if product.status != "3"
                else gettext_noop("Stop of care of %(provision)s withdrawn by %(provider)s")
            )
            day = product.ends_on
        record_event(
            case=advice.case,
            by=by,
            kind="delivery",
            summary=summary,
            data={
                "provider": provider.name,
                "provision": allocation.decision.provision.name,
                "date": f"{day:%d-%m-%Y}" if day else "",
                "message": parsed.kind,
                "allocation_id": allocation.pk,
            },
        )
    return Received(message=message)


def _periods(frequency: str, starts_on: date, ends_on: date) -> int:
    """How many periods of the frequency (day, week, month) a product period touches."""
    days = (ends_on - starts_on).days + 1
    if frequency == Frequency.PER_DAY:
        return days
    if frequency == Frequency.PER_WEEK:
        return -(-days // 7)
    if frequency == Frequency.PER_MONTH:
        return (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month + 1
    return 1


def _service_codes(
    service: istandaarden.Service,
    *,
    declaration: istandaarden.Declaration,
    allocation: Allocation | None,
    provider: Organisation,
    seen: set[str],
) -> list[str]:
    """The retour codes (WJ001) a service earns; empty when it is accepted."""
    if service.amount_cents < 0:
        debit = DeclaredService.objects.filter(
            message__provider=provider, reference=service.previous_reference, accepted=True, amount__gt=0
        )
        return [] if service.previous_reference and debit.exists() else ["8017"]
    if allocation is None:
        return ["9338"]
    decision = allocation.decision
    codes = []
    if allocation.decision.advice.resident.bsn != service.bsn:
        codes.append("8187")
    if (
        service.reference in seen
        or DeclaredService.objects.filter(
            message__provider=provider, reference=service.reference, accepted=True
        ).exists()
    ):
        codes.append("8021")
    if decision.starts_on and service.starts_on < decision.starts_on:
        codes.append("9307")
    if allocation.ends_on and service.ends_on > allocation.ends_on:
        codes.append("9308")
    if service.starts_on < declaration.starts_on or service.ends_on > declaration.ends_on:
        codes.append("9319")
    if service.category != decision.provision.product_category:
        codes.append("9339")
    contract = (
        Contract.objects.filter(provision=decision.provision, provider=provider).exclude(product_code="").first()
    )
    if contract and service.product_code != contract.product_code:
        codes.append("9340")
    if service.unit != decision.unit:
        codes.append("9341")
    price = int(decision.unit_price * 100) if decision.unit_price is not None else None
    if service.tariff_cents is not None and price is not None and service.tariff_cents != price:
        codes.append("0611")
    if (
        service.unit != "83"
        and service.tariff_cents is not None
        and service.amount_cents != service.volume * service.tariff_cents
    ):
        codes.append("9346")
    if decision.volume is not None and decision.frequency:
        if decision.frequency == Frequency.TOTAL:
            before = (
                DeclaredService.objects.filter(allocation=allocation, accepted=True).aggregate(total=Sum("volume"))[
                    "total"
                ]
                or 0
            )
            if before + service.volume > decision.volume:
                codes.append("9322")
        elif service.volume > decision.volume * _periods(decision.frequency, service.starts_on, service.ends_on):
            codes.append("9321")
    return codes


def _receive_declaration(*, parsed, municipality, provider, content, by) -> Received:
    """WMO323/JW323: every service checked against its allocation (period, product, unit, price,
    volume); the accepted ones count as declared costs. iJw: answered with a JW325 that carries the
    retour codes per service."""
    declaration = istandaarden.read_declaration(parsed)
    source = "m:Declaratie"
    numbers = Message.objects.filter(provider=provider, direction=Direction.IN, kind=parsed.kind)
    if numbers.filter(summary__number=declaration.number).exists():
        raise _refusal(parsed, f"{source}/m:DeclaratieNummer", _("this declaration number was used before"), "9333")
    if sum(service.amount_cents for service in declaration.services) != declaration.total_cents:
        raise _refusal(
            parsed,
            f"{source}/m:TotaalIngediendBedrag/b:TotaalBedrag",
            _("this is not the sum of the amounts of the services"),
        )
    allocations = {
        allocation.pk: allocation
        for allocation in Allocation.objects.filter(
            provider=provider, kind=parsed.kind[:-3] + "301", pk__in=[s.number for s in declaration.services]
        ).select_related("decision__provision", "decision__advice__resident")
    }
    codes: dict[str, list[str]] = {}
    rows = []
    seen: set[str] = set()
    for service in declaration.services:
        allocation = allocations.get(service.number)
        found = _service_codes(service, declaration=declaration, allocation=allocation, provider=provider, seen=seen)
        seen.add(service.reference)
        codes[service.path] = found or ["8001"]
        rows.append((service, allocation if "9338" not in found else None, found))
    granted = sum(service.amount_cents for service, _allocation, found in rows if not found)
    first = next((allocation for _service, allocation, _found in rows if allocation), None)
    message = _store(
        parsed=parsed,
        municipality=municipality,
        provider=provider,
        content=content,
        by=by,
        resident=first.decision.advice.resident if first and len({s.bsn for s in declaration.services}) == 1 else None,
        summary={
            "number": declaration.number,
            "starts_on": declaration.starts_on.isoformat(),
            "ends_on": declaration.ends_on.isoformat(),
            "submitted": str(Decimal(declaration.total_cents) / 100),
            "granted": str(Decimal(granted) / 100),
            "services": len(rows),
            "refused": sum(1 for _s, _a, found in rows if found),
        },
    )
    DeclaredService.objects.bulk_create(
        DeclaredService(
            message=message,
            allocation=allocation,
            reference=service.reference[:20],
            starts_on=service.starts_on,
            ends_on=service.ends_on,
            volume=service.volume,
            unit=service.unit,
            amount=Decimal(service.amount_cents) / 100,
            accepted=not found,
            codes=found,
        )
        for service, allocation, found in rows
    )
    received = Received(message=message)
    if parsed.kind == "JW323":
        received.retour = _send(
            kind="JW325",
            municipality=municipality,
            provider=provider,
            prefix="D",
            build=lambda answer_id: istandaarden.declaration_answer_xml(
                parsed, message_id=answer_id, dated=timezone.localdate(), granted_cents=granted, codes=codes
            ),
            answers=message,
            summary={"granted": str(Decimal(granted) / 100)},
            by=by,
        )
    return received


def _receive_retour(*, parsed, municipality, provider, content, by) -> Received:
    """JW302/JW320: the provider's retour message on an allocation or an answer we sent."""
    retour = istandaarden.read_retour(parsed)
    ours = (
        Message.objects.select_for_update(of=("self",))
        .filter(
            municipality=municipality,
            provider=provider,
            direction=Direction.OUT,
            kind=parsed.type.retour_of,
            message_id=retour.answers_id,
        )
        .first()
    )
    if ours is None:
        raise _refusal(
            parsed,
            "m:Header/m:BerichtIdentificatie/b:Identificatie",
            _("the municipality sent you no %(kind)s with this identification") % {"kind": parsed.type.retour_of},
        )
    if ours.status != MessageStatus.AWAITING_RETOUR:
        raise _refusal(parsed, "m:Header/m:IdentificatieRetour", _("this message was answered before"), "9056")
    rejected = retour.rejected
    ours.status = MessageStatus.REJECTED if rejected else MessageStatus.ACCEPTED
    ours.summary = {**ours.summary, "retour": [[where, code] for where, code in retour.codes]}
    ours.save(update_fields=["status", "summary"])
    message = _store(
        parsed=parsed,
        municipality=municipality,
        provider=provider,
        content=content,
        by=by,
        answers=ours,
        resident=ours.resident,
        allocation=ours.allocation,
        summary={"codes": [[where, code] for where, code in retour.codes]},
    )
    warnings = [
        _("The provider rejected %(kind)s %(id)s: %(where)s, retour code %(code)s (%(meaning)s).")
        % {
            "kind": ours.kind,
            "id": ours.message_id,
            "where": where,
            "code": code,
            "meaning": istandaarden.retour_code_text(code),
        }
        for where, code in rejected
    ]
    return Received(message=message, warnings=warnings)


# --- answering a request ----------------------------------------------------------------------


def _check_request(request: AllocationRequest, by: User) -> AllocationRequest:
    request = (
        AllocationRequest.objects.select_for_update(of=("self",))
        .select_related("incoming", "provider")
        .get(pk=request.pk)
    )
    if by.role != Role.BESCHIKKER or by.municipality_id != request.municipality_id:
        raise ValidationError(_("Only a beschikker of the municipality handles requests for an allocation."))
    if not request.is_open:
        raise ValidationError(_("This request has been answered."))
    if request.provider is None:
        raise ValidationError(_("This request has no provider known to the municipality."))
    return request


def _mark_answered(request: AllocationRequest) -> None:
    if request.incoming_id:
        Message.objects.filter(pk=request.incoming_id).update(status=MessageStatus.ANSWERED)


def _answer_319(request: AllocationRequest, *, answer: str, reason: str, by: User | None) -> "Message":
    kind = "JW319" if request.standard == "jw" else "WMO319"

    def build(message_id: str) -> bytes:
        return istandaarden.answer_xml(
            istandaarden.Answer319(
                kind=kind,
                municipality_code=request.municipality.code,
                provider_agb=request.provider.agb_code,
                message_id=message_id,
                dated=timezone.localdate(),
                reference=request.reference,
                answer=answer,
                reason=reason,
            )
        )

    return _send(
        kind=kind,
        municipality=request.municipality,
        provider=request.provider,
        prefix="A",
        build=build,
        answers=request.incoming,
        resident=request.resident,
        summary={"answer": answer, "reason": reason},
        by=by,
    )


@transaction.atomic
def request_refuse(*, request: AllocationRequest, by: User, reason: str) -> "Message":
    """Refuse a request with a reason from the code list (WJ759); the provider gets a 319."""
    request = _check_request(request, by)
    if reason not in dict(istandaarden.REFUSAL_REASONS):
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    answer = _answer_319(request, answer=istandaarden.ANSWER_REFUSED, reason=reason, by=by)
    request.status = RequestStatus.REFUSED
    request.refusal_reason = reason
    request.save(update_fields=["status", "refusal_reason"])
    _mark_answered(request)
    return answer


@transaction.atomic
def request_in_progress(*, request: AllocationRequest, by: User) -> "Message":
    """Tell the provider the request is being looked into (a 319 "aanvraag in onderzoek")."""
    request = _check_request(request, by)
    if request.status == RequestStatus.IN_PROGRESS:
        raise ValidationError(_("The provider has already been told the request is being looked into."))
    answer = _answer_319(request, answer=istandaarden.ANSWER_IN_PROGRESS, reason="", by=by)
    request.status = RequestStatus.IN_PROGRESS
    request.save(update_fields=["status"])
    _mark_answered(request)
    return answer


@transaction.atomic
def request_resident_confirm(*, request: AllocationRequest, by: User, same: bool) -> AllocationRequest:
    """The beschikker resolves a name or birth date that differ: the same resident after all, or
    someone else (the request is then not linked to the registered resident)."""
    request = _check_request(request, by)
    if request.resident_check != ResidentCheck.MISMATCH:
        raise ValidationError(_("There is nothing to resolve."))
    request.resident_check = ResidentCheck.CONFIRMED if same else ResidentCheck.UNKNOWN
    if not same:
        request.resident = None
    request.save(update_fields=["resident_check", "resident"])
    return request


def _open_case_of(resident: Resident, municipality: Municipality) -> Case | None:
    return (
        Case.objects.open()
        .filter(team__municipality=municipality, household__members__resident=resident)
        .order_by("-melding_date", "-pk")
        .first()
    )


def _provision_for(request: AllocationRequest, category: str, on: date) -> Provision | None:
    """The customised provision of the requested category the provider has a contract for."""
    return (
        Provision.objects.active()
        .filter(
            municipality_id=request.municipality_id,
            kind=ProvisionKind.MAATWERK,
            product_category=category,
            contracts__provider=request.provider,
            contracts__valid_from__lte=on,
        )
        .filter(Q(contracts__valid_until__isnull=True) | Q(contracts__valid_until__gte=on))
        .order_by("name")
        .first()
    )


def _advice_from(request: AllocationRequest, item: dict, *, by: User, case: Case) -> IndicationAdvice:
    starts_on = date.fromisoformat(item["starts_on"])
    provision = _provision_for(request, item["category"], starts_on)
    if provision is None:
        raise ValidationError(
            _("%(provider)s has no contract for a customised provision of category %(category)s on %(date)s.")
            % {
                "provider": request.provider.name,
                "category": istandaarden.category_name(item["category"], standard=request.standard),
                "date": f"{starts_on:%d-%m-%Y}",
            }
        )
    referrer = item.get("referrer_name") or ""
    grounds = _("Request %(kind)s %(id)s of %(provider)s (reference %(reference)s).") % {
        "kind": request.kind,
        "id": request.message_id,
        "provider": request.provider.name,
        "reference": item.get("reference") or request.reference,
    }
    if referrer:
        grounds += " " + _("Referred by %(referrer)s.") % {"referrer": referrer}
    frequency = item.get("frequency") or Frequency.PER_WEEK
    advice = IndicationAdvice.objects.create(
        case=case,
        resident=request.resident,
        provision=provision,
        volume=int(item.get("volume") or 1),
        unit=item.get("unit") or provision.unit,
        frequency=frequency,
        starts_on=starts_on,
        ends_on=date.fromisoformat(item["ends_on"]) if item.get("ends_on") else None,
        delivery_form=DeliveryForm.IN_KIND,
        preferred_provider=request.provider,
        grounds=grounds,
        from_request=request,
        reference=item.get("reference") or request.reference,
        aanvraag_date=request.uploaded_at.date() if request.uploaded_at else timezone.localdate(),
        decision_due=request.answer_due or add_working_days(timezone.localdate(), ANSWER_WORKING_DAYS),
        written_by=by,
    )
    record_event(
        case=case,
        by=by,
        kind="indication_advice",
        summary=gettext_noop("Request for %(provision)s from %(provider)s; decision due %(due)s"),
        data={
            "provision": provision.name,
            "provider": request.provider.name,
            "due": f"{advice.decision_due:%d-%m-%Y}",
            "advice_id": advice.pk,
        },
    )
    return advice


@transaction.atomic
def request_to_advice(*, request: AllocationRequest, by: User) -> list[IndicationAdvice]:
    """Turn a request for an allocation into an advice per requested product on the resident's
    open case; the beschikker then decides on each, and a grant sends the 301 that answers it."""
    request = _check_request(request, by)
    if request.is_change:
        raise ValidationError(_("Answer a request for a change by granting or refusing it."))
    if request.resident is None or request.resident_check == ResidentCheck.UNKNOWN:
        raise ValidationError(
            _("The client is not known to the municipality: refuse the request, or register the resident first.")
        )
    if request.resident_check == ResidentCheck.MISMATCH:
        raise ValidationError(_("First resolve whether the client is the registered resident."))
    case = _open_case_of(request.resident, request.municipality)
    if case is None:
        raise ValidationError(_("The resident has no open case: the team opens one before an advice can be recorded."))
    advices = [_advice_from(request, item, by=by, case=case) for item in request.products]
    request.status = RequestStatus.ADVICE
    request.save(update_fields=["status"])
    return advices


@transaction.atomic
def change_grant(*, request: AllocationRequest, by: User) -> list["Message"]:
    """Grant a request for a change: a new end date changes the allocation itself (a 301 with
    reason 12, initiated by the provider); a new volume ends the allocation the day before the
    wished start and becomes an advice for the new volume, as does each new product."""
    request = _check_request(request, by)
    if not request.is_change:
        raise ValidationError(_("Only a request for a change is granted here."))
    case = _open_case_of(request.resident, request.municipality) if request.resident else None
    changed: list[Allocation] = []
    needs_advice = []
    for item in request.products:
        if item["type"] == "change":
            allocation = Allocation.objects.select_related("decision").get(
                pk=item["number"], provider=request.provider
            )
            wished = date.fromisoformat(item["starts_on"])
            volume_changes = item.get("volume") and item["volume"] != item.get("current_volume")
            if volume_changes:
                allocation.ends_on = max(wished - timedelta(days=1), allocation.decision.starts_on)
                needs_advice.append({**item, "category": item["category"], "reference": request.reference})
            else:
                allocation.ends_on = date.fromisoformat(item["ends_on"]) if item.get("ends_on") else None
            allocation.save(update_fields=["ends_on"])
            changed.append(allocation)
        elif item["type"] == "new":
            needs_advice.append({**item, "reference": request.reference})
    if needs_advice and case is None:
        raise ValidationError(_("The resident has no open case: the team opens one before an advice can be recorded."))
    sent = [
        _allocation_message(allocation, change_reason=CHANGED_BY_PROVIDER, answers=request.incoming)
        for allocation in changed
    ]
    for item in needs_advice:
        _advice_from(request, item, by=by, case=case)
    request.status = RequestStatus.ADVICE if needs_advice else RequestStatus.GRANTED
    request.save(update_fields=["status"])
    _mark_answered(request)
    return sent
