"""Finding provisions and referring residents to them."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import User
from areas.models import Area, Municipality
from cases.models import Case
from cases.services import record_event
from people.models import Resident
from privacy.models import DataCategory
from privacy.services import require_consent
from wijkteam.i18n import msgid
from wijkteam.text import normalise_text
from zrm.models import LifeDomain

from .models import Provision, ProvisionKind, ProvisionReferral, ReferralOutcome

# What a warm hand-over tells the organisation that runs the provision.
REFERRAL_SHARES = (DataCategory.PERSONAL, DataCategory.QUESTION)


def provision_search(
    *,
    municipality: Municipality,
    text: str = "",
    life_domains: Iterable[LifeDomain] = (),
    area: Area | None = None,
    kind: str | None = None,
) -> QuerySet[Provision]:
    """Active provisions that fit a need: words in name/description/target group, any of the life
    domains, and serving the area (or the whole municipality)."""
    queryset = Provision.objects.active().filter(municipality=municipality)
    if kind:
        queryset = queryset.filter(kind=kind)
    for word in normalise_text(text).split():
        queryset = queryset.filter(
            Q(name__icontains=word) | Q(description__icontains=word) | Q(target_group__icontains=word)
        )
    domains = list(life_domains)
    if domains:
        queryset = queryset.filter(life_domains__in=domains)
    if area is not None:
        queryset = queryset.filter(Q(areas=area) | Q(areas__isnull=True))
    return queryset.distinct().order_by("kind", "name")


@transaction.atomic
def provision_refer(
    *,
    provision: Provision,
    by: User,
    resident: Resident | None = None,
    case: Case | None = None,
    note: str = "",
    follow_up_on: date | None = None,
) -> ProvisionReferral:
    """Refer a resident to a general or collective provision (customised provisions need an
    indication advice and a decision instead). A provision run by a partner organisation gets the
    resident's name, contact details and question: that needs the resident's valid consent."""
    if provision.kind == ProvisionKind.MAATWERK:
        raise ValidationError(_("A customised provision needs an indication advice, not a referral."))
    if resident is None and case is None:
        raise ValidationError(_("Refer a resident or a case."))
    if provision.organisation_id is not None:
        require_consent(
            resident=resident or case.resident, organisation=provision.organisation, categories=REFERRAL_SHARES
        )
    referral = ProvisionReferral.objects.create(
        provision=provision,
        by=by,
        resident=resident or (case.resident if case else None),
        case=case,
        note=note,
        follow_up_on=follow_up_on,
    )
    if case is not None:
        record_event(
            case=case,
            by=by,
            kind="provision_referral",
            summary=gettext_noop("Referred to %(provision)s"),
            data={"provision": provision.name, "provision_id": provision.pk, "referral_id": referral.pk},
            note=note,
        )
    return referral


@transaction.atomic
def referral_record_outcome(
    *, referral: ProvisionReferral, by: User, outcome: str, note: str = ""
) -> ProvisionReferral:
    """The answer to the follow-up question: did the referral work?"""
    referral = ProvisionReferral.objects.select_for_update().get(pk=referral.pk)
    if outcome not in ReferralOutcome.values or outcome == ReferralOutcome.PENDING:
        raise ValidationError(_("Choose whether it worked."))
    referral.outcome = outcome
    referral.outcome_note = note
    referral.outcome_at = timezone.now()
    referral.save(update_fields=["outcome", "outcome_note", "outcome_at"])
    if referral.case is not None:
        record_event(
            case=referral.case,
            by=by,
            kind="provision_referral_outcome",
            summary=gettext_noop("Referral to %(provision)s: %(outcome)s"),
            data={"provision": referral.provision.name, "outcome": msgid(ReferralOutcome(outcome).label)},
            note=note,
        )
    return referral
