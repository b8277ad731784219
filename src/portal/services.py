"""The resident's writes in Mijn Wijkteam: agreeing to the plan and asking for a change. Each in
its transaction, with a history entry on the resident's open cases (by no user: the resident)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from cases.services import record_event
from contacts.services import message_text
from plans.models import AgreementKind, Plan, PlanResponse, ResponseKind
from plans.services import plan_update
from plans.versions import agreement_stands
from privacy.models import Consent, ConsentMode, RectificationRequest
from privacy.services import CONSENT_TERM, consent_record, consent_withdraw, rectification_request


def _note_on_cases(*, plan: Plan, resident, summary: str) -> None:
    for case in plan.household.cases.open().filter(resident=resident):
        record_event(case=case, by=None, kind="plan", summary=summary, data={"version": plan.version})


def _note_on_own_cases(*, resident, kind: str, summary: str, data: dict) -> None:
    """A history entry on each of the resident's open cases, by no user (the resident)."""
    for case in resident.cases.open():
        record_event(case=case, by=None, kind=kind, summary=summary, data=data)


@transaction.atomic
def plan_agree(*, plan: Plan, resident, expected_version: int, level: str) -> PlanResponse:
    """The resident agrees to the plan in Mijn Wijkteam: recorded as the plan's agreement (today,
    "digitally (DigiD)") through the plans app's own service, and kept as the resident's response.
    The plan's new version is in the name of its regisseur, who owns the plan; the response says
    that the resident gave it, when, and at which DigiD level. Raises ``PlanConflict`` when the plan
    changed after the resident opened it, ``ValidationError`` when the plan is agreed to as it is
    (``plans.versions.agreement_stands``: a second agreement would replace the first, a signed one
    say, with nothing new to agree to)."""
    if agreement_stands(Plan.objects.select_for_update().get(pk=plan.pk)):
        raise ValidationError({"agree": [_("This plan has already been agreed to. Nothing has changed since.")]})
    plan_update(
        plan=plan,
        expected_version=expected_version,
        by=plan.regisseur,
        summary=plan.summary,
        agreed_on=timezone.localdate(),
        agreement=AgreementKind.DIGITAL,
        evaluate_on=plan.evaluate_on,
    )
    response = PlanResponse.objects.create(
        plan=plan, resident=resident, kind=ResponseKind.AGREED, plan_version=plan.version, level_of_assurance=level
    )
    _note_on_cases(
        plan=plan, resident=resident, summary=gettext_noop("The resident agreed to the plan in Mijn Wijkteam")
    )
    return response


@transaction.atomic
def plan_change_ask(*, plan: Plan, resident, text: str, level: str) -> PlanResponse:
    """The resident asks for a change in the plan; the regisseur sees it on the plan page."""
    text = message_text(text, empty=_("Write what you would like to change."))
    response = PlanResponse.objects.create(
        plan=plan,
        resident=resident,
        kind=ResponseKind.CHANGE,
        text=text,
        plan_version=plan.version,
        level_of_assurance=level,
    )
    _note_on_cases(
        plan=plan,
        resident=resident,
        summary=gettext_noop("The resident asked for a change in the plan in Mijn Wijkteam"),
    )
    return response


@transaction.atomic
def consent_withdraw_by_resident(*, consent: Consent, resident) -> Consent:
    """The resident withdraws a consent to share in Mijn Wijkteam, effective at once, through the
    consent registry's own service: withdrawn today, by no user (the resident), in writing (a
    statement made with DigiD is an electronic written statement, Awb 2:14). Noted on the
    resident's open cases."""
    withdrawn = consent_withdraw(consent=consent, by=None, form=ConsentMode.WRITTEN)
    _note_on_own_cases(
        resident=resident,
        kind="consent",
        summary=gettext_noop("The resident withdrew consent to share with %(organisation)s in Mijn Wijkteam"),
        data={"organisation": consent.organisation.name},
    )
    return withdrawn


@transaction.atomic
def rectification_ask(*, resident, text: str) -> RectificationRequest:
    """The resident reports a mistake (AVG art. 16) in the privacy registry's own service; noted on
    the resident's open cases, so the regisseur sees it, and listed for the privacy officer."""
    request = rectification_request(resident=resident, text=text)
    _note_on_own_cases(
        resident=resident,
        kind="rectification",
        summary=gettext_noop("The resident reported a mistake in Mijn Wijkteam (answer due %(due)s)"),
        data={"due": request.due_on.strftime("%d-%m-%Y"), "rectification_id": request.pk},
    )
    return request


@transaction.atomic
def consent_give_by_resident(*, resident, organisation, categories, purpose: str) -> Consent:
    """The resident gives a consent to share in Mijn Wijkteam, valid from today, through the
    consent registry's own service (in writing: a statement made with DigiD, Awb 2:14)."""
    consent = consent_record(
        resident=resident,
        organisation=organisation,
        categories=categories,
        purpose=purpose,
        form=ConsentMode.WRITTEN,
        by=None,
        expires_on=timezone.localdate() + CONSENT_TERM,
        via_portal=True,
    )
    _note_on_own_cases(
        resident=resident,
        kind="consent",
        summary=gettext_noop("The resident gave consent to share with %(organisation)s in Mijn Wijkteam"),
        data={"organisation": organisation.name},
    )
    return consent
