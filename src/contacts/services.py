"""Planning and logging contacts; each writes an entry in the case history."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import User
from cases.models import Case
from cases.services import record_event
from wijkteam.i18n import msgid

from .models import Contact, ContactKind, ContactStatus


def _check_open(case: Case) -> None:
    if case.is_closed:
        raise ValidationError(_("The case is closed: reopen it first."))


@transaction.atomic
def contact_plan(
    *, case: Case, professional: User, kind: str, planned_at: datetime, by: User, note: str = ""
) -> Contact:
    _check_open(case)
    contact = Contact.objects.create(
        case=case, professional=professional, kind=kind, planned_at=planned_at, note=note, status=ContactStatus.PLANNED
    )
    record_event(
        case=case,
        by=by,
        kind="contact_planned",
        summary=gettext_noop("%(kind)s planned for %(when)s"),
        data={
            "kind": msgid(ContactKind(kind).label),
            "when": timezone.localtime(planned_at).strftime("%d-%m-%Y %H:%M"),
        },
    )
    return contact


@transaction.atomic
def contact_log(
    *,
    case: Case,
    professional: User,
    kind: str,
    happened_at: datetime,
    by: User,
    duration_minutes: int | None = None,
    note: str = "",
) -> Contact:
    """Record a contact that took place without having been planned."""
    _check_open(case)
    if happened_at > timezone.now():
        raise ValidationError({"happened_at": _("A contact that took place cannot be in the future.")})
    contact = Contact.objects.create(
        case=case,
        professional=professional,
        kind=kind,
        happened_at=happened_at,
        duration_minutes=duration_minutes,
        note=note,
        status=ContactStatus.DONE,
    )
    _record_done(contact, by)
    return contact


@transaction.atomic
def contact_complete(
    *,
    contact: Contact,
    by: User,
    happened_at: datetime | None = None,
    duration_minutes: int | None = None,
    note: str = "",
) -> Contact:
    """A planned contact took place."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.status != ContactStatus.PLANNED:
        raise ValidationError(_("Only a planned contact can be completed."))
    contact.status = ContactStatus.DONE
    contact.happened_at = happened_at or contact.planned_at or timezone.now()
    if contact.happened_at > timezone.now():
        raise ValidationError({"happened_at": _("A contact that took place cannot be in the future.")})
    contact.duration_minutes = duration_minutes
    if note:
        contact.note = note
    contact.save(update_fields=["status", "happened_at", "duration_minutes", "note"])
    _record_done(contact, by)
    return contact


@transaction.atomic
def contact_cancel(*, contact: Contact, by: User, missed: bool = False) -> Contact:
    """A planned contact did not take place: cancelled beforehand, or missed."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.status != ContactStatus.PLANNED:
        raise ValidationError(_("Only a planned contact can be cancelled."))
    contact.status = ContactStatus.MISSED if missed else ContactStatus.CANCELLED
    contact.save(update_fields=["status"])
    record_event(
        case=contact.case,
        by=by,
        kind="contact_missed" if missed else "contact_cancelled",
        summary=gettext_noop("%(kind)s of %(when)s missed")
        if missed
        else gettext_noop("%(kind)s of %(when)s cancelled"),
        data={
            "kind": msgid(ContactKind(contact.kind).label),
            "when": timezone.localtime(contact.planned_at).strftime("%d-%m-%Y %H:%M"),
        },
    )
    return contact


def _record_done(contact: Contact, by: User) -> None:
    record_event(
        case=contact.case,
        by=by,
        kind="contact",
        summary=gettext_noop("%(kind)s on %(when)s (%(minutes)s min.)")
        if contact.duration_minutes
        else gettext_noop("%(kind)s on %(when)s"),
        data={
            "kind": msgid(ContactKind(contact.kind).label),
            "when": timezone.localtime(contact.happened_at).strftime("%d-%m-%Y"),
            "minutes": contact.duration_minutes or 0,
            "contact_id": contact.pk,
        },
        note=contact.note,
    )
