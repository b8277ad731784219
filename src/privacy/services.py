"""Writes of the privacy app.

- One row of the access log (``log_access``), sealed onto the one before it.
- The consent registry: recording and withdrawing a resident's consent to share, and the check
  that every sharing action makes before it shares (``require_consent``). Consent is kept apart
  from the legal basis: the team processes a case because the law says so
  (``cases.LegalFramework``); consent is only about sharing named data with a named partner
  organisation for a purpose. docs/privacy.md lists the actions that check it.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkteam.dates import add_months
from wijkteam.text import written_text

from . import chain
from .middleware import client_address
from .models import AccessLog, Consent, ConsentMode, DataCategory, RectificationRequest, RectificationStatus


def log_access(
    *,
    user,
    action: str,
    purpose: str,
    case_id: int | None = None,
    household_id: int | None = None,
    resident_id: int | None = None,
    detail: str = "",
    role: str = "",
) -> AccessLog:
    """Write one access-log row, as the next link of its chain (``privacy.chain``). ``detail`` must
    never hold personal data (no names, no BSN). A resident reading their own file in Mijn Wijkteam
    is no user: ``user`` None, ``role`` "resident" and the ``resident_id``."""
    return chain.append(
        AccessLog(
            user=user if user is not None and user.is_authenticated else None,
            role=role or getattr(user, "role", "") or "",
            action=action,
            purpose=purpose,
            case_id=case_id,
            household_id=household_id,
            resident_id=resident_id,
            client_address=client_address.get(),
            detail=detail[:200],
        )
    )


CONSENT_TERM = timedelta(days=365)  # a consent is valid for a year unless the resident says otherwise


@transaction.atomic
@transaction.atomic
def consents_record(*, organisations, **consent) -> list[Consent]:
    """The same consent (``consent_record``'s other arguments) for several partner organisations
    at once: all of them, or none."""
    organisations = list(organisations)
    if not organisations:
        raise ValidationError({"organisation": [_("Choose at least one partner organisation.")]})
    return [consent_record(organisation=organisation, **consent) for organisation in organisations]


@transaction.atomic
def consent_record(
    *,
    resident,
    organisation,
    categories: Iterable[str],
    purpose: str,
    form: str,
    by,
    given_on: date | None = None,
    expires_on: date | None = None,
    via_portal: bool = False,
) -> Consent:
    """Record a resident's consent to share ``categories`` with ``organisation`` for ``purpose``.
    ``via_portal``: the resident gave it in Mijn Wijkteam (``by`` None: no team member)."""
    categories = [c for c in DataCategory.values if c in set(categories)]
    given_on = given_on or timezone.localdate()
    errors = {}
    if not categories:
        errors["categories"] = [_("Choose what may be shared.")]
    if not purpose.strip():
        errors["purpose"] = [_("Say what the sharing is for.")]
    if form not in ConsentMode.values:
        errors["form"] = [_("Say how the resident gave consent.")]
    if given_on > timezone.localdate():
        errors["given_on"] = [_("This date cannot be in the future.")]
    if expires_on is not None and expires_on < given_on:
        errors["expires_on"] = [_("The consent ends after the day it was given.")]
    if organisation is not None and resident.area_id and organisation.municipality_id != resident.area.municipality_id:
        errors["organisation"] = [_("Choose a partner organisation of the resident's municipality.")]
    if errors:
        raise ValidationError(errors)
    return Consent.objects.create(
        resident=resident,
        organisation=organisation,
        categories=categories,
        purpose=purpose.strip(),
        form=form,
        given_on=given_on,
        expires_on=expires_on,
        recorded_by=by,
        via_portal=via_portal,
    )


@transaction.atomic
def consent_withdraw(*, consent: Consent, by, form: str, withdrawn_on: date | None = None) -> Consent:
    """The resident withdraws consent: from that day no sharing action accepts it. What was shared
    before stays shared; the consent stays in the registry with its withdrawal."""
    withdrawn_on = withdrawn_on or timezone.localdate()
    current = Consent.objects.select_for_update().get(pk=consent.pk)
    if current.withdrawn_on is not None:
        raise ValidationError(_("This consent has already been withdrawn."))
    if form not in ConsentMode.values:
        raise ValidationError({"form": _("Say how the resident withdrew consent.")})
    if withdrawn_on > timezone.localdate() or withdrawn_on < current.given_on:
        raise ValidationError({"withdrawn_on": _("Choose a day from the day it was given up to today.")})
    current.withdrawn_on, current.withdrawal_form, current.withdrawn_by = withdrawn_on, form, by
    current.save(update_fields=["withdrawn_on", "withdrawal_form", "withdrawn_by"])
    return current


def valid_consent(*, resident, organisation, categories: Iterable[str], on: date | None = None) -> Consent | None:
    """A consent of ``resident`` that covers all ``categories`` for ``organisation`` today, or None."""
    needed = set(categories)
    day = on or timezone.localdate()
    for consent in Consent.objects.filter(resident=resident, organisation=organisation).valid_on(day):
        if needed <= set(consent.categories):
            return consent
    return None


def require_consent(*, resident, organisation, categories: Iterable[str]) -> Consent:
    """Refuse a sharing action without a valid consent, with a message that says what is missing."""
    categories = list(categories)
    consent = valid_consent(resident=resident, organisation=organisation, categories=categories)
    if consent is None:
        labels = dict(DataCategory.choices)
        raise ValidationError(
            _(
                "%(resident)s has not given valid consent to share %(data)s with %(organisation)s. "
                "Record the consent on the household page first (it may have expired or been withdrawn)."
            )
            % {
                "resident": resident.display_name,
                "data": ", ".join(str(labels[c]).lower() for c in categories),
                "organisation": organisation.name,
            },
            code="no_consent",
        )
    return consent


RECTIFICATION_MAX = 4000


def rectification_due(received_on: date) -> date:
    """AVG art. 12(3): an answer within one month of receipt."""
    return add_months(received_on, 1)


@transaction.atomic
def rectification_request(*, resident, text: str) -> RectificationRequest:
    """The resident reports a mistake in what is held about them (AVG art. 16)."""
    text = written_text(text, most=RECTIFICATION_MAX, empty=_("Write what is wrong."))
    return RectificationRequest.objects.create(
        resident=resident, text=text, due_on=rectification_due(timezone.localdate())
    )


@transaction.atomic
def rectification_answer(*, request: RectificationRequest, by, answer: str) -> RectificationRequest:
    """The team or the privacy officer answers the request (what was corrected, or why not)."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": [_("Write the answer to the resident.")]})
    current = RectificationRequest.objects.select_for_update().get(pk=request.pk)
    if current.status == RectificationStatus.HANDLED:
        raise ValidationError(_("This request was already handled."))
    current.status = RectificationStatus.HANDLED
    current.answer = answer
    current.handled_on = timezone.localdate()
    current.handled_by = by
    current.save(update_fields=["status", "answer", "handled_on", "handled_by"])
    return current
