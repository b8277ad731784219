"""The resident's writes in Mijn Wijkteam: agreeing to the plan and asking for a change. Each in
its transaction, with a history entry on the resident's open cases (by no user: the resident)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from cases.services import record_event
from plans.models import AgreementKind, Plan, PlanResponse, ResponseKind
from plans.services import plan_update
from privacy.models import Consent, ConsentMode
from privacy.services import consent_withdraw

MAX_TEXT = 2000


def _note_on_cases(*, plan: Plan, resident, summary: str) -> None:
    for case in plan.household.cases.open().filter(resident=resident):
        record_event(case=case, by=None, kind="plan", summary=summary, data={"version": plan.version})


@transaction.atomic
def plan_agree(*, plan: Plan, resident, expected_version: int, level: str) -> PlanResponse:
    """The resident agrees to the plan in Mijn Wijkteam: recorded as the plan's agreement (today,
    "digitally (DigiD)") through the plans app's own service, and kept as the resident's response.
    The plan's new version is in the name of its regisseur, who owns the plan; the response says
    that the resident gave it, when, and at which DigiD level. Raises ``PlanConflict`` when the plan
    changed after the resident opened it."""
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
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write what you would like to change.")]})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": [_("Write at most 2000 characters.")]})
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
    for case in resident.cases.open():
        record_event(
            case=case,
            by=None,
            kind="consent",
            summary=gettext_noop("The resident withdrew consent to share with %(organisation)s in Mijn Wijkteam"),
            data={"organisation": consent.organisation.name},
        )
    return withdrawn
