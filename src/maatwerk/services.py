"""Writes for maatwerk: the team's indication advice, the beschikker's decision with the allocation
message it produces, and a provider's request for an allocation. Each owns its transaction."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import CASEWORK_ROLES, Role, User
from areas.models import Municipality, ProcurementModel
from cases import deadlines
from cases.models import Case
from cases.services import record_event
from partners.models import Organisation
from people.models import Resident
from privacy import crypto
from provisions.models import Contract, Provision, ProvisionKind
from wijkteam.limits import MAX_DECISION_COST, euros

from . import istandaarden
from .models import (
    AdviceStatus,
    Allocation,
    AllocationRequest,
    Decision,
    DecisionOutcome,
    DeliveryForm,
    IndicationAdvice,
    MessageKind,
    RequestStatus,
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
    """The toewijzing of a granted in-kind decision as a WMO301/JW301 message to the provider."""
    provider = decision.provider
    resident = decision.advice.resident
    provision = decision.provision
    if provider is None or not provider.agb_code:
        raise ValidationError(_("The provider has no AGB code: the allocation message needs one."))
    if not resident.bsn:
        raise ValidationError(_("The resident has no BSN: the allocation message needs one."))
    if not provision.product_category:
        raise ValidationError(_("The provision has no iWmo/iJw product category."))
    allocation = Allocation.objects.create(decision=decision, provider=provider, kind=_message_kind(provision))
    allocation.message_id = f"{allocation.pk:012d}"
    contract = Contract.objects.filter(provision=provision, provider=provider).first()
    now = timezone.localtime()
    message = istandaarden.Allocation301(
        kind=allocation.kind,
        municipality_code=decision.advice.case.team.municipality.code,
        provider_agb=provider.agb_code,
        message_id=allocation.message_id,
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
            street=resident.straat,
            house_number=resident.huisnummer,
            house_letter=resident.huisletter,
            house_number_addition=resident.huisnummertoevoeging,
            postcode=resident.postcode,
            town=resident.woonplaats,
        ),
        products=[
            istandaarden.AllocatedProduct(
                number=allocation.pk,
                category=provision.product_category,
                product_code=contract.product_code if contract else "",
                allocated_at=now,
                starts_on=decision.starts_on,
                ends_on=decision.ends_on,
                volume=decision.volume,
                unit=decision.unit,
                frequency=decision.frequency,
            )
        ],
    )
    try:
        allocation.xml = istandaarden.allocation_xml(message).decode("utf-8")
    except istandaarden.InvalidMessage as error:
        raise ValidationError(
            [_("The allocation message does not validate against the XSD:"), *error.errors]
        ) from error
    allocation.save(update_fields=["message_id", "xml"])
    return allocation


@transaction.atomic
def allocation_request_receive(*, municipality: Municipality, content: bytes, by: User) -> AllocationRequest:
    """Store a provider's WMO315/JW315 as a pending request. A message that does not validate
    is refused with its errors in plain words, and nothing is stored."""
    if by.role != Role.BESCHIKKER or by.municipality_id != municipality.pk:
        raise ValidationError(_("Only a beschikker of the municipality handles requests for an allocation."))
    try:
        request = istandaarden.read_request(content)
        text = content.decode("utf-8")
    except istandaarden.InvalidMessage as error:
        raise ValidationError(error.errors) from error
    except UnicodeDecodeError:
        raise ValidationError(_("iWmo and iJw messages are written in UTF-8; this file is not.")) from None
    if request.municipality_code != municipality.code:
        raise ValidationError(
            _("The message is addressed to municipality %(code)s, not to %(name)s (%(own)s).")
            % {"code": request.municipality_code, "name": municipality.name, "own": municipality.code}
        )
    if AllocationRequest.objects.filter(provider_agb=request.sender_agb, message_id=request.message_id).exists():
        raise ValidationError(_("This message (%(id)s) was uploaded before.") % {"id": request.message_id})
    resident = Resident.objects.filter(bsn_hash=crypto.keyed_hash(request.bsn)).first()
    return AllocationRequest.objects.create(
        municipality=municipality,
        provider=Organisation.objects.filter(municipality=municipality, agb_code=request.sender_agb).first(),
        provider_agb=request.sender_agb,
        kind=request.kind,
        message_id=request.message_id,
        resident=resident,
        client_name=request.client_name[:250],
        products=[product.__dict__ for product in request.products],
        xml=text,
        uploaded_by=by,
    )


@transaction.atomic
def allocation_request_handle(*, request: AllocationRequest, by: User) -> AllocationRequest:
    request = AllocationRequest.objects.select_for_update().get(pk=request.pk)
    if by.role != Role.BESCHIKKER or by.municipality_id != request.municipality_id:
        raise ValidationError(_("Only a beschikker of the municipality handles requests for an allocation."))
    request.status = RequestStatus.HANDLED
    request.save(update_fields=["status"])
    return request
